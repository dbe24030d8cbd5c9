"""The award pages reached from elsewhere: an approved plan's lines and the mentor's page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from laurier.recognition.models import Award
from laurier.recognition.services.awards import cancel_award
from laurier.recognition.services.plans import approve_plan

from .test_award_views_support import (  # noqa: F401 (held_today: the `today` fixture)
    DAY,
    award_url,
    enrol,
    fund,
    given,
    held_today,
    offer,
    planned,
)
from .test_plan_views_support import enrol as enrol_in_plan
from .test_plan_views_support import fund as fund_plan
from .test_plan_views_support import make_plan, plan_url
from .test_plan_views_support import offer as offer_in_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_plan(program, organisation, admin_user, django_capture_on_commit_callbacks):
    enrol_in_plan(program, "Marie", "Gagnon")
    enrol_in_plan(program, "Jean", "Roy")
    offer_in_plan(organisation)
    fund_plan(program)
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    return approve_plan(plan, actor=admin_user)


@pytest.mark.parametrize("view", ["mentor", "moment", "option"])
def test_each_line_of_an_approved_plan_links_to_its_award(login, admin_user, approved_plan, view):
    awards = list(Award.objects.filter(plan_line__plan=approved_plan))
    query = {"view": view}
    if view == "option":
        query["option"] = awards[0].option_id

    html = login(admin_user).get(plan_url("plan_detail", approved_plan), query).content.decode()

    assert len(awards) == 2
    for award in awards:
        assert award_url("award_detail", award) in html
        assert award_url("award_give", award) in html


def test_a_closed_award_is_linked_without_a_give_button(login, admin_user, approved_plan):
    award = Award.objects.filter(plan_line__plan=approved_plan).first()
    cancel_award(award, actor=admin_user, reason="Parti")

    html = login(admin_user).get(plan_url("plan_detail", approved_plan)).content.decode()

    assert award_url("award_detail", award) in html
    assert award_url("award_give", award) not in html


def test_the_award_page_links_to_its_plan_and_tells_the_planners_reason(
    login, admin_user, approved_plan
):
    award = Award.objects.filter(plan_line__plan=approved_plan).first()

    html = login(admin_user).get(award_url("award_detail", award)).content.decode()

    assert plan_url("plan_detail", approved_plan) in html
    assert escape(award.plan_line.reason_en) in html


def mentor_url(program, person):
    return reverse(
        "programs:mentor_detail",
        kwargs={
            "organisation_slug": program.organisation.slug,
            "program_slug": program.slug,
            "pk": person.pk,
        },
    )


def test_the_mentor_page_lists_their_recognitions_in_this_program(
    login, manager_user, program, organisation, today
):
    fund(program, today)
    lea = enrol(program)
    card = offer(organisation)
    lunch = offer(organisation, name_en="Lunch", name_fr="Dîner")
    soon = planned(program, lea, lunch, today + DAY, manager_user)
    done = given(program, lea, card, today, manager_user)
    someone_else = planned(program, enrol(program, "Marc", "Roy"), card, today, manager_user)
    manager_user.language = "en"
    manager_user.save()

    html = login(manager_user).get(mentor_url(program, lea)).content.decode()

    assert "Recognitions" in html
    assert award_url("award_detail", soon) in html
    assert award_url("award_detail", done) in html
    assert award_url("award_detail", someone_else) not in html
    assert "Lunch" in html and "Handwritten card" in html
    assert f"/awards/new/?mentor={lea.pk}" in html


def test_the_mentor_page_says_when_there_is_no_recognition_yet(login, manager_user, program):
    lea = enrol(program)
    manager_user.language = "en"
    manager_user.save()

    html = login(manager_user).get(mentor_url(program, lea)).content.decode()

    assert "No recognition yet in this program." in html
