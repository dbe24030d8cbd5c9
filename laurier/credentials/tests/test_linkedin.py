"""LinkedIn's "Add to profile" link: the certification's name, the organisation (by its
LinkedIn ID when known), the dates and the verification address, spaces as %20."""

import datetime
from urllib.parse import parse_qs, urlsplit

from laurier.credentials.linkedin import add_to_profile_url
from laurier.credentials.services import awarding

from .holders import (  # noqa: F401 (fixtures)
    badge_credential_fixture,
    badge_fixture,
    holder_fixture,
    make_badge,
)


def parameters(link):
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def test_the_link_opens_linkedins_certification_form(badge_credential):
    link = add_to_profile_url(badge_credential)

    assert link.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")


def test_it_names_the_certification_and_points_to_its_verification_page(badge_credential):
    given = parameters(add_to_profile_url(badge_credential))

    assert given["name"] == "Mentor 100 heures"
    assert given["certUrl"] == badge_credential.url
    assert given["certId"] == str(badge_credential.public_id)


def test_spaces_are_written_as_percent_20(badge_credential):
    link = add_to_profile_url(badge_credential)

    assert "name=Mentor%20100%20heures" in link
    assert "+" not in link


def test_the_organisation_is_named_when_it_has_no_linkedin_id(badge_credential):
    given = parameters(add_to_profile_url(badge_credential))

    assert given["organizationName"] == "Hydro Laurentides"
    assert "organizationId" not in given


def test_the_organisations_linkedin_id_is_used_when_known(badge_credential, organisation):
    organisation.issuer.linkedin_organization_id = "1234567"
    organisation.issuer.save()

    given = parameters(add_to_profile_url(badge_credential))

    assert given["organizationId"] == "1234567"
    assert "organizationName" not in given


def test_the_issue_month_is_the_organisations(badge_credential):
    # 31 December at 22:00 in Montréal is already January in UTC.
    badge_credential.issued_at = datetime.datetime(2026, 1, 1, 3, 0, tzinfo=datetime.UTC)

    given = parameters(add_to_profile_url(badge_credential))

    assert (given["issueYear"], given["issueMonth"]) == ("2025", "12")


def test_a_credential_without_end_has_no_expiration(badge_credential):
    given = parameters(add_to_profile_url(badge_credential))

    assert "expirationYear" not in given and "expirationMonth" not in given


def test_a_credential_that_expires_gives_its_expiration(organisation, holder):
    badge = make_badge(organisation, valid_years=3)
    credential, _ = awarding.award_badge(badge, holder, actor=None)

    given = parameters(add_to_profile_url(credential))

    expires = credential.valid_until
    assert int(given["expirationYear"]) == int(given["issueYear"]) + 3
    assert 1 <= int(given["expirationMonth"]) <= 12
    assert int(given["expirationYear"]) in (expires.year, expires.year - 1)
