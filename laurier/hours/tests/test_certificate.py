"""The training-hours certificate: a PDF per person and year that HR can count as training.

It attests the year's hours as mentor and as mentee (with the sessions) and the
professional-development activities attended, in the person's language or the other one.
"""

import datetime
import io
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from laurier.hours import selectors
from laurier.hours.certificates import certificate_html
from laurier.organisations.models import Role
from laurier.testing import factories

from .helpers import attended, event

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TORONTO)


def session(pairing, day, minutes):
    return factories.MentoringSessionFactory(pairing=pairing, held_on=day, duration_minutes=minutes)


def certificate_url(person, year=2025, organisation="hydro"):
    return reverse("hours:certificate", args=[organisation, person.pk, year])


def my_certificate_url(year=2025):
    return reverse("hours:my_certificate", args=["hydro", year])


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Words may be cut across lines: compare on single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def jeanne(mentor_person):
    mentor_person.first_name, mentor_person.last_name = "Jeanne", "Tremblay"
    mentor_person.job_title, mentor_person.department = "Analyste", "Finances"
    mentor_person.save()
    return mentor_person


@pytest.fixture
def year_2025(program, pairing, jeanne):
    """Jeanne's 2025: two sessions as mentor (2 h), one as mentee (45 min), a workshop (3 h).

    Around them, what must not count: a gala she attended, a seminar that was cancelled, a
    conference she missed, a workshop of 2024 and a session of 2026."""
    session(pairing, datetime.date(2025, 3, 1), 90)
    session(pairing, datetime.date(2025, 4, 1), 30)
    as_mentee = factories.PairingFactory(
        program=program, mentee=jeanne, starts_on=datetime.date(2024, 1, 1)
    )
    session(as_mentee, datetime.date(2025, 6, 2), 45)
    session(pairing, datetime.date(2026, 1, 3), 60)
    workshop = event(
        program,
        starts_at=at(2025, 5, 10),
        hours="3",
        name_fr="Atelier sur l'écoute active",
        name_en="Active listening workshop",
    )
    attended(workshop, jeanne, pairing.mentee)
    attended(event(program, kind="gala", starts_at=at(2025, 11, 20), name_en="Gala"), jeanne)
    attended(
        event(program, kind="seminar", starts_at=at(2025, 7, 1), cancelled=True, name_en="Off"),
        jeanne,
    )
    attended(event(program, kind="conference", starts_at=at(2025, 9, 1)), jeanne, came=False)
    attended(event(program, starts_at=at(2024, 10, 1), name_en="Old workshop"), jeanne)
    return pairing


# The figures


def test_the_figures_count_the_year_only_sessions_and_training(year_2025, jeanne):
    certificate = selectors.training_certificate(jeanne, 2025)
    assert (certificate.mentor_minutes, certificate.mentor_sessions) == (120, 2)
    assert (certificate.mentee_minutes, certificate.mentee_sessions) == (45, 1)
    assert [a.event.name_en for a in certificate.attendances] == ["Active listening workshop"]
    assert (certificate.training_minutes, certificate.total_minutes) == (180, 345)


def test_the_programs_of_the_year_are_named(organisation, year_2025, jeanne):
    elsewhere = factories.ProgramFactory(organisation=organisation, name="Cap Leadership")
    attended(event(elsewhere, starts_at=at(2025, 2, 1)), jeanne)
    certificate = selectors.training_certificate(jeanne, 2025)
    assert [program.name for program in certificate.programs] == ["Cap Leadership", "Relève"]


def test_a_year_without_anything_has_no_hours(year_2025, jeanne):
    assert not selectors.training_certificate(jeanne, 2023).has_hours


def test_the_figures_match_the_training_hours_page(organisation, year_2025, jeanne):
    listed = {p.pk: p for p in selectors.training_hours(organisation, 2025)}[jeanne.pk]
    certificate = selectors.training_certificate(jeanne, 2025)
    assert listed.total_minutes == certificate.total_minutes
    assert listed.training_minutes == certificate.training_minutes


def test_a_certificate_of_the_year_under_way_covers_it_up_to_the_day_issued(year_2025, jeanne):
    certificate = selectors.training_certificate(jeanne, 2025)
    html = certificate_html(certificate, "en", issued_on=datetime.date(2025, 8, 14))
    assert "from January 1, 2025 to August 14, 2025" in html


# The PDF, read back


def test_the_mentor_downloads_their_certificate_in_french(login, mentor_user, year_2025):
    response = login(mentor_user).get(my_certificate_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="attestation-heures-formation-2025-jeanne-tremblay.pdf"'
    )
    text = pdf_text(response)
    assert "Jeanne Tremblay" in text
    assert "Hydro Laurentides" in text
    assert "2025" in text
    assert "5,8" in text  # hours in total, written the French way
    assert "2,0" in text and "0,8" in text and "3,0" in text
    assert "Atelier sur l'écoute active" in text
    assert "10 mai 2025" in text
    assert "1er janvier 2025" in text
    assert "Relève" in text
    for not_counted in ("Gala", "Off", "Old workshop"):
        assert not_counted not in text


def test_the_other_language_is_one_link_away(login, mentor_user, year_2025):
    response = login(mentor_user).get(my_certificate_url(), {"lang": "en"})
    text = pdf_text(response)
    assert response["Content-Disposition"].endswith('training-hours-2025-jeanne-tremblay.pdf"')
    assert "Training-hours certificate" in text
    assert "This certificate attests that" in text
    assert "Jeanne Tremblay" in text
    assert "5.8 hours" in text
    assert "Active listening workshop" in text
    assert "May 10, 2025" in text
    assert "2 sessions" in text and "1 session" in text and "1 activity" in text


def test_the_pdf_is_tagged_for_screen_readers(login, mentor_user, year_2025):
    reader = PdfReader(io.BytesIO(login(mentor_user).get(my_certificate_url()).content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_an_english_speaking_mentee_gets_it_in_english(
    login, mentee_user, mentee_person, year_2025
):
    mentee_person.language = "en"
    mentee_person.save()
    text = pdf_text(login(mentee_user).get(my_certificate_url()))
    assert "Mentoring, as mentee" in text
    assert "Mentoring, as mentor" not in text
    assert "5.0" in text  # two hours as mentee and the three-hour workshop


def test_an_unknown_language_falls_back_to_the_persons(login, mentor_user, year_2025):
    text = pdf_text(login(mentor_user).get(my_certificate_url(), {"lang": "klingon"}))
    assert "5,8" in text


def test_the_certificate_states_how_hours_are_counted_and_who_issues_it(
    login, admin_user, year_2025, jeanne
):
    admin_user.language = "en"
    admin_user.save()
    text = pdf_text(login(admin_user).get(certificate_url(jeanne), {"lang": "en"}))
    assert "recorded in Laurier" in text
    assert "counts for the mentor and for the mentee" in text
    assert "Issued on" in text
    assert "Mentoring program management" in text
    assert f"HYDRO-2025-{jeanne.pk:06d}" in text


def busy_mentor_year(organisation, jeanne):
    """A year with six programs, 48 sessions as mentor, one as mentee, 30 activities of long
    names and a session awaiting confirmation: more than a page can list."""
    for number in range(6):
        program = factories.ProgramFactory(
            organisation=organisation, name=f"Programme de mentorat numéro {number}"
        )
        pairing = factories.PairingFactory(
            program=program, mentor=jeanne, starts_on=datetime.date(2024, 1, 1)
        )
        for day in range(1, 9):
            session(pairing, datetime.date(2025, 1 + number, day), 60)
        for day in range(5):
            attended(
                event(
                    program,
                    starts_at=at(2025, 1 + number, 10 + day),
                    hours="4",
                    name_fr=f"Atelier : une rétroaction qui fait grandir, séance {day}",
                    name_en=f"Workshop: feedback that helps people grow, part {day}",
                ),
                jeanne,
            )
    from laurier.hours.models import LoggedBy

    as_mentee = factories.PairingFactory(
        program=program, mentee=jeanne, starts_on=datetime.date(2024, 1, 1)
    )
    session(as_mentee, datetime.date(2025, 10, 1), 60)
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 9, 1), logged_by=LoggedBy.MENTOR
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_busy_year_holds_on_one_page(login, mentor_user, organisation, jeanne, lang):
    busy_mentor_year(organisation, jeanne)
    response = login(mentor_user).get(my_certificate_url(), {"lang": lang})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = pdf_text(response)
    # 48 hours as mentor, 1 as mentee and 120 of activities: the total stays exact.
    assert ("169,0" if lang == "fr" else "169.0") in text
    if lang == "en":
        assert "and 3 others" in text
        assert "And 26 other activities" in text
    assert "/c/" in text  # the QR code's address, with the signature block, on the same page


def test_the_first_page_renders_to_an_image(login, mentor_user, year_2025):
    import pypdfium2

    response = login(mentor_user).get(my_certificate_url(), {"lang": "en"})
    document = pypdfium2.PdfDocument(response.content)
    image = document[0].render(scale=1.6).to_pil()
    image.save("/tmp/laurier-certificate.png")
    width, height = image.size
    assert height / width == pytest.approx(11 / 8.5, rel=0.01)  # Letter portrait


# Without hours


def test_a_mentor_without_hours_that_year_is_told_so(login, mentor_user, year_2025):
    response = login(mentor_user).get(my_certificate_url(2023))
    assert response.status_code == 302
    assert response["Location"] == reverse("hours:my_space", args=["hydro"])
    [message] = get_messages(response.wsgi_request)
    assert "2023" in str(message)


def test_a_manager_asking_for_a_year_without_hours_goes_back_to_that_year(
    login, manager_user, year_2025, jeanne
):
    response = login(manager_user).get(certificate_url(jeanne, 2023))
    assert response.status_code == 302
    assert response["Location"] == reverse("hours:training_hours", args=["hydro"]) + "?year=2023"
    [message] = get_messages(response.wsgi_request)
    assert "Jeanne Tremblay" in str(message)


def test_a_year_out_of_range_is_404(login, mentor_user, admin_user, year_2025, jeanne):
    assert login(mentor_user).get(my_certificate_url(1999)).status_code == 404
    assert login(admin_user).get(certificate_url(jeanne, 3000)).status_code == 404


# Who may download it


def test_the_programs_manager_downloads_it(login, manager_user, year_2025, jeanne):
    response = login(manager_user).get(certificate_url(jeanne))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_admin_downloads_anyones(login, admin_user, year_2025, jeanne):
    assert login(admin_user).get(certificate_url(jeanne)).status_code == 200


def test_a_manager_of_another_program_gets_404(login, organisation, year_2025, jeanne):
    elsewhere = factories.ProgramFactory(organisation=organisation, slug="ailleurs")
    other_manager = factories.UserFactory(email="other-manager@example.org")
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    elsewhere.managers.add(other_manager)
    assert login(other_manager).get(certificate_url(jeanne)).status_code == 404


def test_a_mentor_cannot_fetch_someone_elses(login, mentor_user, year_2025):
    assert login(mentor_user).get(certificate_url(year_2025.mentee)).status_code == 403


def test_a_mentee_cannot_use_the_managers_link(login, mentee_user, year_2025, jeanne):
    assert login(mentee_user).get(certificate_url(jeanne)).status_code == 403


def test_an_admin_of_another_organisation_gets_404(login, other_admin_user, year_2025, jeanne):
    client = login(other_admin_user)
    assert client.get(certificate_url(jeanne)).status_code == 404
    assert client.get(certificate_url(jeanne, organisation="other")).status_code == 404


def test_a_person_of_another_organisation_is_404_to_an_admin(
    login, admin_user, foreign_pairing, year_2025
):
    session(foreign_pairing, datetime.date(2025, 3, 1), 60)
    assert login(admin_user).get(certificate_url(foreign_pairing.mentor)).status_code == 404


def test_someone_outside_the_programs_is_404(login, admin_user, organisation, year_2025):
    loner = factories.PersonFactory(organisation=organisation)
    assert login(admin_user).get(certificate_url(loner)).status_code == 404


def test_a_member_without_a_person_record_has_no_certificate(login, admin_user, year_2025):
    assert login(admin_user).get(my_certificate_url()).status_code == 404


def test_my_certificate_is_404_to_another_organisations_member(login, other_admin_user):
    assert login(other_admin_user).get(my_certificate_url()).status_code == 404


def test_the_certificate_answers_only_to_get(login, mentor_user, admin_user, year_2025, jeanne):
    assert login(mentor_user).post(my_certificate_url()).status_code == 405
    assert login(admin_user).post(certificate_url(jeanne)).status_code == 405


# The links to it


def test_the_training_hours_page_links_each_person_with_hours(
    login, manager_user, program, year_2025, jeanne
):
    idle = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
    page = login(manager_user).get(reverse("hours:training_hours", args=["hydro"]), {"year": 2025})
    html = page.content.decode()
    assert certificate_url(jeanne) in html
    assert f"{certificate_url(jeanne)}?lang=en" in html
    assert certificate_url(idle.mentor) not in html


def test_my_space_offers_my_certificate_for_a_year_with_hours(login, mentor_user, pairing, today):
    session(pairing, datetime.date(today.year, 1, 1), 60)
    html = login(mentor_user).get(reverse("hours:my_space", args=["hydro"])).content.decode()
    assert my_certificate_url(today.year) in html
    assert f"{my_certificate_url(today.year)}?lang=en" in html
    assert my_certificate_url(today.year - 1) not in html


# Queries


# Issuing the first credential of an organisation: none held yet; its issuer, key and status
# list, then the credential and the search for an earlier total it replaces, in a transaction;
# and the look for webhook endpoints that want to hear of it.
ISSUING_QUERIES = 23


def make_busy_year(program, person, count):
    for index in range(count):
        mentee = factories.PairingFactory(
            program=program, mentor=person, starts_on=datetime.date(2024, 1, 1)
        )
        session(mentee, datetime.date(2025, 2, 1 + index), 60)
        attended(event(program, starts_at=at(2025, 3, 1 + index), hours="2"), person)


@pytest.mark.parametrize("count", [2, 12])
def test_the_certificate_queries_stay_constant(
    login, manager_user, program, jeanne, count, django_assert_max_num_queries
):
    make_busy_year(program, jeanne, count)
    client = login(manager_user)
    with django_assert_max_num_queries(8):
        response = client.get(certificate_url(jeanne))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_my_certificate_queries_stay_constant(
    login, mentor_user, program, jeanne, count, django_assert_max_num_queries
):
    make_busy_year(program, jeanne, count)
    client = login(mentor_user)
    # The first download also issues the certificate's signed credential: a constant cost.
    with django_assert_max_num_queries(7 + ISSUING_QUERIES):
        response = client.get(my_certificate_url())
    assert response.status_code == 200


def test_a_programs_manager_sees_nothing_of_a_program_they_do_not_manage(
    login, organisation, manager_user, year_2025, jeanne
):
    confidential = factories.ProgramFactory(organisation=organisation, name="Retour au travail")
    elsewhere = factories.PairingFactory(
        program=confidential, mentor=jeanne, starts_on=datetime.date(2024, 1, 1)
    )
    session(elsewhere, datetime.date(2025, 8, 1), 600)
    attended(
        event(confidential, starts_at=at(2025, 8, 2), name_en="Burnout recovery workshop"), jeanne
    )
    client = login(manager_user)
    client.cookies["django_language"] = "en"

    text = pdf_text(client.get(certificate_url(jeanne) + "?lang=en"))

    assert "Retour au travail" not in text
    assert "Burnout recovery workshop" not in text
    assert "Active listening workshop" in text


def test_an_admin_sees_every_program_on_the_certificate(
    login, organisation, admin_user, year_2025, jeanne
):
    confidential = factories.ProgramFactory(organisation=organisation, name="Retour au travail")
    attended(
        event(confidential, starts_at=at(2025, 8, 2), name_en="Burnout recovery workshop"), jeanne
    )

    text = pdf_text(login(admin_user).get(certificate_url(jeanne) + "?lang=en"))

    assert "Burnout recovery workshop" in text


def test_a_session_awaiting_the_other_sides_confirmation_is_not_counted_but_said(
    login, mentor_user, pairing, jeanne
):
    from laurier.hours.models import LoggedBy

    session(pairing, datetime.date(2025, 3, 1), 60)
    factories.MentoringSessionFactory(
        pairing=pairing,
        held_on=datetime.date(2025, 3, 8),
        duration_minutes=90,
        logged_by=LoggedBy.MENTOR,
    )
    confirmed = factories.MentoringSessionFactory(
        pairing=pairing,
        held_on=datetime.date(2025, 3, 15),
        duration_minutes=30,
        logged_by=LoggedBy.MENTOR,
    )
    confirmed.confirmed_at = at(2025, 3, 16)
    confirmed.save()

    certificate = selectors.training_certificate(jeanne, 2025)

    assert (certificate.mentor_minutes, certificate.mentor_sessions) == (90, 2)
    assert (certificate.awaiting_minutes, certificate.awaiting_sessions) == (90, 1)
    client = login(mentor_user)
    text = pdf_text(client.get(my_certificate_url() + "?lang=en"))
    assert "Not counted: 1 session (1.5 h) still awaiting confirmation." in text
