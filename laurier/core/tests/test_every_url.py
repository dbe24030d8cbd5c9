"""Every URL of the site answers as its access rule says, for each kind of visitor.

The walker reads every URL pattern (`laurier.testing.url_walk.routes`), fills each address
from a small world of two organisations (A, whose pages are visited, and B, whose admin tries
them), and checks:
- an organisation's page: B's admin gets 404 on A's page, and on B's own page with A's row
  ids; the role the view allows is answered; a role it does not allow gets 403; an anonymous
  visitor is sent to sign in; a manager gets 404 on a program they do not manage;
- a personal link: its token opens it, an unknown token is a 404;
- a public page answers anyone; an account page asks to sign in; django-admin turns away
  whoever is not staff.

A new URL fails `test_every_url_is_in_the_registry` until laurier/testing/url_walk.py says
how to fill it; an organisation's view without a tenancy decorator fails
`test_every_organisation_page_declares_who_may_open_it`.
"""

import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from laurier.organisations.models import Role
from laurier.organisations.tenancy import access_rule
from laurier.testing.overrides import settings_for_tests
from laurier.testing.url_walk import (
    GENERIC_KWARGS,
    NAMESPACES,
    PAGES,
    Kind,
    address,
    build_world,
    routes,
)

pytestmark = pytest.mark.django_db

ROUTES = routes()
# From the least privileged up: the role a page is tried as is the first one it allows.
ROLES_UPWARD = (Role.PARTICIPANT, Role.MENTEE, Role.MENTOR, Role.MANAGER, Role.ADMIN)
# When a page allows every role, the mentor's is the one with rows of their own.
EVERY_ROLE_TRIED_AS = Role.MENTOR


def of_kind(kind, where=lambda route: True):
    return [route for route in ROUTES if route.page and route.page.kind is kind and where(route)]


def ids(routes_):
    return [route.key for route in routes_]


TENANT = of_kind(Kind.TENANT)
# The roles come from the decorator: a page without one fails
# test_every_organisation_page_declares_who_may_open_it, and is walked by the role-free tests.
DECLARED = of_kind(Kind.TENANT, lambda route: access_rule(route.callback))
TENANT_WITH_IDS = of_kind(Kind.TENANT, lambda route: route.object_ids)
TENANT_WITH_NESTED_IDS = of_kind(Kind.TENANT, lambda route: len(route.object_ids) > 1)
PROGRAM_PAGES = of_kind(Kind.TENANT, lambda route: route.is_program_page)
PROGRAM_PAGES_WITH_IDS = of_kind(
    Kind.TENANT, lambda route: route.is_program_page and route.object_ids
)
OWN_ROWS = of_kind(Kind.TENANT, lambda route: "/me/" in route.route and route.object_ids)
PERSONAL_LINKS = of_kind(Kind.PERSONAL_LINK)
PERSONAL_LINKS_WITH_IDS = of_kind(Kind.PERSONAL_LINK, lambda route: route.object_ids)
PUBLIC = of_kind(Kind.PUBLIC)
LOGIN_ONLY = of_kind(Kind.LOGIN_ONLY)
STAFF_ONLY = of_kind(Kind.STAFF_ONLY)


# --- The world, built once per module ----------------------------------------------------------


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Organisations A and B with their rows and a signed-in session per member, built once
    for the module (each test runs in its own savepoint inside) and rolled back after it."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(**settings_for_tests(), MEDIA_ROOT=media),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            a, b = build_world("alpha"), build_world("beta")
            sessions = {
                (world.organisation.slug, role): _session_of(user)
                for world in (a, b)
                for role, user in world.users.items()
            }
            yield SimpleNamespace(a=a, b=b, sessions=sessions)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Personal links count failed tokens in the cache: each test starts with none counted."""
    cache.clear()


@pytest.fixture
def client_of(worlds):
    """A client signed in as `role` of `world` (anonymous for role None), answered in English."""

    def client_for(world=None, role=None):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if role is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = worlds.sessions[
                (world.organisation.slug, role)
            ]
        return client

    return client_for


# --- Filling and visiting an address ------------------------------------------------------------


def path_of(route, world, *, ids=None, program=None):
    """The address of `route` in `world`, with the row ids in `ids` instead of the world's and
    the slug of `program` instead of the world's program."""
    kwargs = {name: fill(world) for name, fill in GENERIC_KWARGS.items()}
    kwargs.update(route.page.kwargs(world))
    kwargs.update(ids or {})
    if program is not None:
        kwargs["program_slug"] = program.slug
    missing = set(route.kwarg_names) - set(kwargs)
    assert not missing, (
        f"The recipe of {route.key} in laurier/testing/url_walk.py does not fill {sorted(missing)}"
    )
    return address(route, kwargs)


def ids_of(route, world, names=None):
    """The row ids `route` takes (or only those in `names`), from `world`."""
    kwargs = route.page.kwargs(world)
    return {name: kwargs[name] for name in names or route.object_ids}


def visit(client, path):
    """GET the page, or POST with no data when it only takes POST: the tenancy decorators
    run before the view reads anything."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path)
    return response


def said(response, path):
    location = response.get("Location", "")
    return f"{response.status_code} for {path}" + (f" → {location}" if location else "")


def allowed_role(route):
    rule = access_rule(route.callback)
    if set(rule.roles) == set(Role.values):
        return EVERY_ROLE_TRIED_AS
    return next(role for role in ROLES_UPWARD if role in rule.roles)


def refused_role(route):
    """The most privileged role the page does not allow, if any."""
    rule = access_rule(route.callback)
    return next((role for role in reversed(ROLES_UPWARD) if role not in rule.roles), None)


def is_sign_in(response):
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The registry covers every URL ---------------------------------------------------------------


def test_every_url_is_in_the_registry():
    missing = [route.key for route in ROUTES if route.page is None]

    assert not missing, "\n".join(
        f"Add a recipe for {key} in PAGES of laurier/testing/url_walk.py" for key in missing
    )


def test_every_entry_of_the_registry_is_a_url():
    keys = {route.key for route in ROUTES}

    stale = sorted(set(PAGES) - keys)

    assert not stale, f"Remove from PAGES of laurier/testing/url_walk.py: {stale}"


def test_every_organisation_page_declares_who_may_open_it():
    undeclared = [route.key for route in TENANT if access_rule(route.callback) is None]

    assert not undeclared, (
        "These views take the organisation from the URL without organisation_view or "
        f"program_view (laurier/organisations/tenancy.py): {undeclared}"
    )


def test_every_organisation_page_lets_in_whom_the_registry_says():
    """The decorator and the registry must agree: `@organisation_view()` without roles, which
    lets every member in, cannot slip onto a manager's page unnoticed; an address with a
    program needs program_view, which checks the manager manages it."""
    disagreements = [
        f"{route.key} lets in {sorted(rule.roles)}"
        + (" of the programs they manage" if rule.program_scoped else "")
        + f"; laurier/testing/url_walk.py says {route.page.audience.name}"
        + (" of the program in the address" if route.is_program_page else "")
        for route in DECLARED
        if (rule := access_rule(route.callback))
        and (
            set(rule.roles) != set(route.page.audience.value)
            or rule.program_scoped != route.is_program_page
        )
    ]

    assert not disagreements, "\n".join(disagreements)


def test_pages_behind_a_tenancy_decorator_are_registered_as_an_organisations_page():
    others = [
        route.key
        for route in ROUTES
        if route.page and route.page.kind is not Kind.TENANT and access_rule(route.callback)
    ]

    assert not others, f"Register these as tenant() in laurier/testing/url_walk.py: {others}"


# An organisation's own sign-in page: before signing in, so no member to check.
PUBLIC_UNDER_AN_ORGANISATION = {"sso_organisation"}


def test_every_address_naming_an_organisation_is_an_organisations_page():
    others = [
        route.key
        for route in ROUTES
        if "organisation_slug" in route.kwarg_names
        and route.page
        and route.page.kind is not Kind.TENANT
        and route.key not in PUBLIC_UNDER_AN_ORGANISATION
    ]

    assert not others, (
        f"These take an organisation from the URL: put them behind organisation_view or "
        f"program_view and register them as tenant() in laurier/testing/url_walk.py: {others}"
    )


def test_whole_namespaces_are_only_django_admin_and_the_api():
    assert set(NAMESPACES) == {"admin", "api"}


# --- An organisation's pages ---------------------------------------------------------------------


@pytest.mark.parametrize("route", TENANT, ids=ids(TENANT))
def test_another_organisations_admin_gets_404(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.b, Role.ADMIN), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", TENANT_WITH_IDS, ids=ids(TENANT_WITH_IDS))
def test_rows_of_another_organisation_are_404_under_ones_own_slug(route, worlds, client_of):
    path = path_of(route, worlds.b, ids=ids_of(route, worlds.a))

    response = visit(client_of(worlds.b, Role.ADMIN), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", TENANT_WITH_NESTED_IDS, ids=ids(TENANT_WITH_NESTED_IDS))
def test_a_row_of_another_organisation_is_404_under_ones_own_parent_row(route, worlds, client_of):
    """B's edition (budget, plan, webhook…) with A's category (entry, line, delivery…): the
    inner row is looked up under the outer one, not by its id alone."""
    inner = route.object_ids[-1:]
    path = path_of(route, worlds.b, ids=ids_of(route, worlds.a, inner))

    response = visit(client_of(worlds.b, Role.ADMIN), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", DECLARED, ids=ids(DECLARED))
def test_the_role_a_page_allows_is_answered(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.a, allowed_role(route)), path)

    assert response.status_code < 400, said(response, path)
    if response.status_code in (301, 302, 303):
        assert response["Location"].startswith(f"/o/{worlds.a.organisation.slug}/"), said(
            response, path
        )


REFUSING = [route for route in DECLARED if refused_role(route)]


@pytest.mark.parametrize("route", REFUSING, ids=ids(REFUSING))
def test_a_role_the_page_does_not_allow_gets_403(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.a, refused_role(route)), path)

    assert response.status_code == 403, said(response, path)


@pytest.mark.parametrize("route", TENANT, ids=ids(TENANT))
def test_an_anonymous_visitor_is_sent_to_sign_in(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(), path)

    assert is_sign_in(response), said(response, path)


@pytest.mark.parametrize("route", PROGRAM_PAGES, ids=ids(PROGRAM_PAGES))
def test_a_manager_gets_404_on_a_program_they_do_not_manage(route, worlds, client_of):
    path = path_of(route, worlds.a, program=worlds.a.other_program)

    response = visit(client_of(worlds.a, Role.MANAGER), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", PROGRAM_PAGES_WITH_IDS, ids=ids(PROGRAM_PAGES_WITH_IDS))
def test_rows_of_another_program_are_404_under_its_slug(route, worlds, client_of):
    """The admin may open both programs, so only the rows' lookup by program refuses."""
    path = path_of(route, worlds.a, program=worlds.a.other_program)

    response = visit(client_of(worlds.a, Role.ADMIN), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", OWN_ROWS, ids=ids(OWN_ROWS))
def test_another_members_own_rows_are_404(route, worlds, client_of):
    """A person's own space (…/me/…) shows their rows only: another person of the
    organisation asks for the mentor's."""
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.a, Role.PARTICIPANT), path)

    assert response.status_code == 404, said(response, path)


# --- Personal links, public pages, accounts, django-admin ---------------------------------------


@pytest.mark.parametrize("route", PERSONAL_LINKS, ids=ids(PERSONAL_LINKS))
def test_a_personal_link_opens_with_its_token(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(), path)

    assert response.status_code < 400, said(response, path)
    assert not is_sign_in(response), said(response, path)


@pytest.mark.parametrize("route", PERSONAL_LINKS, ids=ids(PERSONAL_LINKS))
def test_a_personal_link_with_an_unknown_token_is_404(route, worlds, client_of):
    kwargs = route.page.kwargs(worlds.a)
    secret = "token" if "token" in kwargs else "public_id"
    unknown = "unknown-token" if secret == "token" else uuid.uuid4()
    path = path_of(route, worlds.a).replace(str(kwargs[secret]), str(unknown))

    response = visit(client_of(), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", PERSONAL_LINKS_WITH_IDS, ids=ids(PERSONAL_LINKS_WITH_IDS))
def test_a_personal_link_does_not_open_another_organisations_rows(route, worlds, client_of):
    path = path_of(route, worlds.a, ids=ids_of(route, worlds.b))

    response = visit(client_of(), path)

    assert response.status_code == 404, said(response, path)


@pytest.mark.parametrize("route", PUBLIC, ids=ids(PUBLIC))
def test_a_public_page_answers_anyone(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(), path)

    if route.page.answers:
        assert response.status_code == route.page.answers, said(response, path)
    else:
        assert response.status_code < 400, said(response, path)
        assert not is_sign_in(response), said(response, path)


@pytest.mark.parametrize("route", LOGIN_ONLY, ids=ids(LOGIN_ONLY))
def test_an_account_page_asks_an_anonymous_visitor_to_sign_in(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(), path)

    assert is_sign_in(response), said(response, path)


@pytest.mark.parametrize("route", LOGIN_ONLY, ids=ids(LOGIN_ONLY))
def test_an_account_page_answers_whoever_is_signed_in(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.a, Role.MENTEE), path)

    assert response.status_code < 400, said(response, path)


@pytest.mark.parametrize("route", STAFF_ONLY, ids=ids(STAFF_ONLY))
def test_django_admin_turns_away_an_organisations_admin(route, worlds, client_of):
    path = path_of(route, worlds.a)

    response = visit(client_of(worlds.a, Role.ADMIN), path)

    assert response.status_code == 302, said(response, path)
    assert response["Location"].startswith("/django-admin/login/"), said(response, path)
