"""Reads for spotlights: the program's list, one spotlight, the mentor's record a draft is
written from, and a spotlight's text as safe HTML."""

import datetime
import html
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from laurier.core.durations import minutes_to_hours
from laurier.core.ordering import natural
from laurier.core.search import matches_every_word
from laurier.hours.selectors import hours_of_person
from laurier.outbox.models import OutgoingWebhook
from laurier.programs.models import MentorEnrolment, Pairing, Person

from ..categories import PublicConsent, Visibility
from ..models import Award, Kudos, Spotlight, ThankYouNote

# Quotes a draft takes from the mentor's approved thank-you notes: enough for a newsletter.
QUOTES_IN_DRAFT = 3
# Recognitions a draft names; the others are counted.
RECOGNITIONS_NAMED = 3
# What a spotlight's HTML may hold: text formatting, headings, lists, quotes and links.
ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def spotlights_of(program, search=""):
    """A program's spotlights with their mentor and the mentor's consent, newest first."""
    spotlights = Spotlight.objects.filter(program=program).select_related("mentor__mentor_profile")
    if search:
        spotlights = spotlights.filter(
            matches_every_word(
                search,
                ["mentor__first_name", "mentor__last_name", "title_fr", "title_en"],
            )
        )
    return spotlights


def spotlight_for(program, pk):
    """One spotlight of `program`, with its mentor and their profile, or 404."""
    return get_object_or_404(
        Spotlight.objects.select_related("mentor__mentor_profile", "created_by"),
        program=program,
        pk=pk,
    )


def spotlight_mentor(program, person_pk):
    """A mentor of `program` (enrolled, whatever their status) with their profile, or 404."""
    return get_object_or_404(
        Person.objects.select_related("mentor_profile").filter(mentor_enrolments__program=program),
        pk=person_pk,
    )


def mentors_to_spotlight(program, search, limit):
    """Up to `limit` active mentors of `program` matching `search`, with their consent."""
    return list(
        Person.objects.filter(
            mentor_enrolments__program=program, mentor_enrolments__status="active"
        )
        .filter(matches_every_word(search, ["first_name", "last_name", "email"]))
        .select_related("mentor_profile")
        .order_by(natural("last_name"), natural("first_name"), "pk")[:limit]
    )


def public_consent_of(person):
    """The mentor's answer about public recognition (a PublicConsent value), "" when they have
    no profile or did not answer. Reads the profile `select_related` already brought."""
    try:
        return person.mentor_profile.public_consent
    except Person.mentor_profile.RelatedObjectDoesNotExist:
        return ""


@dataclass
class MentorRecord:
    """What a spotlight's draft says about a mentor, in the whole organisation."""

    person: Person
    enrolments: list
    years_mentoring: int
    minutes_as_mentor: int
    minutes_this_year: int
    mentee_count: int
    recognition_count: int
    recognitions: list
    kudos_count: int
    note_count: int
    quotes: list
    interests: str = ""
    program_names: list = field(default_factory=list)

    @property
    def hours_as_mentor(self):
        return minutes_to_hours(self.minutes_as_mentor)

    @property
    def hours_this_year(self):
        return minutes_to_hours(self.minutes_this_year)

    @property
    def mentoring_since(self):
        return self.enrolments[0].since if self.enrolments else None


def _full_years(since, today):
    years = today.year - since.year
    if (today.month, today.day) < (since.month, since.day):
        years -= 1
    return max(years, 0)


def mentor_record(mentor, today):
    """The mentor's record in their organisation, for a spotlight's draft, in seven queries
    whatever its size: programs and years as a mentor (their enrolments' `since`), hours
    mentored (`hours.selectors.hours_of_person`), mentees, recognitions given to them, kudos,
    and the latest approved thank-you notes."""
    organisation_id = mentor.organisation_id
    enrolments = list(
        MentorEnrolment.objects.filter(person=mentor, program__organisation_id=organisation_id)
        .select_related("program")
        .order_by("since", "program__name")
    )
    first_year = enrolments[0].since.year if enrolments else today.year
    hours = hours_of_person(mentor, range(min(first_year, today.year), today.year + 1))
    mentee_count = (
        Pairing.objects.filter(mentor=mentor, program__organisation_id=organisation_id)
        .values("mentee")
        .distinct()
        .count()
    )
    given = list(
        # Only public recognitions: a private one (a gift card) is not for the newsletter.
        Award.objects.filter(
            mentor=mentor,
            organisation_id=organisation_id,
            status=Award.Status.GIVEN,
            option__visibility=Visibility.PUBLIC,
        )
        .select_related("option")
        .only("given_on", "option__name_fr", "option__name_en")
        .order_by("-given_on", "-pk")
    )
    kudos_count = Kudos.objects.filter(mentor=mentor, organisation_id=organisation_id).count()
    approved = ThankYouNote.objects.filter(
        mentor=mentor,
        status=ThankYouNote.Status.APPROVED,
        campaign__organisation_id=organisation_id,
    )
    note_count = approved.count()
    quotes = list(
        approved.select_related("writer").order_by("-created_at", "-pk")[:QUOTES_IN_DRAFT]
    )
    since = enrolments[0].since if enrolments else today
    profile = _profile_of(mentor)
    return MentorRecord(
        person=mentor,
        enrolments=enrolments,
        years_mentoring=_full_years(since, today),
        minutes_as_mentor=sum(year["mentor"] for year in hours.values()),
        minutes_this_year=hours[today.year]["mentor"],
        mentee_count=mentee_count,
        recognition_count=len(given),
        recognitions=given[:RECOGNITIONS_NAMED],
        kudos_count=kudos_count,
        note_count=note_count,
        quotes=quotes,
        interests=(profile.interests.strip() if profile else ""),
        program_names=[enrolment.program.name for enrolment in enrolments],
    )


def _profile_of(person):
    try:
        return person.mentor_profile
    except Person.mentor_profile.RelatedObjectDoesNotExist:
        return None


def spotlight_counts(program):
    """How many spotlights the program has, and for how many mentors."""
    return Spotlight.objects.filter(program=program).aggregate(
        spotlights=Count("pk"), mentors=Count("mentor", distinct=True)
    )


def consent_problem(person, consent_given_on=None):
    """Why `person` may not be spotlighted, in the reader's language; "" when they may.

    "Yes" to public recognition is enough; "ask me each time" needs the day they agreed to
    this spotlight; "no", no answer or no profile at all is a refusal.
    """
    consent = public_consent_of(person)
    name = person.full_name
    if consent == PublicConsent.YES:
        return ""
    if consent == PublicConsent.ASK:
        if consent_given_on:
            return ""
        return _(
            "%(name)s asks to be asked before each public recognition: ask them, then give the "
            "day they agreed."
        ) % {"name": name}
    if consent == PublicConsent.NO:
        return _("%(name)s asked to keep their recognition private: no spotlight for them.") % {
            "name": name
        }
    return _(
        "%(name)s has not said whether they agree to be recognised in public: ask them to "
        "answer in their profile first."
    ) % {"name": name}


def markdown_to_html(text, heading_offset=0):
    """A spotlight's Markdown as HTML that is safe to show and to send: only formatting,
    headings, lists, quotes and web links survive; scripts, styles and raw HTML do not.

    The title is the page's one h1, so a "# heading" in the text becomes an h2;
    `heading_offset` moves headings further down (## becomes h4 with 2), for a preview that
    sits under a page's own headings."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = re.sub(
        r"<(/?)h([1-6])\b",
        lambda match: f"<{match[1]}h{min(max(int(match[2]), 2) + heading_offset, 6)}",
        html,
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_text(text):
    """Markdown as plain text (for a chat post): the words without the marks."""
    return html.unescape(nh3.clean(markdown_to_html(text), tags=set())).strip()


def created_recently(program, mentor, fields, since: datetime.datetime):
    """A spotlight of `mentor` with exactly these titles and texts, created after `since`:
    the same form sent twice."""
    return (
        Spotlight.objects.filter(program=program, mentor=mentor, created_at__gte=since)
        .filter(Q(**fields))
        .order_by("-pk")
        .first()
    )


def spotlight_chat_reason(spotlight):
    """What the outbox calls a spotlight's team-chat posts."""
    return f"spotlight-chat:{spotlight.pk}"


def latest_chat_post(spotlight):
    """The spotlight's latest team-chat post (sent, waiting or refused), or None."""
    return (
        OutgoingWebhook.objects.filter(
            organisation_id=spotlight.organisation_id, reason=spotlight_chat_reason(spotlight)
        )
        .only("status", "attempts", "last_error", "created_at", "sent_at")
        .order_by("-created_at", "-pk")
        .first()
    )
