"""Annual reports: asked once per form, built by the task with the report's language, kept as a
PDF and a spreadsheet, shown and served only to the members who may see them.

The sections come from the insights selectors; here a small fake section stands in for them,
with figures computed from the scope the task builds (so the scope, the language and the fiscal
year the task uses are checked too). PDFs are slow to render: only the tests about the PDF
render one; the others replace WeasyPrint with a stub.
"""

import datetime
import io
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from laurier.insights import reports, services
from laurier.insights.models import AnnualReport
from laurier.insights.report_sections import Section, Table
from laurier.organisations.models import Role
from laurier.testing import factories

# The real sections, from the insights selectors (the tests below use a fake by default).
REAL_SECTION_BUILDERS = reports.section_builders
TODAY = datetime.date(2026, 11, 25)
FISCAL_YEAR = 2026  # 1 April 2026 to 31 March 2027 (the organisation's year starts in April)


def fake_sections(scope):
    """One section, in the active language, counting the recognitions given in the period."""
    french = translation.get_language().startswith("fr")
    given = scope.given_in_period().count()
    title = "Reconnaissances de l'année" if french else "Recognitions of the year"
    return [
        Section(
            key="health",
            title=title,
            summary=[
                f"{given} reconnaissances données." if french else f"{given} recognitions given.",
                "Deuxième phrase." if french else "Second sentence.",
                "Troisième phrase." if french else "Third sentence.",
            ],
            charts=[
                {
                    "type": "bar",
                    "labels": ["Avril", "Mai"] if french else ["April", "May"],
                    "datasets": [{"label": "Reconnaissances", "data": [given, 1]}],
                    "horizontal": False,
                    "stacked": False,
                    "percent": False,
                    "title": "Par mois" if french else "By month",
                }
            ],
            tables=[
                Table(
                    title="Détail" if french else "Details",
                    headers=["Mois", "Nombre", "Coût", "Premier jour"],
                    rows=[
                        ["Avril", given, Decimal("1234.50"), datetime.date(2026, 4, 1)],
                        ["=Mai", None, Decimal("0"), None],
                    ],
                )
            ],
        )
    ]


@pytest.fixture(autouse=True)
def _media_and_sections(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(reports, "section_builders", lambda: [fake_sections])


@pytest.fixture
def no_pdf_rendering(monkeypatch):
    monkeypatch.setattr(reports, "render_pdf", lambda html: b"%PDF-1.7 stub")


@pytest.fixture
def awards(program):
    """Three recognitions in fiscal year 2026, one the year before (not counted)."""
    for day in (datetime.date(2026, 4, 1), datetime.date(2026, 9, 15), datetime.date(2027, 3, 31)):
        factories.AwardFactory(program=program, planned_on=day)
    factories.AwardFactory(program=program, planned_on=datetime.date(2026, 3, 31))


def ask(membership_user, organisation, program, language="fr-ca", **kwargs):
    membership = membership_user.memberships.get(organisation=organisation)
    return services.request_report(
        membership,
        actor=membership_user,
        program=program,
        fiscal_year=kwargs.pop("fiscal_year", FISCAL_YEAR),
        language=language,
        today=TODAY,
        **kwargs,
    )


def built(user, organisation, program, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(user, organisation, program, language)
    report.refresh_from_db()
    return report


def pdf_text(report):
    from pypdf import PdfReader

    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


# --- The PDF (the only tests that render one) -------------------------------------------------


def test_pdf_in_french_has_its_title_sections_and_figures(
    organisation, program, admin_user, awards, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, program, "fr-ca", django_capture_on_commit_callbacks)

    assert report.status == AnnualReport.Status.READY
    reader, text = pdf_text(report)
    with translation.override("fr-ca"):
        title = gettext("Annual recognition report")
        summary = gettext("Executive summary")
    assert reader.metadata.title.startswith(title)
    assert title in text
    assert summary in text
    assert "Hydro Laurentides" in text
    assert "Relève" in text
    assert "2026–2027" in text
    assert "1er avril 2026" in text  # the fiscal year's first day, written in French
    assert "Reconnaissances de l'année" in text
    assert "3 reconnaissances données." in text
    assert "1 234,50" in text
    # The executive summary repeats each section's first two sentences, not the third.
    assert text.count("Deuxième phrase.") == 2
    assert text.count("Troisième phrase.") == 1


def test_pdf_in_english_is_written_in_english(
    organisation, program, admin_user, awards, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, program, "en", django_capture_on_commit_callbacks)

    reader, text = pdf_text(report)
    assert reader.metadata.title.startswith("Annual recognition report")
    assert "Executive summary" in text
    assert "Fiscal year 2026–2027" in text
    assert "April 1, 2026" in text or "1 April 2026" in text
    assert "Recognitions of the year" in text
    assert "3 recognitions given." in text
    assert "1,234.50" in text
    assert "Page 2 / " in text
    # Letter for a Canadian organisation: 8.5 × 11 inches.
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [612, 792]


def test_the_insights_sections_make_a_report(
    organisation, program, admin_user, awards, monkeypatch, django_capture_on_commit_callbacks
):
    for name in reports.SECTION_MODULES:
        pytest.importorskip(f"laurier.insights.selectors.{name}")
    monkeypatch.setattr(reports, "section_builders", REAL_SECTION_BUILDERS)
    factories.MentorEnrolmentFactory(program=program)

    report = built(admin_user, organisation, program, "en", django_capture_on_commit_callbacks)

    assert report.status == AnnualReport.Status.READY, report.error
    _reader, text = pdf_text(report)
    sheets = read_xlsx(report).sheetnames
    assert len(sheets) > len(reports.SECTION_MODULES)
    for sheet in sheets[1:]:
        assert sheet.split(" (")[0][:20] in text


# --- The spreadsheet -----------------------------------------------------------------------------


def read_xlsx(report):
    from openpyxl import load_workbook

    with report.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def test_spreadsheet_has_a_summary_sheet_then_one_sheet_per_section(
    organisation, program, admin_user, awards, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, program, "en", django_capture_on_commit_callbacks)

    workbook = read_xlsx(report)
    assert workbook.sheetnames == ["Summary", "Recognitions of the year"]
    summary = [row[0] for row in workbook["Summary"].iter_rows(values_only=True)]
    assert summary[:3] == ["Annual recognition report", "Hydro Laurentides", "Relève"]
    assert "3 recognitions given." in summary
    assert "Third sentence." not in summary
    assert "About these figures" in summary


def test_a_report_of_the_year_in_progress_says_its_figures_stop_today(
    organisation, program, admin_user, no_pdf_rendering
):
    current = ask(admin_user, organisation, program, language="en")
    past = ask(admin_user, organisation, program, language="en", fiscal_year=FISCAL_YEAR - 1)

    with translation.override("en"):
        assert reports.cover_of(current, TODAY).partial == (
            "The fiscal year is not over: the figures go up to November 25, 2026."
        )
        assert reports.cover_of(past, TODAY).partial == ""


def test_spreadsheet_keeps_numbers_as_numbers_dates_as_dates_and_headers_bold(
    organisation, program, admin_user, awards, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, program, "en", django_capture_on_commit_callbacks)

    sheet = read_xlsx(report)["Recognitions of the year"]
    rows = list(sheet.iter_rows())
    header_row = next(row for row in rows if row[0].value == "Mois")
    assert all(cell.font.bold for cell in header_row)
    figures = next(row for row in rows if row[0].value == "Avril")
    assert figures[1].value == 3
    assert figures[2].value == 1234.5
    assert figures[3].value == datetime.datetime(2026, 4, 1)
    assert figures[3].is_date
    # Typed text never becomes a formula.
    assert any(row[0].value == "'=Mai" for row in rows)


def test_files_are_named_in_the_report_language(
    organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    french = built(admin_user, organisation, program, "fr-ca", django_capture_on_commit_callbacks)
    english = built(admin_user, organisation, program, "en", django_capture_on_commit_callbacks)

    assert reports.report_filename(french, "pdf") == "rapport-reconnaissance-releve-2026-2027.pdf"
    assert reports.report_filename(english, "xlsx") == "recognition-report-releve-2026-2027.xlsx"


def test_organisation_wide_report_is_named_after_the_organisation(
    organisation, admin_user, program, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, None, "en", django_capture_on_commit_callbacks)

    assert report.status == AnnualReport.Status.READY
    assert reports.report_filename(report, "pdf") == "recognition-report-hydro-2026-2027.pdf"


def test_sheet_names_are_valid_for_excel_and_distinct():
    names = reports.sheet_names(
        ["Summary", "Who: gives/what?", "x" * 40, "summary", "Recognition and the engagement pulse"]
    )

    assert names[1] == "Who giveswhat"
    assert len(names[2]) == 31
    assert names[3] == "summary (2)"
    assert names[4] == "Recognition and the engagement…"


# --- The task: progress, failure --------------------------------------------------------------


def test_progress_grows_after_each_selectors_module(
    organisation, program, admin_user, monkeypatch, no_pdf_rendering
):
    seen = []

    def first(scope):
        return []

    def second(scope):
        seen.append(AnnualReport.objects.get().progress)
        return []

    monkeypatch.setattr(reports, "section_builders", lambda: [first, second])
    report = ask(admin_user, organisation, program)  # not committed: built below

    services.build_report(report.pk, today=TODAY)

    assert seen == [pytest.approx(services.SECTIONS_SHARE / 2)]
    report.refresh_from_db()
    assert (report.status, report.progress) == (AnnualReport.Status.READY, 1)
    assert report.finished_at is not None


def test_a_failure_marks_the_report_failed_logs_it_and_keeps_no_file(
    organisation, program, admin_user, monkeypatch, caplog, tmp_path
):
    def broken(scope):
        raise ZeroDivisionError("no mentors")

    monkeypatch.setattr(reports, "section_builders", lambda: [broken])
    report = ask(admin_user, organisation, program)

    with caplog.at_level(logging.ERROR, logger="laurier.insights.services"):
        report = services.build_report(report.pk, today=TODAY)

    assert report.status == AnnualReport.Status.FAILED
    assert "ZeroDivisionError" in report.error
    assert not report.pdf and not report.xlsx
    assert "Annual report" in caplog.text
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_failing_spreadsheet_deletes_nothing_but_keeps_no_pdf(
    organisation, program, admin_user, monkeypatch, no_pdf_rendering, tmp_path
):
    def broken(*args):
        raise ValueError("openpyxl")

    monkeypatch.setattr(reports, "report_xlsx", broken)
    report = ask(admin_user, organisation, program)

    report = services.build_report(report.pk, today=TODAY)

    assert report.status == AnnualReport.Status.FAILED
    assert not list(tmp_path.rglob("*.*"))


def test_a_report_not_queued_is_left_alone(organisation, program, admin_user, no_pdf_rendering):
    report = ask(admin_user, organisation, program)
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.READY)

    assert services.build_report(report.pk, today=TODAY) is None


# --- Asking ---------------------------------------------------------------------------------------


def test_asking_queues_the_report_and_builds_it_after_commit(
    organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = ask(admin_user, organisation, program)

    assert report.status == AnnualReport.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.READY


def test_the_same_form_sent_twice_makes_one_report(
    organisation, program, admin_user, no_pdf_rendering
):
    first = ask(admin_user, organisation, program, request_key="token-1")
    second = ask(admin_user, organisation, program, request_key="token-1")

    assert first.pk == second.pk
    assert AnnualReport.objects.count() == 1


def test_a_manager_cannot_ask_for_the_whole_organisation(organisation, program, manager_user):
    with pytest.raises(services.PermissionDenied):
        ask(manager_user, organisation, None)


def test_a_manager_cannot_ask_for_a_program_they_do_not_manage(organisation, program, manager_user):
    other = factories.ProgramFactory(organisation=organisation)

    with pytest.raises(services.PermissionDenied):
        ask(manager_user, organisation, other)


def test_a_fiscal_year_still_to_come_is_refused(organisation, program, admin_user):
    with pytest.raises(services.ValidationError) as refused:
        ask(admin_user, organisation, program, fiscal_year=FISCAL_YEAR + 1)

    assert "fiscal_year" in refused.value.error_dict


def test_a_report_silent_for_ten_minutes_has_stopped(organisation, program, admin_user):
    report = ask(admin_user, organisation, program)
    now = report.progress_at

    assert not services.is_stale(report, now=now + datetime.timedelta(minutes=9))
    assert services.is_stale(report, now=now + datetime.timedelta(minutes=11))


def test_a_stopped_report_can_be_asked_again_once(
    organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = ask(admin_user, organisation, program)
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.RUNNING,
        progress=0.5,
        progress_at=report.progress_at - datetime.timedelta(minutes=11),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.ask_again(report)
    assert not services.ask_again(report)  # ready now: nothing to start again
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.READY


def test_a_report_making_progress_is_not_started_twice(organisation, program, admin_user):
    report = ask(admin_user, organisation, program)

    assert not services.ask_again(report)


# --- Pages ---------------------------------------------------------------------------------------


def reports_url(organisation):
    return reverse("insights:reports", args=[organisation.slug])


def progress_url(report):
    return reverse("insights:report_progress", args=[report.organisation.slug, report.pk])


def download_url(report, file_format):
    return reverse(
        "insights:report_download", args=[report.organisation.slug, report.pk, file_format]
    )


def make_report(program, organisation, **fields):
    return AnnualReport.objects.create(
        organisation=organisation,
        program=program,
        fiscal_year=FISCAL_YEAR,
        language="en",
        status=fields.pop("status", AnnualReport.Status.READY),
        **fields,
    )


def test_the_page_offers_a_form_and_lists_the_reports(login, organisation, program, admin_user):
    make_report(program, organisation, requested_by=admin_user)

    with translation.override("en"):
        response = login(admin_user).get(reports_url(organisation))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Prepare the report" in html
    assert 'value="organisation"' in html  # an admin may ask for the whole organisation
    assert "Relève" in html
    assert "2026–2027" in html
    assert html.count("<h1") == 1


def test_an_empty_list_says_what_to_do(login, organisation, program, admin_user):
    with translation.override("en"):
        response = login(admin_user).get(reports_url(organisation))

    assert "No report has been prepared yet" in response.content.decode()


def test_a_manager_sees_only_reports_of_their_programs(login, organisation, program, manager_user):
    other = factories.ProgramFactory(organisation=organisation, name="Autre programme")
    make_report(program, organisation)
    make_report(other, organisation)
    make_report(None, organisation)

    with translation.override("en"):
        response = login(manager_user).get(reports_url(organisation))

    rows = response.context["rows"]
    assert [row["report"].program for row in rows] == [program]
    assert 'value="organisation"' not in response.content.decode()


def test_posting_the_form_asks_for_the_report_once(
    login, organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    data = {
        "program": program.slug,
        "fiscal_year": services.reportable_years(organisation)[0],
        "language": "en",
        "form_token": "abc",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reports_url(organisation), data)
        client.post(reports_url(organisation), data)

    assert first.status_code == 302
    report = AnnualReport.objects.get()
    assert (report.program, report.language, report.requested_by) == (program, "en", admin_user)
    assert report.status == AnnualReport.Status.READY


def test_a_manager_posting_for_the_whole_organisation_is_refused(
    login, organisation, program, manager_user
):
    data = {
        "program": "organisation",
        "fiscal_year": services.reportable_years(organisation)[0],
        "language": "en",
    }

    response = login(manager_user).post(reports_url(organisation), data)

    assert response.status_code == 200  # the form says the choice is not offered
    assert not AnnualReport.objects.exists()


def test_the_form_offers_the_members_language(login, organisation, program, admin_user):
    admin_user.language = "fr-ca"
    admin_user.save()

    response = login(admin_user).get(reports_url(organisation))

    assert response.context["request_form"]["language"].value() == "fr-ca"


def test_a_report_in_progress_shows_a_polled_progress_bar(login, organisation, program, admin_user):
    report = make_report(
        program,
        organisation,
        status=AnnualReport.Status.RUNNING,
        progress=0.35,
        progress_step=services.Step.SECTIONS,
        progress_at=datetime.datetime.now(datetime.UTC),
    )

    with translation.override("en"):
        response = login(admin_user).get(progress_url(report))

    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="35"' in html
    assert "Computing the figures" in html


def test_a_stopped_report_says_so_and_offers_to_ask_again(login, organisation, program, admin_user):
    report = make_report(
        program,
        organisation,
        status=AnnualReport.Status.RUNNING,
        progress_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=11),
    )

    with translation.override("en"):
        html = login(admin_user).get(progress_url(report)).content.decode()

    assert "hx-trigger" not in html
    assert "stopped before it was finished" in html
    assert 'name="ask_again"' in html


def test_asking_again_from_the_page_restarts_a_failed_report(
    login, organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = make_report(program, organisation, status=AnnualReport.Status.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_user).post(
            reports_url(organisation), {"ask_again": "1", "report": report.pk}
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.READY


def test_a_failed_report_says_so_in_the_list(login, organisation, program, admin_user):
    make_report(program, organisation, status=AnnualReport.Status.FAILED, error="Boom")

    with translation.override("en"):
        html = login(admin_user).get(reports_url(organisation)).content.decode()

    assert "could not be prepared" in html
    assert "Boom" not in html


def test_a_finished_report_reloads_the_page_when_polled(login, organisation, program, admin_user):
    report = make_report(program, organisation)

    response = login(admin_user).get(progress_url(report), HTTP_HX_REQUEST="true")

    assert response.headers["HX-Refresh"] == "true"


def test_downloads_have_their_content_type_and_file_name(
    login, organisation, program, admin_user, no_pdf_rendering, django_capture_on_commit_callbacks
):
    report = built(admin_user, organisation, program, "fr-ca", django_capture_on_commit_callbacks)
    client = login(admin_user)

    pdf = client.get(download_url(report, "pdf"))
    xlsx = client.get(download_url(report, "xlsx"))

    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="rapport-reconnaissance-releve-2026-2027.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert xlsx["Content-Type"] == reports.XLSX_CONTENT_TYPE
    assert "rapport-reconnaissance-releve-2026-2027.xlsx" in xlsx["Content-Disposition"]


def test_a_report_not_ready_has_nothing_to_download(login, organisation, program, admin_user):
    report = make_report(program, organisation, status=AnnualReport.Status.RUNNING)

    assert login(admin_user).get(download_url(report, "pdf")).status_code == 404


def test_an_unknown_format_is_404(login, organisation, program, admin_user):
    report = make_report(program, organisation)

    assert login(admin_user).get(download_url(report, "docx")).status_code == 404


def test_another_organisations_report_is_404(
    login, organisation, other_organisation, program, other_admin_user
):
    report = make_report(program, organisation)
    client = login(other_admin_user)

    assert client.get(download_url(report, "pdf").replace("/hydro/", "/other/")).status_code == 404
    assert client.get(progress_url(report).replace("/hydro/", "/other/")).status_code == 404


def test_a_manager_cannot_reach_another_programs_or_the_organisations_report(
    login, organisation, program, manager_user
):
    other = make_report(factories.ProgramFactory(organisation=organisation), organisation)
    whole = make_report(None, organisation)
    client = login(manager_user)

    for report in (other, whole):
        assert client.get(download_url(report, "pdf")).status_code == 404
        assert client.get(progress_url(report)).status_code == 404


def test_mentors_cannot_open_the_reports_page(login, organisation, mentor_user):
    assert login(mentor_user).get(reports_url(organisation)).status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_page_makes_a_constant_number_of_queries(
    login, organisation, program, admin_user, count, django_assert_max_num_queries
):
    requester = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=requester, role=Role.ADMIN)
    for _ in range(count):
        make_report(program, organisation, requested_by=requester)
        make_report(None, organisation, status=AnnualReport.Status.QUEUED)
    client = login(admin_user)

    with django_assert_max_num_queries(8):
        response = client.get(reports_url(organisation))

    assert len(response.context["rows"]) == 2 * count
