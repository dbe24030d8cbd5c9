import pytest
from django.core import mail
from django.urls import reverse

from laurier.organisations.models import AuditEvent, Invitation, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def members_url(organisation, query=""):
    return reverse("organisations:members", args=[organisation.slug]) + query


def invite_data(email="new.mentor@example.org", role=Role.MENTOR, programs=()):
    return {"invite-email": email, "invite-role": role, "invite-programs": [p.pk for p in programs]}


def test_admin_sees_members_with_their_role_and_programs(
    login, admin_user, manager_user, organisation, program
):
    response = login(admin_user).get(members_url(organisation))

    assert response.status_code == 200
    page = response.content.decode()
    assert "manager@example.org" in page
    assert "Program manager" in page
    row = next(m for m in response.context["page"] if m.user == manager_user)
    assert [p.name for p in row.user.programs_managed_here] == ["Relève"]


def test_members_of_another_organisation_are_not_listed(
    login, admin_user, other_admin_user, organisation
):
    response = login(admin_user).get(members_url(organisation))

    assert "admin@other.example.org" not in response.content.decode()


def test_search_finds_members_by_name_or_email(login, admin_user, organisation):
    found = factories.UserFactory(first_name="Ginette", last_name="Reno", email="g@example.org")
    factories.MembershipFactory(organisation=organisation, user=found, role=Role.MENTOR)

    response = login(admin_user).get(members_url(organisation, "?q=ginette"))

    assert [m.user for m in response.context["page"]] == [found]


def test_members_sort_by_email(login, admin_user, organisation):
    for email in ["zed@example.org", "bea@example.org"]:
        factories.MembershipFactory(organisation=organisation, user__email=email)

    response = login(admin_user).get(members_url(organisation, "?sort=email"))

    emails = [m.user.email for m in response.context["page"]]
    assert emails == sorted(emails)


def test_members_export_as_csv(login, admin_user, manager_user, organisation):
    response = login(admin_user).get(members_url(organisation, "?export=csv"))

    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert "manager@example.org" in content
    assert "Relève" in content


@pytest.mark.parametrize("extra", [2, 30])
def test_members_page_needs_a_constant_number_of_queries(
    login, admin_user, organisation, extra, django_assert_max_num_queries
):
    programs = factories.ProgramFactory.create_batch(2, organisation=organisation)
    for _ in range(extra):
        user = factories.UserFactory()
        factories.MembershipFactory(organisation=organisation, user=user, role=Role.MANAGER)
        for program in programs:
            program.managers.add(user)
        invitation = factories.InvitationFactory(organisation=organisation)
        invitation.programs.set(programs)
    client = login(admin_user)

    with django_assert_max_num_queries(14):
        response = client.get(members_url(organisation))

    assert response.status_code == 200


def test_admin_invites_someone(login, admin_user, organisation):
    response = login(admin_user).post(members_url(organisation), invite_data())

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.mentor@example.org",
        Role.MENTOR,
        admin_user,
    )
    assert len(mail.outbox) == 1


def test_inviting_a_manager_records_the_programs_they_will_manage(
    login, admin_user, organisation, program
):
    login(admin_user).post(
        members_url(organisation), invite_data(role=Role.MANAGER, programs=[program])
    )

    assert list(Invitation.objects.get().programs.all()) == [program]


def test_programs_are_ignored_when_the_role_is_not_manager(
    login, admin_user, organisation, program
):
    login(admin_user).post(members_url(organisation), invite_data(programs=[program]))

    assert not Invitation.objects.get().programs.exists()


def test_a_program_of_another_organisation_cannot_be_given(login, admin_user, organisation):
    foreign = factories.ProgramFactory(organisation=factories.OrganisationFactory())

    response = login(admin_user).post(
        members_url(organisation), invite_data(role=Role.MANAGER, programs=[foreign])
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_refused_clearly(login, admin_user, mentor_user, organisation):
    response = login(admin_user).post(
        members_url(organisation), invite_data(email="MENTOR@example.org")
    )

    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_invalid_address_is_refused(login, admin_user, organisation):
    response = login(admin_user).post(
        members_url(organisation), invite_data(email="not-an-address")
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_pending_invitations_are_listed_with_a_revoke_button(login, admin_user, organisation):
    invitation = factories.InvitationFactory(organisation=organisation, email="pending@example.org")
    factories.InvitationFactory(
        organisation=organisation, email="gone@example.org", revoked_at="2026-01-01T00:00Z"
    )

    response = login(admin_user).get(members_url(organisation))

    assert response.context["invitations"] == [invitation]
    revoke_url = reverse("organisations:invitation_revoke", args=[organisation.slug, invitation.pk])
    assert revoke_url in response.content.decode()


def test_admin_revokes_an_invitation(login, admin_user, organisation):
    invitation = factories.InvitationFactory(organisation=organisation)

    response = login(admin_user).post(
        reverse("organisations:invitation_revoke", args=[organisation.slug, invitation.pk])
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=str(invitation.pk)
    ).exists()


def test_revoking_needs_a_post(login, admin_user, organisation):
    invitation = factories.InvitationFactory(organisation=organisation)

    response = login(admin_user).get(
        reverse("organisations:invitation_revoke", args=[organisation.slug, invitation.pk])
    )

    assert response.status_code == 405


def test_revoking_an_invitation_of_another_organisation_gets_404(
    login, admin_user, organisation, other_organisation
):
    invitation = factories.InvitationFactory(organisation=other_organisation)

    response = login(admin_user).post(
        reverse("organisations:invitation_revoke", args=[organisation.slug, invitation.pk])
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("fixture", ["manager_user", "mentor_user", "mentee_user"])
def test_only_admins_see_the_members(request, login, organisation, fixture):
    user = request.getfixturevalue(fixture)

    assert login(user).get(members_url(organisation)).status_code == 403


def test_mentee_cannot_invite(login, mentee_user, organisation):
    response = login(mentee_user).post(members_url(organisation), invite_data())

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_mentee_cannot_revoke(login, mentee_user, organisation):
    invitation = factories.InvitationFactory(organisation=organisation)

    response = login(mentee_user).post(
        reverse("organisations:invitation_revoke", args=[organisation.slug, invitation.pk])
    )

    assert response.status_code == 403
