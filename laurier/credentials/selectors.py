"""Reads of the credential pages, each scoped to the organisation of the URL (another
organisation's badge, job or credential is a 404) and, for a program manager, to the people of
the programs they manage (`people_visible_to`)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from laurier.core.search import matches_every_word
from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person

from .models import BadgeClass, Credential, IssuanceJob, Issuer
from .services.awarding import current_filter

RECENT_JOBS = 5


# --- A credential's status ----------------------------------------------------------------------


class CredentialStatus:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"


def credential_status(credential, now=None):
    """'valid', 'revoked' or 'expired', as a verifier would say it today: the one reading of
    `awarding.current_filter` for a credential in memory."""
    if credential.revoked_at is not None:
        return CredentialStatus.REVOKED
    if credential.valid_until is not None and credential.valid_until <= (now or timezone.now()):
        return CredentialStatus.EXPIRED
    return CredentialStatus.VALID


def status_filter(status, now) -> Q:
    """The credentials whose `credential_status` is `status` (any for an unknown one)."""
    current = current_filter(now)
    if status == CredentialStatus.VALID:
        return current
    if status == CredentialStatus.REVOKED:
        return Q(revoked_at__isnull=False)
    if status == CredentialStatus.EXPIRED:
        return Q(revoked_at__isnull=True) & ~current
    return Q()


def with_status(credentials, now=None):
    """The credentials (a page of them) as a list, with `status` set on each."""
    now = now or timezone.now()
    credentials = list(credentials)
    for credential in credentials:
        credential.status = credential_status(credential, now)
    return credentials


# --- Whose credentials a member sees ------------------------------------------------------------


def people_visible_to(membership):
    """The people whose credentials the member may see, export, revoke and award: everyone of
    the organisation for an admin; for a program manager, the people enrolled (as mentor or
    mentee, whatever the status) in a program they manage. Every credential read below goes
    through this one selector, so a manager never reaches another program's people."""
    people = Person.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return people
    programs = programs_managed_by(membership)
    return people.filter(
        Q(pk__in=MentorEnrolment.objects.filter(program__in=programs).values("person_id"))
        | Q(pk__in=MenteeEnrolment.objects.filter(program__in=programs).values("person_id"))
    )


def visible_credentials(membership):
    """The organisation's credentials whose holder the member may see."""
    credentials = Credential.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return credentials
    return credentials.filter(person__in=people_visible_to(membership))


# --- Badges -------------------------------------------------------------------------------------


# The badges themselves are the organisation's, not a program's: any manager may see, create
# and edit every one of them. Only their holders are scoped (`people_visible_to`).


def badge_classes_of(membership):
    """The organisation's badges, each with `holders`: the people the member may see who hold
    it, not revoked; and `revoked`: those of them whose credential was revoked (the holders'
    table lists both)."""
    visible = Q()
    if membership.role != Role.ADMIN:
        visible = Q(credentials__person__in=people_visible_to(membership))
    return BadgeClass.objects.filter(organisation_id=membership.organisation_id).annotate(
        holders=Count("credentials", filter=visible & Q(credentials__revoked_at__isnull=True)),
        revoked=Count("credentials", filter=visible & Q(credentials__revoked_at__isnull=False)),
    )


def badge_class_for(membership, pk):
    """The organisation's badge `pk` with its holder count, or 404."""
    badge = get_object_or_404(badge_classes_of(membership), pk=pk)
    badge.organisation = membership.organisation
    return badge


def recent_jobs(organisation, limit=RECENT_JOBS):
    """The latest bulk awards, each with `skipped`: the people who already held the badge."""
    jobs = list(
        IssuanceJob.objects.filter(organisation=organisation).select_related(
            "badge_class", "created_by"
        )[:limit]
    )
    for job in jobs:
        job.skipped = max(job.done - job.issued, 0)
    return jobs


def job_under_way(badge_class):
    """The latest bulk award of the badge still queued or running, or None: one query."""
    return (
        IssuanceJob.objects.filter(
            badge_class=badge_class,
            status__in=[IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING],
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def issuance_job_for(organisation, pk):
    return get_object_or_404(
        IssuanceJob.objects.select_related("badge_class", "created_by"),
        organisation=organisation,
        pk=pk,
    )


def holders_of(membership, badge_class, search=""):
    """Everyone the member may see who was awarded the badge (revoked ones too, so that the page
    says so), most recent first."""
    credentials = (
        visible_credentials(membership).filter(badge_class=badge_class).select_related("person")
    )
    if search:
        credentials = credentials.filter(
            matches_every_word(search, ["person__first_name", "person__last_name", "person__email"])
        )
    return credentials.order_by("-issued_at", "-pk")


# --- The people a manager may award a badge to --------------------------------------------------


def awardable_programs(membership):
    return programs_managed_by(membership).order_by("name", "pk")


def awardable_people(membership):
    """The active mentors of the programs the member manages."""
    return (
        people_visible_to(membership)
        .filter(
            mentor_enrolments__program__in=programs_managed_by(membership),
            mentor_enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def find_people(membership, search, limit):
    """Up to `limit` awardable mentors whose name or e-mail matches `search`, and whether there
    are more: one query."""
    people = awardable_people(membership).only("pk", "first_name", "last_name", "email")
    if search:
        people = people.filter(matches_every_word(search, ["first_name", "last_name", "email"]))
    found = list(people[: limit + 1])
    return found[:limit], len(found) > limit


def active_mentor_ids(program):
    return list(
        Person.objects.filter(
            mentor_enrolments__program=program,
            mentor_enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Credentials issued -------------------------------------------------------------------------


def credentials_of(membership, *, kind="", status="", search="", now=None):
    """The credentials the member may see, filtered by kind, status ('valid', 'revoked',
    'expired') and the holder's name or e-mail."""
    # The badge, for its name in the reader's language.
    credentials = visible_credentials(membership).select_related("person", "badge_class")
    if kind:
        credentials = credentials.filter(kind=kind)
    if status:
        credentials = credentials.filter(status_filter(status, now or timezone.now()))
    if search:
        credentials = credentials.filter(
            matches_every_word(search, ["person__first_name", "person__last_name", "person__email"])
        )
    return credentials.defer("document", "jwt")


def credential_for(membership, pk):
    """The credential `pk` with what its page shows, or 404 when the member may not see it."""
    credential = get_object_or_404(
        visible_credentials(membership).select_related(
            "person",
            "badge_class",
            "award__program",
            "signing_key",
            "status_list",
            "issued_by",
            "revoked_by",
        ),
        pk=pk,
    )
    credential.organisation = membership.organisation
    credential.status = credential_status(credential)
    return credential


# --- The issuer ---------------------------------------------------------------------------------


def issuer_of(organisation):
    """The organisation's issuer for a page, or None before its first credential; read once per
    organisation instance."""
    try:
        return organisation.issuer
    except Issuer.DoesNotExist:
        return None


def issuer_keys(issuer: Issuer):
    """Every key the issuer ever signed with, newest first."""
    return list(issuer.keys.order_by("-created_at", "-pk"))


# --- One person's credentials -------------------------------------------------------------------


def credentials_of_person(person, now=None):
    """The person's credentials in their organisation, newest first, each with its `status`, for
    the holder's pages and the mentor's page. The signed documents stay in the database: a list
    needs none of them."""
    credentials = with_status(
        Credential.objects.filter(person=person, organisation_id=person.organisation_id)
        .defer("document", "jwt")
        .order_by("-issued_at", "-pk"),
        now,
    )
    for credential in credentials:
        # One organisation for all: spares a query per credential.
        credential.organisation = person.organisation
    return credentials
