"""Full HR files: the whole staff list, so whoever it no longer names has left.

People absent from a full file are marked as having left (`Person.left_on`), never deleted,
and their enrolments end as "left" through the programs' own service, which ends their
running pairings too. Someone marked as left whom a later full file names again is back.
A file that would mark more than HR_SYNC_MAX_LEAVING_SHARE of the people present, or more than
HR_SYNC_MAX_LEAVERS people, as left is held for an admin's confirmation: an HR export cut short
must not empty the organisation.

Coming back clears `left_on` only: the enrolments ended when the person left stay ended (a
manager enrols them again or sets their status back), and the job's summary says so.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from laurier.core.dates import organisation_today
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person
from laurier.programs.services import change_enrolment_status

from .importers import PeopleImporter
from .problems import Problem
from .reading import cell_text, match_headers

DEFAULT_MAX_LEAVING_SHARE = 0.2
DEFAULT_MAX_LEAVERS = 50
# A staff list older than this is not a current one: its leavers would be backdated too far.
OLDEST_FILE_DATE = datetime.timedelta(days=366)
# Rows per UPDATE … WHERE id IN (…): under SQLite's limit on parameters.
UPDATE_CHUNK = 500


@dataclass
class StaffChanges:
    """Who a full staff list marks as having left, and who it brings back."""

    present_count: int = 0
    leaving: list = field(default_factory=list)  # [(id, name, e-mail)]
    returning: list = field(default_factory=list)  # [(id, name, e-mail)]

    @property
    def leaving_share(self):
        return len(self.leaving) / self.present_count if self.present_count else 0

    @property
    def leaving_ids(self):
        return sorted(pk for pk, _name, _email in self.leaving)

    def summary(self):
        """The counts and the names, as kept in an import job's summary."""
        return {
            "leaving": len(self.leaving),
            "returning": len(self.returning),
            "leavers": [
                {"id": pk, "name": name, "email": email} for pk, name, email in self.leaving
            ],
            "returners": [
                {"id": pk, "name": name, "email": email} for pk, name, email in self.returning
            ],
        }


def max_leaving_share():
    return getattr(settings, "HR_SYNC_MAX_LEAVING_SHARE", DEFAULT_MAX_LEAVING_SHARE)


def max_leavers():
    return getattr(settings, "HR_SYNC_MAX_LEAVERS", DEFAULT_MAX_LEAVERS)


def file_date_problem(organisation, day):
    """What is wrong with a staff list's date (the day its absent people left), or None.

    It cannot be after the organisation's today, nor more than a year before it.
    """
    if day is None:
        return None
    today = organisation_today(organisation)
    if day > today:
        return Problem("file_date_in_future", None, {"value": day.isoformat()})
    if day < today - OLDEST_FILE_DATE:
        return Problem("file_date_too_old", None, {"value": day.isoformat()})
    return None


def emails_in(table):
    """The lower-case e-mail addresses a people file names (its rows already checked)."""
    positions, _ignored, _repeated = match_headers(table.headers, PeopleImporter().columns())
    column = positions.get("email")
    if column is None:
        return set()
    return {
        cell_text(cells[column]).lower()
        for _number, cells in table.rows
        if column < len(cells) and cells[column] != ""
    }


def staff_changes(organisation, emails):
    """Who leaves and who returns if `emails` is the organisation's whole staff list.

    One query, whatever the size of the organisation: the people are compared in memory
    rather than through an IN list as long as the file.
    """
    changes = StaffChanges()
    people = (
        Person.objects.filter(organisation=organisation)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "email", "left_on")
    )
    for pk, first_name, last_name, email, left_on in people:
        listed = email.lower() in emails
        person = (pk, f"{first_name} {last_name}".strip(), email)
        if left_on is None:
            changes.present_count += 1
            if not listed:
                changes.leaving.append(person)
        elif listed:
            changes.returning.append(person)
    return changes


def too_many_leave(changes):
    """Whether a full file marks so many people as left that an admin should confirm it:
    more than a share of the people present, or more than a number of people."""
    return changes.leaving_share > max_leaving_share() or len(changes.leaving) > max_leavers()


def apply_staff_changes(organisation, changes, *, left_on, actor):
    """Mark the leavers as left on `left_on` and end their enrolments; bring the returning back.
    The caller moves the figures version (programs/figures_cache.py) after it, last.

    Enrolments end through change_enrolment_status, with its audit trail and the end of
    the running pairings, exactly as when a manager records that someone left.
    """
    leaving_ids = [pk for pk, _name, _email in changes.leaving]
    returning_ids = [pk for pk, _name, _email in changes.returning]
    for chunk in _chunks(leaving_ids):
        Person.objects.filter(pk__in=chunk, left_on__isnull=True).update(left_on=left_on)
    for chunk in _chunks(returning_ids):
        Person.objects.filter(pk__in=chunk).update(left_on=None)
    if not leaving_ids:
        return
    with translation.override(organisation.language):
        # Kept with the enrolment: written in the organisation's language.
        reason = gettext("Left the organisation (HR file)")
    for model in (MentorEnrolment, MenteeEnrolment):
        for chunk in _chunks(leaving_ids):
            enrolments = (
                model.objects.filter(person_id__in=chunk)
                .exclude(status=EnrolmentStatus.LEFT)
                .select_related("program__organisation", "person")
                .order_by("pk")
            )
            for enrolment in enrolments:
                change_enrolment_status(
                    enrolment,
                    status=EnrolmentStatus.LEFT,
                    reason=reason,
                    changed_on=max(left_on, enrolment.since),
                    actor=actor,
                    # run_import moves it, last.
                    figures_changed_by_caller=True,
                )


def _chunks(items):
    return [items[start : start + UPDATE_CHUNK] for start in range(0, len(items), UPDATE_CHUNK)]
