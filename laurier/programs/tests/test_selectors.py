import datetime

from laurier.programs import selectors
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

TODAY = datetime.date(2026, 6, 15)


def test_dashboard_figures_split_hours_by_month_of_this_year(program):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory(pairing=pairing, held_on=TODAY, duration_minutes=60)
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2026, 2, 3), duration_minutes=30
    )
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 6, 3), duration_minutes=30
    )
    figures = selectors.program_dashboard_figures(program, TODAY)
    assert figures.minutes_this_month == 60
    assert figures.minutes_this_year == 90
    assert figures.minutes_per_month[1] == 30


def test_dashboard_figures_ignore_other_programs(organisation, program):
    other = factories.PairingFactory(program=factories.ProgramFactory(organisation=organisation))
    factories.MentoringSessionFactory(pairing=other, held_on=TODAY)
    figures = selectors.program_dashboard_figures(program, TODAY)
    assert (figures.active_mentors, figures.minutes_this_year) == (0, 0)


def test_mentors_needing_attention_are_active_and_silent_for_60_days(program):
    since = TODAY - datetime.timedelta(days=365)
    silent = factories.PairingFactory(program=program, starts_on=since)
    factories.MentoringSessionFactory(pairing=silent, held_on=TODAY - datetime.timedelta(days=61))
    just_in_time = factories.PairingFactory(program=program, starts_on=since)
    factories.MentoringSessionFactory(
        pairing=just_in_time, held_on=TODAY - datetime.timedelta(days=60)
    )
    factories.MentorEnrolmentFactory(program=program, since=since, status=EnrolmentStatus.LEFT)
    never = factories.MentorEnrolmentFactory(program=program, since=since)
    rows = selectors.mentors_needing_attention(program, TODAY)
    assert [row.person for row in rows] == [never.person, silent.mentor]


def test_a_new_mentor_without_session_needs_no_attention_yet(program):
    factories.MentorEnrolmentFactory(program=program, since=TODAY - datetime.timedelta(days=30))
    assert not selectors.mentors_needing_attention(program, TODAY)
