"""Who reaches which budget: admins all, managers their programs', others nothing."""

import pytest

from laurier.organisations.models import Role
from laurier.recognition.models import LedgerEntry
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, organisation_budget, this_year, url

pytestmark = pytest.mark.django_db

READ_PAGES = ["budget_detail"]
WRITE_PAGES = ["budget_edit", "budget_commit", "budget_spend"]
ENTRY_PAGES = ["commitment_spend", "commitment_release"]


def every_address(budget, commitment):
    addresses = [url(name, budget) for name in READ_PAGES + WRITE_PAGES]
    addresses += [url(name, budget, commitment.pk) for name in ENTRY_PAGES]
    return addresses


@pytest.fixture
def other_programs_budget(organisation, admin_user):
    other = factories.ProgramFactory(organisation=organisation)
    budget = budget_of(other)
    return budget, services.commit(budget, actor=admin_user, money="1", description="x")


def test_a_manager_of_another_program_gets_404_everywhere(
    login, manager_user, other_programs_budget
):
    client = login(manager_user)

    for address in every_address(*other_programs_budget):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {}).status_code == 404, address


def test_another_organisations_admin_gets_404_everywhere(
    login, other_admin_user, program, manager_user
):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="1", description="x")
    client = login(other_admin_user)

    for address in every_address(budget, commitment):
        assert client.get(address).status_code == 404, address
    assert client.get(url("budgets", organisation=program.organisation)).status_code == 404


def test_an_admin_in_the_url_of_another_organisation_does_not_reach_its_budget(
    login, organisation, other_organisation, other_admin_user, program
):
    budget = budget_of(program)

    response = login(other_admin_user).get(
        url("budget_detail", budget, organisation=other_organisation)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role_user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_get_403(request, login, program, role_user):
    user = request.getfixturevalue(role_user)
    budget = budget_of(program)
    client = login(user)

    assert client.get(url("budgets", organisation=program.organisation)).status_code == 403
    assert client.get(url("budget_create", organisation=program.organisation)).status_code == 403
    assert client.get(url("budget_detail", budget)).status_code == 403


def test_a_manager_reads_the_organisation_wide_budget_but_cannot_change_it(
    login, organisation, manager_user, admin_user
):
    budget = organisation_budget(organisation)
    commitment = services.commit(budget, actor=admin_user, money="1", description="x")
    client = login(manager_user)

    assert client.get(url("budget_detail", budget)).status_code == 200
    for name in WRITE_PAGES:
        assert client.get(url(name, budget)).status_code == 403, name
        assert client.post(url(name, budget), {}).status_code == 403, name
    for name in ENTRY_PAGES:
        assert client.post(url(name, budget, commitment.pk), {}).status_code == 403, name
    assert LedgerEntry.objects.count() == 1


def test_an_admin_changes_the_organisation_wide_budget(login, organisation, admin_user):
    budget = organisation_budget(organisation)

    assert login(admin_user).get(url("budget_commit", budget)).status_code == 200


def test_a_manager_cannot_create_a_budget_for_a_program_they_do_not_manage(
    login, organisation, manager_user
):
    other = factories.ProgramFactory(organisation=organisation)

    response = login(manager_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": other.pk,
            "fiscal_year": this_year(organisation),
            "money": "1",
            "staff_hours": "0",
        },
    )

    assert response.status_code == 200
    assert "owner" in response.context["form"].errors


def test_a_commitment_of_another_budget_is_404(login, program, manager_user):
    budget = budget_of(program)
    other_budget = budget_of(program, fiscal_year=budget.fiscal_year + 1)
    commitment = services.commit(other_budget, actor=manager_user, money="1", description="x")

    response = login(manager_user).get(url("commitment_release", budget, commitment.pk))

    assert response.status_code == 404


def test_a_manager_who_is_also_a_member_elsewhere_sees_only_this_organisation(
    login, organisation, program, manager_user, other_organisation
):
    factories.MembershipFactory(organisation=other_organisation, user=manager_user, role=Role.ADMIN)
    foreign = budget_of(factories.ProgramFactory(organisation=other_organisation))

    response = login(manager_user).get(url("budget_detail", foreign, organisation=organisation))

    assert response.status_code == 404
