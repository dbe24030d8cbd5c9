import pytest
from django.urls import reverse

from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def edit_url(membership):
    return reverse("organisations:member_edit", args=[membership.organisation.slug, membership.pk])


def membership_of(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


def test_admin_sees_the_member_form(login, admin_user, manager_user, organisation, program):
    response = login(admin_user).get(edit_url(membership_of(manager_user, organisation)))

    assert response.status_code == 200
    assert response.context["form"].initial["programs"] == [program]


def test_admin_makes_a_mentor_manager_of_a_program(
    login, admin_user, mentor_user, organisation, program
):
    membership = membership_of(mentor_user, organisation)

    response = login(admin_user).post(
        edit_url(membership), {"role": Role.MANAGER, "programs": [program.pk]}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    assert list(program.managers.all()) == [mentor_user]


def test_the_change_is_audited_readably(login, admin_user, mentor_user, organisation, program):
    membership = membership_of(mentor_user, organisation)

    login(admin_user).post(edit_url(membership), {"role": Role.MANAGER, "programs": [program.pk]})

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes == {"role": ["mentor", "manager"], "programs": ["", "Relève"]}


def test_a_manager_who_becomes_mentor_manages_no_program(
    login, admin_user, manager_user, organisation, program
):
    login(admin_user).post(
        edit_url(membership_of(manager_user, organisation)), {"role": Role.MENTOR}
    )

    assert not program.managers.exists()


def test_the_last_admin_cannot_stop_being_admin(login, admin_user, organisation):
    membership = membership_of(admin_user, organisation)

    response = login(admin_user).post(edit_url(membership), {"role": Role.MANAGER})

    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_can_step_down_when_another_admin_remains(login, admin_user, organisation):
    factories.MembershipFactory(organisation=organisation, role=Role.ADMIN)
    membership = membership_of(admin_user, organisation)

    login(admin_user).post(edit_url(membership), {"role": Role.MANAGER})

    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_admin_removes_a_member(login, admin_user, manager_user, organisation, program):
    membership = membership_of(manager_user, organisation)

    response = login(admin_user).post(edit_url(membership), {"remove": "1"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not program.managers.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


def test_the_last_admin_cannot_be_removed(login, admin_user, organisation):
    membership = membership_of(admin_user, organisation)

    response = login(admin_user).post(edit_url(membership), {"remove": "1"})

    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_twice_is_harmless(login, admin_user, mentor_user, organisation):
    membership = membership_of(mentor_user, organisation)
    client = login(admin_user)

    client.post(edit_url(membership), {"remove": "1"})
    second = client.post(edit_url(membership), {"remove": "1"})

    assert second.status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


def test_admin_of_another_organisation_gets_404(login, other_admin_user, mentor_user, organisation):
    membership = membership_of(mentor_user, organisation)

    assert login(other_admin_user).get(edit_url(membership)).status_code == 404


def test_a_membership_of_another_organisation_is_404_in_this_one(
    login, admin_user, other_admin_user, organisation, other_organisation
):
    foreign = membership_of(other_admin_user, other_organisation)
    url = reverse("organisations:member_edit", args=[organisation.slug, foreign.pk])

    response = login(admin_user).post(url, {"remove": "1"})

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_mentee_cannot_edit_members(login, mentee_user, mentor_user, organisation):
    membership = membership_of(mentor_user, organisation)

    assert login(mentee_user).get(edit_url(membership)).status_code == 403


def test_mentor_cannot_edit_members(login, mentor_user, organisation):
    membership = membership_of(mentor_user, organisation)

    response = login(mentor_user).post(edit_url(membership), {"role": Role.ADMIN})

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.MENTOR
