"""Reads of thank-you note campaigns: the managers' list and campaign page, the writing page,
the mentor's notes and cards.

Counts come from the database, and each page reads a fixed number of queries whatever the
number of writers and notes.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from laurier.core.ordering import natural
from laurier.programs.models import Person

from ..models import NoteCampaign, NoteWriter, ThankYouNote

APPROVED = ThankYouNote.Status.APPROVED
PENDING = ThankYouNote.Status.PENDING
REJECTED = ThankYouNote.Status.REJECTED


def _with_counts(campaigns):
    # Subqueries rather than two joined Counts: writers × notes would multiply both.
    writers = NoteWriter.objects.filter(campaign=OuterRef("pk"))
    return campaigns.annotate(
        writer_count=_count_of(writers),
        note_count=_count_of(ThankYouNote.objects.filter(campaign=OuterRef("pk"))),
        pending_count=_count_of(
            ThankYouNote.objects.filter(campaign=OuterRef("pk"), status=PENDING)
        ),
        approved_count=_count_of(
            ThankYouNote.objects.filter(campaign=OuterRef("pk"), status=APPROVED)
        ),
    )


def _count_of(queryset):
    """The number of rows of `queryset` (filtered on one campaign) as a subquery."""
    counted = queryset.order_by().values("campaign").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def campaigns_of(program):
    """The program's note campaigns, newest first, each with its writers, notes, notes
    waiting to be read and approved notes counted."""
    return _with_counts(
        NoteCampaign.objects.filter(program=program).select_related("mentor", "organisation")
    ).order_by("-created_at", "-pk")


def campaign_for(program, pk):
    """The program's campaign `pk` with its counts, or 404 (another program's or another
    organisation's campaign)."""
    return get_object_or_404(
        _with_counts(
            NoteCampaign.objects.filter(program=program).select_related(
                "mentor", "organisation", "program", "created_by"
            )
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Summary:
    """The campaign page's figures."""

    writers: int
    invited: int
    wrote: int
    pending: int
    approved: int
    rejected: int

    @property
    def notes(self):
        return self.pending + self.approved + self.rejected


def summary(campaign):
    """Writers invited and who wrote, notes by status: two aggregate queries."""
    writers = NoteWriter.objects.filter(campaign=campaign).aggregate(
        writers=Count("pk"),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        wrote=Count("pk", filter=Q(Exists(ThankYouNote.objects.filter(writer=OuterRef("pk"))))),
    )
    notes = ThankYouNote.objects.filter(campaign=campaign).aggregate(
        pending=Count("pk", filter=Q(status=PENDING)),
        approved=Count("pk", filter=Q(status=APPROVED)),
        rejected=Count("pk", filter=Q(status=REJECTED)),
    )
    return Summary(**writers, **notes)


def notes_of(campaign, statuses):
    """The campaign's notes of `statuses`, each with its writer and mentor, oldest first."""
    return (
        ThankYouNote.objects.filter(campaign=campaign, status__in=statuses)
        .select_related("writer", "mentor")
        .order_by("created_at", "pk")
    )


def writers_of(campaign):
    """The campaign's writers by name, each with how many notes they wrote."""
    return (
        NoteWriter.objects.filter(campaign=campaign)
        .annotate(written=Count("notes"))
        .order_by("name", "pk")
    )


def mentors_with_cards(campaign):
    """The mentors with approved notes in this campaign, by name, each with their count."""
    return (
        Person.objects.filter(thank_you_notes__campaign=campaign, thank_you_notes__status=APPROVED)
        .annotate(approved=Count("thank_you_notes"))
        .order_by(natural("last_name"), natural("first_name"), "pk")
    )


def card_notes(campaign, mentor):
    """The approved notes of a campaign to one mentor, in the order they were written."""
    return list(
        ThankYouNote.objects.filter(campaign=campaign, mentor=mentor, status=APPROVED).order_by(
            "created_at", "pk"
        )
    )


def campaign_mentor(campaign, pk):
    """A mentor of the campaign's organisation by pk, or 404."""
    return get_object_or_404(Person.objects.filter(organisation_id=campaign.organisation_id), pk=pk)


# --- The writing page -----------------------------------------------------------------------


def writer_by_token(token):
    """The writer of a personal link with their campaign, or None."""
    if not token or len(token) > 64:
        return None
    return (
        NoteWriter.objects.select_related(
            "campaign__organisation",
            "campaign__program",
            "campaign__mentor",
            "campaign__created_by",
        )
        .filter(token=token)
        .first()
    )


def people_by_ids(ids):
    """The Persons `ids`, by name: the choices of the writer's form."""
    return Person.objects.filter(pk__in=ids).order_by(
        natural("last_name"), natural("first_name"), "pk"
    )


def notes_by_writer(writer):
    """{mentor pk: note} of what a writer wrote in their campaign."""
    return {note.mentor_id: note for note in ThankYouNote.objects.filter(writer=writer)}


# --- The mentor's own notes -----------------------------------------------------------------


def received_campaigns(person):
    """The closed campaigns that brought `person` approved notes, newest first, each with
    `notes`: the approved notes, oldest first. A campaign still open keeps its notes for the
    day it closes, when they all reach the mentor together."""
    campaigns = list(
        NoteCampaign.objects.filter(
            organisation_id=person.organisation_id,
            closed_at__isnull=False,
            notes__mentor=person,
            notes__status=APPROVED,
        )
        .select_related("program")
        .distinct()
        .order_by("-closed_at", "-pk")
    )
    by_campaign = {campaign.pk: campaign for campaign in campaigns}
    for campaign in campaigns:
        campaign.received = []
    notes = ThankYouNote.objects.filter(
        campaign_id__in=by_campaign, mentor=person, status=APPROVED
    ).order_by("created_at", "pk")
    for note in notes:
        by_campaign[note.campaign_id].received.append(note)
    return campaigns


def received_campaign(person, pk):
    """A closed campaign that brought `person` approved notes, or None."""
    return (
        NoteCampaign.objects.filter(
            organisation_id=person.organisation_id,
            closed_at__isnull=False,
            notes__mentor=person,
            notes__status=APPROVED,
        )
        .select_related("program", "organisation")
        .filter(pk=pk)
        .distinct()
        .first()
    )


@dataclass(frozen=True)
class MentorNotes:
    """The mentor page's section: how many approved notes, and the latest few."""

    count: int
    latest: list


def mentor_notes(program, person, limit=3):
    """A mentor's approved notes in `program`: their count and the `limit` latest."""
    notes = ThankYouNote.objects.filter(campaign__program=program, mentor=person, status=APPROVED)
    latest = list(notes.select_related("writer").order_by("-created_at", "-pk")[:limit])
    count = len(latest) if len(latest) < limit else notes.count()
    return MentorNotes(count=count, latest=latest)
