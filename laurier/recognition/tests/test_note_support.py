"""What the tests of thank-you note campaigns share: a program with mentors and their mentees,
campaigns made through the services, notes written and read, and the pages' addresses."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from laurier.core.dates import organisation_today
from laurier.programs.models import Person
from laurier.recognition.categories import Giver
from laurier.recognition.models import NoteWriter, ThankYouNote
from laurier.recognition.services import notes as services
from laurier.testing import factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Personal links count requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


def enrol(program, first_name="Hélène", last_name="Tremblay", language="fr-ca", **fields):
    """An active mentor of `program`."""
    return factories.MentorEnrolmentFactory(
        program=program,
        person__organisation=program.organisation,
        person__first_name=first_name,
        person__last_name=last_name,
        person__language=language,
        **{f"person__{name}": value for name, value in fields.items()},
    ).person


def pair(program, mentor, first_name="Jean", last_name="Roy", language="fr-ca", **fields):
    """A mentee of `mentor` in an active pairing."""
    mentee = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name=last_name,
        language=language,
        **fields,
    )
    factories.PairingFactory(program=program, mentor=mentor, mentee=mentee)
    return mentee


def last_day(program, days=14):
    return organisation_today(program.organisation) + datetime.timedelta(days=days)


def invite(program, actor=None, *, mentor=None, **fields):
    """A campaign made as the manager's form makes it; its invitations are queued."""
    values = {"closes_on": last_day(program), "mentees": True, **fields}
    campaign, _created = services.create_note_campaign(
        program=program, actor=actor, mentor=mentor, **values
    )
    return campaign


def writer_of(campaign, person=None, email=None):
    if person is not None:
        return NoteWriter.objects.get(campaign=campaign, person=person)
    return NoteWriter.objects.get(campaign=campaign, email=email)


def write(campaign, writer, mentor, text="Merci pour tout.", signature=None):
    note, _created = services.write_note(
        writer, mentor=mentor, text=text, signature=signature or writer.name
    )
    return note


def approve(campaign, *notes, actor=None):
    from django.contrib.auth.models import AnonymousUser

    services.moderate_notes(
        campaign,
        actor=actor or AnonymousUser(),
        note_ids=[note.pk for note in notes],
        approve=True,
    )


def set_aside(campaign, *notes, actor=None):
    from django.contrib.auth.models import AnonymousUser

    services.moderate_notes(
        campaign,
        actor=actor or AnonymousUser(),
        note_ids=[note.pk for note in notes],
        approve=False,
    )


def named_writer(campaign, name="Sophie Gagnon", email="sophie@example.org", language="en"):
    """Someone outside the program, invited by name."""
    return NoteWriter.objects.create(
        campaign=campaign, name=name, email=email, language=language, relation=Giver.EXECUTIVE
    )


def campaign_url(name, campaign, *args, organisation=None, program=None):
    organisation = organisation or campaign.organisation
    program = program or campaign.program
    return reverse(
        f"recognition:{name}", args=[organisation.slug, program.slug, campaign.pk, *args]
    )


def list_url(program, name="note_campaigns"):
    return reverse(f"recognition:{name}", args=[program.organisation.slug, program.slug])


def link_of(writer):
    return reverse("notes_public:write", args=[writer.token])


def reload(instance):
    instance.refresh_from_db()
    return instance


def person_of(user):
    return Person.objects.get(user=user)


def statuses(campaign):
    return dict(ThankYouNote.objects.filter(campaign=campaign).values_list("pk", "status"))
