"""Spotlight pages belong to the program's managers: every other role, program or
organisation is turned away, and nothing changes."""

import pytest

from laurier.organisations.models import Role
from laurier.recognition.models import Spotlight
from laurier.testing import factories

from .test_spotlight_support import form_data, mentor, spotlight_of, url

pytestmark = pytest.mark.django_db

OBJECT_PAGES = [
    ("spotlight_detail", "get"),
    ("spotlight_edit", "get"),
    ("spotlight_edit", "post"),
    ("spotlight_delete", "get"),
    ("spotlight_delete", "post"),
    ("spotlight_markdown", "get"),
    ("spotlight_html", "get"),
    ("spotlight_chat", "post"),
]
PROGRAM_PAGES = [("spotlights", "get"), ("spotlight_create", "get"), ("spotlight_create", "post")]


@pytest.fixture
def spotlight(program):
    return spotlight_of(program, mentor(program))


def visit(client, method, address):
    return getattr(client, method)(address, form_data() if method == "post" else None)


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_another_organisations_admin_gets_404(
    login, other_admin_user, program, spotlight, name, method
):
    response = visit(login(other_admin_user), method, url(name, program, spotlight.pk))

    assert response.status_code == 404
    assert Spotlight.objects.get().title_en == "Spotlight: Léa"


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_a_spotlight_seen_through_another_organisations_address_is_404(
    login, other_admin_user, other_organisation, program, spotlight, name, method
):
    other_program = factories.ProgramFactory(organisation=other_organisation, slug=program.slug)

    response = visit(login(other_admin_user), method, url(name, other_program, spotlight.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_a_manager_of_another_program_gets_404(
    login, organisation, program, spotlight, name, method
):
    other_program = factories.ProgramFactory(organisation=organisation, slug="autre")
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    other_program.managers.add(other_manager)

    response = visit(login(other_manager), method, url(name, program, spotlight.pk))

    assert response.status_code == 404
    assert Spotlight.objects.exists()


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_a_spotlight_of_another_program_is_404_from_this_one(
    login, admin_user, organisation, program, spotlight, name, method
):
    other_program = factories.ProgramFactory(organisation=organisation, slug="autre")

    response = visit(login(admin_user), method, url(name, other_program, spotlight.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
@pytest.mark.parametrize("role", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_are_forbidden(request, login, program, spotlight, name, method, role):
    user = request.getfixturevalue(role)

    response = visit(login(user), method, url(name, program, spotlight.pk))

    assert response.status_code == 403
    assert Spotlight.objects.get().title_en == "Spotlight: Léa"


@pytest.mark.parametrize(("name", "method"), PROGRAM_PAGES)
@pytest.mark.parametrize("role", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_cannot_list_or_write_spotlights(
    request, login, program, name, method, role
):
    lea = mentor(program)
    user = request.getfixturevalue(role)

    response = visit(login(user), method, url(name, program) + f"?mentor={lea.pk}")

    assert response.status_code == 403
    assert not Spotlight.objects.exists()


@pytest.mark.parametrize(("name", "method"), PROGRAM_PAGES)
def test_another_organisations_admin_cannot_list_or_write(
    login, other_admin_user, program, name, method
):
    lea = mentor(program)

    response = visit(login(other_admin_user), method, url(name, program) + f"?mentor={lea.pk}")

    assert response.status_code == 404
    assert not Spotlight.objects.exists()


def test_a_mentor_of_another_organisation_cannot_be_spotlighted(
    login, admin_user, program, other_organisation
):
    other_program = factories.ProgramFactory(organisation=other_organisation)
    stranger = mentor(other_program)

    response = login(admin_user).post(
        url("spotlight_create", program) + f"?mentor={stranger.pk}", form_data()
    )

    assert response.status_code == 404
    assert not Spotlight.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, program, spotlight):
    response = client.get(url("spotlight_detail", program, spotlight.pk))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_admin_and_the_programs_manager_may_read(
    login, admin_user, manager_user, program, spotlight
):
    for user in (admin_user, manager_user):
        assert login(user).get(url("spotlight_detail", program, spotlight.pk)).status_code == 200
