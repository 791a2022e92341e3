import matplotlib.pyplot as plt

from ris3hub.core.pdf import Report, figure_png


def test_a_report_with_every_element_is_a_pdf_that_prints_accents_and_euro():
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([1, 2, 3], [2, 1, 3])
    report = (Report("Emilia-Romagna — profilo S3", subtitle="Città, Università, € 35 milioni, Θεσσαλία")
              .heading("Specialisation").paragraph("Reggio nell’Emilia e Forlì-Cesena.")
              .key_values([("GDP per head", "41,600 PPS")])
              .table(["Domain", "RCA"], [["ICT", 1.23], ["Agrifood", None]], align_right=[1])
              .image(figure_png(fig), width=90))
    pdf = report.output()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000
