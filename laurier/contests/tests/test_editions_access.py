"""Who reaches the edition pages: the program's managers and the admins; a manager of another
program or another organisation gets 404, a mentor 403."""

import pytest

from laurier.organisations.models import Role
from laurier.testing import factories

from .test_editions_support import edition_url, list_url, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)
    criterion = factories.CriterionFactory(edition=edition)
    nominee = factories.NomineeFactory(category=category)
    nomination = factories.NominationFactory(nominee=nominee)
    juror = factories.JurorFactory(edition=edition)
    edition.objects = {
        "category": category,
        "criterion": criterion,
        "nominee": nominee,
        "nomination": nomination,
        "juror": juror,
    }
    return edition


def edition_pages(edition):
    objects = edition.objects
    return [
        edition_url("edition_detail", edition),
        edition_url("edition_edit", edition),
        edition_url("category_create", edition),
        edition_url("category_edit", edition, objects["category"].pk),
        edition_url("category_delete", edition, objects["category"].pk),
        edition_url("criterion_create", edition),
        edition_url("criterion_edit", edition, objects["criterion"].pk),
        edition_url("criterion_delete", edition, objects["criterion"].pk),
        edition_url("jury", edition),
        edition_url("juror_detail", edition, objects["juror"].pk),
        edition_url("nominees", edition),
        edition_url("nominee_detail", edition, objects["nominee"].pk),
    ]


def edition_posts(edition):
    objects = edition.objects
    return [
        edition_url("nomination_link_renew", edition),
        edition_url("juror_invite", edition, objects["juror"].pk),
        edition_url("juror_remove", edition, objects["juror"].pk),
        edition_url("juror_conflicts", edition, objects["juror"].pk),
        edition_url("nominee_withdraw", edition, objects["nominee"].pk),
        edition_url("category_delete", edition, objects["category"].pk),
        edition_url("criterion_delete", edition, objects["criterion"].pk),
    ]


def test_the_program_manager_reaches_every_page(login, manager_user, edition):
    client = login(manager_user)

    for address in [
        list_url(edition.organisation),
        list_url(edition.organisation, "edition_create"),
        *edition_pages(edition),
    ]:
        assert client.get(address).status_code == 200, address


def test_an_admin_reaches_every_page(login, admin_user, edition):
    client = login(admin_user)

    for address in [
        list_url(edition.organisation),
        list_url(edition.organisation, "edition_create"),
        *edition_pages(edition),
    ]:
        assert client.get(address).status_code == 200, address


def test_an_admin_reaches_an_organisation_wide_edition_a_manager_does_not(
    login, admin_user, manager_user, organisation
):
    edition = factories.EditionFactory(program=None, organisation=organisation)
    address = edition_url("edition_detail", edition)

    assert login(admin_user).get(address).status_code == 200
    assert login(manager_user).get(address).status_code == 404


def test_a_manager_of_another_program_gets_404(login, organisation, edition):
    other = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation, slug="autre").managers.add(other)
    client = login(other)

    for address in edition_pages(edition):
        assert client.get(address).status_code == 404, address
    for address in edition_posts(edition):
        assert client.post(address).status_code == 404, address


def test_another_organisations_admin_gets_404(login, other_admin_user, edition):
    client = login(other_admin_user)

    for address in edition_pages(edition):
        assert client.get(address).status_code == 404, address
    for address in edition_posts(edition):
        assert client.post(address).status_code == 404, address


def test_another_organisations_admin_gets_404_even_under_their_own_slug(
    login, other_admin_user, other_organisation, edition
):
    """The edition's pk under the other organisation's address is not theirs either."""
    client = login(other_admin_user)
    edition.organisation = other_organisation

    for address in edition_pages(edition):
        assert client.get(address).status_code == 404, address


def test_a_mentor_gets_403(login, mentor_user, edition):
    client = login(mentor_user)

    for address in [
        list_url(edition.organisation),
        list_url(edition.organisation, "edition_create"),
        *edition_pages(edition),
    ]:
        assert client.get(address).status_code == 403, address


def test_an_object_of_another_edition_is_404(login, admin_user, program, edition):
    other = open_edition(program)
    client = login(admin_user)

    for address in edition_pages(edition)[3:]:
        moved = address.replace(f"/contests/{edition.pk}/", f"/contests/{other.pk}/")
        if moved.endswith(("/new/", "/jury/", "/nominees/")):
            continue
        assert client.get(moved).status_code == 404, moved
    assert (
        client.get(edition_url("evidence", other, edition.objects["nomination"].pk)).status_code
        == 404
    )
