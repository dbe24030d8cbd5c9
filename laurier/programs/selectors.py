"""Reads for the programs pages: annotated querysets and figures, a constant number of queries.

Hours are summed from `MentoringSession`, which carries the program, mentor and
mentee itself so that sums never join through pairings. Sums are returned in
minutes (exact integers); `laurier.core.durations.minutes_to_hours` turns them into hours.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.core.durations import minutes_to_hours
from laurier.core.search import matches_every_word
from laurier.hours.models import MentoringSession
from laurier.organisations.models import AuditEvent
from laurier.organisations.tenancy import MANAGER_ROLES, programs_managed_by

from . import figures_cache
from .models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)

ATTENTION_DAYS = 60
TIMELINE_LENGTH = 50


def attention_cutoff(today, days=ATTENTION_DAYS):
    """The day before which a mentor's last session counts as too long ago."""
    return today - datetime.timedelta(days=days)


def _minutes_subquery(sessions):
    """The total minutes of `sessions` (already correlated to the outer row) as a subquery."""
    return Coalesce(
        Subquery(
            sessions.order_by()
            .values("program")
            .annotate(total=Sum("duration_minutes"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _enrolment_rows(enrolment_model, role, program, today):
    """Enrolments of a program annotated with the person's hours, pairings and last session."""
    person_filter = {role: OuterRef("person_id"), "program": OuterRef("program_id")}
    sessions = MentoringSession.objects.filter(**person_filter)
    return (
        enrolment_model.objects.filter(program=program)
        .select_related("person")
        .annotate(
            minutes_this_year=_minutes_subquery(sessions.filter(held_on__year=today.year)),
            active_pairings=Coalesce(
                Subquery(
                    Pairing.objects.filter(**person_filter, status=Pairing.Status.ACTIVE)
                    .order_by()
                    .values("program")
                    .annotate(count=Count("pk"))
                    .values("count")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_session_on=Subquery(
                sessions.order_by("-held_on").values("held_on")[:1],
            ),
        )
    )


NAME_FIELDS = ("first_name", "last_name", "email")
PERSON_SEARCH_FIELDS = (*NAME_FIELDS, "department")


def _search_people(queryset, search, prefix=""):
    fields = [f"{prefix}{name}" for name in PERSON_SEARCH_FIELDS]
    return queryset.filter(matches_every_word(search, fields))


def _inactive_since(cutoff):
    """No session since `cutoff`, counting the enrolment date when there was never one."""
    return Q(last_session_on__lt=cutoff) | Q(last_session_on__isnull=True, since__lt=cutoff)


def mentor_rows(program, today, *, search="", status="", inactive=False, days=ATTENTION_DAYS):
    """The program's mentor enrolments, searchable and filterable, with the figures of the list.

    Each row carries `minutes_this_year`, `active_pairings` and `last_session_on`.
    `inactive` keeps mentors without a session for `days` days (see `mentors_needing_attention`).
    """
    rows = _enrolment_rows(MentorEnrolment, "mentor", program, today)
    rows = _search_people(rows, search, prefix="person__")
    if status:
        rows = rows.filter(status=status)
    if inactive:
        rows = rows.filter(_inactive_since(attention_cutoff(today, days)))
    return rows


def mentee_rows(program, today, *, search="", status=""):
    """The program's mentee enrolments with the same figures as `mentor_rows`."""
    rows = _enrolment_rows(MenteeEnrolment, "mentee", program, today)
    rows = _search_people(rows, search, prefix="person__")
    if status:
        rows = rows.filter(status=status)
    return rows


def mentors_needing_attention(program, today, days=ATTENTION_DAYS, limit=10):
    """Active mentors with no session for `days` days, the longest silent first.

    A mentor who never had a session counts from their enrolment date, so that
    someone who joined last week is not flagged yet.
    """
    rows = mentor_rows(program, today, status=EnrolmentStatus.ACTIVE, inactive=True, days=days)
    rows = rows.order_by(
        Coalesce("last_session_on", "since").asc(), "person__last_name", "person__first_name"
    )
    return rows[:limit] if limit else rows


def pairing_rows(program, *, search="", status="", cycle=None):
    """The program's pairings with mentor, mentee and cycle, and their total minutes."""
    rows = (
        Pairing.objects.filter(program=program)
        .select_related("mentor", "mentee", "cycle")
        .annotate(
            total_minutes=_minutes_subquery(
                MentoringSession.objects.filter(pairing=OuterRef("pk"))
            ),
            last_session_on=Subquery(
                MentoringSession.objects.filter(pairing=OuterRef("pk"))
                .order_by("-held_on")
                .values("held_on")[:1]
            ),
        )
    )
    rows = rows.filter(
        matches_every_word(
            search,
            [f"{side}__{name}" for side in ("mentor", "mentee") for name in NAME_FIELDS],
        )
    )
    if status:
        rows = rows.filter(status=status)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return rows


class PeopleRole:
    MENTOR = "mentor"
    MENTEE = "mentee"
    NONE = "none"

    choices = [
        (MENTOR, _("Mentors")),
        (MENTEE, _("Mentees")),
        (NONE, _("In no program")),
    ]


def people_rows(organisation, *, programs, search="", role="", include_left=False):
    """Everyone in the organisation, with their enrolments in `programs` only, prefetched.

    The directory is the whole organisation (managers enrol people from it), but a
    program manager sees only the enrolments of the programs they manage: pass
    `programs_managed_by(membership)`. The role filter looks at those programs too.
    People who left the organisation (an HR file no longer names them) are left out
    unless `include_left`.
    """
    mentor_enrolments = MentorEnrolment.objects.filter(program__in=programs)
    mentee_enrolments = MenteeEnrolment.objects.filter(program__in=programs)
    rows = (
        Person.objects.filter(organisation=organisation)
        .annotate(
            is_mentor=Exists(mentor_enrolments.filter(person=OuterRef("pk"))),
            is_mentee=Exists(mentee_enrolments.filter(person=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "mentor_enrolments",
                queryset=mentor_enrolments.select_related("program").order_by("program__name"),
            ),
            Prefetch(
                "mentee_enrolments",
                queryset=mentee_enrolments.select_related("program").order_by("program__name"),
            ),
        )
    )
    rows = _search_people(rows, search)
    if not include_left:
        rows = rows.filter(left_on__isnull=True)
    if role == PeopleRole.MENTOR:
        rows = rows.filter(is_mentor=True)
    elif role == PeopleRole.MENTEE:
        rows = rows.filter(is_mentee=True)
    elif role == PeopleRole.NONE:
        rows = rows.filter(is_mentor=False, is_mentee=False)
    return rows


def enrolments_of_person(person, *, programs):
    """A person's mentor and mentee enrolments in `programs` (those the reader manages)."""
    return {
        "mentor": MentorEnrolment.objects.filter(person=person, program__in=programs)
        .select_related("program")
        .order_by("program__name"),
        "mentee": MenteeEnrolment.objects.filter(person=person, program__in=programs)
        .select_related("program")
        .order_by("program__name"),
    }


def _active_count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(**filters)
            .order_by()
            .values("program")
            .annotate(count=Count("pk"))
            .values("count")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def program_rows(membership):
    """The programs a membership manages, with their active mentors, mentees and pairings."""
    program = OuterRef("pk")
    return programs_managed_by(membership).annotate(
        active_mentors=_active_count(
            MentorEnrolment, program=program, status=EnrolmentStatus.ACTIVE
        ),
        active_mentees=_active_count(
            MenteeEnrolment, program=program, status=EnrolmentStatus.ACTIVE
        ),
        active_pairings=_active_count(Pairing, program=program, status=Pairing.Status.ACTIVE),
    )


def possible_managers(organisation):
    """The organisation's users who may manage a program (managers and admins)."""
    from laurier.accounts.models import User

    return User.objects.filter(
        memberships__organisation=organisation, memberships__role__in=MANAGER_ROLES
    ).order_by("last_name", "first_name", "email")


@dataclass
class DashboardFigures:
    active_mentors: int
    active_mentees: int
    active_pairings: int
    minutes_this_month: int
    minutes_this_year: int
    minutes_per_month: list = field(default_factory=list)

    @property
    def hours_this_month(self):
        return minutes_to_hours(self.minutes_this_month)

    @property
    def hours_this_year(self):
        return minutes_to_hours(self.minutes_this_year)

    @property
    def hours_per_month(self):
        """[(month label, Decimal hours)] for January to December of this year."""
        return [
            (MONTHS[month], minutes_to_hours(minutes))
            for month, minutes in enumerate(self.minutes_per_month, start=1)
        ]

    @property
    def chart(self):
        """The hours per month for the dashboard's chart, in the reader's language."""
        per_month = self.hours_per_month
        return {
            "labels": [str(label) for label, _hours in per_month],
            "hours": [float(hours) for _label, hours in per_month],
            "label": gettext("Hours"),
        }


def program_dashboard_figures(program, today):
    """The dashboard's counts and hours for `today`'s month and year, in two queries."""
    counts = (
        Program.objects.filter(pk=program.pk)
        .annotate(
            active_mentors=_active_count(
                MentorEnrolment, program=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
            ),
            active_mentees=_active_count(
                MenteeEnrolment, program=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
            ),
            active_pairings=_active_count(
                Pairing, program=OuterRef("pk"), status=Pairing.Status.ACTIVE
            ),
        )
        .values("active_mentors", "active_mentees", "active_pairings")
        .get()
    )
    per_month = dict(
        MentoringSession.objects.filter(program=program, held_on__year=today.year)
        .annotate(month=ExtractMonth("held_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("duration_minutes"))
        .values_list("month", "total")
    )
    minutes_per_month = [per_month.get(month, 0) or 0 for month in range(1, 13)]
    return DashboardFigures(
        **counts,
        minutes_this_month=minutes_per_month[today.month - 1],
        minutes_this_year=sum(minutes_per_month),
        minutes_per_month=minutes_per_month,
    )


@dataclass
class Dashboard:
    key: str
    figures: DashboardFigures
    needing_attention: list


def program_dashboard(organisation, program, today):
    """The dashboard's figures and mentors needing attention, counted once per change of the
    organisation's data (figures_cache.py), so that the page managers open most costs no
    query of its own. Its `key` names them, for the template's cached fragments."""
    key = figures_cache.key_for(organisation, ("dashboard", program.pk, today))
    return figures_cache.remember(
        key,
        lambda: Dashboard(
            key=key,
            figures=program_dashboard_figures(program, today),
            needing_attention=list(mentors_needing_attention(program, today)),
        ),
    )


def program_cycles(program):
    """The program's cycles, the latest first, with how many pairings each holds."""
    return Cycle.objects.filter(program=program).annotate(pairings_count=Count("pairings"))


def mentor_enrolment_for_person(program, person_pk):
    """The enrolment of a person as mentor of `program`, or 404 (other org, not a mentor)."""
    return get_object_or_404(
        MentorEnrolment.objects.select_related("person"), program=program, person_id=person_pk
    )


@dataclass
class TimelineEntry:
    on: datetime.date
    kind: str
    text: str
    order: int = 0


@dataclass
class MentorProfile:
    enrolment: MentorEnrolment
    pairings: list
    minutes_this_year: int
    minutes_all_time: int
    timeline: list

    @property
    def person(self):
        return self.enrolment.person

    @property
    def hours_this_year(self):
        return minutes_to_hours(self.minutes_this_year)

    @property
    def hours_all_time(self):
        return minutes_to_hours(self.minutes_all_time)


def _status_label(value):
    return dict(EnrolmentStatus.choices).get(value, value)


def mentor_profile(enrolment, today):
    """Everything the mentor page shows, in a fixed number of queries.

    The timeline merges the enrolment, its status changes (from the audit trail),
    pairings started and ended, and the latest sessions, newest first, at most
    `TIMELINE_LENGTH` entries.
    """
    program, person = enrolment.program, enrolment.person
    pairings = list(
        Pairing.objects.filter(program=program, mentor=person)
        .select_related("mentee", "cycle")
        .annotate(
            total_minutes=_minutes_subquery(MentoringSession.objects.filter(pairing=OuterRef("pk")))
        )
        .order_by("-starts_on", "-pk")
    )
    sessions = MentoringSession.objects.filter(program=program, mentor=person)
    totals = sessions.aggregate(
        all_time=Coalesce(Sum("duration_minutes"), 0),
        this_year=Coalesce(Sum("duration_minutes", filter=Q(held_on__year=today.year)), 0),
    )
    status_events = AuditEvent.objects.filter(
        organisation_id=program.organisation_id,
        object_type=MentorEnrolment._meta.label_lower,
        object_id=str(enrolment.pk),
        action=AuditEvent.Action.UPDATE,
    ).order_by("-at")[:TIMELINE_LENGTH]
    latest_sessions = sessions.select_related("mentee").order_by("-held_on", "-pk")[
        :TIMELINE_LENGTH
    ]

    timeline = [
        TimelineEntry(enrolment.since, "enrolment", gettext("Joined the program as mentor"))
    ]
    for event in status_events:
        change = event.changes.get("status")
        if not change:
            continue
        changed_on = event.changes.get("status_changed_on", [None, None])[1]
        on = datetime.date.fromisoformat(changed_on) if changed_on else timezone.localdate(event.at)
        timeline.append(
            TimelineEntry(
                on,
                "status",
                gettext("Status changed from %(before)s to %(after)s")
                % {"before": _status_label(change[0]), "after": _status_label(change[1])},
                order=1,
            )
        )
    for pairing in pairings:
        timeline.append(
            TimelineEntry(
                pairing.starts_on,
                "pairing",
                gettext("Paired with %(mentee)s") % {"mentee": pairing.mentee.full_name},
                order=2,
            )
        )
        if pairing.ends_on:
            timeline.append(
                TimelineEntry(
                    pairing.ends_on,
                    "pairing-end",
                    gettext("Pairing with %(mentee)s ended (%(status)s)")
                    % {"mentee": pairing.mentee.full_name, "status": pairing.get_status_display()},
                    order=3,
                )
            )
    for session in latest_sessions:
        timeline.append(
            TimelineEntry(
                session.held_on,
                "session",
                gettext("Session of %(hours)s h with %(mentee)s")
                % {
                    "hours": formats.number_format(minutes_to_hours(session.duration_minutes)),
                    "mentee": session.mentee.full_name,
                },
                order=4,
            )
        )
    timeline.sort(key=lambda entry: (entry.on, entry.order), reverse=True)
    return MentorProfile(
        enrolment=enrolment,
        pairings=pairings,
        minutes_this_year=totals["this_year"],
        minutes_all_time=totals["all_time"],
        timeline=timeline[:TIMELINE_LENGTH],
    )
