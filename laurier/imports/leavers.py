"""Full HR files: the whole staff list, so whoever it no longer names has left.

People absent from a full file are marked as having left (`Person.left_on`), never deleted,
and their enrolments end as "left" through the programs' own service, which ends their
running pairings too. Someone marked as left whom a later full file names again is back.
A file that would mark more than HR_SYNC_MAX_LEAVING_SHARE of the people present as left is
held for an admin's confirmation: an HR export cut short must not empty the organisation.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person
from laurier.programs.services import change_enrolment_status

from .importers import PeopleImporter
from .reading import cell_text, match_headers

DEFAULT_MAX_LEAVING_SHARE = 0.2
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

    def summary(self):
        """The counts and the names, as kept in an import job's summary."""
        return {
            "leaving": len(self.leaving),
            "returning": len(self.returning),
            "leavers": [
                {"id": pk, "name": name, "email": email} for pk, name, email in self.leaving
            ],
        }


def max_leaving_share():
    return getattr(settings, "HR_SYNC_MAX_LEAVING_SHARE", DEFAULT_MAX_LEAVING_SHARE)


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
    """Whether a full file marks so many people as left that an admin should confirm it."""
    return changes.leaving_share > max_leaving_share()


def apply_staff_changes(organisation, changes, *, left_on, actor):
    """Mark the leavers as left on `left_on` and end their enrolments; bring the returning back.

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
                )


def _chunks(items):
    return [items[start : start + UPDATE_CHUNK] for start in range(0, len(items), UPDATE_CHUNK)]
