"""Erasing a person: their personal data go, what they took part in still counts.

The person's row stays, renamed "Erased person #<id>", so that their sessions, hours, awards,
event attendance and survey answers keep counting in every figure; what identifies them or
what they wrote goes: names, e-mail, job title, department, hire date, the free texts they
wrote or that were written about them (session notes, messages, notes, kudos, stories,
text answers), their mentor profile and its history, their spotlights, their public page.
Their account leaves the organisation and, when it belongs to no other one, is deactivated
and emptied (which also ends its sessions: Django checks the password on every request).
Their credentials stay verifiable without naming them (see credentials/erasure.py).
What was under way for them ends: open recognitions are cancelled (their budget comes back),
their note campaigns close, e-mails waiting to go to them or about them are withdrawn, an
import still waiting with their row fails. What names them elsewhere loses their name: stored
import files (deleted), announced contest results, the planner's reasons, e-mails already
sent, invitations, the audit trail. Their anonymous survey comments go too: Laurier finds them
through the invitation it sent, which nobody reading results can. Their e-mail addresses are
kept only as keyed hashes, so that an import asks before bringing them back
(privacy/erased_emails.py).

Irreversible, recorded in the audit trail without the erased data, and idempotent: a second
erasure of the same person (a double submit) finds the first and does nothing.
"""

import json
import logging
import re

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Lower, Replace
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.contests.models import Edition, Juror, Nomination, Nominee, Winner
from laurier.core.dates import organisation_today
from laurier.credentials import erasure as credential_erasure
from laurier.credentials.models import Credential, PublicProfile
from laurier.hours.models import MentoringSession
from laurier.imports.models import ImportJob
from laurier.imports.problems import Problem
from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent, Invitation, Membership, Role
from laurier.outbox.models import OutgoingEmail, OutgoingWebhook
from laurier.profiles.models import MentorProfile, ProfileVersion
from laurier.programs.figures_cache import figures_changed
from laurier.programs.models import (
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.recognition.models import (
    Award,
    Kudos,
    NoteCampaign,
    NoteWriter,
    PlanLine,
    Spotlight,
    ThankYouNote,
)
from laurier.recognition.services.awards import cancel_award
from laurier.recognition.services.notes import campaign_topic
from laurier.surveys.models import Answer

from .. import selectors
from ..erased_emails import remember_erased
from ..models import Erasure

logger = logging.getLogger(__name__)


def erased_name(person, language):
    """The name an erased person goes by, in `language`: "Erased person", and "#<id>"."""
    with translation.override(language):
        return gettext("Erased person"), f"#{person.pk}"


def erased_email(person):
    # .invalid is reserved (RFC 2606): nothing can ever be delivered there.
    return f"erased-{person.pk}@erased.invalid"


def admin_account(person):
    """Whether the person signs in as an admin of their organisation."""
    return (
        person.user_id is not None
        and Membership.objects.filter(
            organisation_id=person.organisation_id, user_id=person.user_id, role=Role.ADMIN
        ).exists()
    )


def erase_person(person, *, actor, reason=Erasure.Reason.REQUEST):
    """Erase `person` (see the module's docstring). Returns the Erasure, the existing one when
    the person was already erased. Raises ValidationError for an admin of the organisation:
    an admin is demoted first, so that an organisation never loses its last admin this way."""
    with transaction.atomic():
        # Locks the person's row only: two erasures of one person run one after the other.
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=person.pk)
        )
        existing = Erasure.objects.filter(person=person).first()
        if existing is not None:
            return existing
        if admin_account(person):
            raise ValidationError(
                _("%(name)s is an admin of the organisation: change their role first.")
                % {"name": person.full_name}
            )
        organisation = person.organisation
        old_name, user = person.full_name, person.user
        emails = selectors.person_emails(person)
        today = organisation_today(organisation)
        # Read before the record loses its e-mail address.
        import_jobs = selectors.imports_naming(person, emails)
        _end_participation(person, today)
        _erase_texts(person)
        _close_open_work(person, actor)
        _erase_profile(person)
        _erase_contests(person, old_name)
        _erase_credentials(person)
        _erase_emails(person, old_name, emails)
        _erase_imports(import_jobs, old_name, emails)
        _erase_webhooks(organisation, old_name, emails)
        _erase_invitations(organisation, emails)
        _anonymise(person, today)
        if user is not None:
            _leave_account(organisation, user)
        _erase_audit_trail(person, old_name, emails)
        remember_erased(organisation, emails, today)
        erasure = Erasure.objects.create(
            organisation=organisation,
            person=person,
            erased_at=timezone.now(),
            erased_by=actor if actor is not None and actor.is_authenticated else None,
            reason=reason,
        )
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.ERASE,
            instance=person,
            changes={"reason": reason},
        )
        figures_changed(organisation.pk)
        return erasure


def _end_participation(person, today):
    for model in (MentorEnrolment, MenteeEnrolment):
        model.objects.filter(
            person=person, status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED]
        ).update(status=EnrolmentStatus.LEFT, status_changed_on=today)
        model.objects.filter(person=person).update(status_reason="")
    Pairing.objects.filter(
        Q(mentor=person) | Q(mentee=person), status=Pairing.Status.ACTIVE
    ).update(status=Pairing.Status.ENDED_EARLY, ends_on=today)


def _erase_texts(person):
    both_sides = Q(mentor=person) | Q(mentee=person)
    MentoringSession.objects.filter(both_sides).update(notes="")
    Award.objects.filter(mentor=person).update(message="", cancel_reason="")
    # The planner's reasons quote the mentor's name and their profile's scores.
    PlanLine.objects.filter(mentor=person).update(reason_en="", reason_fr="")
    NoteCampaign.objects.filter(mentor=person).update(message="")
    ThankYouNote.objects.filter(mentor=person).update(text="")
    ThankYouNote.objects.filter(writer__person=person).update(text="", signature="")
    NoteWriter.objects.filter(person=person).update(name="", email=erased_email(person))
    Kudos.objects.filter(Q(mentor=person) | Q(giver=person)).update(message="")
    Spotlight.objects.filter(mentor=person).delete()
    # Answers to anonymous surveys too: the erasure finds them through the person's invitation
    # to answer, a link no one reading the results can follow (the confirmation page says so).
    Answer.objects.filter(response__recipient__person=person).exclude(text="").update(text="")


def _close_open_work(person, actor):
    """What was under way for the person ends: their open recognitions are cancelled with the
    usual service (the budget they reserved comes back), their note campaigns close."""
    with translation.override(person.organisation.language):
        reason = gettext("The mentor's data were erased.")
    for award in Award.objects.filter(mentor=person, status__in=Award.OPEN_STATUSES):
        cancel_award(award, actor=actor, reason=reason)
    campaigns = NoteCampaign.objects.filter(mentor=person, closed_at__isnull=True)
    for campaign in campaigns:
        # Closed without the usual closing, which sends the mentor their notes: there is no one
        # to send them to any more.
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
        record_event(
            organisation=campaign.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=campaign,
            changes={"closed": True},
        )


def _erase_profile(person):
    ProfileVersion.objects.filter(person=person).delete()
    MentorProfile.objects.filter(person=person).delete()
    PublicProfile.objects.filter(person=person).delete()


def _delete_files_after_commit(files):
    """Delete stored files once the erasure is committed: a rollback keeps rows whose files
    must still be there."""
    names = [(file.storage, file.name) for file in files if file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def _erase_nominations(nominations, **blanks):
    _delete_files_after_commit(n.evidence for n in nominations.exclude(evidence=""))
    nominations.update(story="", evidence="", evidence_name="", evidence_type="", **blanks)


def _erase_contests(person, old_name):
    _erase_nominations(Nomination.objects.filter(nominee__person=person))
    _erase_nominations(
        Nomination.objects.filter(nominator_person=person),
        nominator_name="",
        nominator_email=erased_email(person),
    )
    jurors = Juror.objects.filter(person=person)
    juror_ids = set(jurors.values_list("pk", flat=True))
    jurors.update(name="", email=erased_email(person))
    _erase_results(person, old_name, juror_ids)


def _erase_results(person, old_name, juror_ids):
    """Announced results keep every name as it was computed: the person's become their
    erased name, found by their nominee and juror ids (and by their old name, in case)."""
    nominee_ids = set(Nominee.objects.filter(person=person).values_list("pk", flat=True))
    if not nominee_ids and not juror_ids:
        return
    new_name = _erased_full_name(person)
    editions = Edition.objects.filter(result__isnull=False).filter(
        Q(categories__nominees__pk__in=nominee_ids) | Q(jurors__pk__in=juror_ids)
    )
    for edition in editions.distinct():
        result = edition.result
        for juror in result.get("jurors", []):
            if juror.get("id") in juror_ids:
                juror["name"] = new_name
        for category in result.get("categories", []):
            for entry in [*category.get("ranking", []), *category.get("listed", [])]:
                if entry.get("nominee_id") in nominee_ids:
                    entry["name"] = new_name
        edition.result = _scrub(result, [old_name], new_name)
        edition.save(update_fields=["result"])


def _erased_full_name(person):
    first, last = erased_name(person, person.organisation.language)
    return f"{first} {last}"


def _erase_credentials(person):
    credentials = list(Credential.objects.filter(person=person))
    for credential in credentials:
        credential_erasure.redact(credential)
    Credential.objects.bulk_update(credentials, ["document", "jwt"])


def _mails_about(person):
    """The e-mails to others that are about the person: to their note writers, to the
    jury and nominators of their nominations, whatever their text says."""
    topics = [campaign_topic(campaign) for campaign in NoteCampaign.objects.filter(mentor=person)]
    nominees = list(Nominee.objects.filter(person=person).values_list("pk", flat=True))
    reasons = Q()
    for nominee in nominees:
        reasons |= Q(reason__in=[f"contest-thanks:{nominee}", f"contest-nominee-told:{nominee}"])
    for winner in Winner.objects.filter(person=person).values_list("pk", flat=True):
        reasons |= Q(reason=f"contest-winner:{winner}")
    for juror in Juror.objects.filter(person=person).values_list("pk", flat=True):
        reasons |= Q(reason__startswith=f"contest-juror-invitation:{juror}:")
    return Q(topic__in=topics) | reasons if reasons else Q(topic__in=topics)


def _erase_emails(person, name, emails):
    """E-mails to the person, about them, or naming them: those still waiting are cancelled;
    all lose their text (it may quote them). Those to or about them lose their subject too
    (it may greet them by their first name); the others, the name in their subject."""
    to_or_about = _mails_about(person)
    for email in emails:
        to_or_about |= Q(to__iexact=email)
    secrets = _secrets(name, emails)
    naming = Q()
    for secret in secrets:
        naming |= Q(subject__icontains=secret) | Q(text__icontains=secret)
        naming |= Q(html__icontains=secret)
    of_organisation = OutgoingEmail.objects.filter(organisation_id=person.organisation_id)
    # The database finds the name anywhere; only those naming it as a whole word are theirs
    # ("Li Wu" is not in an e-mail to Mali Wuhan). Read in batches: someone named in the
    # footer of every e-mail has many.
    named = [
        pk
        for pk, *texts in of_organisation.exclude(to_or_about)
        .filter(naming)
        .values_list("pk", "subject", "text", "html")
        .iterator(chunk_size=EMAIL_BATCH)
        if any(_names(text, secrets) for text in texts)
    ]
    new_name = _erased_full_name(person)
    _empty_emails(of_organisation.filter(to_or_about), secrets, emails, new_name, subject=False)
    for start in range(0, len(named), EMAIL_BATCH):
        batch = of_organisation.filter(pk__in=named[start : start + EMAIL_BATCH])
        _empty_emails(batch, secrets, emails, new_name, subject=True)


EMAIL_BATCH = 500


def _empty_emails(mails, secrets, emails, new_name, *, subject):
    """Withdraw those still waiting, empty their text; keep their `subject`, the name in it
    replaced, or not."""
    mails.filter(status=OutgoingEmail.Status.PENDING).update(status=OutgoingEmail.Status.CANCELLED)
    if not subject:
        mails.update(subject="")
    for mail in mails.only("pk", "to", "subject"):
        mail.subject = _scrub(mail.subject, secrets, new_name)[:300]
        if mail.to.lower() in emails:
            mail.to = "erased@erased.invalid"
        mail.text, mail.html, mail.attachments = "", "", []
        mail.save(update_fields=["to", "subject", "text", "html", "attachments"])


def _scrub(value, secrets, replacement="—"):
    if isinstance(value, str):
        for secret in secrets:
            value = _replace_casefree(value, secret, replacement)
        return value
    if isinstance(value, list):
        return [_scrub(item, secrets, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, secrets, replacement) for key, item in value.items()}
    return value


def _replace_casefree(text, secret, replacement):
    return _whole_words(secret).sub(lambda _match: replacement, text)


def _names(text, secrets):
    return any(_whole_words(secret).search(text) for secret in secrets)


def _whole_words(secret):
    # Whole words only: "Li Wu" is found in "Li Wu's plan" and "_Li Wu_", not in "Mali Wuhan";
    # an address is not found inside a longer one ("jean-li.wu@…" for "li.wu@…").
    if "@" in secret:
        before, after = r"(?<![\w.+-])", r"(?![\w.-])"
    else:
        before, after = r"(?<![^\W_])", r"(?![^\W_])"
    return re.compile(before + re.escape(secret) + after, re.IGNORECASE)


def _secrets(name, emails):
    # The e-mail addresses first: an address may hold the name ("jeanne.tremblay@...").
    return [secret for secret in (*sorted(emails), name) if secret]


def _naming(queryset, field, secrets):
    """The rows whose JSON `field` holds one of `secrets`, found by the database."""
    text = Cast(field, TextField())
    matches = Q()
    for secret in secrets:
        # SQLite keeps JSON as Python wrote it, with accents escaped (\u00e9); PostgreSQL not.
        for spelling in {secret, json.dumps(secret)[1:-1]}:
            matches |= Q(json_text__icontains=spelling)
    return queryset.annotate(json_text=text).filter(matches)


def _erase_imports(jobs, name, emails):
    """The stored files of the imports that named the person are deleted, the jobs' summary
    and problems lose their name and e-mail.

    Deleting a whole file rather than its rows: a finished job's file is never read again
    (nobody can download it; the job keeps its counts), and rewriting a spreadsheet row by
    row could damage the other rows. A job still waiting to be imported fails instead of
    bringing the person back: its admin sends the file again, and the new check asks them to
    remove the person's row (see privacy/erased_emails.py)."""
    secrets = _secrets(name, emails)
    unfinished = {ImportJob.Status.CHECKING, ImportJob.Status.READY, ImportJob.Status.HELD}
    unfinished |= {ImportJob.Status.QUEUED}
    for job in jobs:
        job.summary = _scrub(job.summary, secrets)
        job.errors = _scrub(job.errors, secrets)
        fields = ["summary", "errors"]
        if job.status in unfinished:
            job.status = ImportJob.Status.FAILED
            job.errors = [Problem("person_erased", None).as_json()]
            job.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        if job.file:
            _delete_files_after_commit([job.file])
            job.file = ""
            fields.append("file")
        job.save(update_fields=fields)


def _erase_webhooks(organisation, name, emails):
    """Posts to the organisation's systems and chats (a mentor who joined, a recognition)."""
    secrets = _secrets(name, emails)
    posts = OutgoingWebhook.objects.filter(organisation=organisation)
    for post in _naming(posts, "payload", secrets):
        post.payload = _scrub(post.payload, secrets)
        post.save(update_fields=["payload"])


def _erase_invitations(organisation, emails):
    """Invitations to join sent to the person's addresses: revoked if still open, addressed
    to no one."""
    invitations = Invitation.objects.annotate(email_key=Lower("email")).filter(
        organisation=organisation, email_key__in=emails
    )
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    for invitation in invitations:
        invitation.email = f"erased-invitation-{invitation.pk}@erased.invalid"
        invitation.save(update_fields=["email"])


def _anonymise(person, today):
    person.first_name, person.last_name = erased_name(person, person.organisation.language)
    person.email = erased_email(person)
    person.department = ""
    person.job_title = ""
    person.hire_date = None
    person.user = None
    person.left_on = person.left_on or today
    person.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "department",
            "job_title",
            "hire_date",
            "user",
            "left_on",
        ]
    )


def _leave_account(organisation, user):
    """The account leaves the organisation; emptied and deactivated when it has no other."""
    Membership.objects.filter(organisation=organisation, user=user).delete()
    user.managed_programs.remove(*user.managed_programs.filter(organisation=organisation))
    if Membership.objects.filter(user=user).exists():
        return
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    user.email = f"erased-user-{user.pk}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    # A new password hash ends every session of the account at its next request.
    user.set_unusable_password()
    user.save()


def _erase_audit_trail(person, old_name, emails):
    """The trail keeps what was done, not who it was done to: the person's own events lose
    their recorded values, and their old name and e-mail addresses are replaced wherever an
    event names them."""
    new_name = person.full_name
    AuditEvent.objects.filter(
        organisation_id=person.organisation_id,
        object_type=Person._meta.label_lower,
        object_id=str(person.pk),
    ).update(object_repr=new_name, changes={})
    # A short name may also sit inside a longer one: the trail loses a little precision rather
    # than keep the erased name.
    events = AuditEvent.objects.filter(organisation_id=person.organisation_id)
    secrets = _secrets(old_name, emails)
    for secret in secrets:
        # An address is written as it was given; Replace is exact, so both spellings.
        for spelling in {secret, secret.lower(), secret.upper()}:
            events.filter(object_repr__contains=spelling).update(
                object_repr=Replace("object_repr", Value(spelling), Value(new_name))
            )
    # Other rows' recorded values that name them: a note writer, a juror, a nomination...
    for event in _naming(events, "changes", secrets):
        event.changes = _scrub(event.changes, secrets)
        event.save(update_fields=["changes"])


def erase_people(people, *, actor, reason):
    """Erase each of `people` in its own transaction: one that fails (an admin since the list
    was read, an error of the database) stops none of the others. Returns how many were
    erased and the errors of the database met."""
    erased, failures = 0, []
    for person in people:
        try:
            erase_person(person, actor=actor, reason=reason)
        except ValidationError:
            continue
        except DatabaseError as error:
            logger.exception("Erasure of person %s failed", person.pk)
            failures.append(error)
            continue
        erased += 1
    return erased, failures
