"""The award pages, and the pages that show awards, read a fixed number of queries whatever
the number of awards: each is measured with 2 awards and with 20, against the same ceiling."""

import pytest
from django.urls import reverse

from laurier.recognition.models import Award
from laurier.recognition.services.awards import ask_feedback, cancel_award
from laurier.recognition.services.plans import approve_plan
from laurier.surveys.models import Answer, Response

from .test_award_views_support import (  # noqa: F401 (held_today: the `today` fixture)
    DAY,
    approved,
    award_url,
    enrol,
    fund,
    given,
    held_today,
    list_url,
    offer,
    planned,
)
from .test_plan_views_support import enrol as enrol_in_plan
from .test_plan_views_support import fund as fund_plan
from .test_plan_views_support import make_plan, plan_url
from .test_plan_views_support import offer as offer_in_plan

pytestmark = pytest.mark.django_db

SIZES = [2, 20]


@pytest.fixture(params=SIZES, ids=[f"{size}-awards" for size in SIZES])
def awards(request, program, organisation, today, manager_user):
    """`size` awards of every status over as many mentors, the last one given and answered."""
    fund(program, today, money="100000.00", staff_hours="10000", material_items=10000)
    card = offer(organisation)
    lunch = offer(organisation, name_en="Lunch", name_fr="Dîner", usual_givers=["executive"])
    made = []
    for index in range(request.param - 1):
        mentor = enrol(program, f"Mentor{index:02d}", f"Nom{index:02d}")
        option = card if index % 2 else lunch
        make = (planned, approved, given)[index % 3]
        made.append(make(program, mentor, option, today - (index % 5) * DAY, manager_user))
    if len(made) > 3:
        cancel_award(made[0], actor=manager_user, reason="Parti")
    last = given(program, enrol(program, "Léa", "Tremblay"), card, today, manager_user)
    answer_feedback(last)
    made.append(last)
    return made


def answer_feedback(award):
    award = Award.objects.get(pk=award.pk)
    assert ask_feedback(award, today=award.feedback_due_on)
    request = Award.objects.get(pk=award.pk).feedback_request
    response = Response.objects.create(recipient=request, campaign=request.campaign)
    questions = {question.key: question for question in request.campaign.survey.questions.all()}
    Answer.objects.create(response=response, question=questions["satisfaction"], number=5)
    Answer.objects.create(response=response, question=questions["relevance"], number=4)
    expectations = questions["expectations"]
    Answer.objects.create(
        response=response, question=expectations, choice=expectations.choices.first()
    )
    Answer.objects.create(response=response, question=questions["comment"], text="Touchée")


# Each ceiling counts session, user, membership and program (4), then the page's own reads.
def measure(client, address, ceiling, django_assert_max_num_queries, **query):
    with django_assert_max_num_queries(ceiling):
        response = client.get(address, query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("status", ["open", "all", "given"])
def test_the_list_reads_a_fixed_number_of_queries(
    login, manager_user, program, awards, status, django_assert_max_num_queries
):
    response = measure(
        login(manager_user), list_url(program), 8, django_assert_max_num_queries, status=status
    )

    assert response.context["page"].paginator.count >= 1


def test_the_export_reads_a_fixed_number_of_queries(
    login, manager_user, program, awards, django_assert_max_num_queries
):
    measure(login(manager_user), list_url(program), 5, django_assert_max_num_queries, export="csv")


def test_the_award_page_reads_a_fixed_number_of_queries(
    login, manager_user, awards, django_assert_max_num_queries
):
    response = measure(
        login(manager_user),
        award_url("award_detail", awards[-1]),
        # 9, and 1 for the certificate of a given recognition (issued or not: one lookup).
        10,
        django_assert_max_num_queries,
    )

    assert response.context["feedback"].satisfaction == 5
    assert response.context["feedback"].comment == "Touchée"


def test_the_give_page_reads_a_fixed_number_of_queries(
    login, manager_user, program, awards, django_assert_max_num_queries
):
    award = Award.objects.filter(program=program, status=Award.Status.PLANNED).first() or (
        planned(program, awards[-1].mentor, awards[-1].option, awards[-1].planned_on)
    )

    measure(login(manager_user), award_url("award_give", award), 9, django_assert_max_num_queries)


def test_the_mentor_page_reads_a_fixed_number_of_queries(
    login, manager_user, program, organisation, awards, today, django_assert_max_num_queries
):
    lea = awards[-1].mentor
    for _index in range(len(awards)):
        planned(program, lea, awards[-1].option, today + DAY, manager_user)
    address = reverse(
        "programs:mentor_detail",
        kwargs={"organisation_slug": organisation.slug, "program_slug": program.slug, "pk": lea.pk},
    )

    # The page has other sections (pairings, profile, notes): the ceiling leaves them room, and
    # the same ceiling for 2 and 20 awards proves the recognitions add no query per award.
    measure(login(manager_user), address, 15, django_assert_max_num_queries)


@pytest.fixture(params=SIZES, ids=[f"{size}-lines" for size in SIZES])
def approved_plan(request, program, organisation, admin_user, django_capture_on_commit_callbacks):
    for index in range(request.param):
        enrol_in_plan(program, f"Mentor{index:02d}", f"Nom{index:02d}")
    offer_in_plan(organisation)
    fund_plan(program, money="10000.00")
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks, max_per_mentor=1)
    plan = approve_plan(plan, actor=admin_user)
    assert Award.objects.filter(plan_line__plan=plan).count() == request.param
    return plan


@pytest.mark.parametrize(("view", "ceiling"), [("mentor", 14), ("moment", 15), ("option", 15)])
def test_an_approved_plan_with_its_awards_reads_a_fixed_number_of_queries(
    login, admin_user, approved_plan, view, ceiling, django_assert_max_num_queries
):
    query = {"view": view}
    if view == "option":
        query["option"] = approved_plan.lines.first().option_id

    response = measure(
        login(admin_user),
        plan_url("plan_detail", approved_plan),
        ceiling,
        django_assert_max_num_queries,
        **query,
    )

    assert "/awards/" in response.content.decode()
