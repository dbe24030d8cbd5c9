"""Reads of the managers' credential pages, each scoped to the organisation of the URL: another
organisation's badge, job or credential is a 404."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from laurier.core.search import matches_every_word
from laurier.organisations.tenancy import programs_managed_by
from laurier.programs.models import EnrolmentStatus, Person

from .models import BadgeClass, Credential, IssuanceJob, Issuer

RECENT_JOBS = 5


class CredentialStatus:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"


def credential_status(credential, now=None):
    """'valid', 'revoked' or 'expired', as a verifier would say it today."""
    if credential.revoked_at is not None:
        return CredentialStatus.REVOKED
    if credential.valid_until is not None and credential.valid_until <= (now or timezone.now()):
        return CredentialStatus.EXPIRED
    return CredentialStatus.VALID


def _with_status(credentials, now=None):
    now = now or timezone.now()
    for credential in credentials:
        credential.status = credential_status(credential, now)
    return credentials


# --- Badges -------------------------------------------------------------------------------------


def badge_classes_of(organisation):
    """The organisation's badges, each with `holders`: the people holding it, not revoked."""
    return BadgeClass.objects.filter(organisation=organisation).annotate(
        holders=Count("credentials", filter=Q(credentials__revoked_at__isnull=True))
    )


def badge_class_for(organisation, pk):
    """The organisation's badge `pk` with its holder count, or 404."""
    badge = get_object_or_404(badge_classes_of(organisation), pk=pk)
    badge.organisation = organisation
    return badge


def recent_jobs(organisation, limit=RECENT_JOBS):
    return list(
        IssuanceJob.objects.filter(organisation=organisation).select_related(
            "badge_class", "created_by"
        )[:limit]
    )


def issuance_job_for(organisation, pk):
    return get_object_or_404(
        IssuanceJob.objects.select_related("badge_class", "created_by"),
        organisation=organisation,
        pk=pk,
    )


def holders_of(badge_class, search=""):
    """Everyone who was awarded the badge (revoked ones too, so that the page says so), most
    recent first."""
    credentials = Credential.objects.filter(badge_class=badge_class).select_related("person")
    if search:
        credentials = credentials.filter(
            matches_every_word(search, ["person__first_name", "person__last_name", "person__email"])
        )
    return credentials.order_by("-issued_at", "-pk")


def with_status(credentials, now=None):
    """The credentials (a page of them) with `status` set on each."""
    return _with_status(list(credentials), now)


# --- The people a manager may award a badge to --------------------------------------------------


def awardable_programs(membership):
    return programs_managed_by(membership).order_by("name", "pk")


def awardable_people(membership):
    """The active mentors of the programs the member manages."""
    return (
        Person.objects.filter(
            organisation_id=membership.organisation_id,
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


def credentials_of(organisation, *, kind="", status="", search="", now=None):
    """The organisation's credentials, filtered by kind, status ('valid', 'revoked',
    'expired') and the holder's name or e-mail."""
    now = now or timezone.now()
    credentials = Credential.objects.filter(organisation=organisation).select_related("person")
    if kind:
        credentials = credentials.filter(kind=kind)
    if status == CredentialStatus.REVOKED:
        credentials = credentials.filter(revoked_at__isnull=False)
    elif status == CredentialStatus.EXPIRED:
        credentials = credentials.filter(revoked_at__isnull=True, valid_until__lte=now)
    elif status == CredentialStatus.VALID:
        credentials = credentials.filter(revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )
    if search:
        credentials = credentials.filter(
            matches_every_word(search, ["person__first_name", "person__last_name", "person__email"])
        )
    return credentials.defer("document", "jwt")


def credential_for(organisation, pk):
    """The organisation's credential `pk` with what its page shows, or 404."""
    credential = get_object_or_404(
        Credential.objects.select_related(
            "person",
            "badge_class",
            "award__program",
            "signing_key",
            "status_list",
            "issued_by",
            "revoked_by",
        ),
        organisation=organisation,
        pk=pk,
    )
    credential.organisation = organisation
    credential.status = credential_status(credential)
    return credential


# --- The issuer ---------------------------------------------------------------------------------


def issuer_keys(issuer: Issuer):
    """Every key the issuer ever signed with, newest first."""
    return list(issuer.keys.order_by("-created_at", "-pk"))


def credentials_of_person(person, now=None):
    """A person's credentials, newest first, each with its `status`, for the mentor's page."""
    credentials = Credential.objects.filter(person=person).defer("document", "jwt")
    return _with_status(list(credentials.order_by("-issued_at", "-pk")), now)
