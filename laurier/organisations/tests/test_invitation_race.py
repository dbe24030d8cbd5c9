import threading

import pytest
from django.db import OperationalError, connection

from laurier.organisations import services
from laurier.organisations.models import Invitation, Membership, Role
from laurier.testing import factories


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_make_one_membership(organisation):
    invitation = factories.InvitationFactory(organisation=organisation)
    start = threading.Barrier(2)
    outcomes = []

    def accept():
        start.wait()
        try:
            services.accept_invitation_with_new_account(
                token=invitation.token,
                first_name="Léa",
                last_name="Roy",
                password="a-Long-passphrase-2026",
            )
            outcomes.append("joined")
        except (services.InvitationUnusable, OperationalError) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("joined") == 1
    assert Membership.objects.filter(organisation=organisation).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_invitations_to_an_address_make_one_pending_invitation(
    organisation, admin_user
):
    start = threading.Barrier(2)
    outcomes = []

    def invite():
        start.wait()
        try:
            services.invite(
                organisation=organisation,
                actor=admin_user,
                email="lea@example.org",
                role=Role.MENTOR,
            )
            outcomes.append("invited")
        finally:
            connection.close()

    threads = [threading.Thread(target=invite) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["invited", "invited"]
    assert Invitation.objects.filter(organisation=organisation).count() == 1
