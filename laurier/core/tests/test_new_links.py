"""One person's personal link replaced by a manager: the old address dies, a new one is sent.

The same rules hold for the three kinds of personal link (a survey recipient's, a thank-you
note writer's, an event invitee's), so each test runs for each kind: `KINDS` says how to make
a person with something already answered through their link, where the manager's button
posts, and what their page shows of it.
"""

import datetime
import re
import secrets
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurier.core.dates import organisation_today
from laurier.core.link_renewal import fingerprint
from laurier.core.tests.test_page_markup import check_markup
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.models import EventInvitation, EventKind, NoteWriter
from laurier.recognition.services import events as event_services
from laurier.recognition.services import notes as note_services
from laurier.surveys.models import Answer, Question, Recipient, Response
from laurier.surveys.services import campaigns as survey_services
from laurier.testing import factories

ANSWERED = "Always there when it mattered."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Personal links count requests and failures in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def _mentor(program, first_name, email):
    return factories.MentorEnrolmentFactory(
        program=program,
        status=EnrolmentStatus.ACTIVE,
        person__organisation=program.organisation,
        person__first_name=first_name,
        person__last_name="Tremblay",
        person__email=email,
        person__language="en",
    ).person


# --- The three kinds of link -------------------------------------------------------------------


def survey_holder(program):
    """A recipient of an open survey who answered its question."""
    survey = factories.SurveyFactory(organisation=program.organisation, frozen=True)
    question = factories.QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT)
    campaign = factories.CampaignFactory(program=program, survey=survey)
    recipient = factories.RecipientFactory(
        campaign=campaign,
        person=_mentor(program, "Léa", "lea@example.org"),
        invited_at=None,
        responded_at=timezone.now(),
    )
    survey_services.queue_invitations(campaign)
    response = Response.objects.create(recipient=recipient, campaign=campaign)
    Answer.objects.create(response=response, question=question, text=ANSWERED)
    return recipient


def note_holder(program):
    """A mentee invited to thank their mentor, with a note in progress."""
    mentor = _mentor(program, "Marc", "marc@example.org")
    mentee = factories.PersonFactory(
        organisation=program.organisation, first_name="Léa", email="lea@example.org", language="en"
    )
    factories.PairingFactory(program=program, mentor=mentor, mentee=mentee)
    campaign, _created = note_services.create_note_campaign(
        program=program,
        actor=None,
        mentor=mentor,
        closes_on=organisation_today(program.organisation) + datetime.timedelta(days=14),
    )
    writer = NoteWriter.objects.get(campaign=campaign, person=mentee)
    note_services.queue_note_invitations(campaign)
    note_services.write_note(writer, mentor=mentor, text=ANSWERED, signature="Léa")
    return NoteWriter.objects.get(pk=writer.pk)


def event_holder(program):
    """A mentor invited to an event a week ahead, who said they are coming."""
    starts_at = timezone.now() + datetime.timedelta(days=7)
    event, _created = event_services.create_event(
        program=program,
        actor=None,
        kind=EventKind.GALA,
        name_fr="Gala",
        name_en="Gala",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
    )
    invitation = EventInvitation.objects.create(
        event=event, person=_mentor(program, "Léa", "lea@example.org")
    )
    event_services.queue_event_invitations(event)
    return event_services.respond(invitation, going=True)


@dataclass(frozen=True)
class LinkKind:
    name: str
    make: object
    button: str  # the URL name of the manager's "New link"
    nested: str  # the kwarg naming the person's row in it
    parent: str  # the attribute holding the campaign or event
    public: str  # the URL name of the personal link
    shown: str  # what the person's page shows of what they answered
    invitation_reason: str
    page: str  # the URL name of the manager's page listing them

    def button_url(self, holder, organisation=None):
        parent = getattr(holder, self.parent)
        return reverse(
            self.button,
            kwargs={
                "organisation_slug": (organisation or parent.program.organisation).slug,
                "program_slug": parent.program.slug,
                "pk": parent.pk,
                self.nested: holder.pk,
            },
        )

    def page_url(self, holder):
        parent = getattr(holder, self.parent)
        return reverse(
            self.page, args=[parent.program.organisation.slug, parent.program.slug, parent.pk]
        )

    def link(self, token):
        return reverse(self.public, args=[token])


KINDS = [
    LinkKind(
        "survey", survey_holder, "surveys:recipient_new_link", "recipient_pk", "campaign",
        "survey_links:answer", ANSWERED, "survey-invitation", "surveys:campaign_recipients",
    ),
    LinkKind(
        "note", note_holder, "recognition:note_writer_new_link", "writer_pk", "campaign",
        "notes_public:write", ANSWERED, "note-invitation", "recognition:note_campaign_detail",
    ),
    LinkKind(
        "event", event_holder, "recognition:event_invitation_new_link", "invitation_pk", "event",
        "events_public:rsvp", "You are coming: your place is kept.", "event-invitation",
        "recognition:event_detail",
    ),
]  # fmt: skip


@pytest.fixture(params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request):
    return request.param


@pytest.fixture
def holder(kind, program):
    return kind.make(program)


@pytest.fixture
def manager(client, manager_user):
    client.force_login(manager_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def reload(holder):
    return type(holder).objects.get(pk=holder.pk)


def new_link(client, kind, holder, seen=None, *, follow=False):
    """Press the holder's "New link" button, as the page showed it (`seen`: its fingerprint);
    `follow` to read the page it comes back to, with its message."""
    return client.post(
        kind.button_url(holder), {"link": seen or fingerprint(holder.token)}, follow=follow
    )


def page_of(response, token):
    """The page without its address's token and its CSRF token (masked anew each time)."""
    page = response.content.decode().replace(token, "TOKEN")
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")\w+', r"\1", page)


def new_link_emails(kind, holder):
    return OutgoingEmail.objects.filter(
        reason__startswith=f"{kind.invitation_reason}:{holder.pk}:link-"
    )


# --- The button ------------------------------------------------------------------------------


def test_the_managers_page_carries_the_links_fingerprint_never_the_link(manager, kind, holder):
    page = manager.get(kind.page_url(holder)).content.decode()

    assert kind.button_url(holder) in page
    assert f'value="{fingerprint(holder.token)}"' in page
    assert holder.token not in page
    assert "stops working at once" in page


def test_the_managers_page_with_the_buttons_is_sound_markup(manager, kind, holder):
    duplicates, unlabelled, h1_count = check_markup(
        manager.get(kind.page_url(holder)).content.decode()
    )

    assert (duplicates, unlabelled, h1_count) == ([], [], 1)


def test_a_closed_campaign_or_event_offers_no_button(manager, kind, holder):
    _close(holder)

    page = manager.get(kind.page_url(holder)).content.decode()

    assert kind.button_url(holder) not in page


# --- What the button does ----------------------------------------------------------------------


def test_the_old_link_answers_like_an_unknown_one(manager, kind, holder):
    old, unknown = holder.token, secrets.token_urlsafe(32)

    new_link(manager, kind, holder)

    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    after, never = visitor.get(kind.link(old)), visitor.get(kind.link(unknown))
    assert after.status_code == never.status_code == 404
    # The same page but for the address itself (the language switcher comes back to it).
    assert page_of(after, old) == page_of(never, unknown)


def test_the_new_link_shows_what_they_already_answered(manager, kind, holder):
    new_link(manager, kind, holder)

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(kind.link(reload(holder).token))

    assert page.status_code == 200
    assert kind.shown in page.content.decode()


def test_one_email_leaves_with_the_new_link_only(manager, kind, holder):
    old = holder.token

    new_link(manager, kind, holder)

    token = reload(holder).token
    email = new_link_emails(kind, holder).get()
    assert email.to == "lea@example.org"
    assert kind.link(token) in email.text and kind.link(token) in email.html
    assert old not in email.text + email.html + str(email.attachments)
    assert "the one sent to you before no longer works" in email.text


def test_the_unsent_emails_with_the_old_link_are_withdrawn(manager, kind, holder):
    OutgoingEmail.objects.filter(reason=f"{kind.invitation_reason}:{holder.pk}").update(
        status=OutgoingEmail.Status.FAILED
    )

    new_link(manager, kind, holder)

    first = OutgoingEmail.objects.get(reason=f"{kind.invitation_reason}:{holder.pk}")
    assert first.status == OutgoingEmail.Status.CANCELLED


def test_the_audit_trail_records_it_without_the_token(manager, manager_user, kind, holder):
    old = holder.token

    new_link(manager, kind, holder)

    event = AuditEvent.objects.get(object_type=holder._meta.label_lower, object_id=str(holder.pk))
    assert event.actor == manager_user
    assert event.changes == {"new_link": True}
    assert old not in str(event.changes) and reload(holder).token not in str(event.changes)


def test_a_double_submit_replaces_the_link_once(manager, kind, holder):
    seen = fingerprint(holder.token)
    new_link(manager, kind, holder, seen)
    token = reload(holder).token

    again = new_link(manager, kind, holder, seen, follow=True)

    assert reload(holder).token == token
    assert new_link_emails(kind, holder).count() == 1
    assert AuditEvent.objects.filter(object_type=holder._meta.label_lower).count() == 1
    assert "was already replaced" in again.content.decode()


def test_the_manager_is_told_where_the_new_link_went(manager, kind, holder):
    response = new_link(manager, kind, holder, follow=True)

    assert "a new one is on its way to lea@example.org" in response.content.decode()


# --- Who may press it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin_user", "manager_user"])
def test_admins_and_the_programs_managers_may(request, client, role, kind, holder):
    client.force_login(request.getfixturevalue(role))
    old = holder.token

    client.post(kind.button_url(holder), {"link": fingerprint(old)})

    assert reload(holder).token != old


def test_a_mentor_may_not(client, mentor_user, kind, holder):
    client.force_login(mentor_user)

    response = client.post(kind.button_url(holder), {"link": fingerprint(holder.token)})

    assert response.status_code == 403
    assert not new_link_emails(kind, holder).exists()


def test_a_manager_of_another_program_gets_404(client, organisation, kind, holder):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role="manager")
    factories.ProgramFactory(organisation=organisation).managers.add(other_manager)
    client.force_login(other_manager)

    response = client.post(kind.button_url(holder), {"link": fingerprint(holder.token)})

    assert response.status_code == 404


def test_another_organisations_admin_gets_404(
    client, other_admin_user, other_organisation, kind, holder
):
    factories.ProgramFactory(organisation=other_organisation, slug="releve")
    client.force_login(other_admin_user)
    old = holder.token

    for address in (
        kind.button_url(holder),
        kind.button_url(holder, organisation=other_organisation),
    ):
        response = client.post(address, {"link": fingerprint(old)})
        assert response.status_code == 404
    assert reload(holder).token == old


def test_only_post_is_accepted(manager, kind, holder):
    assert manager.get(kind.button_url(holder)).status_code == 405


# --- When the link has nothing left to open ----------------------------------------------------


def _close(holder):
    if isinstance(holder, Recipient):
        holder.campaign.closed_at = holder.campaign.closes_at = timezone.now()
        holder.campaign.save()
    elif isinstance(holder, NoteWriter):
        holder.campaign.closed_at = timezone.now()
        holder.campaign.save()
    else:
        holder.event.cancelled_at = timezone.now()
        holder.event.save()


def test_a_closed_campaign_or_event_keeps_the_link(manager, kind, holder):
    old = holder.token
    _close(holder)

    response = new_link(manager, kind, holder, follow=True)

    assert reload(holder).token == old
    assert not new_link_emails(kind, holder).exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
