"""What can be wrong with an uploaded file, said in the reader's language.

Problems are stored on the job as codes with parameters, not as sentences, so
that a French manager and an English admin each read them in their own language.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "email": _("e-mail"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "language": _("language"),
    "department": _("department"),
    "job_title": _("job title"),
    "hire_date": _("hire date"),
    "program": _("program"),
    "since": _("since"),
    "status": _("status"),
    "mentor": _("mentor"),
    "mentee": _("mentee"),
    "starts_on": _("start"),
    "ends_on": _("end"),
    "cycle": _("cohort"),
    "held_on": _("date"),
    "duration_minutes": _("duration (minutes)"),
    "duration_hours": _("duration (hours)"),
    "format": _("format"),
    "setting": _("mode"),
    "notes": _("notes"),
}

MESSAGES = {
    "empty_file": _("The file is empty."),
    "old_excel": _(
        "This is an old Excel file (.xls). Save it as Excel workbook (.xlsx) or CSV and send it "
        "again."
    ),
    "damaged_spreadsheet": _("The spreadsheet cannot be opened; it may be damaged."),
    "spreadsheet_too_large": _(
        "The spreadsheet unpacks into more than %(limit_mb)s MB; split it in several files."
    ),
    "too_many_rows": _("The file has more than %(limit)s rows; split it in several files."),
    "unreadable_text": _(
        "The file cannot be read as a table; save it as CSV or Excel workbook (.xlsx) and send it "
        "again."
    ),
    "no_rows": _("The file has a header row but no data."),
    "missing_column": _("The column “%(column)s” is missing."),
    "missing_duration_column": _(
        "The file needs a “durée (minutes)” or a “durée (heures)” column."
    ),
    "missing_program_column": _(
        "The file has no “programme” column: add one or choose a program in the form."
    ),
    "repeated_column": _("Two columns mean the same thing: “%(column)s”."),
    "missing_value": _("The %(column)s is missing."),
    "too_long": _("The %(column)s is longer than %(limit)s characters."),
    "invalid_email": _("“%(value)s” is not a valid e-mail address."),
    "bad_date": _("“%(value)s” is not a date (write YYYY-MM-DD or DD/MM/YYYY)."),
    "not_a_number": _("“%(value)s” is not a number."),
    "bad_duration": _(
        "The duration must be between 5 minutes and 12 hours, not %(minutes)s minutes."
    ),
    "bad_language": _("“%(value)s” is not a language Laurier speaks (write fr or en)."),
    "bad_status": _("“%(value)s” is not a known status."),
    "bad_format": _("“%(value)s” is not a session format (write individuel or groupe)."),
    "bad_setting": _("“%(value)s” is not a session mode (write en personne or en ligne)."),
    "unknown_program": _("“%(value)s” is not a program you manage."),
    "unknown_person": _(
        "No one has the e-mail %(value)s in the organisation: import them as people first."
    ),
    "unknown_mentor": _("No one has the mentor e-mail %(value)s in the organisation."),
    "unknown_mentee": _("No one has the mentee e-mail %(value)s in the organisation."),
    # Codes of jobs checked before pairings needed active enrolments, still stored on them.
    "mentor_not_enrolled": _("%(value)s is not a mentor in %(program)s."),
    "mentee_not_enrolled": _("%(value)s is not a mentee in %(program)s."),
    "mentor_not_active": _("%(value)s is not an active mentor in %(program)s."),
    "mentee_not_active": _("%(value)s is not an active mentee in %(program)s."),
    "person_left": _(
        "%(value)s has left the organisation (HR file): they can no longer be enrolled or "
        "made active."
    ),
    "superseded": _(
        "A newer staff list was imported after this one, so this one can no longer be applied. "
        "Nothing was written; send the current staff list again if needed."
    ),
    "staff_changed": _(
        "The people of the organisation changed since this list was checked, so it would no "
        "longer mark as left the people it showed. Nothing was written; send the list again to "
        "check it anew."
    ),
    "file_date_in_future": _(
        "The file's date (%(value)s) is after today: give the day of the staff list."
    ),
    "file_date_too_old": _(
        "The file's date (%(value)s) is more than a year ago: send a current staff list."
    ),
    "erased_person": _(
        "The person with the e-mail %(value)s was erased on %(date)s: remove the row. If they "
        "agree to come back, ask them first, then add them by hand."
    ),
    "expired": _(
        "Nobody imported this file within %(days)s days of its check, so it was deleted and "
        "nothing was written. Upload it again to import it."
    ),
    "person_erased": _(
        "A person named in this file was erased before it was imported, so the file was "
        "deleted and nothing was written. Send it again: its check shows the row to remove."
    ),
    "same_person": _("The mentor and the mentee are the same person."),
    "ends_before_start": _("The end (%(end)s) is before the start (%(start)s)."),
    "needs_end_date": _("A pairing that is no longer active needs an end date."),
    "already_paired": _(
        "%(mentor)s and %(mentee)s already have an active pairing in %(program)s: end it before "
        "starting another."
    ),
    "paired_twice_in_file": _(
        "%(mentor)s and %(mentee)s already start an active pairing in %(program)s on row "
        "%(first_row)s: a mentor and a mentee have one active pairing at a time."
    ),
    "unknown_cycle": _("%(program)s has no cohort “%(value)s”."),
    "no_pairing": _("%(mentor)s and %(mentee)s are not paired in %(program)s."),
    "before_pairing": _("The session (%(date)s) is before the pairing started (%(start)s)."),
    "after_pairing": _("The session (%(date)s) is after the pairing ended (%(end)s)."),
    "session_in_future": _(
        "The session (%(date)s) is in the future: only sessions that took place can be logged."
    ),
    "duplicate_row": _("This row repeats row %(first_row)s."),
    "changed_meanwhile": _(
        "Someone changed the same data while this file was being imported; nothing was written. "
        "Press Import again."
    ),
    "not_allowed": _("The person who started this import may no longer import here."),
    "unexpected": _("The import stopped on an unexpected error; nothing was written."),
    "check_failed": _(
        "The file could not be checked because of an unexpected error; nothing was written. "
        "Send it again; if this happens again, tell the people who run Laurier."
    ),
}


@dataclass
class Problem:
    """One reason a row (or, with row None, the whole file) cannot be imported."""

    code: str
    row: int | None
    params: dict = field(default_factory=dict)

    def as_json(self):
        return {"row": self.row, "code": self.code, "params": self.params}


def describe(problem):
    """The sentence for a stored problem ({'row', 'code', 'params'}), in the active language."""
    params = {
        # 1000000 reads as 1,000,000 (or 1 000 000 in French).
        name: number_format(value, force_grouping=True)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for name, value in (problem.get("params") or {}).items()
    }
    if "column" in params:
        params["column"] = FIELD_LABELS.get(params["column"], params["column"])
    message = MESSAGES.get(problem.get("code"), MESSAGES["unexpected"])
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(message)
