"""Reads of events for the managers' pages, the RSVP page and a person's own invitations.

Figures (invited, coming, waiting, not coming, not answered, came) are counted by the database,
and each page reads a fixed number of queries whatever the number of invitations.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from laurier.core.ordering import natural
from laurier.core.search import matches_every_word
from laurier.programs.models import EnrolmentStatus, Person

from ..models import Event, EventInvitation

Answer = EventInvitation.Answer


def _figures(prefix=""):
    """Counts of an event's invitations by answer; `prefix` reaches them from the event."""
    field = f"{prefix}pk" if prefix else "pk"
    answer = f"{prefix}answer"
    attended = f"{prefix}attended"
    return {
        "invited_count": Count(field, distinct=True),
        "going_count": Count(field, filter=Q(**{answer: Answer.GOING}), distinct=True),
        "waiting_count": Count(field, filter=Q(**{answer: Answer.WAITING}), distinct=True),
        "declined_count": Count(field, filter=Q(**{answer: Answer.DECLINED}), distinct=True),
        "pending_count": Count(field, filter=Q(**{answer: Answer.PENDING}), distinct=True),
        "attended_count": Count(field, filter=Q(**{attended: True}), distinct=True),
    }


def _past(now, prefix=""):
    return ExpressionWrapper(Q(**{f"{prefix}starts_at__lte": now}), output_field=BooleanField())


def _upcoming_first(queryset, now, prefix=""):
    """Upcoming first, soonest first; then the past, latest first."""
    starts_at = f"{prefix}starts_at"
    past = Case(When(**{f"{starts_at}__lte": now}, then=Value(1)), default=Value(0))
    upcoming_order = Case(When(**{f"{starts_at}__gt": now}, then=starts_at))
    past_order = Case(When(**{f"{starts_at}__lte": now}, then=starts_at))
    return queryset.order_by(
        past, upcoming_order.asc(nulls_last=True), past_order.desc(nulls_last=True), "pk"
    )


def events_of(program, *, kind=None, now=None):
    """The program's events for the list, upcoming first then past, each with its figures
    (`invited_count`, `going_count`, `waiting_count`, ...) and `is_past`; one query."""
    now = now or timezone.now()
    events = Event.objects.filter(program=program).annotate(
        **_figures("invitations__"), is_past=_past(now)
    )
    if kind:
        events = events.filter(kind=kind)
    return _upcoming_first(events, now)


def event_for(program, pk):
    """The program's event `pk`, or 404 (another program's or organisation's event)."""
    event = get_object_or_404(
        Event.objects.select_related("option", "created_by"), program=program, pk=pk
    )
    # The request's rows: spare a query on every page.
    event.program = program
    event.organisation = program.organisation
    return event


def figures(event):
    """{invited_count, going_count, waiting_count, declined_count, pending_count,
    attended_count, attendance_taken} of one event: one query."""
    counts = event.invitations.aggregate(
        **_figures(), taken=Count("pk", filter=Q(attended__isnull=False))
    )
    counts["attendance_taken"] = bool(counts.pop("taken"))
    return counts


def _waiting_ahead():
    """How many are ahead on the waiting list: those who joined it earlier (the first in, the
    first served, as the services promote them)."""
    ahead = (
        EventInvitation.objects.filter(event=OuterRef("event"), answer=Answer.WAITING)
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))


def with_waiting_position(invitations):
    """`waiting_position` on each invitation: 1 for the first on the waiting list, None when
    not waiting."""
    return invitations.annotate(
        waiting_position=Case(
            When(answer=Answer.WAITING, then=_waiting_ahead() + Value(1)),
            default=Value(None),
            output_field=IntegerField(),
        )
    )


ANSWER_ORDER = Case(
    When(answer=Answer.GOING, then=Value(0)),
    When(answer=Answer.WAITING, then=Value(1)),
    When(answer=Answer.PENDING, then=Value(2)),
    default=Value(3),
)


def invitations_of(event, *, answer="", search=""):
    """The event's invitations for its page: coming, waiting (in order), not answered, not
    coming; each with its person and `waiting_position`. Filtered by answer and name."""
    invitations = EventInvitation.objects.filter(event=event).select_related("person")
    if answer:
        invitations = invitations.filter(answer=answer)
    if search:
        invitations = invitations.filter(
            matches_every_word(search, ["person__first_name", "person__last_name", "person__email"])
        )
    return with_waiting_position(invitations).order_by(
        ANSWER_ORDER, "waiting_since", "person__last_name", "person__first_name", "pk"
    )


def invitation_by_token(token):
    """The invitation of a personal link, with its event, program and organisation, and its
    waiting position; None for a link that does not exist."""
    if not token or len(token) > 64:
        return None
    return (
        with_waiting_position(EventInvitation.objects.filter(token=token))
        .select_related("event__program", "event__organisation", "person")
        .first()
    )


def _enrolled(program, mentors_only):
    active_mentor = Q(
        mentor_enrolments__program=program, mentor_enrolments__status=EnrolmentStatus.ACTIVE
    )
    if mentors_only:
        return active_mentor
    return active_mentor | Q(
        mentee_enrolments__program=program, mentee_enrolments__status=EnrolmentStatus.ACTIVE
    )


def find_invitable(event, search, limit):
    """Up to `limit` people the event may invite (active mentors, and mentees unless it is
    reserved for mentors) not invited yet, matching `search`, and whether there are more."""
    people = (
        Person.objects.filter(
            Q(pk__in=Person.objects.filter(_enrolled(event.program, event.mentors_only))),
            organisation=event.organisation_id,
        )
        .exclude(event_invitations__event=event)
        .only("pk", "first_name", "last_name", "email")
        .order_by(natural("last_name"), natural("first_name"), "pk")
    )
    if search:
        people = people.filter(matches_every_word(search, ["first_name", "last_name", "email"]))
    found = list(people[: limit + 1])
    return found[:limit], len(found) > limit


def audience_counts(event):
    """How many active mentors and mentees of the program are not invited yet: two queries."""
    invited = EventInvitation.objects.filter(event=event).values("person_id")
    counts = {}
    for audience, enrolments in (
        ("mentors", event.program.mentor_enrolments),
        ("mentees", event.program.mentee_enrolments),
    ):
        counts[audience] = (
            enrolments.filter(status=EnrolmentStatus.ACTIVE)
            .exclude(person_id__in=invited)
            .values("person_id")
            .distinct()
            .count()
        )
    if event.mentors_only:
        counts["mentees"] = 0
    return counts


def attendance_list(event):
    """Who may have come, for the attendance page: those who said yes or waited, then the
    others invited (someone may come without answering); by name."""
    expected = Q(answer__in=(Answer.GOING, Answer.WAITING)) | Q(attended=True)
    return (
        EventInvitation.objects.filter(event=event)
        .select_related("person")
        .annotate(expected=ExpressionWrapper(expected, output_field=BooleanField()))
        .order_by("-expected", "person__last_name", "person__first_name", "pk")
    )


def invitations_of_person(person, now=None):
    """A person's invitations, upcoming first then past, each with its event and program."""
    now = now or timezone.now()
    invitations = (
        with_waiting_position(EventInvitation.objects.filter(person=person))
        .select_related("event__program")
        .annotate(is_past=_past(now, "event__"))
    )
    return _upcoming_first(invitations, now, prefix="event__")
