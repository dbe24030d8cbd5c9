import datetime
import zoneinfo

from django.utils import timezone

from laurier.programs import selectors
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

TODAY = datetime.date(2026, 6, 15)


def test_organisation_today_follows_the_organisations_time_zone(organisation, monkeypatch):
    # 02:00 UTC on July 1st is still June 30th in Toronto.
    instant = datetime.datetime(2026, 7, 1, 2, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    organisation.time_zone = "America/Toronto"
    assert selectors.organisation_today(organisation) == datetime.date(2026, 6, 30)
    organisation.time_zone = "Europe/Paris"
    assert selectors.organisation_today(organisation) == datetime.date(2026, 7, 1)
    assert zoneinfo.ZoneInfo("Europe/Paris")


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


def test_hours_from_minutes_rounds_to_a_tenth():
    assert str(selectors.hours_from_minutes(100)) == "1.7"
    assert str(selectors.hours_from_minutes(None)) == "0.0"
