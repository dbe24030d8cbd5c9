"""What the spotlight tests share: mentors with a profile (and their consent), their record
(sessions, mentees, given awards, kudos, thank-you notes) and the pages' addresses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.recognition.categories import Giver, PublicConsent, Visibility
from laurier.recognition.models import (
    Award,
    Kudos,
    NoteCampaign,
    NoteWriter,
    Spotlight,
    ThankYouNote,
)
from laurier.recognition.services import spotlights as services
from laurier.testing import factories

TODAY = datetime.date(2026, 6, 15)
SINCE = datetime.date(2021, 9, 1)


@pytest.fixture
def spotlight_today(monkeypatch):
    """Drafts count years and this year's hours from TODAY, whatever day the suite runs."""
    monkeypatch.setattr(services, "organisation_today", lambda organisation: TODAY)
    return TODAY


def mentor(program, first_name="Léa", last_name="Tremblay", consent=PublicConsent.YES, **fields):
    """An active mentor of `program` since SINCE; `consent` None: no profile at all."""
    values = {"job_title": "Senior engineer", "department": "Operations", **fields}
    interests = values.pop("interests", "birdwatching and jazz")
    since = values.pop("since", SINCE)
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name.lower()}.{last_name.lower()}@example.org",
        **values,
    )
    factories.MentorEnrolmentFactory(program=program, person=person, since=since)
    if consent is not None:
        profile(person, consent, interests=interests)
    return person


def profile(person, consent, interests=""):
    return MentorProfile.objects.update_or_create(
        person=person,
        defaults={
            "organisation": person.organisation,
            "public_consent": consent,
            "interests": interests,
            "source": ProfileSource.MANAGER,
            "updated_at": timezone.now(),
        },
    )[0]


def withdraw_consent(person, consent=PublicConsent.NO):
    MentorProfile.objects.filter(person=person).update(public_consent=consent)


def mentee_of(program, person, first_name="Jean", last_name="Roy", minutes=90, sessions=1):
    mentee = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name=last_name
    )
    pairing = factories.PairingFactory(
        program=program, mentor=person, mentee=mentee, starts_on=datetime.date(2025, 9, 1)
    )
    for number in range(sessions):
        factories.MentoringSessionFactory(
            pairing=pairing,
            held_on=datetime.date(2026, 2, 1) + datetime.timedelta(days=number),
            duration_minutes=minutes,
        )
    return mentee


def given_award(
    program,
    person,
    name_en="Certificate of appreciation",
    name_fr="Certificat",
    visibility=Visibility.PUBLIC,
):
    option = factories.RecognitionOptionFactory(
        organisation=program.organisation,
        name_en=name_en,
        name_fr=name_fr,
        visibility=visibility,
    )
    return Award.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=person,
        option=option,
        planned_on=datetime.date(2026, 3, 1),
        given_on=datetime.date(2026, 3, 1),
        status=Award.Status.GIVEN,
        givers=[Giver.MANAGER],
    )


def kudos_for(program, person, giver):
    return Kudos.objects.create(
        organisation=program.organisation,
        program=program,
        giver=giver,
        mentor=person,
        relation=Giver.MENTEE,
        behaviour="trust",
        given_on=TODAY,
    )


def note_for(program, person, text, signature="Jean Roy", status=ThankYouNote.Status.APPROVED):
    campaign = NoteCampaign.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=person,
        closes_on=datetime.date(2026, 5, 1),
    )
    writer = NoteWriter.objects.create(
        campaign=campaign,
        name=signature,
        email=f"writer{NoteWriter.objects.count()}@example.org",
        relation=Giver.MENTEE,
    )
    return ThankYouNote.objects.create(
        campaign=campaign,
        writer=writer,
        mentor=person,
        text=text,
        signature=signature,
        status=status,
    )


def spotlight_of(program, person, actor=None, **fields):
    values = {
        "title_fr": "Portrait : Léa",
        "title_en": "Spotlight: Léa",
        "body_fr": "Léa **mentore** depuis 2021.",
        "body_en": "Léa has **mentored** since 2021.",
        **fields,
    }
    spotlight, _created = services.create_spotlight(
        program=program, mentor=person, actor=actor, **values
    )
    return spotlight


def raw_spotlight(program, person, **fields):
    """A spotlight written straight in the database, whatever the mentor's consent."""
    values = {
        "title_fr": "Portrait : Léa",
        "title_en": "Spotlight: Léa",
        "body_fr": "Texte",
        "body_en": "Text",
        **fields,
    }
    return Spotlight.objects.create(
        organisation=program.organisation, program=program, mentor=person, **values
    )


def url(name, program, *args, organisation=None):
    organisation = organisation or program.organisation
    return reverse(f"recognition:{name}", args=[organisation.slug, program.slug, *args])


def form_data(**changes):
    return {
        "title_fr": "Portrait : Léa Tremblay",
        "body_fr": "Léa **mentore** depuis 2021.",
        "title_en": "Spotlight: Léa Tremblay",
        "body_en": "Léa has **mentored** since 2021.",
        **changes,
    }
