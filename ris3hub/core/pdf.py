"""Printable PDF documents (reports, agendas, plans) with fpdf2: pure Python, no browser, no network.

Text is set in DejaVu Sans, the TrueType font matplotlib ships, so every European script prints.
Charts go in as PNG images (draw them with matplotlib, ``figure_png``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

matplotlib.use("Agg")

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
ATTRIBUTION = "Source: CORDIS / Eurostat / © EuroGeographics for the administrative boundaries"
BRAND = (11, 57, 110)


class Report:
    """A document built top to bottom: headings, paragraphs, key figures, tables, images."""

    def __init__(self, title: str, subtitle: str = "", footer: str = ATTRIBUTION, landscape: bool = False):
        self.pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("ris3hub")
        self.pdf.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
        self.pdf.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.pdf.add_font("DejaVu", "I", str(_FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.pdf.set_auto_page_break(auto=True, margin=16)
        footer_text = footer
        pdf = self.pdf

        def _footer() -> None:
            pdf.set_y(-12)
            pdf.set_font("DejaVu", "", 7)
            pdf.set_text_color(110, 110, 110)
            pdf.cell(0, 5, f"{footer_text}  ·  page {pdf.page_no()}/{{nb}}", align="C")

        self.pdf.footer = _footer
        self.pdf.add_page()
        self.pdf.set_font("DejaVu", "B", 18)
        self.pdf.set_text_color(*BRAND)
        self.pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            self.pdf.set_font("DejaVu", "", 11)
            self.pdf.set_text_color(80, 80, 80)
            self.pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)
        self._body()

    def _body(self) -> None:
        self.pdf.set_font("DejaVu", "", 10)
        self.pdf.set_text_color(20, 20, 20)

    def heading(self, text: str) -> Report:
        self.pdf.ln(2)
        self.pdf.set_font("DejaVu", "B", 13)
        self.pdf.set_text_color(*BRAND)
        self.pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self._body()
        return self

    def paragraph(self, text: str, italic: bool = False) -> Report:
        self.pdf.set_font("DejaVu", "I" if italic else "", 10)
        self.pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)
        self._body()
        return self

    def key_values(self, pairs: Sequence[tuple[str, Any]]) -> Report:
        for key, value in pairs:
            self.pdf.set_font("DejaVu", "B", 10)
            self.pdf.cell(55, 6, str(key))
            self.pdf.set_font("DejaVu", "", 10)
            self.pdf.multi_cell(0, 6, "" if value is None else str(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)
        return self

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[float] | None = None, align_right: Sequence[int] = ()) -> Report:
        """A table with a repeated header row; ``align_right`` lists the numeric columns."""
        self.pdf.set_font("DejaVu", "", 8.5)
        headings = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BRAND)
        text_align = ["RIGHT" if i in align_right else "LEFT" for i in range(len(columns))]
        with self.pdf.table(col_widths=widths, headings_style=headings, line_height=5,
                            text_align=text_align, repeat_headings=1) as table:
            table.row([str(c) for c in columns])
            for values in rows:
                table.row(["" if v is None else str(v) for v in values])
        self.pdf.ln(2)
        self._body()
        return self

    def image(self, png: bytes, width: float = 180) -> Report:
        self.pdf.image(io.BytesIO(png), w=width)
        self.pdf.ln(2)
        return self

    def page_break(self) -> Report:
        self.pdf.add_page()
        return self

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def figure_png(fig, dpi: int = 150) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
