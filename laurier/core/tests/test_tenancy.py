import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from laurier.organisations.models import Role
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view, program_view
from laurier.testing import factories


@organisation_view(roles=MANAGER_ROLES)
def manager_page(request):
    return HttpResponse(request.organisation.slug)


@program_view
def program_page(request):
    return HttpResponse(request.program.slug)


def call(view, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    # A password session: what the login leaves (single sign-on reads how it signed in).
    request.session = SessionStore()
    return view(request, **kwargs)


def test_member_reaches_own_organisation(manager_user, organisation):
    assert call(manager_page, manager_user, organisation_slug="hydro").content == b"hydro"


def test_user_of_other_organisation_gets_404(other_admin_user, organisation):
    with pytest.raises(Http404):
        call(manager_page, other_admin_user, organisation_slug="hydro")


def test_mentee_gets_403_on_manager_page(mentee_user):
    with pytest.raises(PermissionDenied):
        call(manager_page, mentee_user, organisation_slug="hydro")


def test_manager_reaches_program_they_manage(manager_user, program):
    response = call(program_page, manager_user, organisation_slug="hydro", program_slug="releve")
    assert response.content == b"releve"


def test_manager_of_another_program_gets_404(organisation, program):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    with pytest.raises(Http404):
        call(program_page, other_manager, organisation_slug="hydro", program_slug="releve")


def test_admin_reaches_every_program(admin_user, program):
    response = call(program_page, admin_user, organisation_slug="hydro", program_slug="releve")
    assert response.content == b"releve"


def test_program_of_another_organisation_gets_404(admin_user, other_organisation):
    factories.ProgramFactory(organisation=other_organisation, slug="elsewhere")
    with pytest.raises(Http404):
        call(program_page, admin_user, organisation_slug="hydro", program_slug="elsewhere")
