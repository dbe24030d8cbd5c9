"""Reads of privacy: everything Laurier holds about one person (their export), their consents,
and who the retention rule erases next.

The export is one list of sections, each read with one query whatever the number of rows, so
a person with ten years of sessions costs as much to export as a newcomer. What it leaves out,
on purpose:
- answers to anonymous surveys (pulses included): only that the person was asked, and whether
  they answered, never what or when, so the export cannot tie an anonymous answer to them;
- recognitions planned but not given yet (and the recognition plans' lines and reasons, the
  budget's commitments for them), thank-you notes the manager has not approved: the mentor
  learns of them when they are given or approved, never before (they may be a surprise), as
  on their own pages;
- contest nominations the person was not told of, until the edition is announced;
- in a contest, the jury's scores and who nominated them: the contest never tells nominees;
- the text of e-mails sent to them: it holds their personal links (surveys, notes, RSVPs),
  which an admin handing over the export must not be able to use; subjects and dates are there.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast, Lower
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from laurier.contests.models import Juror, Nomination, Nominee, Winner
from laurier.core.dates import months_before
from laurier.credentials.models import Credential, PublicProfile
from laurier.hours.models import MentoringSession
from laurier.imports.models import ImportJob
from laurier.imports.reading import UnreadableFile, read_table
from laurier.organisations.models import AuditEvent, Invitation, Membership, Role
from laurier.outbox.models import OutgoingEmail
from laurier.profiles.models import MentorProfile, ProfileSource, ProfileVersion
from laurier.programs.models import (
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.recognition.categories import PublicConsent
from laurier.recognition.models import (
    Award,
    EventInvitation,
    Kudos,
    LedgerEntry,
    Spotlight,
    ThankYouNote,
)
from laurier.surveys.models import Answer, Recipient

from .models import Consent, Erasure, RetentionPolicy

EXPORT_FORMAT = "laurier-person-export"
EXPORT_VERSION = 1


@dataclass
class Column:
    key: str
    label: str
    # Code → label, for a value stored as a code (a status, a role).
    choices: dict | None = None


@dataclass
class Section:
    """One kind of data about the person: a stable key for the JSON, a title and columns for
    people to read."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""
    # At most one row (the person, their account, their profile): read as a list of facts.
    single: bool = False

    def table(self):
        """The rows as readable cells, in the columns' order."""
        return [[_readable(row.get(c.key), c.choices) for c in self.columns] for row in self.rows]

    def as_json(self):
        """A list of rows; the row itself (or null) for a section of at most one."""
        if self.single:
            return self.rows[0] if self.rows else None
        return self.rows

    def facts(self):
        """The only row as (label, readable value) pairs."""
        if not self.rows:
            return []
        return [(c.label, _readable(self.rows[0].get(c.key), c.choices)) for c in self.columns]


def _readable(value, choices=None):
    if value is None or value == "":
        return "—"
    if choices is not None:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(_readable(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_readable(item)}" for key, item in value.items()) or "—"
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return _readable_date(value)
    return str(value)


def _readable_date(value):
    try:
        if len(value) == 10:
            return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _iso(value):
    """Dates and times as ISO 8601 text (times in UTC), the way every JSON reader expects."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def is_erased(person):
    return Erasure.objects.filter(person=person).exists()


# The export, section by section


def _person_section(person):
    rows = []
    if person is not None:
        rows.append(
            {
                "id": person.pk,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "language": person.language,
                "department": person.department,
                "job_title": person.job_title,
                "hire_date": _iso(person.hire_date),
                "left_on": _iso(person.left_on),
                "created_at": _iso(person.created_at),
            }
        )
    return Section(
        "person",
        _("Identity"),
        [
            Column("first_name", _("First name")),
            Column("last_name", _("Last name")),
            Column("email", _("E-mail address")),
            Column("language", _("Language")),
            Column("department", _("Department")),
            Column("job_title", _("Job title")),
            Column("hire_date", _("Hire date")),
            Column("left_on", _("Left the organisation on")),
            Column("created_at", _("Known to Laurier since")),
        ],
        rows,
        single=True,
    )


def _account_section(user):
    rows = []
    if user is not None:
        # Never the password, even hashed, nor the multi-factor secrets.
        rows.append(
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "language": user.language,
                "is_active": user.is_active,
                "date_joined": _iso(user.date_joined),
                "last_login": _iso(user.last_login),
            }
        )
    return Section(
        "account",
        _("Account"),
        [
            Column("email", _("E-mail address")),
            Column("first_name", _("First name")),
            Column("last_name", _("Last name")),
            Column("language", _("Language")),
            Column("is_active", _("Can sign in")),
            Column("date_joined", _("Created")),
            Column("last_login", _("Last signed in")),
        ],
        rows,
        single=True,
    )


def _membership_section(organisation, user):
    memberships = Membership.objects.filter(organisation=organisation, user=user) if user else []
    return Section(
        "memberships",
        _("Role in the organisation"),
        [
            Column("role", _("Role"), dict(Role.choices)),
            Column("since", _("Since")),
        ],
        [{"role": m.role, "since": _iso(m.created_at)} for m in memberships],
    )


def _enrolment_rows(model, person, role):
    enrolments = model.objects.filter(person=person).select_related("program").order_by("since")
    return [
        {
            "program": e.program.name,
            "role": role,
            "since": _iso(e.since),
            "status": e.status,
            "status_reason": e.status_reason,
            "status_changed_on": _iso(e.status_changed_on),
        }
        for e in enrolments
    ]


ROLE_LABELS = {"mentor": _("Mentor"), "mentee": _("Mentee")}


def _enrolment_section(person):
    return Section(
        "enrolments",
        _("Programs"),
        [
            Column("program", _("Program")),
            Column("role", _("As"), ROLE_LABELS),
            Column("since", _("Since")),
            Column("status", _("Status"), dict(EnrolmentStatus.choices)),
            Column("status_reason", _("Reason")),
            Column("status_changed_on", _("Status changed on")),
        ],
        _enrolment_rows(MentorEnrolment, person, "mentor")
        + _enrolment_rows(MenteeEnrolment, person, "mentee"),
    )


def _pairing_section(person):
    pairings = (
        Pairing.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program", "mentor", "mentee")
        .order_by("starts_on", "pk")
    )
    rows = []
    for pairing in pairings:
        as_mentor = pairing.mentor_id == person.pk
        other = pairing.mentee if as_mentor else pairing.mentor
        rows.append(
            {
                "program": pairing.program.name,
                "role": "mentor" if as_mentor else "mentee",
                "with": other.full_name,
                "starts_on": _iso(pairing.starts_on),
                "ends_on": _iso(pairing.ends_on),
                "status": pairing.status,
            }
        )
    return Section(
        "pairings",
        _("Pairings"),
        [
            Column("program", _("Program")),
            Column("role", _("As"), ROLE_LABELS),
            Column("with", _("With")),
            Column("starts_on", _("Starts on")),
            Column("ends_on", _("Ends on")),
            Column("status", _("Status"), dict(Pairing.Status.choices)),
        ],
        rows,
    )


def _session_section(person):
    sessions = (
        MentoringSession.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program")
        .order_by("held_on", "pk")
    )
    return Section(
        "sessions",
        _("Mentoring sessions"),
        [
            Column("program", _("Program")),
            Column("role", _("As"), ROLE_LABELS),
            Column("held_on", _("Date")),
            Column("duration_minutes", _("Minutes")),
            Column("format", _("Format"), dict(MentoringSession._meta.get_field("format").choices)),
            Column(
                "setting", _("Setting"), dict(MentoringSession._meta.get_field("setting").choices)
            ),
            Column("notes", _("Notes")),
            Column("confirmed_at", _("Confirmed")),
        ],
        [
            {
                "program": s.program.name,
                "role": "mentor" if s.mentor_id == person.pk else "mentee",
                "held_on": _iso(s.held_on),
                "duration_minutes": s.duration_minutes,
                "format": s.format,
                "setting": s.setting,
                "notes": s.notes,
                "confirmed_at": _iso(s.confirmed_at),
            }
            for s in sessions
        ],
    )


def _event_section(person):
    invitations = (
        EventInvitation.objects.filter(person=person)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    return Section(
        "events",
        _("Events and training hours"),
        [
            Column("event", _("Event")),
            Column("starts_at", _("Starts")),
            Column("answer", _("Answer"), dict(EventInvitation.Answer.choices)),
            Column("answered_at", _("Answered")),
            Column("attended", _("Attended")),
            Column("training_hours", _("Training hours counted")),
        ],
        [
            {
                "event": invitation.event.name,
                "starts_at": _iso(invitation.event.starts_at),
                "answer": invitation.answer,
                "answered_at": _iso(invitation.answered_at),
                "attended": invitation.attended,
                "training_hours": _iso(
                    invitation.event.training_hours
                    if invitation.attended and invitation.event.is_professional_development
                    else Decimal("0")
                ),
            }
            for invitation in invitations
        ],
    )


def _profile_section(person, own):
    profile = (
        MentorProfile.objects.filter(person=person)
        .prefetch_related("motivations", "preferences")
        .first()
    )
    rows = []
    if profile is not None:
        rows.append(
            {
                "public_consent": profile.public_consent,
                "motivations": [m.motivation for m in profile.motivations.all()],
                "motivation_other": profile.motivation_other,
                "preferences": {p.category: p.score for p in profile.preferences.all()},
                "interests": profile.interests,
                "diet": profile.diet,
                "accessibility": profile.accessibility,
                "availability": profile.availability,
                "preferred_moments": profile.preferred_moments,
                "updated_at": _iso(profile.updated_at),
            }
        )
    return Section(
        "profile",
        _("Mentor profile"),
        [
            Column("public_consent", _("Public recognition"), dict(PublicConsent.choices)),
            Column("motivations", _("Why you mentor") if own else _("Why they mentor")),
            Column("motivation_other", _("Other reason")),
            Column(
                "preferences",
                _("Recognitions you value (0 to 5)")
                if own
                else _("Recognitions they value (0 to 5)"),
            ),
            Column("interests", _("Interests")),
            Column("diet", _("Dietary needs")),
            Column("accessibility", _("Accessibility needs")),
            Column("availability", _("Availability for events")),
            Column("preferred_moments", _("Preferred moments")),
            Column("updated_at", _("Updated")),
        ],
        rows,
        single=True,
    )


def _profile_history_section(person):
    versions = ProfileVersion.objects.filter(person=person).order_by("recorded_at", "pk")
    return Section(
        "profile_history",
        _("Mentor profile history"),
        [
            Column("recorded_at", _("When")),
            Column("source", _("Source"), dict(ProfileSource.choices)),
            Column("data", _("Profile")),
        ],
        [
            {"recorded_at": _iso(v.recorded_at), "source": v.source, "data": v.data}
            for v in versions
        ],
    )


def _survey_sections(person, own):
    recipients = list(
        Recipient.objects.filter(person=person)
        .select_related("campaign__survey", "campaign__cycle")
        .order_by("campaign__created_at", "pk")
    )
    named = [r.pk for r in recipients if not r.campaign.survey.results_are_anonymous]
    answers = (
        Answer.objects.filter(response__recipient_id__in=named)
        .select_related("question", "choice", "response")
        .order_by("response__recipient_id", "question__position", "pk")
    )
    requests = []
    for recipient in recipients:
        anonymous = recipient.campaign.survey.results_are_anonymous
        requests.append(
            {
                "survey": recipient.campaign.title,
                "about": recipient.about,
                "anonymous": anonymous,
                "invited_at": _iso(recipient.invited_at),
                # When an anonymous answer came would tie it to the person: only whether it did.
                "answered": recipient.responded_at is not None,
                "answered_at": None if anonymous else _iso(recipient.responded_at),
            }
        )
    titles = {r.pk: r.campaign.title for r in recipients}
    answer_rows = [
        {
            "survey": titles[answer.response.recipient_id],
            "question": answer.question.text,
            "choice": answer.choice.text if answer.choice_id else None,
            "number": answer.number,
            "text": answer.text,
        }
        for answer in answers
    ]
    return [
        Section(
            "survey_requests",
            _("Surveys you were asked to answer")
            if own
            else _("Surveys they were asked to answer"),
            [
                Column("survey", _("Survey")),
                Column("about", _("About")),
                Column("anonymous", _("Anonymous")),
                Column("invited_at", _("Invited")),
                Column("answered", _("Answered")),
                Column("answered_at", _("Answered on")),
            ],
            requests,
            note=_(
                "Answers to anonymous surveys are never tied to anyone: they are not in this "
                "export."
            ),
        ),
        Section(
            "survey_answers",
            _("Your answers to named surveys") if own else _("Their answers to named surveys"),
            [
                Column("survey", _("Survey")),
                Column("question", _("Question")),
                Column("choice", _("Choice")),
                Column("number", _("Number")),
                Column("text", _("Text")),
            ],
            answer_rows,
        ),
    ]


def _award_section(person):
    # Given ones only: a planned recognition may be a surprise (see the module's docstring).
    awards = (
        Award.objects.filter(mentor=person, status=Award.Status.GIVEN)
        .select_related("program", "option")
        .order_by("given_on", "pk")
    )
    return Section(
        "awards",
        _("Recognitions received"),
        [
            Column("program", _("Program")),
            Column("recognition", _("Recognition")),
            Column("given_on", _("Given on")),
            Column("given_by", _("Given by")),
            Column("message", _("Message")),
        ],
        [
            {
                "program": a.program.name,
                "recognition": a.option.name,
                "moment": a.moment,
                "given_on": _iso(a.given_on),
                "given_by": a.giver_names,
                "message": a.message,
            }
            for a in awards
        ],
    )


def _notes_sections(person):
    received = ThankYouNote.objects.filter(
        mentor=person, status=ThankYouNote.Status.APPROVED
    ).order_by("created_at", "pk")
    written = (
        ThankYouNote.objects.filter(writer__person=person)
        .select_related("mentor")
        .order_by("created_at", "pk")
    )
    return [
        Section(
            "notes_received",
            _("Thank-you notes received"),
            [
                Column("signature", _("Signed")),
                Column("text", _("Note")),
                Column("written_at", _("Written")),
            ],
            [
                {"signature": n.signature, "text": n.text, "written_at": _iso(n.created_at)}
                for n in received
            ],
        ),
        Section(
            "notes_written",
            _("Thank-you notes written"),
            [
                Column("to", _("To")),
                Column("text", _("Note")),
                Column("signature", _("Signed")),
                Column("written_at", _("Written")),
            ],
            [
                {
                    "to": n.mentor.full_name,
                    "text": n.text,
                    "signature": n.signature,
                    "written_at": _iso(n.created_at),
                }
                for n in written
            ],
        ),
    ]


def _kudos_sections(person):
    kudos = (
        Kudos.objects.filter(Q(mentor=person) | Q(giver=person))
        .select_related("program", "mentor")
        .order_by("given_on", "pk")
    )
    received, given = [], []
    for k in kudos:
        row = {"program": k.program.name, "behaviour": k.behaviour, "message": k.message}
        row["given_on"] = _iso(k.given_on)
        if k.mentor_id == person.pk:
            received.append(row)
        if k.giver_id == person.pk:
            given.append({**row, "to": k.mentor.full_name})
    behaviours = dict(Kudos._meta.get_field("behaviour").choices)
    columns = [
        Column("program", _("Program")),
        Column("behaviour", _("For"), behaviours),
        Column("message", _("Message")),
        Column("given_on", _("Date")),
    ]
    return [
        Section("kudos_received", _("Kudos received"), columns, received),
        Section("kudos_given", _("Kudos given"), [Column("to", _("To")), *columns], given),
    ]


def _spotlight_section(person, own):
    spotlights = Spotlight.objects.filter(mentor=person).order_by("created_at", "pk")
    return Section(
        "spotlights",
        _("Spotlights about you") if own else _("Spotlights about them"),
        [
            Column("title", _("Title")),
            Column("text", _("Text")),
            Column("consent_given_on", _("You agreed on") if own else _("They agreed on")),
            Column("created_at", _("Written")),
        ],
        [
            {
                "title": s.title,
                "text": s.body,
                "consent_given_on": _iso(s.consent_given_on),
                "created_at": _iso(s.created_at),
            }
            for s in spotlights
        ],
    )


def _spending_section(person):
    """What the organisation spent on the person's recognitions. Spending only: a commitment
    is a planned recognition, which may be a surprise (see the module's docstring)."""
    entries = (
        LedgerEntry.objects.filter(person=person, kind=LedgerEntry.Kind.SPENDING)
        .select_related("option")
        .order_by("occurred_on", "pk")
    )
    return Section(
        "recognition_spending",
        _("Recognition spending"),
        [
            Column("option", _("Recognition")),
            Column("description", _("Description")),
            Column("quantity", _("Quantity")),
            Column("occurred_on", _("Date")),
        ],
        [
            {
                "option": str(e.option) if e.option_id else None,
                "description": e.description,
                "quantity": e.quantity,
                "occurred_on": _iso(e.occurred_on),
            }
            for e in entries
        ],
    )


def _credential_section(person):
    credentials = Credential.objects.filter(person=person).order_by("issued_at", "pk")
    return Section(
        "credentials",
        _("Badges and certificates"),
        [
            Column("name", _("Name")),
            Column("kind", _("Kind"), dict(Credential._meta.get_field("kind").choices)),
            Column("public_id", _("Public id")),
            Column("issued_at", _("Issued")),
            Column("valid_until", _("Valid until")),
            Column("revoked_at", _("Revoked")),
            Column("revocation_reason", _("Reason")),
        ],
        [
            {
                "name": c.name,
                "kind": c.kind,
                "public_id": str(c.public_id),
                "url": c.url,
                "issued_at": _iso(c.issued_at),
                "valid_until": _iso(c.valid_until),
                "revoked_at": _iso(c.revoked_at),
                "revocation_reason": c.revocation_reason,
            }
            for c in credentials
        ],
    )


def _public_page_section(person):
    pages = PublicProfile.objects.filter(person=person)
    return Section(
        "public_badge_page",
        _("Public page of badges"),
        [Column("public_id", _("Public id")), Column("published_at", _("Published"))],
        [{"public_id": str(p.public_id), "published_at": _iso(p.published_at)} for p in pages],
    )


def _contest_nominees(person):
    """The person's nominations they may know of: those they were told about, and any once
    the edition is announced. A nominee is told only with their consent to public recognition
    (see contests/services/nominations.py); until the announcement, the export keeps the same
    secret, or it would tell them what the contest chose not to."""
    known = Q(told_at__isnull=False) | Q(category__edition__announced_at__isnull=False)
    return Nominee.objects.filter(known, person=person).select_related("category__edition")


def _contest_sections(person, own):
    nominees = _contest_nominees(person)
    wins = Winner.objects.filter(person=person).select_related("nominee__category__edition")
    written = (
        Nomination.objects.filter(nominator_person=person)
        .select_related("nominee__person", "nominee__category__edition")
        .order_by("submitted_at", "pk")
    )
    juries = Juror.objects.filter(person=person).select_related("edition")
    won = {w.nominee_id for w in wins}
    return [
        Section(
            "contest_nominations",
            _("Contest nominations received"),
            [
                Column("contest", _("Contest")),
                Column("category", _("Category")),
                Column("status", _("Status"), dict(Nominee.Status.choices)),
                Column("won", _("Won")),
                Column("nominated_at", _("Nominated")),
            ],
            [
                {
                    "contest": n.category.edition.name,
                    "category": n.category.name,
                    "status": n.status,
                    "won": n.pk in won,
                    "nominated_at": _iso(n.created_at),
                }
                for n in nominees
            ],
            note=_("Who nominated you and the jury's scores are never told to nominees.")
            if own
            else _("Who nominated them and the jury's scores are never told to nominees."),
        ),
        Section(
            "contest_nominations_written",
            _("Nominations you wrote") if own else _("Nominations they wrote"),
            [
                Column("contest", _("Contest")),
                Column("nominee", _("Nominee")),
                Column("story", _("Why this mentor")),
                Column("submitted_at", _("Sent")),
            ],
            [
                {
                    "contest": n.nominee.category.edition.name,
                    "nominee": n.nominee.person.full_name,
                    "story": n.story,
                    "submitted_at": _iso(n.submitted_at),
                }
                for n in written
            ],
        ),
        Section(
            "contest_juries",
            _("Contest juries"),
            [Column("contest", _("Contest")), Column("role", _("Role on the jury"))],
            [{"contest": j.edition.name, "role": j.get_kind_display()} for j in juries],
        ),
    ]


def _file_names(job, emails):
    """Whether the job's stored file has a row with one of `emails` (lower case)."""
    try:
        with job.file.open("rb") as stored:
            table = read_table(stored.read(), job.original_name)
    except (OSError, UnreadableFile):
        return False
    return any(
        str(cell).strip().lower() in emails
        for _number, cells in table.rows
        for cell in cells
        if cell is not None
    )


def person_emails(person):
    """The e-mail addresses that identify `person`: their record's and their account's."""
    emails = {person.email.lower()}
    if person.user_id is not None and person.user.email:
        emails.add(person.user.email.lower())
    return emails


def imports_naming(person, emails=None):
    """The organisation's import jobs whose stored file has a row with the person's e-mail,
    or whose summary or problems name it.

    Only jobs still waiting or in progress keep a file (an ended job's is deleted, see
    imports.services._save_ended), so few files are read, in one query for the jobs."""
    emails = emails if emails is not None else person_emails(person)
    jobs = ImportJob.objects.filter(organisation_id=person.organisation_id).annotate(
        summary_text=Cast("summary", TextField()), errors_text=Cast("errors", TextField())
    )
    named = []
    for job in jobs.order_by("created_at", "pk"):
        recorded = (job.summary_text + job.errors_text).lower()
        if any(email in recorded for email in emails) or (job.file and _file_names(job, emails)):
            named.append(job)
    return named


def _import_section(person, own):
    return Section(
        "imports",
        _("Imported files naming you") if own else _("Imported files naming them"),
        [
            Column("file", _("File")),
            Column("kind", _("Kind"), dict(ImportJob._meta.get_field("kind").choices)),
            Column("status", _("Status"), dict(ImportJob.Status.choices)),
            Column("imported_at", _("Imported")),
        ],
        [
            {
                "file": j.original_name,
                "kind": j.kind,
                "status": j.status,
                "imported_at": _iso(j.created_at),
            }
            for j in imports_naming(person)
        ],
        note=_(
            "The files waiting to be imported that name the e-mail address, and the imports "
            "whose results or problems name it. A file is deleted once its import has ended."
        ),
    )


def _email_section(person, own):
    to_them = Q()
    for email in person_emails(person):
        to_them |= Q(to__iexact=email)
    emails = OutgoingEmail.objects.filter(to_them, organisation_id=person.organisation_id).order_by(
        "created_at", "pk"
    )
    return Section(
        "emails",
        _("E-mails sent to you") if own else _("E-mails sent to them"),
        [
            Column("subject", _("Subject")),
            Column("created_at", _("Written")),
            Column("status", _("Status"), dict(OutgoingEmail.Status.choices)),
            Column("sent_at", _("Sent")),
        ],
        [
            {
                "subject": e.subject,
                "created_at": _iso(e.created_at),
                "status": e.status,
                "sent_at": _iso(e.sent_at),
            }
            for e in emails
        ],
        note=_("Their text is left out: it holds personal links meant for you alone.")
        if own
        else _("Their text is left out: it holds personal links meant for them alone."),
    )


def _invitation_section(person, own):
    """The invitations to join the organisation sent to the person's addresses (their token,
    a key to an account, is left out)."""
    invitations = (
        Invitation.objects.annotate(email_key=Lower("email"))
        .filter(organisation_id=person.organisation_id, email_key__in=person_emails(person))
        .order_by("created_at", "pk")
    )
    return Section(
        "invitations",
        _("Invitations to join you received") if own else _("Invitations to join they received"),
        [
            Column("email", _("E-mail address")),
            Column("role", _("Role"), dict(Role.choices)),
            Column("sent_at", _("Sent")),
            Column("accepted_at", _("Accepted")),
            Column("revoked_at", _("Revoked")),
        ],
        [
            {
                "email": i.email,
                "role": i.role,
                "sent_at": _iso(i.created_at),
                "accepted_at": _iso(i.accepted_at),
                "revoked_at": _iso(i.revoked_at),
            }
            for i in invitations
        ],
    )


def consents_of(person):
    """The person's consents, newest first within each kind."""
    return Consent.objects.filter(person=person).select_related("recorded_by")


def _consent_section(person):
    return Section(
        "consents",
        _("Consents"),
        [
            Column("kind", _("Consent")),
            Column("answer", _("Answer")),
            Column("wording", _("Wording shown")),
            Column("language", _("Language shown")),
            Column("given_at", _("When")),
            Column("ended_at", _("Replaced or withdrawn on")),
        ],
        [
            {
                "kind": str(c.get_kind_display()),
                "kind_key": c.kind,
                "answer": c.answer_label or c.answer,
                "answer_key": c.answer,
                "wording": c.wording,
                "language": c.language,
                "given_at": _iso(c.given_at),
                "ended_at": _iso(c.ended_at),
            }
            for c in consents_of(person)
        ],
    )


def _audit_section(person, own):
    events = AuditEvent.objects.filter(
        organisation_id=person.organisation_id,
        object_type=Person._meta.label_lower,
        object_id=str(person.pk),
    ).select_related("actor")
    return Section(
        "audit_events",
        _("Changes to your record and who saw your data")
        if own
        else _("Changes to their record and who saw their data"),
        [
            Column("at", _("When")),
            Column("action", _("Action"), dict(AuditEvent.Action.choices)),
            Column("by", _("By")),
        ],
        [
            {
                "at": _iso(e.at),
                "action": e.action,
                "by": e.actor.get_full_name() or e.actor.email if e.actor else None,
                "changes": e.changes,
            }
            for e in events
        ],
    )


@dataclass
class PersonData:
    organisation: object
    person: object
    generated_at: datetime.datetime
    sections: list

    def as_json(self):
        """Stable keys, ISO dates: what a program reads."""
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "generated_at": _iso(self.generated_at),
            "organisation": {
                "name": self.organisation.name,
                "slug": self.organisation.slug,
            },
            **{section.key: section.as_json() for section in self.sections},
        }


def person_data(organisation, *, person=None, user=None, own=False):
    """Everything Laurier holds about one person of `organisation` (a Person, an account, or
    both), in sections read with one or two queries each; `own` when the person reads their
    own data (the titles speak to them), not an admin."""
    user = user if user is not None else (person.user if person is not None else None)
    sections = [
        _person_section(person),
        _account_section(user),
        _membership_section(organisation, user),
    ]
    if person is not None:
        sections += [
            _consent_section(person),
            _enrolment_section(person),
            _pairing_section(person),
            _session_section(person),
            _event_section(person),
            _profile_section(person, own),
            _profile_history_section(person),
            *_survey_sections(person, own),
            _award_section(person),
            _spending_section(person),
            *_notes_sections(person),
            *_kudos_sections(person),
            _spotlight_section(person, own),
            _credential_section(person),
            _public_page_section(person),
            *_contest_sections(person, own),
            _import_section(person, own),
            _email_section(person, own),
            _invitation_section(person, own),
            _audit_section(person, own),
        ]
    return PersonData(organisation, person, timezone.now(), sections)


# Retention


def retention_months(organisation):
    """The organisation's retention period in months, or None when the rule is off."""
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    return policy.erase_inactive_after_months if policy else None


def retention_cutoff(today, months):
    """The last day of activity that makes someone due: `months` months before `today`."""
    return months_before(today, months)


def _activity_after(organisation, cutoff, after):
    """Any trace of the person (OuterRef "pk") after the cut-off day: what makes them active."""
    person = OuterRef("pk")
    recent_enrolment = Q(since__gt=cutoff) | Q(status_changed_on__gt=cutoff)
    both_sides = Q(mentor=person) | Q(mentee=person)
    return (
        Exists(MentorEnrolment.objects.filter(recent_enrolment, person=person))
        | Exists(MenteeEnrolment.objects.filter(recent_enrolment, person=person))
        | Exists(
            Pairing.objects.filter(both_sides).filter(
                Q(starts_on__gt=cutoff) | Q(ends_on__gt=cutoff)
            )
        )
        | Exists(MentoringSession.objects.filter(both_sides, held_on__gt=cutoff))
        | Exists(Award.objects.filter(mentor=person, given_on__gt=cutoff))
        | Exists(Kudos.objects.filter(giver=person, given_on__gt=cutoff))
        | Exists(
            EventInvitation.objects.filter(person=person).filter(
                Q(answered_at__gte=after) | Q(attended=True, event__starts_at__gte=after)
            )
        )
        | Exists(Recipient.objects.filter(person=person, responded_at__gte=after))
        | Exists(ProfileVersion.objects.filter(person=person, recorded_at__gte=after))
        | Exists(ThankYouNote.objects.filter(writer__person=person, created_at__gte=after))
        | Exists(Nomination.objects.filter(nominator_person=person, submitted_at__gte=after))
        # What they did while signed in (a long session cookie keeps last_login old).
        | Exists(
            AuditEvent.objects.filter(
                organisation=organisation, actor=OuterRef("user"), at__gte=after
            )
        )
        | Q(created_at__gte=after)
        | Q(user__last_login__gte=after)
        | Q(left_on__gt=cutoff)
    )


def inactive_people(organisation, *, today, months):
    """The people the retention rule erases on `today`, with `months` of inactivity.

    The cut-off day is `months` months before today. A person is due when there is no trace
    of them after the cut-off day, and either they left the organisation (the HR list's
    `left_on`) on the cut-off day or earlier, or they are enrolled nowhere as active or paused.
    A trace is: their record's creation or departure, an enrolment's start or change of
    status, a pairing's start or end, a session, a recognition received, a kudos, a note or a
    nomination written, an answer to a survey or to an event's invitation, an event attended,
    a change to their mentor profile, a sign-in, anything their account did in the
    organisation (the audit trail). A leaver with a trace after the cut-off day (rehired, or
    an HR list late to say so) is not due.
    Never an erased person, nor anyone whose account is an admin or a program manager of the
    organisation (their role is changed first; erasing them would take their role away).
    """
    cutoff = retention_cutoff(today, months)
    # The first instant after the cut-off day, in the current time zone (the organisation's).
    after = timezone.make_aware(
        datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time.min)
    )
    person = OuterRef("pk")
    enrolled = Q(status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED], person=person)
    enrolled_somewhere = Exists(MentorEnrolment.objects.filter(enrolled)) | Exists(
        MenteeEnrolment.objects.filter(enrolled)
    )
    staff = Membership.objects.filter(
        organisation=organisation, role__in=[Role.ADMIN, Role.MANAGER]
    ).values("user_id")
    return (
        Person.objects.filter(organisation=organisation, erasure__isnull=True)
        .exclude(user__in=staff)
        .filter(~_activity_after(organisation, cutoff, after))
        .filter(Q(left_on__lte=cutoff) | ~enrolled_somewhere)
        .order_by("last_name", "first_name", "pk")
    )
