"""A reporting round end to end on the pages: open, fill on the web, a bad spreadsheet (row errors,
nothing stored), a good one, changes requested, approval, history; reminders; the form's checks."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import workbook
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ris3hub.accounts.roles import Role, grant
from ris3hub.monitoring.actions import do_define_indicator
from ris3hub.monitoring.models import IndicatorValue, ReportingRound, ReportSubmission
from ris3hub.monitoring.reporting import (
    do_approve,
    do_open_round,
    do_request_changes,
    do_save_values,
    do_submit,
    parse_form,
    reminders_due,
    send_reminders,
)
from ris3hub.monitoring.uploads import UploadRejected, build_template, read_upload

pytestmark = pytest.mark.django_db


def upload(client, submission, name: str, data: bytes):
    return client.post(reverse("monitoring:submission_upload", args=[submission.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def lock(submission) -> dict:
    """The version of the report a page loaded now would carry (the optimistic lock's hidden field)."""
    return {"lock_version": ReportSubmission.objects.get(pk=submission.pk).version}


def test_a_round_end_to_end(eco, as_user, round_fields):
    coordinator, member = as_user(eco.coordinator), as_user(eco.member)
    revenue = do_define_indicator(eco.strategy, "REV", "Revenue of labs from companies", unit="EUR",
                                  method="report", report_field="revenue")

    # The coordinator opens the round on the web: each laboratory of the network gets a draft.
    data = {"title": "Annual report 2025", "network": eco.network.pk, "strategy": eco.strategy.pk, "period": "2025",
            "deadline": (date.today() + timedelta(days=20)).isoformat(), "reminder_days": "7,1",
            "fields-TOTAL_FORMS": "6", "fields-INITIAL_FORMS": "0", "fields-MIN_NUM_FORMS": "0",
            "fields-MAX_NUM_FORMS": "40"}
    for i, f in enumerate(round_fields):
        data |= {f"fields-{i}-name": f["name"], f"fields-{i}-label": f["label"], f"fields-{i}-type": f["type"],
                 f"fields-{i}-help": f.get("help", ""), f"fields-{i}-choices": "; ".join(f.get("choices", []))}
        if f["required"]:
            data[f"fields-{i}-required"] = "on"
    response = coordinator.post(reverse("monitoring:round_new"), data)
    assert response.status_code == 302, response.content.decode()[-6000:]
    round = ReportingRound.objects.get(title="Annual report 2025")
    assert sorted(round.submissions.values_list("organisation__name", flat=True)) == ["CIRI ICT", "InterMech"]
    assert [f["name"] for f in round.fields] == ["contracts", "revenue", "sector", "since", "notes"]
    submission = round.submissions.get(organisation=eco.lab)

    # The member is sent to its own report; another user may not see it.
    assert member.get(round.get_absolute_url())["Location"] == submission.get_absolute_url()
    assert as_user(eco.other).get(submission.get_absolute_url()).status_code == 403
    page = member.get(submission.get_absolute_url())
    assert b"Fill in the report" in page.content and b"Research contracts with companies" in page.content

    # A draft on the web, partial; submitting it needs the required fields.
    response = member.post(submission.get_absolute_url(), {"contracts": "3", "revenue": "", "save": "1", **lock(submission)})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.values["contracts"] == 3 and submission.status == "draft"
    response = member.post(submission.get_absolute_url(), {"contracts": "3", "revenue": "", "submit": "1", **lock(submission)})
    assert response.status_code == 400 and b"this field is required" in response.content
    response = member.post(submission.get_absolute_url(), {"contracts": "three", "revenue": "10", "save": "1",
                                                           **lock(submission)})
    assert b"&#x27;three&#x27; is not a whole number" in response.content

    # A bad spreadsheet: every problem with its row and column, and nothing stored.
    template = member.get(reverse("monitoring:round_template", args=[round.pk]))
    sheet = load_workbook(io.BytesIO(template.content))["Report"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][:4] == ("organisation_id", "organisation", "contracts", "revenue")
    assert [r[0] for r in rows[1:]] == [eco.lab.pk]  # the member's own row, its draft values filled in
    assert rows[1][2] == 3
    before = submission.versions.count()
    bad = workbook([[eco.lab.pk, "CIRI ICT", "many", "12,5", "Space", "2024-02-30", ""],
                    [eco.lab2.pk, "InterMech", 1, 2, "", "", ""]])
    response = upload(member, submission, "report.xlsx", bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "The spreadsheet was not saved: 4 problems." in text
    for expected in ("C (contracts)", "&#x27;many&#x27; is not a whole number", "E (sector)",
                     "&#x27;Space&#x27; is not one of the choices: ICT, Health", "F (since)",
                     f"organisation {eco.lab2.pk} has no report in this round that you may fill"):
        assert expected in text, expected
    submission.refresh_from_db()
    assert submission.values["contracts"] == 3 and submission.versions.count() == before
    # Reloading the page of problems goes back to the report.
    assert member.get(reverse("monitoring:submission_upload", args=[submission.pk]))["Location"] == \
        submission.get_absolute_url()

    # A good one (a decimal comma, as Italian spreadsheets write it, is read).
    good = workbook([[eco.lab.pk, "CIRI ICT", 4, "125000,50", "ict", "2019-05-01", "A large contract"]])
    response = upload(member, submission, "report.xlsx", good)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.values == {"contracts": 4, "revenue": "125000.5", "sector": "ICT", "since": "2019-05-01",
                                 "notes": "A large contract"}
    assert submission.versions.first().action == "uploaded"

    response = member.post(submission.get_absolute_url(), {**{k: v for k, v in submission.values.items()},
                                                           "submit": "1", **lock(submission)})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert member.post(submission.get_absolute_url(), {"contracts": "9", "save": "1"}).status_code == 403

    # The coordinator asks for a correction; the member sees the message, corrects, submits again.
    review = reverse("monitoring:submission_review", args=[submission.pk])
    assert member.post(review, {"action": "approve"}).status_code == 403
    assert coordinator.post(review, {"action": "request_changes", "message": ""}).status_code == 400
    coordinator.post(review, {"action": "request_changes", "message": "Revenue looks too high: VAT included?"})
    submission.refresh_from_db()
    assert submission.status == "changes_requested"
    assert "VAT included?" in member.get(submission.get_absolute_url()).content.decode()
    member.post(submission.get_absolute_url(), {**submission.values, "revenue": "102500.41", "submit": "1",
                                                **lock(submission)})
    submission.refresh_from_db()
    assert submission.status == "submitted"

    coordinator.post(review, {"action": "approve"})
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert not submission.editable

    # Every state is kept, with who and when; the report indicator now has the approved value.
    history = list(submission.versions.order_by("number").values_list("action", "status", "by__username"))
    assert [h[0] for h in history] == ["opened", "saved", "uploaded", "saved", "submitted", "changes_requested",
                                       "saved", "submitted", "approved"]
    assert history[5] == ("changes_requested", "changes_requested", "coordinator")
    assert submission.versions.get(action="uploaded").values["revenue"] == "125000.5"
    assert IndicatorValue.objects.get(indicator=revenue, region__code="ITH5", period="2025").value == \
        Decimal("102500.41")
    assert IndicatorValue.objects.get(indicator=revenue, region__code="ITH55", period="2025").source == "report"
    page = coordinator.get(submission.get_absolute_url()).content.decode()
    assert "Revenue looks too high" in page and "version 9" in page


def test_the_coordinator_sees_every_report_and_the_template_has_every_member(eco, as_user, open_round):
    coordinator = as_user(eco.coordinator)
    page = coordinator.get(open_round.get_absolute_url())
    assert b"CIRI ICT" in page.content and b"InterMech" in page.content
    sheet = load_workbook(io.BytesIO(coordinator.get(
        reverse("monitoring:round_template", args=[open_round.pk])).content))
    assert [r[0] for r in sheet["Report"].iter_rows(min_row=2, values_only=True) if r[0]] == sorted(
        [eco.lab.pk, eco.lab2.pk], key=lambda pk: {eco.lab.pk: "CIRI ICT", eco.lab2.pk: "InterMech"}[pk])
    assert sheet["Fields"]["A1"].value == "Annual report"
    assert sheet["Report"].data_validations.dataValidation  # Excel checks the cells as they are typed
    assert as_user(eco.member).get(reverse("monitoring:round_new")).status_code == 403
    assert as_user(eco.other).get(open_round.get_absolute_url()).status_code == 403
    assert as_user(eco.other).get(reverse("monitoring:rounds")).status_code == 200


def test_pages_ask_for_a_login(eco, client, open_round):
    submission = open_round.submissions.first()
    for url in (reverse("monitoring:rounds"), open_round.get_absolute_url(), submission.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_csv_upload(eco, open_round):
    submissions = {s.organisation_id: s for s in open_round.submissions.all()}
    csv = (f"organisation_id;organisation;contracts;revenue;sector;since;notes\n"
           f"{eco.lab.pk};CIRI ICT;2;1000.5;Health;31/12/2020;\n").encode()
    assert read_upload("report.csv", csv, open_round, submissions) == {
        eco.lab.pk: {"contracts": 2, "revenue": "1000.5", "sector": "Health", "since": "2020-12-31", "notes": None}}
    # Columns headed by the fields' labels are read too.
    by_label = (f"organisation_id,Research contracts with companies,Revenue from companies (EUR),Main sector,"
                f"Operating since,Notes\n{eco.lab.pk},3,7,,,\n").encode()
    assert read_upload("report.csv", by_label, open_round, submissions)[eco.lab.pk]["contracts"] == 3


@pytest.mark.parametrize("name, data, expected", [
    ("report.pdf", b"%PDF-1.4", "'.pdf' files are not accepted"),
    ("report.xlsx", b"this is text, not a workbook", "not an Excel workbook"),
    ("report.xlsx", b"PK\x03\x04 truncated", "the workbook cannot be read"),
    ("report.csv", b"", "the file is empty"),
    ("report.csv", "organisation_id,contracts\n1,\xe9\n".encode("latin-1"), "row 2: byte 0xe9 is not UTF-8"),
    ("report.csv", b"organisation_id,organisation,contracts,revenue,sector,since,notes,colour\n",
     "column colour: 'colour' is not a field of this round's form"),
    ("report.csv", b"organisation,contracts,revenue,sector,since,notes\n", "the column organisation_id is missing"),
    ("report.csv", b"organisation_id,organisation,revenue,sector,since,notes\n",
     "the column of the field contracts (Research contracts with companies) is missing"),
    ("report.csv", b"organisation_id,organisation,contracts,revenue,sector,since,notes\n",
     "there is no row of data under the header"),
])
def test_broken_uploads(eco, open_round, name, data, expected):
    submissions = {s.organisation_id: s for s in open_round.submissions.all()}
    with pytest.raises(UploadRejected) as caught:
        read_upload(name, data, open_round, submissions)
    assert expected in "; ".join(str(e) for e in caught.value.errors)


def test_upload_errors_name_sheet_row_and_column(eco, open_round):
    submissions = {s.organisation_id: s for s in open_round.submissions.all()}
    data = workbook([[eco.lab.pk, "", 1, 2, "", "", ""], [eco.lab.pk, "", 1, "x", "", "", ""],
                     ["abc", "", 1, 2, "", "", ""]])
    with pytest.raises(UploadRejected) as caught:
        read_upload("r.xlsx", data, open_round, submissions)
    assert [str(e) for e in caught.value.errors] == [
        f"r.xlsx, sheet Report, row 3, column A (organisation_id): organisation {eco.lab.pk} is also on row 2",
        ("r.xlsx, sheet Report, row 3, column D (revenue): 'x' is not a number (write it like 1234.56, without "
         "thousands separators)"),
        "r.xlsx, sheet Report, row 4, column A (organisation_id): 'abc' is not an organisation number of the template",
    ]
    wrong_sheet = workbook([[eco.lab.pk]], sheet="Sheet1")
    with pytest.raises(UploadRejected, match="no sheet 'Report'"):
        read_upload("r.xlsx", wrong_sheet, open_round, submissions)
    with pytest.raises(UploadRejected, match="at most 2 MB"):
        read_upload("r.csv", b"x" * (2 * 1024 * 1024 + 1), open_round, submissions)


def test_a_submitted_report_cannot_be_overwritten_by_an_upload(eco, open_round):
    submission = open_round.submissions.get(organisation=eco.lab)
    do_save_values(submission, {"contracts": 1, "revenue": "5"}, eco.member)
    do_submit(submission, eco.member)
    with pytest.raises(UploadRejected, match="is submitted: it cannot be changed now"):
        read_upload("r.xlsx", workbook([[eco.lab.pk, "", 2, 6, "", "", ""]]), open_round, {eco.lab.pk: submission})


def test_the_template_reads_back_unchanged(eco, open_round):
    submission = open_round.submissions.get(organisation=eco.lab)
    do_save_values(submission, {"contracts": 7, "revenue": "1234.56", "sector": "ICT", "since": "2018-01-31",
                                "notes": "ok"}, eco.member)
    data = build_template(open_round, [submission])
    assert read_upload("t.xlsx", data, open_round, {eco.lab.pk: submission}) == {eco.lab.pk: submission.values}


def test_review_rules(eco, open_round):
    submission = open_round.submissions.get(organisation=eco.lab)
    with pytest.raises(ValidationError, match="only a submitted report can be approved"):
        do_approve(submission, eco.coordinator)
    do_save_values(submission, {"contracts": 1, "revenue": "5"}, eco.member)
    do_submit(submission, eco.member)
    eco.member.email = "lab@example.org"
    eco.member.save()
    with pytest.raises(ValidationError, match="say what should be corrected"):
        do_request_changes(submission, eco.coordinator, "  ")
    do_request_changes(submission, eco.coordinator, "Please check the revenue")
    assert mail.outbox[-1].to == ["lab@example.org"] and "Please check the revenue" in mail.outbox[-1].body


@pytest.mark.parametrize("fields, problem", [
    ([], "the form has no field"),
    ([{"name": "Bad Name", "label": "x", "type": "int"}], "the name must start with a lower-case letter"),
    ([{"name": "a", "label": "x", "type": "int"}, {"name": "a", "label": "y", "type": "int"}], "used twice"),
    ([{"name": "a", "label": "", "type": "int"}], "the label is empty"),
    ([{"name": "a", "label": "x", "type": "money"}], "the type 'money' is not one of"),
    ([{"name": "a", "label": "x", "type": "choice"}], "needs its choices"),
])
def test_form_definitions_are_checked(fields, problem):
    with pytest.raises(ValidationError, match=problem):
        parse_form(fields)


def test_opening_checks_period_and_members(eco, round_fields):
    with pytest.raises(ValidationError) as caught:
        do_open_round("R", eco.lab, eco.coordinator, "2025-Q5", round_fields, date.today())
    assert "not a period" in str(caught.value) and "no current member" in str(caught.value)


def test_reminders(eco, open_round, capsys):
    eco.member.email = "lab@example.org"
    eco.member.save()
    deadline = open_round.deadline
    assert reminders_due(deadline - timedelta(days=9)) == []
    due = reminders_due(deadline - timedelta(days=6))
    assert [(r.submission.organisation.name, r.kind, r.recipients) for r in due] == [
        ("CIRI ICT", "7d", ("lab@example.org",)), ("InterMech", "7d", ())]
    sent = send_reminders(deadline - timedelta(days=6))
    assert len(sent) == 2 and len(mail.outbox) == 1 and "is due on" in mail.outbox[0].subject
    assert reminders_due(deadline - timedelta(days=5)) == []  # not twice
    # The 1-day reminder, then one overdue notice; a submitted report gets none.
    lab2 = open_round.submissions.get(organisation=eco.lab2)
    do_save_values(lab2, {"contracts": 1, "revenue": "2"}, eco.coordinator)
    do_submit(lab2, eco.coordinator)
    assert [r.kind for r in send_reminders(deadline)] == ["1d"]
    assert [r.kind for r in send_reminders(deadline + timedelta(days=3))] == ["overdue"]
    assert send_reminders(deadline + timedelta(days=4)) == []
    assert ReportSubmission.objects.get(pk=lab2.pk).reminders.count() == 1


def test_reminders_go_to_the_console_unless_configured(settings, monkeypatch):
    from ris3hub.monitoring import reporting
    from ris3hub.monitoring.reporting import CONSOLE_BACKEND, mail_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # Django's default
    monkeypatch.setattr(reporting.settings, "is_overridden", lambda name: False)  # ... not set in the settings
    assert f"{type(mail_connection()).__module__}.{type(mail_connection()).__name__}" == CONSOLE_BACKEND


def test_two_tabs_never_overwrite_each_other(eco, as_user, open_round):
    """Two people acting for the laboratory open its draft; the second save is refused, the first kept."""
    submission = open_round.submissions.get(organisation=eco.lab)
    colleague = get_user_model().objects.create_user("colleague", "colleague@example.org", "pw-colleague-1")
    grant(colleague, Role.EDITOR, eco.lab)
    first, second = as_user(eco.member), as_user(colleague)
    seen = lock(submission)  # both pages were loaded now
    assert first.post(submission.get_absolute_url(), {"contracts": "5", "save": "1", **seen}).status_code == 302
    history = submission.versions.count()
    stale = second.post(submission.get_absolute_url(), {"contracts": "7", "save": "1", **seen})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "while you were editing" in page and "your changes were not saved" in page
    submission.refresh_from_db()
    assert submission.values["contracts"] == 5
    assert submission.versions.count() == history
    # Reloaded, the colleague saves on top of the current draft.
    assert second.post(submission.get_absolute_url(), {"contracts": "7", "save": "1",
                                                       **lock(submission)}).status_code == 302
    submission.refresh_from_db()
    assert submission.values["contracts"] == 7
