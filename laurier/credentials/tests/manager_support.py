"""What the tests of the managers' badge and credential pages share."""

from django.urls import reverse

from laurier.credentials.models import BadgeClass
from laurier.testing import factories

BADGE_FIELDS = {
    "name_fr": "Mentor 100 heures",
    "name_en": "100-hour mentor",
    "description_fr": "A mentoré 100 heures.",
    "description_en": "Mentored for 100 hours.",
    "criteria_fr": "100 heures de mentorat confirmées.",
    "criteria_en": "100 confirmed hours of mentoring.",
    "shape": "medallion",
    "palette": "forest",
    "emblem": "clock",
    "label": "100 h",
}


def make_badge(organisation, **fields):
    return BadgeClass.objects.create(organisation=organisation, **{**BADGE_FIELDS, **fields})


def mentor_of(program, **person_fields):
    """An active mentor of `program`."""
    person = factories.PersonFactory(organisation=program.organisation, **person_fields)
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def badge_form_data(**changes):
    """What the badge form sends for a valid manual badge."""
    data = {
        **BADGE_FIELDS,
        "rule": "manual",
        "threshold": "",
        "event_kind": "",
        "valid_years": "",
        "active": "on",
        "form_token": "token-1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def url(name, *args, organisation_slug="hydro"):
    return reverse(f"credentials:{name}", args=[organisation_slug, *args])


def speaking(user, language):
    """The user, who reads Laurier in `language` from their next request."""
    user.language = language
    user.save(update_fields=["language"])
    return user
