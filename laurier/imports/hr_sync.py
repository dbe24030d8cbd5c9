"""The HR sync folder: an HR system drops the organisation's whole staff list in a folder,
and `manage.py sync_people` (from cron or a systemd timer) imports each new file.

Each file becomes an import job of source "HR sync", checked and written like a page
upload (one bad row: nothing written), as a full staff list (people it no longer names are
marked as having left). The file then moves to `done/`, `rejected/` or, when it would mark
too many people as left, `held/` (an admin confirms it on the import page), with a report
next to it. An unexpected error on one file sends it to `rejected/` with the error in its
report, and the sync goes on with the next files. A file still being written (changed less
than `settle_seconds` ago), a hidden file or a spreadsheet's lock file is left for the next
run; two runs at once on one folder do not both import it (a lock file).
"""

import contextlib
import datetime
import fcntl
import logging
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import services
from .forms import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES
from .models import ImportJob, ImportKind, ImportSource
from .selectors import problems_of

logger = logging.getLogger(__name__)

DONE, REJECTED, HELD = "done", "rejected", "held"
REPORT_SUFFIX = ".report.txt"
LOCK_NAME = ".sync_people.lock"
DEFAULT_SETTLE_SECONDS = 60
# Files being written or not files at all: hidden files, Excel's "~$" lock files, downloads.
SKIPPED_PREFIXES = (".", "~$")
SKIPPED_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", REPORT_SUFFIX)


@dataclass
class SyncedFile:
    """One file the sync took: where it went, and its import job (None when it was refused
    before any import, for being no spreadsheet or too large)."""

    name: str
    outcome: str
    path: Path
    job: ImportJob | None


def organisation_folder(organisation):
    """The organisation's subfolder of settings.HR_SYNC_FOLDER, or None when it is not set."""
    root = getattr(settings, "HR_SYNC_FOLDER", "")
    return Path(root) / organisation.slug if root else None


def sync_folder(organisation, folder, *, settle_seconds=DEFAULT_SETTLE_SECONDS, now=None):
    """Import every new file of `folder` for `organisation`, oldest first; return what was done.

    Returns an empty list when another run holds the folder's lock.
    """
    folder = Path(folder)
    with _folder_lock(folder) as locked:
        if not locked:
            return []
        return [
            _sync_file(organisation, folder, path)
            for path in files_waiting(folder, settle_seconds=settle_seconds, now=now)
        ]


def files_waiting(folder, *, settle_seconds=DEFAULT_SETTLE_SECONDS, now=None):
    """The files of `folder` (not of its subfolders) to import, oldest first."""
    now = now or datetime.datetime.now(tz=datetime.UTC).timestamp()
    waiting = []
    for path in Path(folder).iterdir():
        if not path.is_file() or path.name.startswith(SKIPPED_PREFIXES):
            continue
        if path.name.lower().endswith(SKIPPED_SUFFIXES):
            continue
        modified = path.stat().st_mtime
        if now - modified < settle_seconds:
            continue
        waiting.append((modified, path.name, path))
    return [path for _modified, _name, path in sorted(waiting)]


def import_hr_file(organisation, path):
    """Import one staff list file as a full HR file; return its job (already written, held
    or refused). The file's date, for the people who left, is the day it was last changed."""
    file_date = datetime.datetime.fromtimestamp(
        path.stat().st_mtime, tz=zoneinfo.ZoneInfo(organisation.time_zone)
    ).date()
    job = services.create_import(
        organisation=organisation,
        user=None,
        kind=ImportKind.PEOPLE,
        program=None,
        uploaded_file=ContentFile(path.read_bytes(), name=path.name),
        source=ImportSource.HR_SYNC,
        full_list=True,
        file_date=file_date,
        in_background=False,
    )
    return job


def _sync_file(organisation, folder, path):
    refusal = _refusal(path)
    job = None
    if not refusal:
        try:
            job = import_hr_file(organisation, path)
        except Exception as error:
            # One file must not stop the files and organisations after it, nor fail again
            # at every run: it leaves the folder with what went wrong.
            logger.exception("HR sync of %s for %s failed", path, organisation.slug)
            with translation.override(organisation.language):
                refusal = _unexpected_error_report(path, error)
    outcome = _outcome_of(job)
    destination = _move(path, folder / outcome)
    with translation.override(organisation.language):
        report = refusal or job_report(job)
    destination.with_name(destination.name + REPORT_SUFFIX).write_text(report, encoding="utf-8")
    return SyncedFile(name=path.name, outcome=outcome, path=destination, job=job)


def _unexpected_error_report(path, error):
    """The report of a file whose import stopped on an unexpected error, in the active language."""
    return (
        "\n".join(
            [
                gettext("File: %(name)s") % {"name": path.name},
                gettext(
                    "Not imported: an unexpected error stopped it; nothing was written. Send it "
                    "again; if this happens again, tell the people who run Laurier."
                ),
                f"{type(error).__name__}: {error}"[:500],
            ]
        )
        + "\n"
    )


def _refusal(path):
    """Why a file is not even read, in the active language; or None."""
    if path.suffix.lower() not in ACCEPTED_EXTENSIONS:
        return gettext("Not imported: send a CSV file or an Excel workbook (.xlsx).") + "\n"
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        return gettext("Not imported: the file is larger than 50 MB.") + "\n"
    return None


def _outcome_of(job):
    if job is None:
        return REJECTED
    if job.status == ImportJob.Status.DONE:
        return DONE
    if job.status == ImportJob.Status.HELD:
        return HELD
    return REJECTED


def _move(path, destination_folder):
    """Move a file into a folder, never over an earlier file of the same name."""
    destination_folder.mkdir(exist_ok=True)
    destination = destination_folder / path.name
    number = 1
    while destination.exists():
        number += 1
        destination = destination_folder / f"{path.stem}-{number}{path.suffix}"
    return path.rename(destination)


def job_report(job):
    """What an HR sync job did, as plain text for the operator, in the active language."""
    summary = job.summary
    address = settings.SITE_URL.rstrip("/") + reverse(
        "imports:detail", args=[job.organisation.slug, job.pk]
    )
    lines = [
        gettext("File: %(name)s") % {"name": job.original_name},
        gettext("Status: %(status)s") % {"status": job.get_status_display()},
        gettext("Rows: %(rows)s") % {"rows": job.total_rows},
        gettext("Import page: %(address)s") % {"address": address},
    ]
    if job.status == ImportJob.Status.HELD:
        lines.append(
            gettext(
                "Held: this file would mark %(count)s people as having left the organisation. "
                "Nothing was written; an admin can confirm it on the import page."
            )
            % {"count": summary.get("leaving", 0)}
        )
    if summary and job.status in (ImportJob.Status.DONE, ImportJob.Status.HELD):
        lines.append(
            gettext("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s")
            % summary
        )
        lines.append(
            gettext("Marked as left: %(leaving)s, back: %(returning)s")
            % {"leaving": summary.get("leaving", 0), "returning": summary.get("returning", 0)}
        )
        lines += [f"  - {leaver['name']} <{leaver['email']}>" for leaver in summary["leavers"]]
        returners = summary.get("returners", [])
        if returners:
            lines.append(
                gettext(
                    "Back in the staff list: their enrolments ended when they left stay ended; "
                    "enrol them again or set their status back on the program's pages."
                )
            )
            lines += [f"  - {person['name']} <{person['email']}>" for person in returners]
    problems = problems_of(job)
    if problems:
        lines.append(gettext("Nothing was written. Problems:"))
        for problem in problems:
            row = problem["row"]
            prefix = gettext("row %(row)s: ") % {"row": row} if row else ""
            lines.append(f"  - {prefix}{problem['message']}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _folder_lock(folder):
    """An exclusive lock on the folder for this run; yields whether it was obtained."""
    with open(folder / LOCK_NAME, "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
