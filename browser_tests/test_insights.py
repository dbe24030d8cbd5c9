"""Insights in a real Chromium: a manager reads each page, filters them, plans a recognition for a
mentor who needs attention, and downloads the annual report as a PDF."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from laurier.core.dates import fiscal_year_of, organisation_today
from laurier.insights.tests.builders import give_feedback
from laurier.testing import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def recognised_program(organisation, program, manager_user):
    """A program of six mentors in two departments over two cycles: three were recognised last
    cycle, one of them rated it poorly; one mentor was never recognised. The manager reads
    Laurier in French."""
    manager_user.language = "fr-ca"
    manager_user.save(update_fields=["language"])
    today = organisation_today(organisation)
    last_cycle = factories.CycleFactory(
        program=program,
        name="Cohorte passée",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=60),
    )
    this_cycle = factories.CycleFactory(
        program=program,
        name="Cohorte actuelle",
        starts_on=today - datetime.timedelta(days=59),
        ends_on=today + datetime.timedelta(days=300),
    )
    option = factories.RecognitionOptionFactory(
        organisation=organisation, name_fr="Carte manuscrite", name_en="Handwritten card"
    )
    mentors = []
    for number, (first, last, department) in enumerate(
        [
            ("Awa", "Diallo", "Finances"),
            ("Benoît", "Roy", "Finances"),
            ("Chloé", "Gagnon", "Opérations"),
            ("Denis", "Fortin", "Opérations"),
            ("Élise", "Caron", "Finances"),
            ("Farid", "Haddad", "Opérations"),
        ]
    ):
        person = factories.PersonFactory(
            organisation=organisation, first_name=first, last_name=last, department=department
        )
        factories.MentorEnrolmentFactory(
            program=program, person=person, since=today - datetime.timedelta(days=500)
        )
        for cycle in (last_cycle, this_cycle):
            mentee = factories.PersonFactory(organisation=organisation)
            pairing = factories.PairingFactory(
                program=program,
                cycle=cycle,
                mentor=person,
                mentee=mentee,
                starts_on=cycle.starts_on,
            )
            factories.MentoringSessionFactory(
                pairing=pairing,
                held_on=max(cycle.starts_on, today - datetime.timedelta(days=20 + number)),
            )
        mentors.append(person)
    for person, satisfaction in zip(mentors[:3], (5, 4, 1), strict=True):
        award = factories.AwardFactory(
            program=program,
            mentor=person,
            option=option,
            planned_on=today - datetime.timedelta(days=120),
        )
        give_feedback(award, satisfaction=satisfaction, relevance=satisfaction, expectations="yes")
    return program, mentors


def insights_url(name, organisation, **query):
    url = reverse(name, args=[organisation.slug])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_a_manager_reads_each_insights_page_filters_it_and_plans_a_recognition(
    page, log_in_as, organisation, manager_user, recognised_program
):
    program, mentors = recognised_program
    log_in_as(manager_user)
    # From the menu, like anyone would.
    page.goto("/")
    page.locator(f"a[href='{reverse('insights:health', args=[organisation.slug])}']").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Santé du programme"
    # The only program this manager runs is chosen for them; its charts are drawn, with a table.
    assert page.locator("#id_program").input_value() == program.slug
    coverage = page.locator("canvas[data-chart]").first
    assert coverage.bounding_box()["height"] > 100
    page.locator("figure.insights-chart summary").first.click()
    assert page.locator("figure.insights-chart table").first.is_visible()
    coverage_text = page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "3 mentors actifs sur 6 (50 %) ont été reconnus au cours des 12 derniers mois" in (
        coverage_text
    )

    # Filtered by department: the figures and the heading follow.
    page.select_option("#id_department", "Opérations")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert "department=Op" in page.url
    assert "Opérations" in page.locator("hgroup").inner_text()

    # Each tab keeps the filters.
    for tab, heading in (
        ("Effets", "Effets de la reconnaissance"),
        ("Moments et donneurs", "Moments et donneurs"),
        ("Mentors à qui porter attention", "Mentors à qui porter attention"),
    ):
        page.locator("nav.insights-tabs").get_by_role("link", name=tab).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == heading
        assert "department=Op" in page.url

    # Chloé (Opérations) rated her recognition 1 out of 5: she is listed, with a way to act.
    chloe = page.locator("tr", has_text="Chloé Gagnon")
    assert "Carte manuscrite\xa0» une note de 1 sur 5" in chloe.inner_text()
    with page.expect_navigation():
        chloe.get_by_role("link", name=re.compile("Planifier une reconnaissance")).click()
    assert page.url.endswith(f"?mentor={mentors[2].pk}")
    assert "Chloé Gagnon" in page.locator("main").inner_text()


def test_a_manager_downloads_the_annual_report_as_a_pdf(
    page, log_in_as, organisation, manager_user, recognised_program
):
    import pypdf
    import pypdfium2

    program, _mentors = recognised_program
    today = organisation_today(organisation)
    year = fiscal_year_of(organisation, today)
    log_in_as(manager_user)
    page.goto(insights_url("insights:reports", organisation))
    page.select_option("#id_program", program.slug)
    page.select_option("#id_fiscal_year", str(year))
    page.select_option("#id_language", "en")
    with page.expect_navigation():
        page.get_by_role("button", name="Préparer le rapport").click()
    # Tests run tasks at once: the report is ready when the page comes back.
    link = page.locator("a[href$='/pdf/']").first
    with page.expect_download() as download:
        link.click()
    pdf = download.value.path().read_bytes()
    assert download.value.suggested_filename == f"recognition-report-releve-{year}-{year + 1}.pdf"

    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert f"Relève\nFiscal year {year}–{year + 1}" in text
    assert "Executive summary" in text and "Mentors who need attention" in text
    assert "3 of 6 active mentors (50%) were recognised in the last 12 months." in text

    # The cover, rendered to PNG: a Letter page, not blank.
    from PIL import Image

    png = io.BytesIO()
    pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().save(png, format="PNG")
    image = Image.open(io.BytesIO(png.getvalue()))
    assert image.format == "PNG" and image.size == (612, 792)
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 100 and lightest > 200
