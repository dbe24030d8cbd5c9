"""Reads for the contest: which editions a member may run, who may be nominated, and which
nominees each juror is in conflict with."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _

from laurier.core.dates import months_before
from laurier.hours.models import LoggedBy, MentoringSession
from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing, Person

from .models import (
    ConflictReason,
    Criterion,
    DeclaredConflict,
    Edition,
    Juror,
    Nomination,
    Nominee,
    Score,
    Winner,
)

# --- Who runs which edition -----------------------------------------------------------------


def editions_managed_by(membership):
    """Editions a member may run: all of the organisation's for an admin; for a program manager,
    those of the programs they manage (an organisation-wide edition belongs to the admins)."""
    editions = Edition.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return editions
    if membership.role == Role.MANAGER:
        return editions.filter(program__in=programs_managed_by(membership))
    return editions.none()


def edition_for(membership, pk):
    """The edition `pk` if the member may run it; 404 otherwise, whoever's it is."""
    edition = (
        editions_managed_by(membership)
        .select_related("organisation", "program", "option")
        .filter(pk=pk)
        .first()
    )
    if edition is None:
        raise Http404
    return edition


# --- Who may be nominated -------------------------------------------------------------------


def _mentor_enrolments(edition):
    enrolments = MentorEnrolment.objects.filter(program__organisation_id=edition.organisation_id)
    if edition.program_id:
        enrolments = enrolments.filter(program_id=edition.program_id)
    return enrolments


def _vouched_minutes(edition):
    """Minutes mentored in the twelve months up to the last day to nominate, as HR can rely on
    them: confirmed by the other side, or recorded by a manager."""
    sessions = MentoringSession.objects.filter(
        mentor=OuterRef("pk"),
        held_on__gt=months_before(edition.nominations_close_on, 12),
        held_on__lte=edition.nominations_close_on,
    ).filter(Q(confirmed_at__isnull=False) | Q(logged_by=LoggedBy.MANAGER))
    if edition.program_id:
        sessions = sessions.filter(program_id=edition.program_id)
    return Subquery(
        sessions.order_by().values("mentor").annotate(total=Sum("duration_minutes")).values("total")
    )


def _recent_winners(edition):
    """Winners of this organisation's announced editions within the waiting period."""
    return Winner.objects.filter(
        person=OuterRef("pk"),
        category__edition__organisation_id=edition.organisation_id,
        category__edition__announced_at__isnull=False,
        category__edition__year__gte=edition.year - edition.past_winners_excluded_years,
    ).exclude(category__edition=edition)


def eligible_mentors(edition):
    """The people who may be nominated in `edition`, each annotated with `nominee_program_id`:
    the program (of the edition, or their earliest-enrolled active one) they mentor in.

    The rules: a mentor enrolment in the edition's program (any program for an
    organisation-wide edition), active if `active_mentors_only`; at least `min_hours` vouched
    hours over the twelve months before nominations close; at least `min_tenure_months` from
    their first mentor enrolment to that day; and no win in the organisation's editions of the
    last `past_winners_excluded_years` years.
    """
    enrolments = _mentor_enrolments(edition).filter(person=OuterRef("pk"))
    if edition.active_mentors_only:
        enrolments = enrolments.filter(status=EnrolmentStatus.ACTIVE)
    else:
        enrolments = enrolments.exclude(status=EnrolmentStatus.LEFT)
    people = Person.objects.filter(organisation_id=edition.organisation_id).filter(
        Exists(enrolments)
    )
    people = people.annotate(
        nominee_program_id=Subquery(enrolments.order_by("since", "pk").values("program_id")[:1])
    )
    if edition.min_hours:
        people = people.annotate(vouched_minutes=_vouched_minutes(edition)).filter(
            vouched_minutes__gte=Decimal(edition.min_hours) * 60
        )
    if edition.min_tenure_months:
        people = people.annotate(
            first_since=Subquery(
                MentorEnrolment.objects.filter(person=OuterRef("pk"))
                .order_by("since")
                .values("since")[:1]
            )
        ).filter(
            first_since__lte=months_before(edition.nominations_close_on, edition.min_tenure_months)
        )
    if edition.past_winners_excluded_years:
        people = people.exclude(Exists(_recent_winners(edition)))
    return people.order_by("last_name", "first_name", "pk")


def eligible_mentor(edition, person_pk):
    """The eligible mentor `person_pk` (annotated as in eligible_mentors), or None."""
    if not isinstance(person_pk, int):
        return None
    return eligible_mentors(edition).filter(pk=person_pk).first()


# --- Conflicts of interest ------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    juror_id: int
    nominee_id: int
    reason: str
    note: str = ""

    @property
    def reason_label(self):
        return ConflictReason(self.reason).label

    @property
    def declared(self):
        return self.reason not in FOUND_REASONS


FOUND_REASONS = (
    ConflictReason.SELF,
    ConflictReason.PAIRED,
    ConflictReason.SHARED_MENTEE,
    ConflictReason.NOMINATOR,
)


def conflicts(edition, jurors=None):
    """{(juror_id, nominee_id): [Conflict, ...]} for the edition (or for `jurors` of it): those
    declared, and those Laurier finds itself, found again at each call so a pairing made since
    counts at once:

    - the juror is the nominee (same person, or same e-mail);
    - the juror and the nominee were paired, either way round, in any program, at any time;
    - the juror and the nominee mentor (or mentored) the same mentee;
    - the juror nominated them in Laurier (signed in: the public form proves no identity).

    A juror added by e-mail is matched to the organisation's person with that address at each
    call, so a person record created after the juror still reveals their pairings.

    A constant number of queries whatever the size of the jury and of the field.
    """
    jurors = list(
        Juror.objects.filter(edition=edition)
        if jurors is None
        else [juror for juror in jurors if juror.edition_id == edition.pk]
    )
    nominees = list(
        Nominee.objects.filter(category__edition=edition)
        .select_related("person")
        .only("pk", "person_id", "person__email")
    )
    found = defaultdict(list)
    if not jurors or not nominees:
        return found

    def add(juror_id, nominee_id, reason, note=""):
        found[(juror_id, nominee_id)].append(Conflict(juror_id, nominee_id, reason, note))

    for declared in DeclaredConflict.objects.filter(
        juror__in=[juror.pk for juror in jurors], nominee__category__edition=edition
    ).order_by("pk"):
        add(declared.juror_id, declared.nominee_id, declared.reason, declared.note)

    nominees_of_person = defaultdict(list)
    for nominee in nominees:
        nominees_of_person[nominee.person_id].append(nominee)
    person_of_juror = _people_of_jurors(edition, jurors)
    jurors_of_person = defaultdict(list)
    for juror in jurors:
        if juror.pk in person_of_juror:
            jurors_of_person[person_of_juror[juror.pk]].append(juror)
    for juror in jurors:
        for nominee in nominees:
            if person_of_juror.get(juror.pk) == nominee.person_id or (
                juror.email.lower() == nominee.person.email.lower()
            ):
                add(juror.pk, nominee.pk, ConflictReason.SELF)

    juror_people = list(jurors_of_person)
    nominee_people = list(nominees_of_person)
    if juror_people:
        pairs = Pairing.objects.filter(
            Q(mentor__in=juror_people, mentee__in=nominee_people)
            | Q(mentee__in=juror_people, mentor__in=nominee_people)
        ).values_list("mentor_id", "mentee_id")
        linked = set()
        for mentor_id, mentee_id in pairs:
            linked.add((mentor_id, mentee_id))
            linked.add((mentee_id, mentor_id))
        shared = (
            Pairing.objects.filter(mentor__in=juror_people)
            .filter(
                Exists(
                    Pairing.objects.filter(
                        mentee=OuterRef("mentee"), mentor__in=nominee_people
                    ).exclude(mentor=OuterRef("mentor"))
                )
            )
            .values_list("mentor_id", "mentee_id")
        )
        juror_mentees = defaultdict(set)
        for mentor_id, mentee_id in shared:
            juror_mentees[mentor_id].add(mentee_id)
        nominee_mentees = defaultdict(set)
        for mentor_id, mentee_id in Pairing.objects.filter(
            mentor__in=nominee_people,
            mentee__in={mentee for mentees in juror_mentees.values() for mentee in mentees},
        ).values_list("mentor_id", "mentee_id"):
            nominee_mentees[mentor_id].add(mentee_id)
        for juror_person, jurors_here in jurors_of_person.items():
            for nominee_person, nominees_here in nominees_of_person.items():
                if juror_person == nominee_person:
                    continue
                reasons = []
                if (juror_person, nominee_person) in linked:
                    reasons.append(ConflictReason.PAIRED)
                if juror_mentees[juror_person] & nominee_mentees[nominee_person]:
                    reasons.append(ConflictReason.SHARED_MENTEE)
                for juror in jurors_here:
                    for nominee in nominees_here:
                        for reason in reasons:
                            add(juror.pk, nominee.pk, reason)

    # Only nominations made in Laurier say who wrote them: an address typed in the public form
    # proves nothing, and trusting it would let anyone take a juror off a nominee. A juror who
    # nominated through the public form declares it, as they declare any other link.
    nominated = Nomination.objects.filter(
        nominee__category__edition=edition,
        source=Nomination.Source.LAURIER,
        nominator_person__isnull=False,
    ).values_list("nominee_id", "nominator_person_id")
    for nominee_id, nominator_person_id in nominated:
        for juror in jurors_of_person.get(nominator_person_id, ()):
            add(juror.pk, nominee_id, ConflictReason.NOMINATOR)
    return found


def _people_of_jurors(edition, jurors):
    """{juror id: person id}: the person a juror was linked to, or else the organisation's
    person with the juror's e-mail address today (someone added after the juror was)."""
    linked = {juror.pk: juror.person_id for juror in jurors if juror.person_id}
    unlinked = {juror.email.lower(): juror.pk for juror in jurors if not juror.person_id}
    if unlinked:
        for person_id, email in (
            Person.objects.annotate(address=Lower("email"))
            .filter(organisation_id=edition.organisation_id, address__in=list(unlinked))
            .values_list("pk", "address")
        ):
            linked[unlinked[email]] = person_id
    return linked


def juror_seat(edition, user):
    """The juror of `edition` that this signed-in member is (by their person or their account's
    e-mail address), or None: a manager on the jury must not read the live ranking, nor the
    files of nominees they are in conflict with."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Juror.objects.filter(edition=edition)
        .filter(Q(person__user=user) | Q(email__iexact=user.email))
        .order_by("pk")
        .first()
    )


def conflicted_nominee_ids(juror):
    """The nominees `juror` may neither see nor score."""
    return {nominee_id for (_juror, nominee_id) in conflicts(juror.edition, [juror])}


def conflict_refusal(juror, nominee):
    """Why `juror` may not see or score `nominee`, or "" when they may."""
    found = conflicts(juror.edition, [juror]).get((juror.pk, nominee.pk))
    if not found:
        return ""
    return _("You have a conflict of interest with this nominee: %(reason)s.") % {
        "reason": found[0].reason_label
    }


# --- The juror's pages ---------------------------------------------------------------


def juror_by_token(token):
    """The juror whose personal link this is, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Juror.objects.select_related("edition__organisation", "edition__program")
        .filter(token=token)
        .first()
    )


def criteria_of(edition):
    """The rubric, each criterion with `share`: its weight as a whole percentage of the total."""
    criteria = list(Criterion.objects.filter(edition=edition))
    total = sum(criterion.weight for criterion in criteria)
    for criterion in criteria:
        criterion.share = round(100 * criterion.weight / total) if total else 0
    return criteria


def nominees_in_the_running(edition):
    return (
        Nominee.objects.filter(category__edition=edition, status=Nominee.Status.NOMINATED)
        .select_related("person", "category")
        .order_by("category__position", "category__pk", "person__last_name", "person__first_name")
    )


def juror_field(juror, criterion_count):
    """What the juror's pages show, in a constant number of queries:

    - `nominees`: the nominees in the running the juror may see (conflicted ones left out
      entirely), each with `scored` (every criterion scored), `partly_scored` and `is_new`
      (nominated after the juror confirmed their conflicts, so not yet covered by it);
    - `found`: [(nominee, [Conflict])] the conflicts Laurier found itself, except the juror
      being the nominee (see views.jury: not told here);
    - `declared`: [(nominee, DeclaredConflict)].
    """
    edition = juror.edition
    found_conflicts = conflicts(edition, [juror])
    everyone = list(nominees_in_the_running(edition))
    declared = {
        conflict.nominee_id: conflict
        for conflict in DeclaredConflict.objects.filter(
            juror=juror, nominee__category__edition=edition
        )
    }
    scored = dict(
        Score.objects.filter(juror=juror, nominee__in=[nominee.pk for nominee in everyone])
        .values("nominee")
        .annotate(count=Count("criterion", distinct=True))
        .values_list("nominee", "count")
    )
    visible, found, declared_list = [], [], []
    for nominee in everyone:
        conflicts_here = found_conflicts.get((juror.pk, nominee.pk))
        if not conflicts_here:
            count = scored.get(nominee.pk, 0)
            nominee.scored = criterion_count > 0 and count >= criterion_count
            nominee.partly_scored = 0 < count < criterion_count
            nominee.is_new = is_new_to(juror, nominee)
            visible.append(nominee)
        elif nominee.pk in declared:
            declared_list.append((nominee, declared[nominee.pk]))
        else:
            if not any(conflict.reason == ConflictReason.SELF for conflict in conflicts_here):
                found.append((nominee, conflicts_here))
    return {"nominees": visible, "found": found, "declared": declared_list}


def is_new_to(juror, nominee):
    """A nominee the juror's confirmation does not cover: nominated after it."""
    return juror.conflicts_confirmed_at is None or nominee.created_at > juror.conflicts_confirmed_at
