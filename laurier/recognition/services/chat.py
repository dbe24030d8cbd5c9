"""Team-chat posts about recognitions: a public award, or a spotlight, announced in the
organisation's Slack or Microsoft Teams channel through its incoming webhook.

Posts go through the outbox (`queue_webhook`), in the transaction of the change they
announce, and are retried while the chat is unreachable. Only mentors who agreed to public
recognition appear there; a private recognition never does.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laurier.core.bilingual import in_reader_language
from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import queue_webhook

from ..categories import PublicConsent, Visibility
from ..selectors.my_awards import from_whom
from ..selectors.spotlights import markdown_to_text, public_consent_of, spotlight_chat_reason
from .spotlights import check_publishable

# A chat post is a teaser, not the article: longer spotlights are cut here.
SPOTLIGHT_POST_LENGTH = 1500
# The same spotlight posted again within this time is a double click.
REPOST_WINDOW = datetime.timedelta(minutes=10)


def award_chat_reason(award):
    return f"award-chat:{award.pk}"


def post_award_to_chat(award):
    """Queue a team-chat post announcing a given award; True when one was queued.

    Call it inside the transaction that gives the award. Posts only when the organisation
    has a chat address, the recognition is public and the mentor said "yes" to public
    recognition ("ask me each time" is not a yes for an automatic post); never twice for
    the same award.
    """
    organisation = award.organisation
    if not organisation.chat_webhook_url:
        return False
    if award.option.visibility != Visibility.PUBLIC:
        return False
    if public_consent_of(award.mentor) != PublicConsent.YES:
        return False
    reason = award_chat_reason(award)
    if (
        OutgoingWebhook.objects.filter(organisation=organisation, reason=reason)
        .exclude(status=OutgoingWebhook.Status.CANCELLED)
        .exists()
    ):
        return False
    queue_webhook(
        organisation=organisation,
        url=organisation.chat_webhook_url,
        payload={"text": award_chat_text(award)},
        reason=reason,
        topic=f"program-chat:{award.program_id}",
    )
    return True


def plain(text):
    """`text` as chat text, never as a command: Slack reads "<!channel>" as a ping of everyone
    and "<url|label>" as a link, so the three characters it gives a meaning are escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def award_chat_text(award):
    """The post about a given award, in the organisation's language."""
    with translation.override(award.organisation.language):
        values = {
            "mentor": plain(award.mentor.full_name),
            "first_name": plain(award.mentor.first_name),
            "recognition": plain(in_reader_language(award.option, "name")),
            "program": plain(award.program.name),
        }
        lines = [
            _("🎉 *%(mentor)s* receives *%(recognition)s* for their mentoring in %(program)s.")
            % values
        ]
        moment = in_reader_language(award, "moment")
        if moment:
            lines.append(_("On the occasion of: %(moment)s.") % {"moment": plain(moment)})
        givers = from_whom(award)
        if givers and not award.giver_names:
            # "The program manager" starts a sentence on its own, not in the middle of one.
            givers = givers[:1].lower() + givers[1:]
        if givers:
            lines.append(_("From %(givers)s.") % {"givers": plain(givers)})
        lines.append(_("Thank you, %(first_name)s!") % values)
        return "\n".join(lines)


def post_spotlight_to_chat(spotlight):
    """Queue a team-chat post of a spotlight (its title and the start of its text, in the
    organisation's language) and return it.

    Refused, with the reason, when the organisation has no chat address or the mentor's
    consent is no longer there. A second click within REPOST_WINDOW returns None and posts
    nothing more.
    """
    organisation = spotlight.organisation
    if not organisation.chat_webhook_url:
        raise ValidationError(
            _("No team chat yet: an admin adds its address in the organisation's settings.")
        )
    check_publishable(spotlight)
    reason = spotlight_chat_reason(spotlight)
    with transaction.atomic():
        # One post at a time per spotlight: a double click waits here, then sees the first.
        type(spotlight).objects.select_for_update().filter(pk=spotlight.pk).values("pk").get()
        if OutgoingWebhook.objects.filter(
            organisation=organisation,
            reason=reason,
            created_at__gte=timezone.now() - REPOST_WINDOW,
        ).exists():
            return None
        return queue_webhook(
            organisation=organisation,
            url=organisation.chat_webhook_url,
            payload={"text": spotlight_chat_text(spotlight)},
            reason=reason,
            topic=f"program-chat:{spotlight.program_id}",
        )


def spotlight_chat_text(spotlight):
    """A spotlight as a chat post: its title in bold, then its text without Markdown marks."""
    with translation.override(spotlight.organisation.language):
        title = in_reader_language(spotlight, "title")
        text = re.sub(r"\n{3,}", "\n\n", markdown_to_text(in_reader_language(spotlight, "body")))
    if len(text) > SPOTLIGHT_POST_LENGTH:
        text = text[: SPOTLIGHT_POST_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return f"*{plain(title)}*\n\n{plain(text)}"
