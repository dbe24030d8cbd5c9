"""The dashboard's figures are counted once per change of the organisation's data.

Factories write without the services, so a row they add after a first visit stays unseen:
that is how these tests tell a cached page from a counted one.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from laurier.hours import services as hours
from laurier.hours.tests.test_manager_pages import session_form
from laurier.privacy.services.erasure import erase_person
from laurier.programs import services
from laurier.programs.models import EnrolmentStatus, FiguresVersion, MentorEnrolment, Pairing
from laurier.programs.selectors import program_dashboard
from laurier.recognition.models import CompensationDecision
from laurier.recognition.services.compensation import record_decision
from laurier.testing import factories


def active_mentors(client, program_url):
    return client.get(program_url("dashboard")).context["figures"].active_mentors


def version(organisation):
    return (
        FiguresVersion.objects.filter(organisation=organisation)
        .values_list("number", flat=True)
        .first()
        or 0
    )


def test_the_dashboard_is_counted_once_then_again_after_a_change(
    manager_client, program, program_url, manager_user, today
):
    factories.MentorEnrolmentFactory(program=program)
    assert active_mentors(manager_client, program_url) == 1
    unseen = factories.MentorEnrolmentFactory(program=program)
    assert active_mentors(manager_client, program_url) == 1
    services.change_enrolment_status(
        unseen, status=EnrolmentStatus.PAUSED, reason="", changed_on=today, actor=manager_user
    )
    factories.MentorEnrolmentFactory(program=program)
    assert active_mentors(manager_client, program_url) == 2


def test_a_cached_dashboard_reads_only_what_the_request_needs(
    manager_client, program, program_url, django_assert_max_num_queries
):
    for _ in range(3):
        factories.PairingFactory(program=program)
    manager_client.get(program_url("dashboard"))
    # The session, the account, the membership (with the organisation and its figures
    # version), the program.
    with django_assert_max_num_queries(4):
        assert manager_client.get(program_url("dashboard")).status_code == 200


def test_figures_are_kept_per_day(program, today):
    factories.MentorEnrolmentFactory(program=program)
    program_dashboard(program.organisation, program, today)
    factories.MentorEnrolmentFactory(program=program)
    assert program_dashboard(program.organisation, program, today).figures.active_mentors == 1
    tomorrow = today + datetime.timedelta(days=1)
    assert program_dashboard(program.organisation, program, tomorrow).figures.active_mentors == 2


@pytest.fixture
def pairing(program, today):
    return factories.PairingFactory(program=program, starts_on=today - datetime.timedelta(days=90))


@pytest.fixture
def session(pairing, today):
    return factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=60)


WRITERS = {
    "log a session": lambda s, user, today: hours.log_session(
        s.pairing, today - datetime.timedelta(days=1), 45, user=user
    ),
    "correct a session": lambda s, user, today: hours.update_session(
        s, held_on=s.held_on, duration_minutes=30, format=s.format, setting=s.setting, user=user
    ),
    "delete a session": lambda s, user, today: hours.delete_session(s, user),
    "log sessions in bulk": lambda s, user, today: hours.log_sessions_in_bulk(
        s.pairing.program,
        [
            {
                "pairing": s.pairing,
                "held_on": today - datetime.timedelta(days=2),
                "duration_minutes": 50,
            }
        ],
        user,
    ),
    "enrol a mentor": lambda s, user, today: services.enrol_mentor(
        program=s.pairing.program,
        person=factories.PersonFactory(organisation=s.pairing.program.organisation),
        since=today,
        actor=user,
    ),
    "enrol a mentee": lambda s, user, today: services.enrol_mentee(
        program=s.pairing.program,
        person=factories.PersonFactory(organisation=s.pairing.program.organisation),
        since=today,
        actor=user,
    ),
    "pause a mentor": lambda s, user, today: services.change_enrolment_status(
        MentorEnrolment.objects.get(person=s.pairing.mentor),
        status=EnrolmentStatus.PAUSED,
        reason="",
        changed_on=today,
        actor=user,
    ),
    "end a pairing": lambda s, user, today: services.update_pairing(
        s.pairing, ends_on=today, status=Pairing.Status.COMPLETED, actor=user
    ),
    "pair again": lambda s, user, today: services.create_pairing(
        program=s.pairing.program,
        mentor=s.pairing.mentor,
        mentee=factories.MenteeEnrolmentFactory(program=s.pairing.program).person,
        cycle=None,
        starts_on=today,
        actor=user,
    ),
    "rename a mentor": lambda s, user, today: services.update_person(
        s.pairing.mentor, actor=user, last_name="Renamed"
    ),
    "erase a mentor": lambda s, user, today: erase_person(s.pairing.mentor, actor=user),
    "decide to pay the mentors": lambda s, user, today: record_decision(
        program=s.pairing.program,
        actor=user,
        decision=CompensationDecision.Decision.STIPEND,
        context="Long commutes",
        goals="Keep mentors",
        stakeholders="HR",
        risks="Motivation may change",
        amount_per_mentor=500,
        decided_on=today,
        review_on=today + datetime.timedelta(days=365),
    ),
}


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_every_service_that_changes_the_figures_moves_the_version(
    write, session, admin_user, organisation, other_organisation, today
):
    before, others_before = version(organisation), version(other_organisation)
    write(session, admin_user, today)
    assert version(organisation) == before + 1
    assert version(other_organisation) == others_before


def test_a_change_rolled_back_leaves_the_version(session, admin_user, organisation, today):
    with pytest.raises(RuntimeError), transaction.atomic():
        hours.delete_session(session, admin_user)
        raise RuntimeError
    assert version(organisation) == 0


def test_a_session_logged_on_the_page_shows_on_the_dashboard(
    manager_client, organisation, program, program_url, pairing, today
):
    assert manager_client.get(program_url("dashboard")).context["figures"].minutes_this_year == 0
    response = manager_client.post(
        reverse("hours:session_create", args=[organisation.slug, program.slug]),
        session_form(pairing, held_on=today.isoformat()),
    )
    assert response.status_code == 302
    assert manager_client.get(program_url("dashboard")).context["figures"].minutes_this_year == 90


def test_the_cached_dashboard_speaks_each_readers_language(
    manager_client, manager_user, program, program_url, today
):
    factories.MentorEnrolmentFactory(program=program)
    for language, heading in (("fr-ca", "Heures par mois"), ("en", "Hours per month")):
        manager_user.language = language
        manager_user.save(update_fields=["language"])
        assert heading in manager_client.get(program_url("dashboard")).text


def test_the_cached_dashboard_shows_a_renamed_program(
    manager_client, manager_user, program, program_url
):
    manager_client.get(program_url("dashboard"))
    services.update_program(program, actor=manager_user, name="Relève 2027")
    assert "<h1>Relève 2027</h1>" in manager_client.get(program_url("dashboard")).text


def test_a_decision_to_pay_shows_on_the_cached_dashboard(
    manager_client, manager_user, program, program_url, today
):
    assert "payment-warning" not in manager_client.get(program_url("dashboard")).text
    WRITERS["decide to pay the mentors"](
        factories.MentoringSessionFactory(pairing=factories.PairingFactory(program=program)),
        manager_user,
        today,
    )
    assert "payment-warning" in manager_client.get(program_url("dashboard")).text
