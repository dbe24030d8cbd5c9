"""Imports: store an uploaded file, check it without writing, then write it all or nothing.

A job moves CHECKING → READY (or INVALID, or FAILED) → QUEUED → RUNNING →
DONE (or INVALID/FAILED, with nothing written). Files larger than
settings.IMPORT_BACKGROUND_THRESHOLD_ROWS are checked and written by the task
worker, with progress the page can follow: the web request only counts their
rows, which costs little whatever their size. A job in progress whose worker
was killed shows no sign of life (progress_at) any more: after
models.STALE_AFTER its page offers to start it again (restart_stale_import).

Files from the HR sync folder and the API apply themselves (job.applies_itself):
they are written as soon as their check passes, without anyone pressing Import.
A full staff list (job.full_list) also marks who left (see leavers.py); one that
would mark too many is HELD until an admin confirms it (start_import(confirmed=True)).
What is written is what was shown: a full list whose leavers changed since its check, or
one a newer full list has replaced, is refused (INVALID) rather than applied differently.
"""

import datetime
import logging
import zoneinfo
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent, Membership
from laurier.organisations.tenancy import MANAGER_ROLES, programs_managed_by
from laurier.programs.figures_cache import figures_changed
from laurier.programs.models import Program

from .importers import Context, importer_for
from .leavers import (
    apply_staff_changes,
    emails_in,
    file_date_problem,
    staff_changes,
    too_many_leave,
)
from .models import ImportJob, ImportKind, ImportSource
from .problems import Problem
from .progress import ProgressReporter, forget_progress, is_stale
from .reading import UnreadableFile, count_rows, read_table

logger = logging.getLogger(__name__)


class RowsRejected(Exception):
    """Rolls the write transaction back when a row turns out to be wrong at write time."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# Kept in a held job's summary once an admin confirmed its leavers.
CONFIRMED = "confirmed"


class HeldForConfirmation(Exception):
    """Rolls the write back when a full list no admin confirmed turns out to mark too many people
    as left at write time: it waits for an admin again, as if held at its check."""

    def __init__(self, changes):
        super().__init__(f"{len(changes.leaving)} leavers")
        self.changes = changes


def is_large(job):
    return job.total_rows > settings.IMPORT_BACKGROUND_THRESHOLD_ROWS


def create_import(
    *,
    membership=None,
    organisation=None,
    user,
    kind,
    program,
    uploaded_file,
    source=ImportSource.PAGE,
    full_list=False,
    file_date=None,
    in_background=True,
):
    """Store an uploaded file as a job and check it: at once for a small file, as a task otherwise.

    Nothing but the job itself is written; the program is only kept for the
    kinds of rows that belong to a program. Only a small file is read in the
    request; a large one is only counted, then read and checked by the task.
    The organisation is the membership's, or `organisation` for the HR sync,
    which has no member behind it. A job that applies itself (HR sync, API) is
    written once checked; `in_background=False` does it all now whatever the size
    (the HR sync command is itself a background process).
    """
    data = uploaded_file.read()
    job = ImportJob(
        organisation=membership.organisation if membership is not None else organisation,
        program=None if kind == ImportKind.PEOPLE else program,
        kind=kind,
        original_name=uploaded_file.name[:255],
        status=ImportJob.Status.CHECKING,
        source=source,
        full_list=full_list and kind == ImportKind.PEOPLE,
        file_date=file_date,
        created_by=user,
        progress_at=timezone.now(),
    )
    table = None
    date_problem = file_date_problem(job.organisation, file_date) if job.full_list else None
    if date_problem is not None:
        _mark_invalid(job, [date_problem], save=False)
    else:
        try:
            counted = count_rows(data, uploaded_file.name)
            # A workbook that does not say where its sheet is gets counted by the task.
            job.total_rows = counted or 0
            if not in_background or (
                counted is not None and counted <= settings.IMPORT_BACKGROUND_THRESHOLD_ROWS
            ):
                table = read_table(data, uploaded_file.name)
                job.total_rows = len(table.rows)
        except UnreadableFile as unreadable:
            _mark_invalid(job, [unreadable.problem], save=False)
    if job.status != ImportJob.Status.INVALID:
        # Kept only until the job ends (see _save_ended); a file refused at once never is.
        job.file.save(uploaded_file.name, ContentFile(data), save=False)
    with transaction.atomic():
        job.save()
        if job.status == ImportJob.Status.CHECKING and table is None:
            from .tasks import check_import_task

            transaction.on_commit(partial(check_import_task.enqueue, job.pk))
    if table is not None:
        check_import(job, table=table)
        job = apply_when_checked(job, in_background=in_background)
    return job


def apply_when_checked(job, *, in_background=True):
    """Write a job that applies itself (HR sync, API) as soon as its check has passed.

    One that cannot be written (problems, or held for an admin) is recorded in the audit
    trail as it stands, since nobody saw it arrive; a written one records its own event.
    """
    if not job.applies_itself:
        return job
    if job.can_be_committed:
        job, _started = start_import(job, user=job.created_by, in_background=in_background)
    elif not job.is_in_progress:
        record_event(
            organisation=job.organisation,
            actor=job.created_by,
            action=AuditEvent.Action.CREATE,
            instance=job,
            changes={"kind": job.kind, "source": job.source, "status": job.status},
        )
    return job


def check_import(job, *, table=None):
    """Check every row of a job's file without writing any; the job becomes READY or INVALID.

    The preview counts (rows to create, to update, unchanged) go to job.summary
    and every problem, with its row number, to job.errors. An unexpected error
    leaves the job FAILED (and logged), never CHECKING, so its page stops waiting.
    """
    try:
        if table is None:
            table = _read_job_file(job)
        context, problems = _context_for(job, job.created_by)
        if problems:
            _mark_invalid(job, problems)
            return job
        job.total_rows = len(table.rows)
        job.processed_rows = 0
        job.progress_at = timezone.now()
        job.save(update_fields=["total_rows", "processed_rows", "progress_at"])
        outcome = importer_for(job.kind).run(
            table, context, write=False, on_progress=partial(_save_progress, job)
        )
    except UnreadableFile as unreadable:
        _mark_invalid(job, [unreadable.problem])
        return job
    except Exception:
        logger.exception("Checking import %s failed", job.pk)
        _mark_failed(job, "check_failed")
        return job
    job.summary = outcome.summary()
    job.errors = [problem.as_json() for problem in outcome.problems]
    job.status = ImportJob.Status.INVALID if outcome.problems else ImportJob.Status.READY
    if job.full_list and not outcome.problems:
        changes = staff_changes(job.organisation, emails_in(table))
        job.summary.update(changes.summary())
        if too_many_leave(changes):
            job.status = ImportJob.Status.HELD
    job.processed_rows = job.total_rows
    fields = ["summary", "errors", "status", "processed_rows"]
    if job.status == ImportJob.Status.INVALID:
        _save_ended(job, fields)
    else:
        job.save(update_fields=fields)
    return job


def start_import(job, *, user, confirmed=False, in_background=True):
    """Start writing a checked job's rows; return (job, started).

    The status is checked and changed under a row lock, so pressing Import
    twice (or two managers at once) starts one import only. Large files are
    handed to the task worker once this transaction commits, unless
    `in_background` is false. A HELD full staff list starts only `confirmed`
    (by an admin: the caller checks the role).
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        held = job.status == ImportJob.Status.HELD and not job.errors
        if not (job.can_be_committed or (confirmed and held)):
            return job, False
        if job.status == ImportJob.Status.HELD:
            # The run applies no more than the leavers the admin confirmed (see _apply_full_list).
            job.summary = {**job.summary, CONFIRMED: True}
        job.status = ImportJob.Status.QUEUED
        job.committed_by = user
        job.processed_rows = 0
        job.progress_at = timezone.now()
        job.save(
            update_fields=["status", "summary", "committed_by", "processed_rows", "progress_at"]
        )
        background = in_background and is_large(job)
        if background:
            from .tasks import run_import_task

            transaction.on_commit(partial(run_import_task.enqueue, job.pk))
    if not background:
        job = run_import(job)
    return job, True


def run_import(job):
    """Write every row of a job's file in one transaction, or none of them.

    Rows are matched to what exists (people by e-mail, enrolments by program
    and person, pairings by program, mentor, mentee and start, sessions by
    pairing, date and length): existing rows are updated when they differ, so
    importing the same file again changes nothing. Only a READY or QUEUED job
    runs; calling this again on a running or finished job does nothing. The
    rows are checked again as they are written, since the data may have
    changed since the preview. One audit event records the whole import.
    """
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.READY, ImportJob.Status.QUEUED]
    ).update(status=ImportJob.Status.RUNNING, processed_rows=0, progress_at=timezone.now())
    job.refresh_from_db()
    if not claimed:
        return job
    actor = job.committed_by or job.created_by
    checked = job.summary or {}
    reporter = ProgressReporter(job)
    try:
        table = _read_job_file(job)
        context, problems = _context_for(job, actor)
        if problems:
            raise RowsRejected(problems)
        with transaction.atomic():
            if job.full_list:
                _check_not_superseded(job)
            outcome = importer_for(job.kind).run(
                table, context, write=True, on_progress=reporter.report
            )
            if outcome.problems:
                raise RowsRejected(outcome.problems)
            job.status = ImportJob.Status.DONE
            job.summary = outcome.summary()
            if job.full_list:
                job.summary.update(_apply_full_list(job, table, actor, checked))
            job.errors = []
            job.total_rows = outcome.total_rows
            job.processed_rows = outcome.total_rows
            job.finished_at = timezone.now()
            _save_ended(
                job, ["status", "summary", "errors", "total_rows", "processed_rows", "finished_at"]
            )
            _record_import(job, actor)
            figures_changed(job.organisation_id)
    except UnreadableFile as unreadable:
        _mark_invalid(job, [unreadable.problem])
    except RowsRejected as rejected:
        _mark_invalid(job, rejected.problems)
    except HeldForConfirmation as held:
        _hold(job, {**checked, **held.changes.summary()})
    except IntegrityError:
        # Someone wrote a matching row between our check and our insert.
        _mark_failed(job, "changed_meanwhile")
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _mark_failed(job, "unexpected")
    finally:
        reporter.close()
    return job


def restart_stale_import(job):
    """Hand a stopped job (see progress.is_stale) to the task worker again; return (job, restarted).

    A worker killed in the middle of a job leaves it in progress forever, with
    nothing written since its transaction never committed. The job starts again
    from its first row: checked again if it was being checked, written otherwise.
    A job that is not stale is left as it is, and the change is made only if the
    job is still as it was read, so two presses restart it once.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not is_stale(job):
            return job, False
        checking = job.status == ImportJob.Status.CHECKING
        restarted = ImportJob.objects.filter(
            pk=job.pk, status=job.status, progress_at=job.progress_at
        ).update(
            status=ImportJob.Status.CHECKING if checking else ImportJob.Status.QUEUED,
            processed_rows=0,
            progress_at=timezone.now(),
        )
        if not restarted:
            job.refresh_from_db()
            return job, False
        forget_progress(job)
        from .tasks import check_import_task, run_import_task

        task = check_import_task if checking else run_import_task
        transaction.on_commit(partial(task.enqueue, job.pk))
    job.refresh_from_db()
    return job, True


def _check_not_superseded(job):
    """Refuse a full list when a newer one of the organisation was applied since it came: it
    would undo the newer list's changes and mark its new people as having left."""
    newer = ImportJob.objects.filter(
        organisation=job.organisation,
        kind=ImportKind.PEOPLE,
        full_list=True,
        status=ImportJob.Status.DONE,
        pk__gt=job.pk,
    )
    if newer.exists():
        raise RowsRejected([Problem("superseded", None)])


def _apply_full_list(job, table, actor, checked):
    """Mark who left and who came back, exactly as the check showed (`checked`, the job's
    summary then); refuse when the people changed since so that the list would now mark
    others, or more than the threshold allows for a list no admin confirmed."""
    changes = staff_changes(job.organisation, emails_in(table))
    shown = sorted(leaver["id"] for leaver in checked.get("leavers", []))
    if changes.leaving_ids != shown or len(changes.returning) != checked.get("returning", 0):
        raise RowsRejected([Problem("staff_changed", None)])
    if too_many_leave(changes) and not checked.get(CONFIRMED):
        # The threshold holds when the file is written, not only when it was checked.
        raise HeldForConfirmation(changes)
    left_on = job.file_date or timezone.localdate(
        timezone.now(), timezone=zoneinfo.ZoneInfo(job.organisation.time_zone)
    )
    apply_staff_changes(job.organisation, changes, left_on=left_on, actor=actor)
    return changes.summary()


def _read_job_file(job):
    with job.file.open("rb") as stored:
        return read_table(stored.read(), job.original_name)


def _context_for(job, user):
    """The import context for `user`, or the problems that forbid them this import."""
    if user is None and job.source == ImportSource.HR_SYNC:
        # The folder sync runs for the organisation itself, with no member behind it.
        programs = Program.objects.filter(organisation=job.organisation)
        context = Context(
            organisation=job.organisation,
            programs=programs,
            default_program=None,
            actor=None,
        )
        return context, []
    membership = (
        Membership.objects.filter(organisation=job.organisation, user=user)
        .select_related("organisation", "user")
        .first()
        if user is not None
        else None
    )
    if membership is None or membership.role not in MANAGER_ROLES:
        return None, [Problem("not_allowed", None)]
    programs = list(programs_managed_by(membership))
    default_program = None
    if job.program_id is not None:
        default_program = next((p for p in programs if p.pk == job.program_id), None)
        if default_program is None:
            return None, [Problem("unknown_program", None, {"value": str(job.program)})]
    context = Context(
        organisation=job.organisation,
        programs=programs,
        default_program=default_program,
        actor=user,
    )
    return context, []


def _save_progress(job, processed_rows):
    job.processed_rows = processed_rows
    job.progress_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=processed_rows, progress_at=job.progress_at
    )


def _mark_invalid(job, problems, *, save=True):
    job.status = ImportJob.Status.INVALID
    job.errors = [problem.as_json() for problem in problems]
    job.finished_at = timezone.now()
    if save:
        _save_ended(job, ["status", "errors", "finished_at"])


def _hold(job, summary):
    job.status = ImportJob.Status.HELD
    job.summary = summary
    job.errors = []
    job.save(update_fields=["status", "summary", "errors"])


def _mark_failed(job, code):
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DONE).exists():
        # A run restarted while the first was in fact alive: the first finished the job (and
        # deleted its file, which made this one fail). Done stays done.
        job.refresh_from_db()
        return
    job.status = ImportJob.Status.FAILED
    job.errors = [Problem(code, None).as_json()]
    job.finished_at = timezone.now()
    _save_ended(job, ["status", "errors", "finished_at"])


def expire_waiting_imports(now=None):
    """Fail the checked files nobody imported, and the held staff lists nobody confirmed,
    within IMPORT_WAITING_DAYS days, deleting their files; returns how many. The daily command
    (recognition_daily) runs it."""
    days = settings.IMPORT_WAITING_DAYS
    deadline = (now or timezone.now()) - datetime.timedelta(days=days)
    waiting = [ImportJob.Status.READY, ImportJob.Status.HELD]
    expired = 0
    for pk in ImportJob.objects.filter(status__in=waiting, created_at__lt=deadline).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Someone may press Import at this very moment: only a job still waiting expires.
            job = ImportJob.objects.select_for_update().filter(pk=pk, status__in=waiting).first()
            if job is None:
                continue
            job.status = ImportJob.Status.FAILED
            job.errors = [Problem("expired", None, {"days": days}).as_json()]
            job.finished_at = timezone.now()
            _save_ended(job, ["status", "errors", "finished_at"])
            expired += 1
    return expired


def forget_ended_files():
    """Delete the files jobs that have ended still hold (those that ended before files were
    forgotten at the end, or whose end was saved by older code); returns how many. The daily
    command (recognition_daily) runs it."""
    ended = ImportJob.objects.filter(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.INVALID, ImportJob.Status.FAILED]
    ).exclude(file="")
    forgotten = 0
    for job in ended.only("pk", "file").iterator():
        _save_ended(job, [])
        forgotten += 1
    return forgotten


def _save_ended(job, update_fields):
    """Save `update_fields` of a job that has ended (imported, refused or failed), and forget
    its file: it is never read again, and it lists people's names and e-mails. The file is
    deleted once the job's new state is committed (never before: a job whose end could not
    be saved keeps its file for a restart). What the job did stays in its summary, its
    problems and the audit trail."""
    with transaction.atomic():
        # What is committed: a write rolled back may have cleared it in memory only.
        job.refresh_from_db(fields=["file"])
        stored = job.file.name
        job.file = ""
        job.save(update_fields=[*update_fields, "file"])
        if stored:
            transaction.on_commit(partial(job.file.storage.delete, stored))


def _record_import(job, actor):
    """One audit event for the whole import: the job, with what it created, changed or left."""
    record_event(
        organisation=job.organisation,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=job,
        changes={
            "kind": job.kind,
            "source": job.source,
            "program": str(job.program) if job.program_id else "",
            "rows": job.total_rows,
            "created": job.summary["created"],
            "updated": job.summary["updated"],
            "unchanged": job.summary["unchanged"],
            **(
                {
                    "left": [leaver["id"] for leaver in job.summary["leavers"]],
                    "returned": job.summary["returning"],
                }
                if job.full_list
                else {}
            ),
        },
    )
