"""Reads for the import pages: which jobs a member may see, and what went wrong in one."""

from django.db.models import Q
from django.utils.translation import gettext as _

from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by

from .importers import COLUMNS, importer_for
from .models import ImportJob, ImportKind, ImportSource
from .problems import FIELD_LABELS, describe
from .progress import is_stale, live_processed_rows


def import_jobs_for(membership):
    """The organisation's import jobs a member may see: all for an admin; for a manager, their
    own uploads and the imports into the programs they manage."""
    jobs = ImportJob.objects.filter(organisation_id=membership.organisation_id).select_related(
        "program", "created_by"
    )
    if membership.role == Role.ADMIN:
        return jobs
    return jobs.filter(
        Q(created_by_id=membership.user_id)
        | Q(program__in=programs_managed_by(membership).values("pk"))
    )


def search_import_jobs(jobs, *, text="", kind="", status="", source=""):
    """Narrow a job list by file name, kind, status and source (page, HR sync, API)."""
    if text:
        jobs = jobs.filter(original_name__icontains=text)
    if kind in ImportKind.values:
        jobs = jobs.filter(kind=kind)
    if status in ImportJob.Status.values:
        jobs = jobs.filter(status=status)
    if source in ImportSource.values:
        jobs = jobs.filter(source=source)
    return jobs


def leavers_of(job):
    """Who a full staff list marked (or, held or ready, would mark) as having left."""
    if not job.full_list or not job.summary:
        return []
    return job.summary.get("leavers", [])


def problems_of(job):
    """Every problem of a job as {'row', 'message'} in the active language, file problems first."""
    problems = sorted(job.errors, key=lambda problem: problem.get("row") or 0)
    return [{"row": problem.get("row"), "message": describe(problem)} for problem in problems]


def progress_of(job):
    """(processed rows, percent) for a job, counting what a running import reported so far."""
    processed = live_processed_rows(job)
    percent = min(100, round(100 * processed / job.total_rows)) if job.total_rows else 0
    return processed, percent


def stopped(job):
    """Whether a job in progress stopped before it finished (its worker was killed)."""
    return is_stale(job)


def _column_need(importer, name):
    if name in importer.required:
        return _("yes")
    if name == "program" and importer.program_column:
        return _("unless a program is chosen in the form")
    if name in ("duration_minutes", "duration_hours"):
        return _("one of the two durations")
    return _("no")


def column_guide():
    """For each kind of file, the columns it may hold with the header names they go by."""
    guide = []
    for kind, label in ImportKind.choices:
        importer = importer_for(kind)
        columns = [
            {
                "label": FIELD_LABELS[name],
                "names": COLUMNS[name][:4],
                "required": _column_need(importer, name),
            }
            for name in importer.fields
        ]
        guide.append({"kind": kind, "label": label, "columns": columns})
    return guide
