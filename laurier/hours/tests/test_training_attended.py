"""Training attended: professional-development events count as training hours.

A workshop, a conference, a seminar or a community-of-practice meetup counts, for each person
the manager recorded as present, for the hours the event is worth, in the calendar year it
began in the organisation's time zone. A gala, a cancelled event or an absence does not.
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.core.durations import minutes_to_hours
from laurier.hours import selectors
from laurier.recognition.services.events import take_attendance
from laurier.testing import factories

from .helpers import attended, csv_rows, event, xlsx_rows

URL = reverse("hours:training_hours", args=["hydro"])
MY_SPACE = reverse("hours:my_space", args=["hydro"])
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TORONTO)


def session(pairing, day, minutes):
    return factories.MentoringSessionFactory(pairing=pairing, held_on=day, duration_minutes=minutes)


def row(people, person):
    """(as mentor, as mentee, training attended, total) hours of `person` in a listing."""
    found = {p.pk: p for p in people}[person.pk]
    return (
        minutes_to_hours(found.mentor_minutes),
        minutes_to_hours(found.mentee_minutes),
        minutes_to_hours(found.training_minutes),
        minutes_to_hours(found.total_minutes),
    )


@pytest.fixture
def year_2025(program, pairing):
    """The mentor mentored two hours in 2025 and attended a three-hour workshop with the mentee."""
    session(pairing, datetime.date(2025, 3, 1), 90)
    session(pairing, datetime.date(2025, 4, 1), 30)
    workshop = event(program, kind="workshop", starts_at=at(2025, 5, 10), hours="3")
    attended(workshop, pairing.mentor, pairing.mentee)
    return pairing


# The selector


def test_a_workshop_attended_adds_its_hours_to_both_people(organisation, year_2025):
    people = selectors.training_hours(organisation, 2025)
    assert row(people, year_2025.mentor) == (
        Decimal("2.0"),
        Decimal("0.0"),
        Decimal("3.0"),
        Decimal("5.0"),
    )
    assert row(people, year_2025.mentee) == (
        Decimal("0.0"),
        Decimal("2.0"),
        Decimal("3.0"),
        Decimal("5.0"),
    )


@pytest.mark.parametrize("kind", ["workshop", "conference", "seminar", "community"])
def test_every_professional_development_kind_counts(organisation, program, pairing, kind):
    attended(event(program, kind=kind, starts_at=at(2025, 6, 1), hours="1.5"), pairing.mentor)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("1.5")


@pytest.mark.parametrize("kind", ["gala", "dinner", "networking"])
def test_a_celebration_attended_does_not_count_as_training(organisation, program, pairing, kind):
    attended(event(program, kind=kind, starts_at=at(2025, 6, 1), hours="4"), pairing.mentor)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("0.0")


def test_a_cancelled_workshop_does_not_count(organisation, program, pairing):
    cancelled = event(program, starts_at=at(2025, 7, 1), hours="2", cancelled=True)
    attended(cancelled, pairing.mentor)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("0.0")


def test_someone_recorded_absent_gets_no_hours(organisation, program, pairing):
    attended(event(program, starts_at=at(2025, 9, 15), hours="6"), pairing.mentor, came=False)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("0.0")


def test_a_workshop_of_another_year_does_not_count(organisation, program, pairing):
    attended(event(program, starts_at=at(2024, 11, 1), hours="6"), pairing.mentor)
    attended(event(program, starts_at=at(2026, 1, 5), hours="6"), pairing.mentor)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("0.0")


def test_the_year_is_the_organisations_new_years_eve_evening(organisation, program, pairing):
    # 22:00 in Toronto on December 31 is already January 1 in UTC: it belongs to 2025 there.
    attended(event(program, starts_at=at(2025, 12, 31, hour=22), hours="2"), pairing.mentor)
    assert row(selectors.training_hours(organisation, 2025), pairing.mentor)[2] == Decimal("2.0")
    assert row(selectors.training_hours(organisation, 2026), pairing.mentor)[2] == Decimal("0.0")


def test_hours_of_several_workshops_add_up(organisation, program, pairing):
    attended(event(program, starts_at=at(2025, 2, 1), hours="1.25"), pairing.mentor)
    attended(event(program, starts_at=at(2025, 3, 1), hours="2.5"), pairing.mentor)
    people = selectors.training_hours(organisation, 2025)
    assert {p.pk: p.training_minutes for p in people}[pairing.mentor_id] == 75 + 150
    assert {p.pk: p.training_events for p in people}[pairing.mentor_id] == 2


def test_attendance_taken_by_the_manager_counts(organisation, program, pairing, manager_user):
    workshop = event(program, starts_at=at(2025, 5, 10), hours="3")
    invitations = attended(workshop, pairing.mentor, pairing.mentee, came=None)
    take_attendance(workshop, actor=manager_user, attended_ids=[invitations[0].pk])
    people = selectors.training_hours(organisation, 2025)
    assert row(people, pairing.mentor)[2] == Decimal("3.0")
    assert row(people, pairing.mentee)[2] == Decimal("0.0")


def test_a_mentor_without_a_pairing_who_attended_is_listed(organisation, program):
    newcomer = factories.MentorEnrolmentFactory(program=program).person
    attended(event(program, starts_at=at(2025, 5, 10), hours="3"), newcomer)
    assert row(selectors.training_hours(organisation, 2025), newcomer)[2] == Decimal("3.0")


def test_events_of_programs_not_shown_do_not_count(organisation, program, pairing):
    other_program = factories.ProgramFactory(organisation=organisation)
    attended(event(other_program, starts_at=at(2025, 5, 10), hours="3"), pairing.mentor)
    only_releve = selectors.training_hours(organisation, 2025, programs=[program])
    assert row(only_releve, pairing.mentor)[2] == Decimal("0.0")
    everywhere = selectors.training_hours(organisation, 2025)
    assert row(everywhere, pairing.mentor)[2] == Decimal("3.0")


def test_hours_of_a_person_include_training_attended(organisation, year_2025):
    hours = selectors.hours_of_person(year_2025.mentor, [2024, 2025])
    assert hours[2025] == {"mentor": 120, "mentee": 0, "training": 180, "total": 300}
    assert hours[2024] == {"mentor": 0, "mentee": 0, "training": 0, "total": 0}


# The page and its exports


def test_the_page_shows_training_attended_in_its_column(login, admin_user, year_2025):
    admin_user.language = "en"
    admin_user.save()
    response = login(admin_user).get(URL, {"year": 2025})
    assert row(response.context["page"].object_list, year_2025.mentor)[2] == Decimal("3.0")
    assert "Training attended" in response.content.decode()


def test_the_page_sorts_by_training_attended(login, admin_user, program, year_2025):
    keen = factories.MentorEnrolmentFactory(program=program).person
    attended(event(program, starts_at=at(2025, 8, 1), hours="12"), keen)
    response = login(admin_user).get(URL, {"year": 2025, "sort": "-training"})
    assert next(iter(response.context["page"].object_list)).pk == keen.pk


def test_only_people_with_hours_keeps_someone_with_only_training(login, admin_user, program):
    trained = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
    attended(event(program, starts_at=at(2025, 5, 10), hours="3"), trained.mentor)
    response = login(admin_user).get(URL, {"year": 2025, "with_hours": "on"})
    assert [p.pk for p in response.context["page"].object_list] == [trained.mentor_id]


def test_csv_export_has_training_attended_and_the_total(login, admin_user, year_2025):
    response = login(admin_user).get(URL, {"year": 2025, "export": "csv"})
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
    by_email = {line[2]: line[4:] for line in rows}
    assert by_email[year_2025.mentor.email] == ["2025", "2.0", "0.0", "3.0", "5.0", "2", "1"]


def test_xlsx_export_has_training_attended_as_numbers(login, admin_user, year_2025):
    response = login(admin_user).get(URL, {"year": 2025, "export": "xlsx"})
    header, *rows = xlsx_rows(response)
    by_email = {line[2]: line[4:] for line in rows}
    assert by_email[year_2025.mentee.email] == [2025, 0, 2, 3, 5, 2, 1]


def make_trained_people(program, count):
    for index in range(count):
        pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
        session(pairing, datetime.date(2025, 3, 1), 30 + index)
        workshop = event(program, starts_at=at(2025, 4, 1 + index), hours="2")
        attended(workshop, pairing.mentor, pairing.mentee)


@pytest.mark.parametrize("count", [2, 12])
def test_page_queries_stay_constant_with_training(
    login, manager_user, program, count, django_assert_max_num_queries
):
    make_trained_people(program, count)
    client = login(manager_user)
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"year": 2025})
    people = list(response.context["page"].object_list)
    assert len(people) == 2 * count
    assert all(person.training_minutes == 120 for person in people)


@pytest.mark.parametrize("count", [2, 12])
def test_export_queries_stay_constant_with_training(
    login, admin_user, program, count, django_assert_max_num_queries
):
    make_trained_people(program, count)
    client = login(admin_user)
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"year": 2025, "export": "csv"})
    assert len(csv_rows(response)) == 2 * count + 1


# My space


def test_my_space_shows_my_training_attended_this_year(
    login, mentor_user, mentor_person, program, pairing, today
):
    attended(event(program, starts_at=at(today.year, 1, 2), hours="3"), mentor_person)
    response = login(mentor_user).get(MY_SPACE)
    this_year = response.context["hours"][0]
    assert (this_year["year"], this_year["training"], this_year["total"]) == (
        today.year,
        Decimal("3.0"),
        Decimal("3.0"),
    )
