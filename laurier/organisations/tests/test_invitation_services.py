import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.organisations import services
from laurier.organisations.models import AuditEvent, Invitation, Membership, Role
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import deliver_due_emails
from laurier.programs.models import Person
from laurier.testing import factories
from laurier.testing.network import unused_port

pytestmark = pytest.mark.django_db


def invite(organisation, actor, email="invitee@example.org", role=Role.MENTOR, programs=()):
    return services.invite(
        organisation=organisation, actor=actor, email=email, role=role, programs=programs
    )


def test_an_invitation_expires_after_the_configured_days(settings, organisation, admin_user):
    settings.INVITATION_VALID_DAYS = 3
    before = timezone.now()

    invitation = invite(organisation, admin_user)

    assert before + datetime.timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_an_invitation_is_audited(organisation, admin_user):
    invitation = invite(organisation, admin_user)

    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.actor) == (
        AuditEvent.Action.CREATE,
        str(invitation.pk),
        admin_user,
    )


def test_the_address_is_stored_in_lower_case(organisation, admin_user):
    assert invite(organisation, admin_user, email="Jean.Tremblay@Example.ORG").email == (
        "jean.tremblay@example.org"
    )


def test_inviting_a_pending_address_again_refreshes_the_same_invitation(
    organisation, admin_user, program
):
    first = invite(organisation, admin_user)
    Invitation.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    second = invite(
        organisation, admin_user, email="INVITEE@example.org", role=Role.MANAGER, programs=[program]
    )

    assert second.pk == first.pk
    assert Invitation.objects.count() == 1
    second.refresh_from_db()
    assert second.is_usable
    assert second.role == Role.MANAGER
    assert list(second.programs.all()) == [program]
    assert len(mail.outbox) == 2


def test_a_revoked_address_can_be_invited_anew(organisation, admin_user):
    first = invite(organisation, admin_user)
    services.revoke_invitation(invitation=first, actor=admin_user)

    second = invite(organisation, admin_user)

    assert second.pk != first.pk


def test_a_member_cannot_be_invited(organisation, admin_user, mentor_user):
    with pytest.raises(ValidationError):
        invite(organisation, admin_user, email=mentor_user.email)

    assert not Invitation.objects.exists()


def test_programs_of_another_organisation_are_never_attached(organisation, admin_user):
    foreign = factories.ProgramFactory(organisation=factories.OrganisationFactory())

    invitation = invite(organisation, admin_user, role=Role.MANAGER, programs=[foreign])

    assert not invitation.programs.exists()


def test_the_email_goes_to_the_invitee_with_the_absolute_link(settings, organisation, admin_user):
    settings.SITE_URL = "https://laurier.example.com"

    invitation = invite(organisation, admin_user)

    message = mail.outbox[0]
    assert message.to == ["invitee@example.org"]
    assert f"https://laurier.example.com/invitations/{invitation.token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert invitation.token in html


def test_the_email_is_in_the_organisation_language_by_default(organisation, admin_user):
    invite(organisation, admin_user)

    with translation.override("fr-ca"):
        french_subject = translation.gettext("Invitation to join %(organisation)s on Laurier")
    assert mail.outbox[0].subject == french_subject % {"organisation": "Hydro Laurentides"}
    html, _ = mail.outbox[0].alternatives[0]
    assert '<html lang="fr-ca">' in html


def test_the_expiry_date_is_written_in_french_for_a_french_invitee(organisation, admin_user):
    invitation = invite(organisation, admin_user)

    with translation.override("fr-ca"):
        month = date_format(invitation.expires_at, "F")
    with translation.override("en"):
        english_month = date_format(invitation.expires_at, "F")
    assert month in mail.outbox[0].body
    assert english_month not in mail.outbox[0].body


def test_the_email_is_in_english_for_an_english_speaking_person(organisation, admin_user):
    factories.PersonFactory(organisation=organisation, email="Invitee@example.org", language="en")

    invite(organisation, admin_user)

    assert mail.outbox[0].subject == "Invitation to join Hydro Laurentides on Laurier"


def test_an_existing_user_is_written_to_in_their_own_language(organisation, admin_user):
    factories.UserFactory(email="invitee@example.org", language="en")
    factories.PersonFactory(
        organisation=organisation, email="invitee@example.org", language="fr-ca"
    )

    invite(organisation, admin_user)

    assert mail.outbox[0].subject == "Invitation to join Hydro Laurentides on Laurier"


def test_revoking_withdraws_an_invitation_email_not_sent_yet(settings, organisation, admin_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused_port()
    invitation = invite(organisation, admin_user)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    services.revoke_invitation(invitation=invitation, actor=admin_user)
    deliver_due_emails(now=timezone.now() + datetime.timedelta(days=2))

    assert not mail.outbox
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.CANCELLED


def test_revoking_an_accepted_invitation_is_refused(organisation, admin_user):
    invitation = factories.InvitationFactory(organisation=organisation, accepted_at=timezone.now())

    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation=invitation, actor=admin_user)


def test_revoking_twice_records_one_event(organisation, admin_user):
    invitation = factories.InvitationFactory(organisation=organisation)

    services.revoke_invitation(invitation=invitation, actor=admin_user)
    services.revoke_invitation(invitation=invitation, actor=admin_user)

    assert AuditEvent.objects.count() == 1


def accept_new(invitation, password="a-Long-passphrase-2026"):
    return services.accept_invitation_with_new_account(
        token=invitation.token, first_name="Léa", last_name="Roy", password=password
    )


def test_accepting_creates_the_user_membership_and_person(organisation):
    invitation = factories.InvitationFactory(organisation=organisation, email="lea@example.org")

    membership = accept_new(invitation)

    user = membership.user
    assert (user.email, user.first_name, user.language) == ("lea@example.org", "Léa", "fr-ca")
    assert user.check_password("a-Long-passphrase-2026")
    assert (membership.organisation, membership.role) == (organisation, Role.MENTOR)
    person = Person.objects.get(organisation=organisation, user=user)
    assert (person.first_name, person.last_name) == ("Léa", "Roy")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accepting_links_the_existing_person_whatever_the_case(organisation):
    person = factories.PersonFactory(
        organisation=organisation, email="Lea@Example.org", language="en"
    )
    invitation = factories.InvitationFactory(organisation=organisation, email="lea@example.org")

    membership = accept_new(invitation)

    person.refresh_from_db()
    assert person.user == membership.user
    assert membership.user.language == "en"
    assert Person.objects.filter(organisation=organisation).count() == 1


def test_accepting_a_manager_invitation_gives_the_programs(organisation, program):
    invitation = factories.InvitationFactory(organisation=organisation, role=Role.MANAGER)
    invitation.programs.set([program])

    membership = accept_new(invitation)

    assert list(program.managers.all()) == [membership.user]


def test_an_invitation_is_accepted_only_once(organisation):
    invitation = factories.InvitationFactory(organisation=organisation)
    accept_new(invitation)

    with pytest.raises(services.InvitationUnusable):
        accept_new(invitation)

    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_an_expired_invitation_cannot_be_accepted(organisation):
    invitation = factories.InvitationFactory(
        organisation=organisation, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(services.InvitationUnusable):
        accept_new(invitation)

    assert not Membership.objects.filter(organisation=organisation).exists()


def test_an_existing_member_accepting_changes_nothing(organisation, mentor_user):
    invitation = factories.InvitationFactory(
        organisation=organisation, email=mentor_user.email, role=Role.ADMIN
    )

    with pytest.raises(services.AlreadyMember):
        services.accept_invitation_as_user(token=invitation.token, user=mentor_user)

    assert Membership.objects.get(user=mentor_user).role == Role.MENTOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_cannot_be_accepted_by_another_user(organisation, other_admin_user):
    invitation = factories.InvitationFactory(organisation=organisation)

    with pytest.raises(ValidationError):
        services.accept_invitation_as_user(token=invitation.token, user=other_admin_user)
