"""What the tests of the managers' badge and credential pages share."""

import factory
from django.urls import reverse

from laurier.testing import factories

# What the badge form takes, as the factory fills it in.
BADGE_FIELDS = {
    name: value
    for name, value in factory.build(
        dict, FACTORY_CLASS=factories.BadgeClassFactory, organisation=None
    ).items()
    if name != "organisation"
}


def make_badge(organisation, **fields):
    return factories.BadgeClassFactory(organisation=organisation, **fields)


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
