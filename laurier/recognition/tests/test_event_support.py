"""What the event tests share: people of the program, an event a week ahead, invitations
made without e-mails, and moving an event into the past (time passes for the event, not the
clock: the services read the real time)."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from laurier.core.search import without_accents
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.models import Event, EventInvitation, EventKind
from laurier.recognition.services import events as services
from laurier.testing import factories

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limits count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def person(organisation, first_name, last_name="Tremblay", language="fr-ca", **fields):
    return factories.PersonFactory(
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=without_accents(f"{first_name}.{last_name}@example.org").lower(),
        language=language,
        **fields,
    )


def mentor(program, first_name="Léa", last_name="Tremblay", **fields):
    someone = person(program.organisation, first_name, last_name, **fields)
    factories.MentorEnrolmentFactory(
        program=program, person=someone, since=datetime.date(2024, 9, 1)
    )
    return someone


def mentee(program, first_name="Noah", last_name="Gagnon", **fields):
    someone = person(program.organisation, first_name, last_name, **fields)
    factories.MenteeEnrolmentFactory(
        program=program,
        person=someone,
        since=datetime.date(2024, 9, 1),
        status=EnrolmentStatus.ACTIVE,
    )
    return someone


def next_week_at(hour=18, days=7):
    """A moment in a week, at `hour` o'clock in Toronto (the organisation's zone)."""
    day = datetime.datetime.now(TORONTO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TORONTO)


def plan(program, actor=None, **fields):
    starts_at = fields.pop("starts_at", None) or next_week_at()
    values = {
        "kind": EventKind.GALA,
        "name_fr": "Gala des mentors",
        "name_en": "Mentors' gala",
        "place": "Château Frontenac, Québec",
        "starts_at": starts_at,
        "ends_at": starts_at + 3 * HOUR,
        **fields,
    }
    event, _created = services.create_event(program=program, actor=actor, **values)
    return event


def invite_quietly(event, people):
    """Invitations without the e-mails: for pages that only need people invited."""
    EventInvitation.objects.bulk_create(
        EventInvitation(event=event, person=someone) for someone in people
    )
    return list(EventInvitation.objects.filter(event=event).order_by("pk"))


def begin(event, ago=HOUR):
    """The event began `ago`: moved into the past."""
    starts_at = datetime.datetime.now(datetime.UTC) - ago
    Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + 3 * HOUR)
    event.refresh_from_db()
    return event


def event_url(name, event, **where):
    program = where.get("program") or event.program
    organisation = where.get("organisation") or program.organisation
    return reverse(
        f"recognition:{name}",
        kwargs={
            "organisation_slug": organisation.slug,
            "program_slug": program.slug,
            "pk": event.pk,
        },
    )


def list_url(program, name="events"):
    return reverse(
        f"recognition:{name}",
        kwargs={"organisation_slug": program.organisation.slug, "program_slug": program.slug},
    )


def rsvp_url(invitation):
    return reverse("events_public:rsvp", args=[invitation.token])


def reload(instance):
    return type(instance).objects.get(pk=instance.pk)
