"""Training hours: mentoring time counts for the mentor and for the mentee."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.core.durations import minutes_to_hours
from laurier.hours import selectors
from laurier.testing import factories

from .helpers import csv_rows, xlsx_rows

URL = reverse("hours:training_hours", args=["hydro"])


def session(pairing, day, minutes):
    return factories.MentoringSessionFactory(pairing=pairing, held_on=day, duration_minutes=minutes)


@pytest.fixture
def two_hours(pairing):
    """90 minutes and 30 minutes in 2025: two hours for the mentor and for the mentee."""
    session(pairing, datetime.date(2025, 3, 1), 90)
    session(pairing, datetime.date(2025, 4, 1), 30)
    return pairing


def figures(people):
    return {
        person.pk: (
            minutes_to_hours(person.mentor_minutes),
            minutes_to_hours(person.mentee_minutes),
            minutes_to_hours(person.total_minutes),
            person.session_count,
        )
        for person in people
    }


# The selector


def test_ninety_and_thirty_minutes_make_two_hours_for_both_sides(organisation, two_hours):
    result = figures(selectors.training_hours(organisation, 2025))
    assert result[two_hours.mentor_id] == (Decimal("2.0"), Decimal("0.0"), Decimal("2.0"), 2)
    assert result[two_hours.mentee_id] == (Decimal("0.0"), Decimal("2.0"), Decimal("2.0"), 2)


def test_someone_mentored_and_mentoring_gets_both_columns(organisation, program, two_hours):
    mentee_of_the_mentee = factories.PairingFactory(
        program=program, mentor=two_hours.mentee, starts_on=datetime.date(2024, 1, 1)
    )
    session(mentee_of_the_mentee, datetime.date(2025, 5, 1), 45)
    result = figures(selectors.training_hours(organisation, 2025))
    assert result[two_hours.mentee_id] == (Decimal("0.8"), Decimal("2.0"), Decimal("2.8"), 3)


def test_sessions_of_another_year_do_not_count(organisation, two_hours):
    session(two_hours, datetime.date(2024, 12, 31), 60)
    session(two_hours, datetime.date(2026, 1, 1), 60)
    result = figures(selectors.training_hours(organisation, 2025))
    assert result[two_hours.mentor_id][2] == Decimal("2.0")


def test_person_without_a_session_shows_zero(organisation, pairing):
    result = figures(selectors.training_hours(organisation, 2025))
    assert result[pairing.mentor_id] == (Decimal("0.0"), Decimal("0.0"), Decimal("0.0"), 0)


def test_person_without_a_pairing_is_not_listed(organisation, pairing):
    loner = factories.PersonFactory(organisation=organisation)
    assert loner.pk not in figures(selectors.training_hours(organisation, 2025))


def test_people_of_another_organisation_are_not_listed(organisation, two_hours, foreign_pairing):
    session(foreign_pairing, datetime.date(2025, 3, 1), 60)
    result = figures(selectors.training_hours(organisation, 2025))
    assert set(result) == {two_hours.mentor_id, two_hours.mentee_id}


def test_programs_limit_the_people_and_the_sessions(organisation, program, two_hours):
    other_program = factories.ProgramFactory(organisation=organisation)
    elsewhere = factories.PairingFactory(
        program=other_program, mentor=two_hours.mentor, starts_on=datetime.date(2024, 1, 1)
    )
    session(elsewhere, datetime.date(2025, 3, 1), 60)
    only_releve = figures(selectors.training_hours(organisation, 2025, programs=[program]))
    assert set(only_releve) == {two_hours.mentor_id, two_hours.mentee_id}
    assert only_releve[two_hours.mentor_id][2] == Decimal("2.0")
    everywhere = figures(selectors.training_hours(organisation, 2025))
    assert everywhere[two_hours.mentor_id][2] == Decimal("3.0")


# The page


def test_mentee_cannot_reach_training_hours(login, mentee_user):
    assert login(mentee_user).get(URL).status_code == 403


def test_mentor_cannot_reach_training_hours(login, mentor_user):
    assert login(mentor_user).get(URL).status_code == 403


def test_admin_of_other_org_gets_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(URL).status_code == 404


def test_year_defaults_to_the_current_year_in_the_organisation(login, admin_user, today):
    response = login(admin_user).get(URL)
    assert response.context["year"] == today.year


def test_admin_sees_the_figures_of_the_chosen_year(login, admin_user, two_hours):
    response = login(admin_user).get(URL, {"year": 2025})
    assert figures(response.context["page"].object_list) == {
        two_hours.mentor_id: (Decimal("2.0"), Decimal("0.0"), Decimal("2.0"), 2),
        two_hours.mentee_id: (Decimal("0.0"), Decimal("2.0"), Decimal("2.0"), 2),
    }
    assert "2.0" in response.content.decode()


def test_manager_sees_only_the_people_of_their_programs(
    login, manager_user, organisation, two_hours
):
    other_program = factories.ProgramFactory(organisation=organisation)
    stranger = factories.PairingFactory(program=other_program, starts_on=datetime.date(2024, 1, 1))
    shared = factories.PairingFactory(
        program=other_program, mentor=two_hours.mentor, starts_on=datetime.date(2024, 1, 1)
    )
    session(shared, datetime.date(2025, 6, 1), 60)
    response = login(manager_user).get(URL, {"year": 2025})
    result = figures(response.context["page"].object_list)
    assert stranger.mentor_id not in result
    assert result[two_hours.mentor_id][2] == Decimal("2.0")


def test_admin_sees_every_program(login, admin_user, organisation, two_hours):
    stranger = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation),
        starts_on=datetime.date(2024, 1, 1),
    )
    response = login(admin_user).get(URL, {"year": 2025})
    assert stranger.mentor_id in figures(response.context["page"].object_list)


def test_program_filter_narrows_to_one_program(login, admin_user, organisation, two_hours):
    other_program = factories.ProgramFactory(organisation=organisation)
    factories.PairingFactory(program=other_program, starts_on=datetime.date(2024, 1, 1))
    response = login(admin_user).get(URL, {"year": 2025, "program": other_program.pk})
    assert two_hours.mentor_id not in figures(response.context["page"].object_list)


def test_manager_cannot_filter_on_a_program_they_do_not_manage(
    login, manager_user, organisation, two_hours
):
    other_program = factories.ProgramFactory(organisation=organisation)
    stranger = factories.PairingFactory(program=other_program, starts_on=datetime.date(2024, 1, 1))
    response = login(manager_user).get(URL, {"year": 2025, "program": other_program.pk})
    assert stranger.mentor_id not in figures(response.context["page"].object_list)


def test_search_finds_a_person_by_name(login, admin_user, two_hours):
    two_hours.mentee.last_name = "Bellefleur"
    two_hours.mentee.save()
    response = login(admin_user).get(URL, {"year": 2025, "q": "bellefl"})
    assert set(figures(response.context["page"].object_list)) == {two_hours.mentee_id}


def test_only_people_with_hours(login, admin_user, program, two_hours):
    idle = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
    response = login(admin_user).get(URL, {"year": 2025, "with_hours": "on"})
    assert idle.mentor_id not in figures(response.context["page"].object_list)


def test_sort_by_total_hours(login, admin_user, program, two_hours):
    busier = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
    session(busier, datetime.date(2025, 3, 1), 300)
    response = login(admin_user).get(URL, {"year": 2025, "sort": "-total"})
    people = list(response.context["page"].object_list)
    assert [people[0].pk, people[1].pk] in (
        [busier.mentor_id, busier.mentee_id],
        [busier.mentee_id, busier.mentor_id],
    )


def test_an_invalid_year_falls_back_to_the_current_year(login, admin_user, today):
    response = login(admin_user).get(URL, {"year": "soon"})
    assert response.status_code == 200
    assert response.context["year"] == today.year


def test_csv_export_parses_back_with_exact_figures(login, admin_user, two_hours):
    response = login(admin_user).get(URL, {"year": 2025, "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="training-hours-2025.csv"'
    header, *rows = csv_rows(response)
    assert header[4:] == [
        "Year",
        "Hours as mentor",
        "Hours as mentee",
        "Training attended (hours)",
        "Total hours",
        "Sessions",
        "Events attended",
    ]
    by_email = {row[2]: row[4:] for row in rows}
    assert by_email[two_hours.mentor.email] == ["2025", "2.0", "0.0", "0.0", "2.0", "2", "0"]
    assert by_email[two_hours.mentee.email] == ["2025", "0.0", "2.0", "0.0", "2.0", "2", "0"]


def test_xlsx_export_parses_back_with_exact_figures(login, admin_user, two_hours):
    response = login(admin_user).get(URL, {"year": 2025, "export": "xlsx"})
    header, *rows = xlsx_rows(response)
    by_email = {row[2]: row[4:] for row in rows}
    assert by_email[two_hours.mentor.email] == [2025, 2, 0, 0, 2, 2, 0]


def make_people_with_sessions(program, count):
    for index in range(count):
        pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
        session(pairing, datetime.date(2025, 3, 1), 30 + index)


@pytest.mark.parametrize("count", [2, 15])
def test_page_queries_stay_constant(
    login, manager_user, program, count, django_assert_max_num_queries
):
    make_people_with_sessions(program, count)
    client = login(manager_user)
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"year": 2025})
    assert len(response.context["page"].object_list) == 2 * count


@pytest.mark.parametrize("count", [2, 15])
def test_export_queries_stay_constant(
    login, admin_user, program, count, django_assert_max_num_queries
):
    make_people_with_sessions(program, count)
    client = login(admin_user)
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"year": 2025, "export": "csv"})
    assert len(csv_rows(response)) == 2 * count + 1
