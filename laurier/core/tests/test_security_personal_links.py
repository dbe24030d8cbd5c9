"""Personal links (pages opened without logging in, a secret in the address) are single-purpose,
expire and can be revoked."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from laurier.organisations.services import revoke_invitation
from laurier.recognition.models import Event, EventInvitation, NoteCampaign, NoteWriter
from laurier.recognition.services import calendar as calendar_services
from laurier.recognition.services.events import RSVP_LINK_DAYS_AFTER_EVENT
from laurier.surveys.models import Campaign
from laurier.testing import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mentor(organisation, program):
    person = factories.PersonFactory(organisation=organisation, language="fr-ca")
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def survey_link(program, mentor, manager_user):
    return factories.RecipientFactory(
        campaign=factories.CampaignFactory(program=program), person=mentor
    )


def note_link(program, mentor, manager_user):
    campaign = NoteCampaign.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=mentor,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        created_by=manager_user,
    )
    return NoteWriter.objects.create(
        campaign=campaign, name="Léa", email="lea@example.org", relation="mentee"
    )


def event_link(program, mentor, manager_user, *, starts_at=None):
    starts_at = starts_at or NOW + datetime.timedelta(days=10)
    event = Event.objects.create(
        organisation=program.organisation,
        program=program,
        kind="social",
        name_fr="Souper",
        name_en="Dinner",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        created_by=manager_user,
    )
    return EventInvitation.objects.create(event=event, person=mentor)


def juror_link(program, mentor, manager_user):
    return factories.JurorFactory(edition=factories.EditionFactory(program=program))


def nominee_link(program, mentor, manager_user):
    return factories.NomineeFactory(category__edition__program=program, person=mentor)


def nomination_link(program, mentor, manager_user):
    return factories.NominationFactory(
        nominee__category__edition__program=program, nominee__person=mentor
    )


def invitation_link(program, mentor, manager_user):
    return factories.InvitationFactory(organisation=program.organisation, invited_by=manager_user)


def feed_link(program, mentor, manager_user):
    return calendar_services.regenerate_feed(program, actor=manager_user)


# Each kind of link: how to make one, and the address its token opens.
LINKS = {
    "survey": (survey_link, "survey_links:answer"),
    "note": (note_link, "notes_public:write"),
    "event": (event_link, "events_public:rsvp"),
    "jury": (juror_link, "contests:juror_home"),
    "nominee": (nominee_link, "contests:nominee_page"),
    "nomination": (nomination_link, "contests:nomination_change"),
    "invitation": (invitation_link, "organisations:invitation_accept"),
    "calendar": (feed_link, "recognition_public:calendar_feed"),
}


def made(kind, program, mentor, manager_user):
    make, _address = LINKS[kind]
    return make(program, mentor, manager_user)


def address(kind, token):
    return reverse(LINKS[kind][1], args=[token])


@pytest.mark.parametrize("kind", LINKS)
def test_a_link_opens_its_own_page(client, program, mentor, manager_user, kind):
    link = made(kind, program, mentor, manager_user)

    assert client.get(address(kind, link.token)).status_code == 200


@pytest.mark.parametrize("kind", LINKS)
def test_a_links_token_opens_no_other_kind_of_page(client, program, mentor, manager_user, kind):
    token = made(kind, program, mentor, manager_user).token

    statuses = {
        other: client.get(address(other, token)).status_code for other in LINKS if other != kind
    }

    assert set(statuses.values()) == {404}, statuses


def in_french(message):
    with translation.override("fr-ca"):
        return translation.gettext(message)


def templates_of(response):
    return [template.name for template in response.templates]


# --- Expiry -----------------------------------------------------------------------------------


def test_a_survey_link_expires_when_its_campaign_closes(client, program, mentor, manager_user):
    recipient = survey_link(program, mentor, manager_user)
    Campaign.objects.filter(pk=recipient.campaign_id).update(
        closes_at=NOW - datetime.timedelta(days=1)
    )

    response = client.get(address("survey", recipient.token))

    assert response.status_code == 410
    assert "surveys/answering/closed_link.html" in templates_of(response)


def test_a_note_link_expires_after_the_last_day_to_write(client, program, mentor, manager_user):
    writer = note_link(program, mentor, manager_user)
    NoteCampaign.objects.filter(pk=writer.campaign_id).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    response = client.get(address("note", writer.token))

    assert response.status_code == 410
    assert "recognition/notes/write/closed.html" in templates_of(response)


def test_an_event_link_expires_a_week_after_the_event(client, program, mentor, manager_user):
    days = RSVP_LINK_DAYS_AFTER_EVENT + 1
    invitation = event_link(
        program, mentor, manager_user, starts_at=NOW - datetime.timedelta(days=days)
    )

    response = client.get(address("event", invitation.token))

    assert response.status_code == 410
    assert in_french("This link has expired") in response.text
    assert mentor.first_name not in response.text


def test_an_event_link_still_shows_the_event_just_after_it(client, program, mentor, manager_user):
    invitation = event_link(
        program, mentor, manager_user, starts_at=NOW - datetime.timedelta(days=1)
    )

    assert client.get(address("event", invitation.token)).status_code == 200


def test_an_invitation_expires(client, program, mentor, manager_user):
    invitation = invitation_link(program, mentor, manager_user)
    invitation.expires_at = NOW - datetime.timedelta(minutes=1)
    invitation.save()

    response = client.get(address("invitation", invitation.token))

    assert response.status_code == 410
    assert response.context["reason"] == "expired"


def test_a_calendar_address_expires_after_a_year(client, program, mentor, manager_user):
    feed = feed_link(program, mentor, manager_user)
    feed.created_at = NOW - datetime.timedelta(days=366)
    feed.save()

    response = client.get(address("calendar", feed.token))

    assert response.status_code == 410
    assert "BEGIN:VCALENDAR" not in response.text


def test_the_calendar_page_says_until_when_its_address_works(
    login, organisation, program, manager_user
):
    feed = calendar_services.regenerate_feed(program, actor=manager_user)

    page = login(manager_user).get(
        reverse("recognition:calendar", args=[organisation.slug, program.slug])
    )

    assert page.context["feed"].expires_at == feed.expires_at
    assert str(feed.expires_at.year) in page.text


def test_a_jury_link_stops_showing_the_nominations_once_the_winners_are_announced(
    client, program, mentor, manager_user
):
    juror = juror_link(program, mentor, manager_user)
    juror.edition.announced_at = NOW
    juror.edition.save()

    response = client.get(address("jury", juror.token))

    assert "contests/jury/announced.html" in templates_of(response)


@pytest.mark.parametrize(
    ("kind", "edition_of"),
    [
        ("nominee", lambda nominee: nominee.category.edition),
        ("nomination", lambda nomination: nomination.nominee.category.edition),
    ],
)
@pytest.mark.parametrize(("days_since", "status"), [(29, 200), (31, 410)])
def test_a_nominees_and_a_nominators_links_expire_a_month_after_the_announcement(
    client, program, mentor, manager_user, kind, edition_of, days_since, status
):
    link = made(kind, program, mentor, manager_user)
    edition = edition_of(link)
    edition.announced_at = NOW - datetime.timedelta(days=days_since)
    edition.save()

    response = client.get(address(kind, link.token))

    assert response.status_code == status
    if status == 410:
        assert in_french("This link has expired") in response.text


# --- Revocation -------------------------------------------------------------------------------


def test_closing_a_survey_campaign_early_closes_its_links(client, program, mentor, manager_user):
    from laurier.surveys.services.campaigns import close_campaign

    recipient = survey_link(program, mentor, manager_user)
    close_campaign(recipient.campaign, actor=manager_user)

    assert client.get(address("survey", recipient.token)).status_code == 410


def test_closing_a_note_campaign_early_closes_its_links(client, program, mentor, manager_user):
    from laurier.recognition.services.notes import close_note_campaign

    writer = note_link(program, mentor, manager_user)
    close_note_campaign(writer.campaign, actor=manager_user)

    assert client.get(address("note", writer.token)).status_code == 410


def test_a_revoked_invitation_says_so(client, program, mentor, manager_user, admin_user):
    invitation = invitation_link(program, mentor, manager_user)
    revoke_invitation(invitation=invitation, actor=admin_user)

    response = client.get(address("invitation", invitation.token))

    assert response.status_code == 410
    assert response.context["reason"] == "revoked"


def test_a_new_calendar_address_ends_the_old_one(client, program, mentor, manager_user):
    old_token = feed_link(program, mentor, manager_user).token
    calendar_services.regenerate_feed(program, actor=manager_user)

    assert client.get(address("calendar", old_token)).status_code == 404


def test_a_juror_taken_off_the_jury_loses_their_link(client, program, mentor, manager_user):
    from laurier.contests.services.editions import remove_juror

    edition = factories.EditionFactory(
        program=program,
        year=2027,
        nominations_open_on=datetime.date(2027, 3, 1),
        nominations_close_on=datetime.date(2027, 3, 31),
        scoring_close_on=datetime.date(2027, 4, 20),
        announce_on=datetime.date(2027, 5, 1),
    )
    juror = factories.JurorFactory(edition=edition)
    remove_juror(juror, actor=manager_user)

    assert client.get(address("jury", juror.token)).status_code == 404


def test_a_cancelled_event_tells_its_invited_people_and_takes_no_answer(
    client, program, mentor, manager_user
):
    from laurier.recognition.services.events import cancel_event

    invitation = event_link(program, mentor, manager_user)
    cancel_event(invitation.event, actor=manager_user, reason="Tempête")

    response = client.post(address("event", invitation.token), {"answer": "yes"}, follow=True)

    invitation.refresh_from_db()
    assert invitation.answer == EventInvitation.Answer.PENDING
    assert in_french("This event was cancelled.") in response.text
