"""Awarding one badge to many people: a task with a progress bar.

The job issues in chunks, each its own transaction, and writes its progress after each: a worker
stopped half-way and started again goes on where it was, since people who hold the badge by then
are skipped.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laurier.organisations.audit import acting_user
from laurier.programs.models import Person

from ..models import BadgeClass, Credential, CredentialKind, IssuanceJob
from .awarding import CredentialRefused, badge_recipient, current_filter, manual_issue_key
from .issuance import issue_many
from .notify import tell_badge_holders

CHUNK = 50
# A chunk takes about a second; a job silent this long lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=2)
MAX_PEOPLE = 20_000


def start_issuance_job(
    badge_class: BadgeClass, person_ids, *, actor, request_key=""
) -> IssuanceJob:
    """Queue the awarding of `badge_class` to the people with `person_ids` (of its organisation).
    A request sent twice (same `request_key`) starts one job."""
    if not badge_class.active:
        raise CredentialRefused(_("This badge is retired: it can no longer be awarded."))
    ids = sorted(
        set(
            Person.objects.filter(
                organisation_id=badge_class.organisation_id, pk__in=list(person_ids)[:MAX_PEOPLE]
            ).values_list("pk", flat=True)
        )
    )
    if not ids:
        raise CredentialRefused(_("Choose at least one person to award the badge to."))
    if request_key:
        existing = IssuanceJob.objects.filter(badge_class=badge_class, issue_key=request_key)
        if existing.exists():
            return existing.get()
    try:
        with transaction.atomic():
            job = IssuanceJob.objects.create(
                organisation_id=badge_class.organisation_id,
                badge_class=badge_class,
                person_ids=ids,
                issue_key=request_key,
                total=len(ids),
                created_by=acting_user(actor),
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:  # the same request sent twice at once: the first one's job
        return IssuanceJob.objects.get(badge_class=badge_class, issue_key=request_key)
    return job


def _enqueue(job_id):
    from ..tasks import run_issuance_job

    run_issuance_job.enqueue(job_id)


def _recipients(badge_class, people, now):
    """Those of `people` who do not hold the badge now, each with their issue key."""
    counts = Credential.objects.filter(badge_class=badge_class, person__in=people).values(
        "person_id"
    )
    counts = {
        row["person_id"]: row
        for row in counts.annotate(current=Count("pk", filter=current_filter(now)), all=Count("pk"))
    }
    recipients = []
    for person in people:
        row = counts.get(person.pk, {"current": 0, "all": 0})
        if not row["current"]:
            key = manual_issue_key(badge_class, row["all"])
            recipients.append(badge_recipient(badge_class, person, key, now))
    return recipients


def _claim(job) -> bool:
    """Take the job for this worker: only a job waiting, failed, or abandoned by a worker that
    stopped, so that two workers never run it together. A job started again after a failure
    no longer shows the error of its earlier attempt."""
    now = timezone.now()
    abandoned = Q(progress_at__isnull=True) | Q(progress_at__lt=now - STALLED_AFTER)
    claimable = Q(status__in=[IssuanceJob.Status.QUEUED, IssuanceJob.Status.FAILED]) | (
        Q(status=IssuanceJob.Status.RUNNING) & abandoned
    )
    return bool(
        IssuanceJob.objects.filter(claimable, pk=job.pk).update(
            status=IssuanceJob.Status.RUNNING, error="", finished_at=None, progress_at=now
        )
    )


def is_stalled(job, now=None) -> bool:
    """True when a job waits or runs with no sign of life for longer than a chunk ever takes."""
    if job.status not in (IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING):
        return False
    last_sign = job.progress_at or job.created_at
    return last_sign < (now or timezone.now()) - STALLED_AFTER


def resume_job(job):
    """Queue a stalled job again: it goes on where it was. Marked queued with a fresh sign of
    life, so that the pages that notice it do not queue it again at every look."""
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.QUEUED, progress_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue(job.pk))


def resume_stalled_jobs(now=None) -> int:
    """Queue again the jobs stopped workers left behind."""
    now = now or timezone.now()
    stalled = [
        job
        for job in IssuanceJob.objects.filter(
            status__in=[IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING]
        ).only("pk", "status", "progress_at", "created_at")
        if is_stalled(job, now)
    ]
    for job in stalled:
        resume_job(job)
    return len(stalled)


def run_job(job: IssuanceJob) -> IssuanceJob:
    """Do the job's work from where it stands, unless another worker is doing it."""
    if not _claim(job):
        job.refresh_from_db()
        return job
    job.refresh_from_db(fields=["done", "issued"])
    badge_class = job.badge_class
    organisation = badge_class.organisation
    ids = job.person_ids
    try:
        for start in range(job.done, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            people = list(Person.objects.filter(pk__in=chunk, organisation=organisation))
            for person in people:  # read for each one's language: no query per person
                person.organisation = organisation
            with transaction.atomic():
                credentials = issue_many(
                    organisation,
                    _recipients(badge_class, people, timezone.now()),
                    kind=CredentialKind.BADGE,
                    actor=job.created_by,
                    badge_class=badge_class,
                )
                tell_badge_holders(organisation, credentials)
                job.done = start + len(chunk)
                job.issued += len(credentials)
                IssuanceJob.objects.filter(pk=job.pk).update(
                    done=job.done, issued=job.issued, progress_at=timezone.now()
                )
    except Exception as error:
        IssuanceJob.objects.filter(pk=job.pk).update(
            status=IssuanceJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
