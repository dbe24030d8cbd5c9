"""The plan pages read a fixed number of queries, whatever the number of mentors and lines.

Each page is measured on a program of 5 mentors and one of 40, against the same ceiling.
"""

import pytest
from django.urls import reverse

from laurier.recognition.categories import Giver
from laurier.recognition.models import Plan
from laurier.recognition.services.plans import approve_plan

from .test_plan_views_support import enrol, fund, make_plan, offer, plan_url

pytestmark = pytest.mark.django_db

SIZES = [5, 40]


@pytest.fixture(params=SIZES, ids=[f"{size}-mentors" for size in SIZES])
def plan(request, program, organisation, admin_user, django_capture_on_commit_callbacks):
    for index in range(request.param):
        enrol(program, f"Mentor{index:02d}", f"Nom{index:02d}")
    offer(organisation)
    offer(organisation, name_en="Certificate", name_fr="Certificat", capacity=100)
    offer(organisation, name_en="Lunch", name_fr="Dîner", usual_givers=[Giver.EXECUTIVE])
    fund(program, money="10000.00")
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks, max_per_mentor=2)
    # A few locked lines show their badges on the pages.
    plan.lines.filter(pk__in=plan.lines.values("pk")[:3]).update(locked=True)
    assert plan.lines.count() >= request.param
    return plan


def measure(client, address, ceiling, django_assert_max_num_queries, **query):
    with django_assert_max_num_queries(ceiling):
        response = client.get(address, query)
    assert response.status_code == 200
    return response


# Session, user, membership, program (4), then the page's own reads (one of them: whether a
# plan approved since overtakes this draft).
@pytest.mark.parametrize(
    ("view", "ceiling"),
    [("mentor", 16), ("moment", 17), ("option", 15)],
)
def test_each_view_of_the_plan_reads_a_fixed_number_of_queries(
    login, admin_user, plan, view, ceiling, django_assert_max_num_queries
):
    measure(
        login(admin_user),
        plan_url("plan_detail", plan),
        ceiling,
        django_assert_max_num_queries,
        view=view,
    )


def test_the_mentors_receiving_an_option_read_a_fixed_number_of_queries(
    login, admin_user, plan, django_assert_max_num_queries
):
    option = plan.lines.values_list("option", flat=True).first()
    measure(
        login(admin_user),
        plan_url("plan_detail", plan),
        17,
        django_assert_max_num_queries,
        view="option",
        option=option,
    )


def test_the_list_of_plans_reads_a_fixed_number_of_queries(
    login, admin_user, plan, django_assert_max_num_queries
):
    # 1 plan with 5 mentors, 8 with 40.
    for _extra in range(plan.lines.values("mentor").distinct().count() // 5 - 1):
        Plan.objects.create(
            organisation=plan.organisation,
            program=plan.program,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            status=Plan.Status.DRAFT,
        )
    address = reverse(
        "recognition:plans",
        kwargs={"organisation_slug": "hydro", "program_slug": plan.program.slug},
    )
    measure(login(admin_user), address, 6, django_assert_max_num_queries)


@pytest.mark.parametrize(("name", "ceiling"), [("plan_approve", 11), ("plan_line_add", 12)])
def test_the_approval_and_line_pages_read_a_fixed_number_of_queries(
    login, admin_user, plan, name, ceiling, django_assert_max_num_queries
):
    measure(login(admin_user), plan_url(name, plan), ceiling, django_assert_max_num_queries)


def test_the_edit_page_reads_a_fixed_number_of_queries(
    login, admin_user, plan, django_assert_max_num_queries
):
    line = plan.lines.first()
    address = plan_url("plan_line_edit", plan, line_pk=line.pk)
    measure(login(admin_user), address, 12, django_assert_max_num_queries)


def test_an_approved_plans_page_reads_a_fixed_number_of_queries(
    login, admin_user, plan, django_assert_max_num_queries
):
    approve_plan(plan, actor=admin_user)
    measure(login(admin_user), plan_url("plan_detail", plan), 15, django_assert_max_num_queries)
