"""Writes for organisations: settings, memberships and invitations, each audited."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import (
    cancel_pending_emails,
    cancel_pending_webhooks,
    queue_email,
    queue_webhook,
)
from laurier.programs.models import Person, Program

from .audit import record_change, record_event, snapshot
from .models import AuditEvent, Invitation, Membership, Organisation, Role
from .selectors import invitee_language

CHAT_TEST_REASON = "chat-test"

ORGANISATION_SETTINGS_FIELDS = (
    "name",
    "language",
    "time_zone",
    "currency",
    "fiscal_year_start_month",
    "anonymity_threshold",
    "feedback_delay_days",
    "chat_webhook_url",
)
# Settings whose value is a secret: the audit trail says they changed, not what they hold.
SECRET_SETTINGS = ("chat_webhook_url",)


def update_organisation(*, organisation, actor, **fields):
    """Change an organisation's settings (name, language, time zone, currency, fiscal year)."""
    unknown = set(fields) - set(ORGANISATION_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not an organisation setting: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Compare with what is stored: a bound ModelForm has already changed the instance.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(organisation)
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save(update_fields=list(fields))
        if organisation.chat_webhook_url != before.get("chat_webhook_url"):
            # Posts queued for the old address (perhaps a leaked one) never leave.
            cancel_pending_webhooks(
                organisation=organisation, keep_url=organisation.chat_webhook_url
            )
        event = record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=organisation,
            before=before,
        )
        _hide_secrets(event)
    return organisation


def _hide_secrets(event):
    # A chat's webhook address lets anyone post in it: auditors need to know it changed, and
    # by whom, not the address itself.
    if event is None or not any(name in event.changes for name in SECRET_SETTINGS):
        return
    for name in SECRET_SETTINGS:
        if name in event.changes:
            event.changes[name] = [_masked(value) for value in event.changes[name]]
    event.save(update_fields=["changes"])


def _masked(address):
    if not address:
        return address
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/…"


# How long a test post to the team chat counts as just sent: a double click sends one.
CHAT_TEST_REPEAT_SECONDS = 30


def send_chat_test_message(*, organisation):
    """Queue a test post to the organisation's team chat, in its language.

    Returns the queued OutgoingWebhook, or None when a test post left less than
    CHAT_TEST_REPEAT_SECONDS ago (a double click). Refused when no address is set.
    """
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not organisation.chat_webhook_url:
            raise ValidationError(
                _("Save your team chat's incoming-webhook address first, then send the test.")
            )
        recent = timezone.now() - datetime.timedelta(seconds=CHAT_TEST_REPEAT_SECONDS)
        if OutgoingWebhook.objects.filter(
            organisation=organisation, reason=CHAT_TEST_REASON, created_at__gte=recent
        ).exists():
            return None
        with translation.override(organisation.language):
            text = gettext(
                "*Laurier* is connected to this channel: recognitions of %(organisation)s's "
                "mentors will appear here, for mentors who agreed to be recognised in public."
            ) % {"organisation": organisation.name}
        webhook = queue_webhook(
            organisation=organisation,
            url=organisation.chat_webhook_url,
            payload={"text": text},
            reason=CHAT_TEST_REASON,
            topic=CHAT_TEST_REASON,
        )
    # A worker without a queue (or the tests') has tried already: say how it went.
    webhook.refresh_from_db()
    return webhook


# --- Memberships -----------------------------------------------------------------------------


def _program_names(programs):
    return ", ".join(sorted(program.name for program in programs))


def _organisation_programs(organisation, programs):
    """The given programs that belong to the organisation: a crafted form reaches no other."""
    ids = [program.pk for program in programs]
    return list(Program.objects.filter(organisation=organisation, pk__in=ids))


def _ensure_another_admin_remains(membership):
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise ValidationError(
            _(
                "An organisation needs at least one admin: make another member admin "
                "before changing or removing this one."
            ),
            code="last_admin",
        )


def _set_programs_managed(membership, programs):
    """Make the user manager of exactly `programs` among the organisation's programs."""
    user = membership.user
    current = set(Program.objects.filter(organisation_id=membership.organisation_id, managers=user))
    wanted = set(programs)
    for program in current - wanted:
        program.managers.remove(user)
    for program in wanted - current:
        program.managers.add(user)
    return current, wanted


def change_membership(*, membership, actor, role, programs=()):
    """Change a member's role and, for a program manager, the programs they manage.

    Admins manage every program and other roles none, so the list only counts for managers.
    The last admin of an organisation keeps the admin role.
    """
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."), code="invalid_role")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=membership.pk)
        )
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            _ensure_another_admin_remains(membership)
        wanted = (
            _organisation_programs(membership.organisation, programs)
            if role == Role.MANAGER
            else []
        )
        before_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        previous_programs, new_programs = _set_programs_managed(membership, wanted)
        changes = {}
        if before_role != role:
            changes["role"] = [before_role, role]
        if previous_programs != new_programs:
            changes["programs"] = [_program_names(previous_programs), _program_names(new_programs)]
        if changes:
            record_event(
                organisation=membership.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=membership,
                changes=changes,
            )
    return membership


def remove_membership(*, membership, actor):
    """Take a user out of an organisation; the last admin cannot be removed."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "organisation")
            .filter(pk=membership.pk)
            .first()
        )
        if membership is None:
            # Already removed, by a double submit or another admin: nothing left to do.
            return
        if membership.role == Role.ADMIN:
            _ensure_another_admin_remains(membership)
        _set_programs_managed(membership, [])
        record_change(
            organisation=membership.organisation,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=membership,
        )
        membership.delete()


# --- Invitations -----------------------------------------------------------------------------


def _invitation_expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


def invitation_link(invitation):
    """The absolute address at which an invitation is accepted."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "organisations:invitation_accept", args=[invitation.token]
    )


def invite(*, organisation, actor, email, role, programs=()):
    """Invite someone by e-mail to join an organisation with a role, and send them the link.

    Inviting an address that already has a pending invitation refreshes that invitation
    (role, programs, expiry) and sends it again instead of creating a second one. The
    e-mail is queued as a task in the same transaction, so it is sent once the invitation
    exists, whatever happens to the SMTP server at this moment.
    """
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."), code="invalid_role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this organisation."),
            code="already_member",
            params={"email": email},
        )
    wanted = _organisation_programs(organisation, programs) if role == Role.MANAGER else []
    with transaction.atomic():
        invitation = _pending_invitation_for_update(organisation, email)
        if invitation is None:
            try:
                with transaction.atomic():
                    invitation = _create_invitation(organisation, actor, email, role, wanted)
            except IntegrityError:
                # A concurrent invitation (a double submit) created it after our look-up: the
                # constraint allows one pending invitation per address, so refresh that one.
                # Its own request queued the e-mail, built from the invitation when it is sent.
                invitation = _pending_invitation_for_update(organisation, email)
                if invitation is None:
                    raise
                _refresh_invitation(invitation, actor, role, wanted)
                return invitation
        else:
            _refresh_invitation(invitation, actor, role, wanted)
        _queue_invitation_email(invitation)
    return invitation


def _pending_invitation_for_update(organisation, email):
    return (
        Invitation.objects.select_for_update()
        .filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )


def _create_invitation(organisation, actor, email, role, programs):
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=_invitation_expiry(),
    )
    invitation.programs.set(programs)
    record_change(
        organisation=organisation, actor=actor, action=AuditEvent.Action.CREATE, instance=invitation
    )
    return invitation


def _refresh_invitation(invitation, actor, role, programs):
    """A pending invitation sent again: the new role and programs, a new expiry."""
    before = snapshot(invitation)
    invitation.role = role
    invitation.invited_by = actor
    invitation.expires_at = _invitation_expiry()
    invitation.save(update_fields=["role", "invited_by", "expires_at"])
    invitation.programs.set(programs)
    record_change(
        organisation=invitation.organisation,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=invitation,
        before=before,
    )


def revoke_invitation(*, invitation, actor):
    """Make an invitation's link unusable. Revoking twice changes nothing."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(
                _("This invitation has already been accepted: remove the member instead."),
                code="already_accepted",
            )
        if invitation.revoked_at is not None:
            return invitation
        before = snapshot(invitation)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        cancel_pending_emails(
            organisation=invitation.organisation, reason=_invitation_email_reason(invitation)
        )
        record_change(
            organisation=invitation.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=invitation,
            before=before,
        )
    return invitation


def invitation_email(invitation):
    """The invitation e-mail (subject, text, HTML), in the invitee's language and the
    organisation's time zone."""
    organisation = invitation.organisation
    language = invitee_language(organisation, invitation.email)
    with translation.override(language), timezone.override(organisation.time_zone):
        context = {
            "invitation": invitation,
            "language": language,
            "organisation": organisation,
            # Mid-sentence: "as program manager", « à titre de responsable de programme ».
            "role": invitation.get_role_display().lower(),
            "programs": list(invitation.programs.order_by("name")),
            "inviter": invitation.invited_by,
            "link": invitation_link(invitation),
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        subject = gettext("Invitation to join %(organisation)s on Laurier") % {
            "organisation": organisation.name
        }
        text = render_to_string("organisations/email/invitation.txt", context)
        html = render_to_string("organisations/email/invitation.html", context)
    return subject, text, html


def _invitation_email_reason(invitation):
    return f"invitation:{invitation.pk}"


def _queue_invitation_email(invitation):
    """Queue the invitation's e-mail in the outbox, replacing one not yet sent."""
    reason = _invitation_email_reason(invitation)
    cancel_pending_emails(organisation=invitation.organisation, reason=reason)
    subject, text, html = invitation_email(invitation)
    queue_email(
        organisation=invitation.organisation,
        to=invitation.email,
        subject=subject,
        text=text,
        html=html,
        reason=reason,
    )


class InvitationUnusable(Exception):
    """The invitation was accepted, revoked or expired while the person was accepting it."""


class AlreadyMember(InvitationUnusable):
    """The invited person already belongs to the organisation."""


def _usable_invitation_for_update(token):
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        raise InvitationUnusable
    return invitation


def _join(invitation, user):
    """Membership, managed programs, person and acceptance: the shared part of accepting."""
    organisation = invitation.organisation
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise AlreadyMember
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organisation=organisation, user=user, role=invitation.role
            )
    except IntegrityError as error:
        # The unique constraint catches a concurrent acceptance that slipped past the lock.
        raise AlreadyMember from error
    if invitation.role == Role.MANAGER:
        for program in invitation.programs.filter(organisation=organisation):
            program.managers.add(user)
    record_change(
        organisation=organisation, actor=user, action=AuditEvent.Action.CREATE, instance=membership
    )
    _link_person(organisation, user)
    before = snapshot(invitation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_change(
        organisation=organisation,
        actor=user,
        action=AuditEvent.Action.UPDATE,
        instance=invitation,
        before=before,
    )
    return membership


def _link_person(organisation, user):
    """Tie the user to the organisation's person with the same e-mail, or create that person."""
    if Person.objects.filter(organisation=organisation, user=user).exists():
        return
    person = (
        Person.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=user.email)
        .first()
    )
    if person is None:
        person = Person.objects.create(
            organisation=organisation,
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            language=user.language,
        )
        record_change(
            organisation=organisation, actor=user, action=AuditEvent.Action.CREATE, instance=person
        )
    elif person.user_id is None:
        before = snapshot(person)
        person.user = user
        person.save(update_fields=["user"])
        record_change(
            organisation=organisation,
            actor=user,
            action=AuditEvent.Action.UPDATE,
            instance=person,
            before=before,
        )


def accept_invitation_with_new_account(*, token, first_name, last_name, password):
    """Create the invitee's account from a usable invitation and make them a member.

    Single use: the invitation is locked while it is accepted, so a second submit or
    a concurrent one finds it accepted and raises InvitationUnusable.
    """
    User = get_user_model()
    with transaction.atomic():
        invitation = _usable_invitation_for_update(token)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationUnusable
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email,
                    password=password,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    language=invitee_language(invitation.organisation, invitation.email),
                )
        except IntegrityError as error:
            raise InvitationUnusable from error
        membership = _join(invitation, user)
    return membership


def accept_invitation_as_user(*, token, user):
    """Make an existing, logged-in user a member through an invitation sent to their e-mail."""
    with transaction.atomic():
        invitation = _usable_invitation_for_update(token)
        if invitation.email.lower() != user.email.lower():
            raise ValidationError(
                _("This invitation was sent to another e-mail address."), code="wrong_user"
            )
        membership = _join(invitation, user)
    return membership
