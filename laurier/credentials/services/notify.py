"""Telling people a badge came their way."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from laurier.core.site_urls import absolute_url
from laurier.outbox.services import queue_email, queue_emails


def badge_email(credential) -> dict:
    """The e-mail telling a person about their new badge, in their language."""
    person = credential.person
    organisation = credential.organisation
    with translation.override(credential.language):
        context = {
            "credential": credential,
            "person": person,
            "organisation": organisation,
            "link": credential.url,
            "mine": absolute_url("credentials:my_credentials", organisation.slug)
            if person.user_id
            else "",
            "language": credential.language,
        }
        subject = _("%(organisation)s: you earned the badge “%(badge)s”") % {
            "organisation": organisation.name,
            "badge": credential.name,
        }
        return {
            "to": person.email,
            "subject": subject,
            "text": render_to_string("credentials/email/badge_earned.txt", context),
            "html": render_to_string("credentials/email/badge_earned.html", context),
            "reason": f"badge-earned:{credential.pk}",
            "topic": f"credential:{credential.pk}",
        }


def tell_badge_holders(organisation, credentials):
    """Queue one e-mail per new badge, in the transaction that issued them."""
    messages = [badge_email(credential) for credential in credentials if credential.person.email]
    if messages:
        queue_emails(organisation=organisation, messages=messages)


def tell_holder_of_revocation(credential):
    """Queue the e-mail telling a person that one of their credentials was revoked, and why, in
    the transaction that revoked it."""
    person = credential.person
    if not person.email:
        return
    organisation = credential.organisation
    with translation.override(credential.language):
        context = {
            "credential": credential,
            "person": person,
            "organisation": organisation,
            "link": credential.url,
            "language": credential.language,
        }
        subject = _("%(organisation)s: “%(name)s” was revoked") % {
            "organisation": organisation.name,
            "name": credential.name,
        }
        text = render_to_string("credentials/email/credential_revoked.txt", context)
        html = render_to_string("credentials/email/credential_revoked.html", context)
    queue_email(
        organisation=organisation,
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"credential-revoked:{credential.pk}",
        topic=f"credential:{credential.pk}",
    )
