"""LinkedIn's "Add to profile" link for a certification: no API and no account, only a link
that opens the holder's profile form already filled in."""

import zoneinfo
from urllib.parse import quote, urlencode

from django.utils import timezone

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def _local(moment, organisation):
    # The month as the organisation lived it: a badge of 31 December evening is December's.
    return timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(organisation.time_zone))


def add_to_profile_url(credential, issuer=None) -> str:
    """The link that adds `credential` to its holder's LinkedIn profile as a certification,
    pointing back to its verification page. `issuer` spares a query when the caller has it."""
    organisation = credential.organisation
    issuer = issuer or organisation.issuer
    issued = _local(credential.issued_at, organisation)
    parameters = {"startTask": "CERTIFICATION_NAME", "name": credential.name}
    # LinkedIn links the certification to the company page only with its numeric ID.
    if issuer.linkedin_organization_id:
        parameters["organizationId"] = issuer.linkedin_organization_id
    else:
        parameters["organizationName"] = organisation.name
    parameters["issueYear"] = issued.year
    parameters["issueMonth"] = issued.month
    if credential.valid_until:
        expires = _local(credential.valid_until, organisation)
        parameters["expirationYear"] = expires.year
        parameters["expirationMonth"] = expires.month
    parameters["certUrl"] = credential.url
    parameters["certId"] = str(credential.public_id)
    # quote, not quote_plus: LinkedIn shows a "+" literally where a space was meant.
    return f"{ADD_TO_PROFILE}?{urlencode(parameters, quote_via=quote)}"
