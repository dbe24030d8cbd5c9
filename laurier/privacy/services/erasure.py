"""Erasing a person: their personal data go, what they took part in still counts.

The person's row stays, renamed "Erased person #<id>", so that their sessions, hours, awards,
event attendance and survey answers keep counting in every figure; what identifies them or
what they wrote goes: names, e-mail, job title, department, hire date, the free texts they
wrote or that were written about them (session notes, messages, notes, kudos, stories,
text answers), their mentor profile and its history, their spotlights, their public page.
Their account leaves the organisation and, when it belongs to no other one, is deactivated
and emptied (which also ends its sessions: Django checks the password on every request).
Their credentials stay verifiable without naming them (see credentials/erasure.py).

Irreversible, recorded in the audit trail without the erased data, and idempotent: a second
erasure of the same person (a double submit) finds the first and does nothing.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.contests.models import Juror, Nomination
from laurier.core.dates import organisation_today
from laurier.credentials import erasure as credential_erasure
from laurier.credentials.models import Credential, PublicProfile
from laurier.hours.models import MentoringSession
from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.outbox.models import OutgoingEmail, OutgoingWebhook
from laurier.profiles.models import MentorProfile, ProfileVersion
from laurier.programs.models import (
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.recognition.models import Award, Kudos, NoteWriter, Spotlight, ThankYouNote
from laurier.surveys.models import Answer

from ..models import Erasure
from ..selectors import _imports_naming


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
        old_name, old_email, user = person.full_name, person.email, person.user
        today = organisation_today(organisation)
        _end_participation(person, today)
        _erase_texts(person)
        _erase_profile(person)
        _erase_contests(person)
        _erase_credentials(person)
        _erase_emails(organisation, old_email)
        _erase_imports(person, old_name, old_email)
        _erase_webhooks(organisation, old_name, old_email)
        _anonymise(person, today)
        if user is not None:
            _leave_account(organisation, user)
        _erase_audit_trail(person, old_name, old_email)
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
    ThankYouNote.objects.filter(mentor=person).update(text="")
    ThankYouNote.objects.filter(writer__person=person).update(text="", signature="")
    NoteWriter.objects.filter(person=person).update(name="", email=erased_email(person))
    Kudos.objects.filter(Q(mentor=person) | Q(giver=person)).update(message="")
    Spotlight.objects.filter(mentor=person).delete()
    Answer.objects.filter(response__recipient__person=person).exclude(text="").update(text="")


def _erase_profile(person):
    ProfileVersion.objects.filter(person=person).delete()
    MentorProfile.objects.filter(person=person).delete()
    PublicProfile.objects.filter(person=person).delete()


def _erase_contests(person):
    stories_about = Nomination.objects.filter(nominee__person=person)
    for nomination in stories_about.exclude(evidence=""):
        nomination.evidence.delete(save=False)
    stories_about.update(story="", evidence="", evidence_name="", evidence_type="")
    written = Nomination.objects.filter(nominator_person=person)
    for nomination in written.exclude(evidence=""):
        nomination.evidence.delete(save=False)
    written.update(
        nominator_name="",
        nominator_email=erased_email(person),
        story="",
        evidence="",
        evidence_name="",
        evidence_type="",
    )
    Juror.objects.filter(person=person).update(name="", email=erased_email(person))


def _erase_credentials(person):
    credentials = list(Credential.objects.filter(person=person))
    for credential in credentials:
        credential_erasure.redact(credential)
    Credential.objects.bulk_update(credentials, ["document", "jwt"])


def _erase_emails(organisation, email):
    emails = OutgoingEmail.objects.filter(organisation=organisation, to__iexact=email)
    emails.filter(status=OutgoingEmail.Status.PENDING).update(status=OutgoingEmail.Status.CANCELLED)
    emails.update(to="erased@erased.invalid", subject="", text="", html="", attachments=[])


def _scrub(value, secrets):
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "—")
        return value
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    return value


def _secrets(name, email):
    return [secret for secret in (email, email.lower(), name) if secret]


def _naming(queryset, field, secrets):
    """The rows whose JSON `field` holds one of `secrets`, found by the database."""
    text = Cast(field, TextField())
    matches = Q()
    for secret in secrets:
        # SQLite keeps JSON as Python wrote it, with accents escaped (\u00e9); PostgreSQL not.
        for spelling in {secret, json.dumps(secret)[1:-1]}:
            matches |= Q(json_text__contains=spelling)
    return queryset.annotate(json_text=text).filter(matches)


def _erase_imports(person, name, email):
    secrets = _secrets(name, email)
    for job in _imports_naming(person):
        job.summary = _scrub(job.summary, secrets)
        job.errors = _scrub(job.errors, secrets)
        job.save(update_fields=["summary", "errors"])


def _erase_webhooks(organisation, name, email):
    """Posts to the organisation's systems and chats (a mentor who joined, a recognition)."""
    secrets = _secrets(name, email)
    posts = OutgoingWebhook.objects.filter(organisation=organisation)
    for post in _naming(posts, "payload", secrets):
        post.payload = _scrub(post.payload, secrets)
        post.save(update_fields=["payload"])


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


def _erase_audit_trail(person, old_name, old_email):
    """The trail keeps what was done, not who it was done to: the person's own events lose
    their recorded values, and their old name is replaced wherever an event names them."""
    new_name = person.full_name
    AuditEvent.objects.filter(
        organisation_id=person.organisation_id,
        object_type=Person._meta.label_lower,
        object_id=str(person.pk),
    ).update(object_repr=new_name, changes={})
    if not old_name:
        return
    # A short name may also sit inside a longer one: the trail loses a little precision rather
    # than keep the erased name.
    AuditEvent.objects.filter(
        organisation_id=person.organisation_id, object_repr__contains=old_name
    ).update(object_repr=Replace("object_repr", Value(old_name), Value(new_name)))
    # Other rows' recorded values that name them: a note writer, a juror, a nomination...
    secrets = _secrets(old_name, old_email)
    events = AuditEvent.objects.filter(organisation_id=person.organisation_id)
    for event in _naming(events, "changes", secrets):
        event.changes = _scrub(event.changes, secrets)
        event.save(update_fields=["changes"])


def erase_people(people, *, actor, reason):
    """Erase each of `people` in its own transaction (one failing stops none of the others);
    returns how many were erased."""
    erased = 0
    for person in people:
        try:
            erase_person(person, actor=actor, reason=reason)
        except ValidationError:
            continue
        erased += 1
    return erased
