"""Who may be nominated (selectors.eligible_mentors), one rule at a time."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from laurier.contests.models import Winner
from laurier.contests.selectors import eligible_mentor, eligible_mentors
from laurier.hours.models import LoggedBy
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

pytestmark = pytest.mark.django_db

CLOSE = datetime.date(2026, 3, 31)  # EditionFactory's last day to nominate


@pytest.fixture
def edition(program):
    return factories.EditionFactory(program=program)


def mentor(program, **fields):
    return factories.MentorEnrolmentFactory(program=program, **fields).person


def eligible(edition):
    return set(eligible_mentors(edition))


def session(program, person, held_on, minutes=60, **fields):
    pairing = factories.PairingFactory(program=program, mentor=person)
    return factories.MentoringSessionFactory(
        pairing=pairing, held_on=held_on, duration_minutes=minutes, **fields
    )


# --- Active mentors --------------------------------------------------------------------------


def test_an_active_mentor_of_the_program_is_eligible(edition, program):
    person = mentor(program)

    assert eligible(edition) == {person}
    assert eligible_mentor(edition, person.pk).nominee_program_id == program.pk


@pytest.mark.parametrize("status", [EnrolmentStatus.PAUSED, EnrolmentStatus.LEFT])
def test_active_only_leaves_out_paused_and_departed_mentors(edition, program, status):
    mentor(program, status=status)

    assert eligible(edition) == set()


def test_without_active_only_a_paused_mentor_is_eligible_but_not_one_who_left(edition, program):
    edition.active_mentors_only = False
    paused = mentor(program, status=EnrolmentStatus.PAUSED)
    mentor(program, status=EnrolmentStatus.LEFT)

    assert eligible(edition) == {paused}


def test_a_mentee_is_not_eligible(edition, program):
    factories.MenteeEnrolmentFactory(program=program)

    assert eligible(edition) == set()


def test_a_mentor_of_another_program_is_not_eligible_in_a_programs_edition(edition, organisation):
    mentor(factories.ProgramFactory(organisation=organisation))

    assert eligible(edition) == set()


def test_an_organisation_wide_edition_takes_mentors_of_every_program_once(organisation, program):
    edition = factories.EditionFactory(program=None, organisation=organisation)
    second = factories.ProgramFactory(organisation=organisation)
    person = factories.MentorEnrolmentFactory(
        program=second, since=datetime.date(2024, 1, 1)
    ).person
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=datetime.date(2025, 1, 1)
    )
    other = mentor(program)

    found = list(eligible_mentors(edition))

    assert sorted(p.pk for p in found) == sorted([person.pk, other.pk])
    # Their program is the one they joined first.
    assert eligible_mentor(edition, person.pk).nominee_program_id == second.pk


def test_another_organisations_mentors_are_never_eligible(other_organisation, organisation):
    edition = factories.EditionFactory(program=None, organisation=organisation)
    mentor(factories.ProgramFactory(organisation=other_organisation))

    assert eligible(edition) == set()


def test_eligible_mentor_answers_none_for_a_non_integer_or_unknown_pk(edition, program):
    person = mentor(program)

    assert eligible_mentor(edition, str(person.pk)) is None
    assert eligible_mentor(edition, person.pk + 1000) is None


# --- Minimum hours ---------------------------------------------------------------------------


def test_minimum_hours_count_vouched_sessions_of_the_twelve_months_before_closing(edition, program):
    edition.min_hours = Decimal("2")
    enough = mentor(program)
    session(program, enough, CLOSE, 60)
    session(program, enough, datetime.date(2025, 4, 1), 60)
    short = mentor(program)
    session(program, short, CLOSE, 60)
    session(program, short, datetime.date(2025, 3, 31), 60)  # 12 months before: out
    late = mentor(program)
    session(program, late, datetime.date(2025, 6, 1), 60)
    session(program, late, CLOSE + datetime.timedelta(days=1), 60)  # after closing: out

    assert eligible(edition) == {enough}


def test_only_confirmed_or_manager_logged_sessions_count(edition, program):
    edition.min_hours = Decimal("1")
    confirmed = mentor(program)
    session(
        program,
        confirmed,
        datetime.date(2026, 1, 10),
        logged_by=LoggedBy.MENTOR,
        confirmed_at=timezone.now(),
    )
    unconfirmed = mentor(program)
    session(program, unconfirmed, datetime.date(2026, 1, 10), logged_by=LoggedBy.MENTOR)
    by_manager = mentor(program)
    session(program, by_manager, datetime.date(2026, 1, 10), logged_by=LoggedBy.MANAGER)

    assert eligible(edition) == {confirmed, by_manager}


def test_minimum_hours_accept_fractions(edition, program):
    edition.min_hours = Decimal("1.5")
    person = mentor(program)
    session(program, person, datetime.date(2026, 1, 10), 60)
    assert eligible(edition) == set()

    session(program, person, datetime.date(2026, 1, 11), 30)
    assert eligible(edition) == {person}


def test_a_programs_edition_counts_only_its_programs_hours(edition, program, organisation):
    edition.min_hours = Decimal("1")
    person = mentor(program)
    elsewhere = factories.ProgramFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(program=elsewhere, person=person)
    session(elsewhere, person, datetime.date(2026, 1, 10), 120)

    assert eligible(edition) == set()


def test_an_organisation_wide_edition_adds_up_hours_of_every_program(organisation, program):
    edition = factories.EditionFactory(program=None, organisation=organisation, min_hours=2)
    person = mentor(program)
    elsewhere = factories.ProgramFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(program=elsewhere, person=person)
    session(program, person, datetime.date(2026, 1, 10), 60)
    session(elsewhere, person, datetime.date(2026, 1, 11), 60)

    assert eligible(edition) == {person}


def test_a_mentor_without_sessions_fails_a_minimum_of_hours(edition, program):
    edition.min_hours = Decimal("0.5")
    mentor(program)

    assert eligible(edition) == set()


# --- Minimum tenure --------------------------------------------------------------------------


def test_minimum_tenure_counts_from_the_first_enrolment_to_the_last_day_to_nominate(
    edition, program, organisation
):
    edition.min_tenure_months = 12
    on_the_day = mentor(program, since=datetime.date(2025, 3, 31))
    a_day_short = mentor(program, since=datetime.date(2025, 4, 1))
    # Enrolled here recently, but a mentor elsewhere for years.
    veteran = mentor(program, since=datetime.date(2026, 1, 1))
    factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation),
        person=veteran,
        since=datetime.date(2020, 1, 1),
    )

    assert eligible(edition) == {on_the_day, veteran}
    assert a_day_short not in eligible(edition)


# --- Past winners ----------------------------------------------------------------------------


def won(program, person, year, announced=True):
    past = factories.EditionFactory(
        program=program,
        year=year,
        nominations_open_on=datetime.date(year, 3, 1),
        nominations_close_on=datetime.date(year, 3, 31),
        scoring_close_on=datetime.date(year, 4, 20),
        announce_on=datetime.date(year, 5, 1),
        announced_at=timezone.now() if announced else None,
    )
    nominee = factories.NomineeFactory(category__edition=past, person=person, program=program)
    return Winner.objects.create(
        category=nominee.category,
        nominee=nominee,
        person=person,
        rank=1,
        announced_at=timezone.now(),
    )


def test_past_winners_can_be_nominated_again_at_once_by_default(edition, program):
    person = mentor(program)
    won(program, person, 2025)

    assert eligible(edition) == {person}


def test_a_winner_within_the_waiting_years_is_not_eligible(edition, program):
    edition.past_winners_excluded_years = 3
    recent = mentor(program)
    won(program, recent, 2024)
    long_ago = mentor(program)
    won(program, long_ago, 2022)

    assert eligible(edition) == {long_ago}


def test_waiting_one_year_excludes_last_years_winner(edition, program):
    edition.past_winners_excluded_years = 1
    person = mentor(program)
    won(program, person, 2025)

    assert eligible(edition) == set()


def test_a_win_in_another_program_of_the_organisation_counts(edition, program, organisation):
    edition.past_winners_excluded_years = 3
    person = mentor(program)
    elsewhere = factories.ProgramFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(program=elsewhere, person=person)
    won(elsewhere, person, 2025)

    assert eligible(edition) == set()


def test_eligible_mentors_runs_in_one_query(edition, program, django_assert_num_queries):
    edition.min_hours = 1
    edition.min_tenure_months = 1
    edition.past_winners_excluded_years = 2
    for _index in range(5):
        session(program, mentor(program), datetime.date(2026, 1, 10), 60)

    with django_assert_num_queries(1):
        assert len(list(eligible_mentors(edition))) == 5
