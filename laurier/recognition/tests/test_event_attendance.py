"""Attendance, taken by the manager once the event has begun, and cancelling an event with a
reason that everyone still concerned receives."""

import pytest
from django.utils import timezone, translation

from laurier.outbox.services import deliver_due_emails
from laurier.recognition.models import Event, EventInvitation
from laurier.recognition.services import events as services

from .test_event_support import begin, event_url, invite_quietly, mentee, mentor, plan, reload

pytestmark = pytest.mark.django_db
Answer = EventInvitation.Answer


@pytest.fixture
def event(program, manager_user):
    return plan(program, manager_user, kind="workshop", training_hours="3", capacity=2)


@pytest.fixture
def invitations(program, event):
    """Coming, coming, waiting, not coming, not answered."""
    people = [mentor(program, name, "Nom") for name in ("Ana", "Ben", "Cleo", "Dan")]
    invitations = invite_quietly(event, [*people, mentee(program, "Eve", "Nom", language="en")])
    # Their invitations went out: a cancellation tells them.
    EventInvitation.objects.filter(event=event).update(invited_at=timezone.now())
    for invitation in invitations[:3]:
        services.respond(invitation, going=True)
    services.respond(invitations[3], going=False)
    return invitations


def test_attendance_before_the_event_begins_is_refused(login, manager_user, event, invitations):
    client = login(manager_user)

    page = client.get(event_url("event_attendance", event))
    sent = client.post(event_url("event_attendance", event), {"attended": [invitations[0].pk]})

    assert page.status_code == sent.status_code == 302
    assert page["Location"] == event_url("event_detail", event)
    assert not EventInvitation.objects.filter(attended__isnull=False).exists()


def test_the_attendance_page_ticks_those_coming(login, manager_user, event, invitations):
    begin(event)

    response = login(manager_user).get(event_url("event_attendance", event))

    expected = {invitation.pk: checked for invitation, checked in response.context["expected"]}
    others = [invitation.pk for invitation, _checked in response.context["others"]]
    assert expected == {invitations[0].pk: True, invitations[1].pk: True, invitations[2].pk: False}
    assert sorted(others) == [invitations[3].pk, invitations[4].pk]


def test_the_attendance_page_says_it_counts_as_training(login, manager_user, event, invitations):
    begin(event)

    with translation.override("en"):
        page = login(manager_user).get(event_url("event_attendance", event)).content.decode()

    assert "Training hours counted for each person who came: 3<" in page


def test_attendance_is_saved_after_the_event_begins(login, manager_user, event, invitations):
    begin(event)

    response = login(manager_user).post(
        event_url("event_attendance", event),
        {"attended": [invitations[0].pk, invitations[2].pk, invitations[4].pk]},
    )

    assert response.status_code == 302
    assert [reload(invitation).attended for invitation in invitations] == [
        True,
        False,
        True,
        None,
        True,
    ]


def test_attendance_taken_is_shown_on_the_page_and_prefilled_again(
    login, manager_user, event, invitations
):
    begin(event)
    services.take_attendance(event, actor=manager_user, attended_ids=[invitations[1].pk])
    client = login(manager_user)

    detail = client.get(event_url("event_detail", event))
    again = client.get(event_url("event_attendance", event))

    assert detail.context["figures"]["attended_count"] == 1
    assert detail.context["figures"]["attendance_taken"]
    checked = [invitation.pk for invitation, ticked in again.context["expected"] if ticked]
    assert checked == [invitations[1].pk]


def test_someone_not_invited_cannot_be_marked_as_come(
    login, manager_user, program, event, invitations
):
    begin(event)
    elsewhere = plan(program, manager_user, name_en="Another one", name_fr="Un autre")
    (stranger,) = invite_quietly(elsewhere, [mentor(program, "Zed", "Autre")])

    response = login(manager_user).post(
        event_url("event_attendance", event), {"attended": [stranger.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert reload(stranger).attended is None
    assert not EventInvitation.objects.filter(attended__isnull=False).exists()


def test_cancelling_needs_a_reason(login, manager_user, event, invitations):
    response = login(manager_user).post(event_url("event_cancel", event), {"reason": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Event.objects.get(pk=event.pk).cancelled_at is None


def test_the_cancel_page_says_who_is_told(login, manager_user, event, invitations):
    with translation.override("en"):
        response = login(manager_user).get(event_url("event_cancel", event))

    page = response.content.decode()
    assert response.context["told"] == 4
    assert "4 people are told by e-mail" in page
    assert "The 1 person who said no is not told." in page


def test_cancelling_tells_those_coming_waiting_or_not_answered(
    smtp_server, login, manager_user, event, invitations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager_user).post(
            event_url("event_cancel", event), {"reason": "La salle est inondée."}
        )
    deliver_due_emails()

    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).cancelled_at is not None
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "ana.nom@example.org",
        "ben.nom@example.org",
        "cleo.nom@example.org",
        "eve.nom@example.org",
    ]
    english = next(m for m in smtp_server.messages if m["To"] == "eve.nom@example.org")
    assert english["Subject"].strip().startswith("Cancelled:")
    assert "La salle est inondée." in english.get_body(preferencelist=("plain",)).get_content()


def test_a_cancelled_event_offers_no_invitation_nor_attendance(
    login, manager_user, event, invitations
):
    services.cancel_event(event, actor=manager_user, reason="Tempête")
    client = login(manager_user)

    for name in ("event_invite", "event_attendance", "event_cancel", "event_edit"):
        response = client.get(event_url(name, event))
        assert response.status_code == 302, name
        assert response["Location"] == event_url("event_detail", event)
