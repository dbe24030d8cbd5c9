"""Who reaches the plan pages: the program's managers and the organisation's admins only."""

import pytest
from django.urls import reverse

from laurier.organisations.models import Role
from laurier.recognition.models import Plan, PlanLine
from laurier.testing import factories

from .test_plan_views_support import enrol, fund, make_plan, offer

pytestmark = pytest.mark.django_db

PLAN_PAGES = [
    "plan_detail",
    "plan_progress",
    "plan_rules",
    "plan_approve",
    "plan_delete",
    "plan_ics",
    "plan_line_add",
]
LINE_PAGES = ["plan_line_edit", "plan_line_delete"]
# Deleting answers a plan it cannot find with the list (a second click on "Delete" finds the
# plan gone): it is checked apart, by the plan still being there.
PLAN_POSTS = ["plan_recompute", "plan_approve", "plan_rules", "plan_line_add"]
LINE_POSTS = ["plan_line_edit", "plan_line_delete", "plan_line_lock"]


@pytest.fixture
def plan(program, admin_user, organisation, django_capture_on_commit_callbacks):
    enrol(program, "Marie", "Gagnon")
    offer(organisation)
    fund(program)
    return make_plan(program, admin_user, django_capture_on_commit_callbacks)


@pytest.fixture
def line(plan):
    return plan.lines.get()


def url(name, plan, *, organisation=None, program=None, line=None):
    kwargs = {
        "organisation_slug": (organisation or plan.organisation).slug,
        "program_slug": (program or plan.program).slug,
    }
    if name not in ("plans", "plan_create"):
        kwargs["pk"] = plan.pk
    if line is not None:
        kwargs["line_pk"] = line.pk
    return reverse(f"recognition:{name}", kwargs=kwargs)


def every_address(plan, line, **where):
    addresses = [url(name, plan, **where) for name in ("plans", "plan_create", *PLAN_PAGES)]
    return addresses + [url(name, plan, line=line, **where) for name in LINE_PAGES]


def every_post(plan, line, **where):
    return [url(name, plan, **where) for name in PLAN_POSTS] + [
        url(name, plan, line=line, **where) for name in LINE_POSTS
    ]


def test_the_programs_manager_reaches_every_plan_page(login, manager_user, plan, line):
    client = login(manager_user)
    for address in every_address(plan, line):
        assert client.get(address).status_code in (200, 302), address


def test_another_organisations_admin_gets_not_found(login, other_admin_user, plan, line):
    client = login(other_admin_user)
    for address in every_address(plan, line):
        assert client.get(address).status_code == 404, address
    for address in [*every_post(plan, line), url("plan_delete", plan)]:
        assert client.post(address).status_code == 404, address


def test_another_organisations_admin_cannot_reach_the_plan_through_their_own_program(
    login, other_admin_user, other_organisation, plan, line
):
    own = factories.ProgramFactory(organisation=other_organisation, slug=plan.program.slug)
    client = login(other_admin_user)
    where = {"organisation": other_organisation, "program": own}
    for address in every_address(plan, line, **where)[2:]:
        assert client.get(address).status_code == 404, address
    for address in every_post(plan, line, **where):
        assert client.post(address).status_code == 404, address
    assert client.post(url("plan_delete", plan, **where)).status_code == 404
    assert Plan.objects.filter(pk=plan.pk, status=Plan.Status.DRAFT).exists()


def test_a_plan_of_another_program_is_not_found_through_this_one(
    login, admin_user, organisation, plan, line
):
    other_program = factories.ProgramFactory(organisation=organisation)
    client = login(admin_user)
    for address in every_address(plan, line, program=other_program)[2:]:
        assert client.get(address).status_code == 404, address
    for address in every_post(plan, line, program=other_program):
        assert client.post(address).status_code == 404, address
    assert client.post(url("plan_delete", plan, program=other_program)).status_code == 404
    assert PlanLine.objects.filter(pk=line.pk).exists()


def test_a_manager_of_another_program_gets_not_found(login, organisation, plan, line):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=Role.MANAGER)
    client = login(user)
    for address in every_address(plan, line):
        assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("role_user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_are_refused(login, plan, line, role_user, request):
    client = login(request.getfixturevalue(role_user))
    for address in every_address(plan, line):
        assert client.get(address).status_code == 403, address
    for address in [*every_post(plan, line), url("plan_delete", plan)]:
        assert client.post(address).status_code == 403, address
    assert Plan.objects.filter(pk=plan.pk, status=Plan.Status.DRAFT).exists()


def test_a_visitor_is_sent_to_log_in(client, plan, line):
    for address in every_address(plan, line):
        assert client.get(address).status_code == 302, address
