"""Badges that award themselves: each rule names who has earned its badge, and the badge is
issued to those who do not hold it for that reason yet, so running the rules twice issues
nothing the second time."""

import logging
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone

from laurier.core.dates import months_before, organisation_today
from laurier.hours.models import LoggedBy
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing, Person
from laurier.recognition.models import EventInvitation

from ..models import BadgeClass, BadgeRule, Credential, CredentialKind
from .issuance import issue_many
from .notify import tell_badge_holders

logger = logging.getLogger(__name__)

# Issued in transactions of this many credentials: a long run holds the issuer's lock briefly.
CHUNK = 100


def rule_key(badge_class, reason="rule") -> str:
    return f"badge:{badge_class.pk}:{reason}"


def _without_key(people, badge_class, key):
    held = Credential.objects.filter(
        organisation_id=badge_class.organisation_id, person=OuterRef("pk"), issue_key=key
    )
    return people.exclude(Exists(held))


def _counted_hours(badge_class, people):
    # Hours HR can rely on: confirmed by the other side, or recorded by a manager.
    vouched = Q(sessions_as_mentor__confirmed_at__isnull=False) | Q(
        sessions_as_mentor__logged_by=LoggedBy.MANAGER
    )
    minutes = Decimal(badge_class.threshold or 0) * 60
    return people.annotate(
        mentored_minutes=Sum("sessions_as_mentor__duration_minutes", filter=vouched)
    ).filter(mentored_minutes__gte=minutes)


def _years_as_mentor(badge_class, people, today):
    # A threshold may hold half a year: "2.5" waits 30 months, not 2 years.
    months = int((Decimal(badge_class.threshold or 0) * 12).to_integral_value(ROUND_CEILING))
    started_by = months_before(today, months)
    # Years as a mentor, not years since a first try: someone who left counts no longer.
    still_mentoring = MentorEnrolment.objects.filter(person=OuterRef("pk")).exclude(
        status=EnrolmentStatus.LEFT
    )
    return (
        people.filter(Exists(still_mentoring))
        .annotate(first_since=Min("mentor_enrolments__since"))
        .filter(first_since__lte=started_by)
    )


def _completed_pairings(badge_class, people):
    completed = Q(pairings_as_mentor__status=Pairing.Status.COMPLETED)
    return people.annotate(completed=Count("pairings_as_mentor", filter=completed)).filter(
        completed__gte=int(badge_class.threshold or 0)
    )


def _attended_events(badge_class):
    """[(person, issue key)]: one badge per event attended, for events of the badge's kind."""
    attended = EventInvitation.objects.filter(
        event__organisation_id=badge_class.organisation_id,
        person__organisation_id=badge_class.organisation_id,
        attended=True,
    ).select_related("person")
    if badge_class.event_kind:
        attended = attended.filter(event__kind=badge_class.event_kind)
    held = set(
        Credential.objects.filter(
            badge_class=badge_class, issue_key__startswith=rule_key(badge_class, "event:")
        ).values_list("person_id", "issue_key")
    )
    earned = []
    for invitation in attended.order_by("pk"):
        key = rule_key(badge_class, f"event:{invitation.event_id}")
        if (invitation.person_id, key) not in held:
            earned.append((_in(badge_class, invitation.person), key))
    return earned


def _contest_wins(badge_class):
    """[(person, issue key)]: one badge per win announced in a contest category that gives it."""
    from laurier.contests.models import Winner

    wins = Winner.objects.filter(
        category__badge_class=badge_class,
        category__edition__organisation_id=badge_class.organisation_id,
        category__edition__announced_at__isnull=False,
    ).select_related("person")
    held = set(
        Credential.objects.filter(
            badge_class=badge_class, issue_key__startswith=rule_key(badge_class, "contest:")
        ).values_list("person_id", "issue_key")
    )
    earned = []
    for win in wins.order_by("pk"):
        key = rule_key(badge_class, f"contest:{win.pk}")
        if (win.person_id, key) not in held:
            earned.append((_in(badge_class, win.person), key))
    return earned


def earned_badges(badge_class, today) -> list[tuple[Person, str]]:
    """[(person, issue key)] of the people who have earned the badge and do not hold it yet
    for that reason."""
    if badge_class.rule == BadgeRule.EVENT:
        return _attended_events(badge_class)
    if badge_class.rule == BadgeRule.CONTEST:
        return _contest_wins(badge_class)
    key = rule_key(badge_class)
    people = _without_key(
        Person.objects.filter(organisation_id=badge_class.organisation_id), badge_class, key
    )
    if badge_class.rule == BadgeRule.HOURS:
        people = _counted_hours(badge_class, people)
    elif badge_class.rule == BadgeRule.YEARS:
        people = _years_as_mentor(badge_class, people, today)
    elif badge_class.rule == BadgeRule.PAIRINGS:
        people = _completed_pairings(badge_class, people)
    else:
        return []
    return [(_in(badge_class, person), key) for person in people.order_by("pk")]


def _in(badge_class, person):
    # The person's organisation is the badge's: reading it (for their language) costs nothing.
    person.organisation = badge_class.organisation
    return person


def apply_rule(badge_class, today=None) -> int:
    """Issue the badge to everyone who earned it since the last run; returns how many."""
    from .awarding import badge_recipient

    if not badge_class.active or badge_class.rule == BadgeRule.MANUAL:
        return 0
    organisation = badge_class.organisation
    today = today or organisation_today(organisation)
    now = timezone.now()
    earned = earned_badges(badge_class, today)
    issued = 0
    for start in range(0, len(earned), CHUNK):
        recipients = [
            badge_recipient(badge_class, person, key, now)
            for person, key in earned[start : start + CHUNK]
        ]
        with transaction.atomic():
            credentials = issue_many(
                organisation,
                recipients,
                kind=CredentialKind.BADGE,
                actor=None,
                badge_class=badge_class,
            )
            tell_badge_holders(organisation, credentials)
        issued += len(credentials)
    return issued


def apply_rules(organisation=None, today=None) -> int:
    """Apply every active rule (of one organisation, or of all); returns the badges issued."""
    badge_classes = BadgeClass.objects.filter(active=True).exclude(rule=BadgeRule.MANUAL)
    if organisation is not None:
        badge_classes = badge_classes.filter(organisation=organisation)
    issued = 0
    for badge_class in badge_classes.select_related("organisation"):
        # One badge whose rule fails must not keep every other organisation's badges back.
        try:
            issued += apply_rule(badge_class, today)
        except Exception:
            logger.exception("The rule of badge %s failed", badge_class.pk)
    return issued
