"""`manage.py load_demo`: the demo organisation a first visitor sees after `make run`."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from laurier.demo.demo_organisation import DEMO_LOGINS, DEMO_PASSWORD, load_demo_organisation
from laurier.hours.models import MentoringSession
from laurier.organisations.models import Membership, Organisation, Role
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from laurier.programs.selectors import mentors_needing_attention

TODAY = datetime.date(2026, 11, 24)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Membership,
            Program,
            Cycle,
            Person,
            MentorEnrolment,
            MenteeEnrolment,
            Pairing,
            MentoringSession,
        )
    }


def test_demo_organisation_is_a_french_canadian_cooperative(demo):
    assert (demo.name, demo.language, demo.time_zone, demo.currency) == (
        "Coopérative Boréale",
        "fr-ca",
        "America/Toronto",
        "CAD",
    )
    assert demo.fiscal_year_start_month == 4


def test_demo_has_three_programs_with_objectives_and_expectations(demo):
    programs = Program.objects.filter(organisation=demo)
    assert sorted(programs.values_list("name", flat=True)) == [
        "Accueil des nouveaux employés",
        "Femmes en STIM",
        "Relève des cadres",
    ]
    assert all(program.objectives and program.expectations for program in programs)


def test_each_program_has_last_and_this_fiscal_year_cycles(demo):
    names = set(Cycle.objects.filter(program__organisation=demo).values_list("name", flat=True))
    assert names == {"2025–2026", "2026–2027"}
    assert Cycle.objects.filter(program__organisation=demo).count() == 6


def test_demo_has_sixty_mentors_and_a_hundred_and_fifty_mentees(demo):
    mentors = Person.objects.filter(organisation=demo, mentor_enrolments__isnull=False).distinct()
    mentees = Person.objects.filter(organisation=demo, mentee_enrolments__isnull=False).distinct()
    assert (mentors.count(), mentees.count()) == (60, 150)
    assert Person.objects.filter(organisation=demo).count() == 210


def test_every_mentee_is_paired(demo):
    unpaired = MenteeEnrolment.objects.filter(program__organisation=demo).exclude(
        person__pairings_as_mentee__isnull=False
    )
    assert not unpaired.exists()


def test_some_people_paused_or_left_with_a_reason(demo):
    stopped = MentorEnrolment.objects.filter(program__organisation=demo).exclude(
        status=EnrolmentStatus.ACTIVE
    )
    assert stopped.count() >= 3
    assert all(enrolment.status_reason and enrolment.status_changed_on for enrolment in stopped)


def test_sessions_span_a_year_with_varied_lengths(demo):
    sessions = MentoringSession.objects.filter(program__organisation=demo)
    assert sessions.count() > 1000
    days = sorted(sessions.values_list("held_on", flat=True).distinct())
    assert days[0] >= TODAY - datetime.timedelta(days=365)
    assert days[-1] <= TODAY
    lengths = set(sessions.values_list("duration_minutes", flat=True))
    assert min(lengths) == 30 and max(lengths) == 120 and len(lengths) >= 5
    assert set(sessions.values_list("format", flat=True)) == {"one_to_one", "group"}
    assert sessions.filter(confirmed_at__isnull=False).count() > 0.8 * sessions.count()


def test_sessions_stay_within_their_pairing(demo):
    for session in MentoringSession.objects.filter(program__organisation=demo).select_related(
        "pairing"
    ):
        pairing = session.pairing
        assert (session.program_id, session.mentor_id, session.mentee_id) == (
            pairing.program_id,
            pairing.mentor_id,
            pairing.mentee_id,
        )
        assert session.held_on >= pairing.starts_on
        assert pairing.ends_on is None or session.held_on <= pairing.ends_on


def test_every_program_dashboard_shows_mentors_needing_attention(demo):
    for program in Program.objects.filter(organisation=demo):
        assert len(mentors_needing_attention(program, TODAY)) >= 3


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.role)
def test_demo_login_works_with_the_demo_password(demo, login):
    user = authenticate(email=login.email, password=DEMO_PASSWORD)
    assert user is not None
    assert Membership.objects.get(organisation=demo, user=user).role == login.role


def test_demo_manager_manages_two_programs(demo):
    manager = Membership.objects.get(organisation=demo, role=Role.MANAGER).user
    assert manager.managed_programs.count() == 2


def test_demo_mentor_is_paired_with_the_demo_mentee_and_has_sessions(demo):
    mentor = Person.objects.get(organisation=demo, user__email="mentor@demo.laurier.ca")
    mentee = Person.objects.get(organisation=demo, user__email="mentore@demo.laurier.ca")
    assert mentor.mentor_enrolments.exists() and mentee.mentee_enrolments.exists()
    pairing = Pairing.objects.get(mentor=mentor, mentee=mentee)
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.sessions.filter(confirmed_at__isnull=True, logged_by="mentor").exists()
    assert mentor.sessions_as_mentor.count() > 5


def test_loading_twice_creates_nothing_new(demo):
    before = counts()
    load_demo_organisation(today=TODAY)
    assert counts() == before


def test_demo_logins_prints_every_login_and_the_password():
    output = StringIO()
    call_command("demo_logins", stdout=output)
    text = output.getvalue()
    assert DEMO_PASSWORD in text
    assert all(login.email in text for login in DEMO_LOGINS)
