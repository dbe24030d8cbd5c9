"""One pending invitation per address, even when two invitations race."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from laurier.organisations import services
from laurier.organisations.models import Invitation, Role
from laurier.testing import factories
from laurier.testing.migrations import constraint_dropped

pytestmark = pytest.mark.django_db

REVOKE_MIGRATION = importlib.import_module(
    "laurier.organisations.migrations.0003_revoke_repeated_pending_invitations"
)


def test_the_database_refuses_a_second_pending_invitation_to_an_address(organisation):
    factories.InvitationFactory(organisation=organisation, email="lea@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.InvitationFactory(organisation=organisation, email="LEA@example.org")


def test_an_accepted_or_revoked_invitation_leaves_room_for_a_new_one(organisation):
    factories.InvitationFactory(
        organisation=organisation, email="lea@example.org", accepted_at=timezone.now()
    )
    factories.InvitationFactory(
        organisation=organisation, email="lea@example.org", revoked_at=timezone.now()
    )
    factories.InvitationFactory(organisation=organisation, email="lea@example.org")
    assert Invitation.objects.filter(email="lea@example.org").count() == 3


def test_two_organisations_may_invite_the_same_address(organisation, other_organisation):
    factories.InvitationFactory(organisation=organisation, email="lea@example.org")
    factories.InvitationFactory(organisation=other_organisation, email="lea@example.org")
    assert Invitation.objects.filter(email="lea@example.org").count() == 2


def test_an_invitation_racing_another_to_the_same_address_refreshes_it(
    monkeypatch, organisation, admin_user
):
    # The other request created its invitation after this one looked for a pending one.
    racing = factories.InvitationFactory(
        organisation=organisation, email="lea@example.org", role=Role.MENTOR
    )
    real_lookup = services._pending_invitation_for_update
    lookups = []

    def lookup(*args):
        lookups.append(args)
        return None if len(lookups) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "_pending_invitation_for_update", lookup)

    invitation = services.invite(
        organisation=organisation, actor=admin_user, email="Lea@example.org", role=Role.MENTEE
    )

    assert invitation.pk == racing.pk
    assert Invitation.objects.get().role == Role.MENTEE


def test_an_invitation_racing_another_sends_no_second_email(monkeypatch, organisation, admin_user):
    factories.InvitationFactory(organisation=organisation, email="lea@example.org")
    real_lookup = services._pending_invitation_for_update
    lookups = []

    def lookup(*args):
        lookups.append(args)
        return None if len(lookups) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "_pending_invitation_for_update", lookup)

    services.invite(
        organisation=organisation, actor=admin_user, email="lea@example.org", role=Role.MENTOR
    )

    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_revokes_older_repeated_pending_invitations(organisation):
    with constraint_dropped(Invitation, "one_pending_invitation_per_email") as constraint:
        older = factories.InvitationFactory(organisation=organisation, email="lea@example.org")
        newer = factories.InvitationFactory(organisation=organisation, email="LEA@example.org")
        Invitation.objects.filter(pk=older.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=1)
        )

        with connection.schema_editor() as editor:
            # The current models will do: the migration reads only fields they still have.
            REVOKE_MIGRATION.revoke_repeated_pending_invitations(apps, editor)
            # The proof: this is what the next migration does, and a repeat would fail it.
            editor.add_constraint(Invitation, constraint)

    assert Invitation.objects.get(pk=older.pk).revoked_at is not None
    assert Invitation.objects.get(pk=newer.pk).revoked_at is None
