"""Who reaches the award pages: the program's managers and the organisation's admins only;
another program's or organisation's award is a 404 on every award address."""

import pytest

from laurier.organisations.models import Role
from laurier.recognition.models import Award
from laurier.testing import factories

from .test_award_views_support import (  # noqa: F401 (held_today: the `today` fixture)
    award_url,
    enrol,
    fund,
    held_today,
    list_url,
    offer,
    planned,
)

pytestmark = pytest.mark.django_db

AWARD_PAGES = ["award_detail", "award_edit", "award_give", "award_cancel"]
AWARD_POSTS = ["award_edit", "award_approve", "award_give", "award_cancel"]


@pytest.fixture
def award(program, organisation, today, manager_user):
    fund(program, today)
    return planned(program, enrol(program), offer(organisation), today, manager_user)


def every_address(award, **where):
    program = where.get("program") or award.program
    return [list_url(program), list_url(program, "award_create")] + [
        award_url(name, award, **where) for name in AWARD_PAGES
    ]


def test_the_program_manager_reaches_every_page(login, manager_user, award):
    client = login(manager_user)

    for address in every_address(award):
        assert client.get(address).status_code == 200, address


def test_an_admin_reaches_every_page(login, admin_user, award):
    client = login(admin_user)

    for address in every_address(award):
        assert client.get(address).status_code == 200, address


def test_a_manager_of_another_program_gets_404(login, organisation, award):
    other = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation, slug="autre").managers.add(other)
    client = login(other)

    for address in every_address(award):
        assert client.get(address).status_code == 404, address
    for name in AWARD_POSTS:
        assert client.post(award_url(name, award), {"reason": "x"}).status_code == 404
    assert Award.objects.get(pk=award.pk).status == Award.Status.PLANNED


def test_the_award_of_another_program_is_404_through_a_managed_program(
    login, organisation, manager_user, award
):
    mine = factories.ProgramFactory(organisation=organisation, slug="mien")
    mine.managers.add(manager_user)
    client = login(manager_user)

    for address in every_address(award, program=mine)[2:]:
        assert client.get(address).status_code == 404, address
    for name in AWARD_POSTS:
        response = client.post(award_url(name, award, program=mine), {"reason": "x"})
        assert response.status_code == 404, name


@pytest.mark.parametrize("user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_of_the_organisation_are_forbidden_every_manager_page(
    request, login, award, user
):
    client = login(request.getfixturevalue(user))

    for address in every_address(award):
        assert client.get(address).status_code == 403, address
    for name in AWARD_POSTS:
        assert client.post(award_url(name, award), {"reason": "x"}).status_code == 403
    assert Award.objects.get(pk=award.pk).status == Award.Status.PLANNED


def test_another_organisations_award_is_404_on_every_award_address(
    login, manager_user, program, other_organisation, other_admin_user, today
):
    other_program = factories.ProgramFactory(organisation=other_organisation, slug="ailleurs")
    fund(other_program, today)
    theirs = planned(
        other_program, enrol(other_program), offer(other_organisation), today, other_admin_user
    )
    client = login(manager_user)

    # Through our own organisation and program, with their award's number.
    for name in AWARD_PAGES:
        assert client.get(award_url(name, theirs, program=program)).status_code == 404, name
    for name in AWARD_POSTS:
        response = client.post(award_url(name, theirs, program=program), {"reason": "x"})
        assert response.status_code == 404, name
    # Through their addresses: not a member there.
    for address in every_address(theirs):
        assert client.get(address).status_code == 404, address
    assert Award.objects.get(pk=theirs.pk).status == Award.Status.PLANNED


def test_approving_answers_only_a_post(login, manager_user, award):
    response = login(manager_user).get(award_url("award_approve", award))

    assert response.status_code == 405


def test_an_admin_of_another_organisation_gets_404_not_403(login, other_admin_user, award):
    client = login(other_admin_user)

    for address in every_address(award):
        assert client.get(address).status_code == 404, address
    for name in AWARD_POSTS:
        assert client.post(award_url(name, award), {"reason": "x"}).status_code == 404, name
    assert Award.objects.get(pk=award.pk).status == Award.Status.PLANNED
