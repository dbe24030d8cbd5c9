"""The moments of a program's recognition calendar, computed by `program_moments`."""

import datetime

import pytest
from django.utils import translation

from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import RecognitionMoment
from laurier.recognition.models import ImportantDate
from laurier.recognition.planner.scenario import Moment
from laurier.recognition.selectors.calendar import (
    anniversary_key,
    anniversary_of,
    planner_moments,
    program_moments,
    same_day_in_year,
)
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2027 = (D(2027, 1, 1), D(2027, 12, 31))


def moments(program, start, end, kind=None):
    found = program_moments(program, start, end)
    return [moment for moment in found if kind is None or moment.kind == kind]


def anniversaries(program, start, end):
    return moments(program, start, end, RecognitionMoment.MENTORING_ANNIVERSARY)


def test_a_cycle_gives_its_start_middle_and_end(program):
    cycle = factories.CycleFactory(
        program=program, name="Automne", starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31)
    )
    found = {m.kind: m for m in moments(program, *YEAR_2027) if m.key.startswith("cycle-")}
    assert found[RecognitionMoment.CYCLE_START].date == cycle.starts_on
    assert found[RecognitionMoment.MID_CYCLE].date == D(2027, 1, 16)
    assert found[RecognitionMoment.CYCLE_END].date == cycle.ends_on


def test_moments_outside_the_period_are_left_out(program):
    factories.CycleFactory(program=program, starts_on=D(2026, 12, 1), ends_on=D(2027, 3, 1))
    found = moments(program, *YEAR_2027)
    kinds = {m.kind for m in found if m.key.startswith("cycle-")}
    assert kinds == {RecognitionMoment.MID_CYCLE, RecognitionMoment.CYCLE_END}
    assert all(D(2027, 1, 1) <= m.date <= D(2027, 12, 31) for m in found)


def test_the_period_s_first_and_last_days_are_included(program):
    factories.CycleFactory(program=program, starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    dates = {m.date for m in moments(program, *YEAR_2027)}
    assert D(2027, 1, 1) in dates and D(2027, 12, 31) in dates


def test_anniversaries_are_after_1_3_5_and_10_years_only(program):
    enrolment = factories.MentorEnrolmentFactory(program=program, since=D(2015, 6, 10))
    found = anniversaries(program, D(2015, 1, 1), D(2040, 12, 31))
    assert [m.date for m in found] == [
        D(2016, 6, 10),
        D(2018, 6, 10),
        D(2020, 6, 10),
        D(2025, 6, 10),
    ]
    assert all(m.mentor == enrolment.person for m in found)


def test_only_the_anniversaries_inside_the_period_are_there(program):
    factories.MentorEnrolmentFactory(program=program, since=D(2015, 6, 10))
    found = anniversaries(program, D(2018, 6, 10), D(2025, 6, 9))
    assert [m.date for m in found] == [D(2018, 6, 10), D(2020, 6, 10)]


def test_an_anniversary_of_february_29_falls_on_february_28_in_other_years(program):
    factories.MentorEnrolmentFactory(program=program, since=D(2024, 2, 29))
    found = anniversaries(program, D(2024, 1, 1), D(2034, 12, 31))
    assert [m.date for m in found] == [
        D(2025, 2, 28),
        D(2027, 2, 28),
        D(2029, 2, 28),
        D(2034, 2, 28),
    ]


def test_same_day_in_a_leap_year_stays_february_29():
    assert same_day_in_year(D(2024, 2, 29), 2028) == D(2028, 2, 29)


def test_mentors_who_are_not_active_have_no_anniversary(program):
    factories.MentorEnrolmentFactory(
        program=program, since=D(2024, 3, 1), status=EnrolmentStatus.LEFT
    )
    factories.MentorEnrolmentFactory(
        program=program, since=D(2024, 3, 1), status=EnrolmentStatus.PAUSED
    )
    assert anniversaries(program, D(2020, 1, 1), D(2040, 12, 31)) == []


def test_another_program_s_mentors_and_cycles_are_not_there(program, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(program=other, since=D(2026, 3, 1))
    factories.CycleFactory(program=other, starts_on=D(2027, 2, 1), ends_on=D(2027, 3, 1))
    assert [
        m
        for m in moments(program, *YEAR_2027)
        if m.kind != RecognitionMoment.MENTORING_DAY and m.kind != RecognitionMoment.YEAR_END
    ] == []


def test_mentoring_day_and_the_end_of_the_year_come_every_year(program):
    found = moments(program, D(2026, 4, 1), D(2028, 3, 31))
    day = [m.date for m in found if m.kind == RecognitionMoment.MENTORING_DAY]
    end = [m.date for m in found if m.kind == RecognitionMoment.YEAR_END]
    assert day == [D(2027, 1, 17), D(2028, 1, 17)]
    assert end == [D(2026, 12, 15), D(2027, 12, 15)]


def test_a_yearly_organisation_date_repeats_and_a_one_off_date_does_not(program, organisation):
    ImportantDate.objects.create(
        organisation=organisation, name_fr="Fondation", date=D(1990, 5, 3), yearly=True
    )
    ImportantDate.objects.create(
        organisation=organisation, name_fr="Gala", date=D(2027, 6, 1), yearly=False
    )
    found = moments(program, D(2026, 1, 1), D(2028, 12, 31), RecognitionMoment.ORGANISATION_DATE)
    assert [(m.date, m.label) for m in found] == [
        (D(2026, 5, 3), "Fondation"),
        (D(2027, 5, 3), "Fondation"),
        (D(2027, 6, 1), "Gala"),
        (D(2028, 5, 3), "Fondation"),
    ]


def test_only_this_program_s_and_the_organisation_s_dates_are_there(program, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    stranger = factories.OrganisationFactory()
    for owner, name in ((program, "Mine"), (other, "Theirs"), (None, "Everyone")):
        ImportantDate.objects.create(
            organisation=organisation, program=owner, name_en=name, date=D(2027, 5, 3)
        )
    ImportantDate.objects.create(organisation=stranger, name_en="Elsewhere", date=D(2027, 5, 3))
    labels = {m.label for m in moments(program, *YEAR_2027, RecognitionMoment.ORGANISATION_DATE)}
    assert labels == {"Mine", "Everyone"}


def test_keys_are_stable_and_unique(program):
    factories.CycleFactory(program=program, starts_on=D(2027, 1, 1), ends_on=D(2027, 6, 30))
    factories.MentorEnrolmentFactory(program=program, since=D(2026, 3, 1))
    first = [m.key for m in moments(program, *YEAR_2027)]
    assert first == [m.key for m in moments(program, *YEAR_2027)]
    assert len(set(first)) == len(first)


def test_labels_are_in_the_reader_s_language(program, organisation):
    ImportantDate.objects.create(
        organisation=organisation, name_fr="Fondation", name_en="Founding day", date=D(2027, 5, 3)
    )
    person = factories.PersonFactory(organisation=organisation, first_name="Marie", last_name="Roy")
    factories.MentorEnrolmentFactory(program=program, person=person, since=D(2024, 3, 1))
    with translation.override("en"):
        english = {m.label for m in moments(program, *YEAR_2027)}
    with translation.override("fr-ca"):
        french = {m.label for m in moments(program, *YEAR_2027)}
    assert {
        "Founding day",
        "Marie Roy: 3 years of mentoring",
        "International Mentoring Day",
    } <= english
    assert "Fondation" in french and "Founding day" not in french


def test_the_planner_receives_the_moments_in_its_own_shape(program):
    factories.CycleFactory(program=program, starts_on=D(2027, 1, 1), ends_on=D(2027, 6, 30))
    found = planner_moments(program, *YEAR_2027)
    assert all(isinstance(m, Moment) for m in found)
    assert Moment("mentoring-day-2027", D(2027, 1, 17), "mentoring_day") in found


@pytest.mark.parametrize("size", [2, 20])
def test_computing_the_moments_takes_three_queries(
    program, organisation, size, django_assert_num_queries
):
    for index in range(size):
        factories.CycleFactory(program=program, starts_on=D(2027, 1, 1), ends_on=D(2027, 3, 1))
        factories.MentorEnrolmentFactory(program=program, since=D(2024 - index % 9, 2, 1))
        ImportantDate.objects.create(
            organisation=organisation, name_fr=f"D{index}", date=D(2000, 3, 1), yearly=True
        )
    with django_assert_num_queries(3):
        found = program_moments(program, *YEAR_2027)
    assert len(found) > size


def test_the_planner_sees_a_months_anniversaries_as_one_moment_open_to_their_mentors(program):
    marie = factories.MentorEnrolmentFactory(program=program, since=D(2024, 3, 1)).person
    luc = factories.MentorEnrolmentFactory(program=program, since=D(2022, 9, 1)).person
    factories.MentorEnrolmentFactory(program=program, since=D(2025, 5, 1))  # 2 years: none
    found = [m for m in planner_moments(program, *YEAR_2027) if m.kind == "mentoring_anniversary"]
    assert [(m.key, m.date, m.mentors) for m in found] == [
        (anniversary_key(D(2027, 3, 1)), D(2027, 3, 1), frozenset({str(marie.pk)})),
        (anniversary_key(D(2027, 9, 1)), D(2027, 9, 1), frozenset({str(luc.pk)})),
    ]
    own = anniversary_of(program_moments(program, *YEAR_2027))
    assert (own[marie.pk].date, own[luc.pk].date) == (D(2027, 3, 1), D(2027, 9, 1))
