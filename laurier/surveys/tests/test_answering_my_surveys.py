"""A person's own surveys when logged in: the list, the same form, and their space's include."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from laurier.core.tests.test_page_markup import check_markup
from laurier.programs.models import Person
from laurier.surveys.models import Answer, Response
from laurier.surveys.selectors.answering import open_requests_of_person, requests_of_person
from laurier.testing import factories

from .test_answering_support import clear_rate_limits, every_kind_survey, full_post, minimal_post

MY_SURVEYS = reverse("surveys:my_surveys", args=["hydro"])


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()


@pytest.fixture
def mentor(mentor_user, organisation):
    return Person.objects.get(organisation=organisation, user=mentor_user)


@pytest.fixture
def kinds(organisation):
    return every_kind_survey(organisation)


def ask(person, program, survey=None, responded_at=None, **campaign_fields):
    if survey is not None:
        campaign_fields["survey"] = survey
    campaign = factories.CampaignFactory(program=program, **campaign_fields)
    return factories.RecipientFactory(campaign=campaign, person=person, responded_at=responded_at)


def answer_url(recipient, org="hydro"):
    return reverse("surveys:my_answer", args=[org, recipient.pk])


def closed(days_ago=1):
    return {"closes_at": timezone.now() - datetime.timedelta(days=days_ago)}


# The list


def test_list_shows_open_surveys_first_then_closed_answered_ones(
    login, mentor_user, mentor, program
):
    closing_late = ask(mentor, program, closes_at=timezone.now() + datetime.timedelta(days=30))
    closing_soon = ask(mentor, program, closes_at=timezone.now() + datetime.timedelta(days=2))
    closed_answered = ask(mentor, program, responded_at=timezone.now(), **closed())
    response = login(mentor_user).get(MY_SURVEYS)
    assert list(response.context["page"].object_list) == [
        closing_soon,
        closing_late,
        closed_answered,
    ]


def test_closed_surveys_never_answered_are_left_out(mentor, program):
    ask(mentor, program, **closed())
    assert list(requests_of_person(mentor)) == []


def test_list_says_whether_each_open_survey_is_answered(login, mentor_user, mentor, program):
    ask(mentor, program, responded_at=timezone.now())
    ask(mentor, program)
    html = login(mentor_user).get(MY_SURVEYS).content.decode()
    assert "Answered" in html
    assert "Not answered yet" in html


def test_list_shows_only_my_surveys(login, mentor_user, mentor, mentee_user, program, organisation):
    mine = ask(mentor, program)
    ask(Person.objects.get(user=mentee_user), program)
    response = login(mentor_user).get(MY_SURVEYS)
    assert list(response.context["page"].object_list) == [mine]


def test_member_without_a_person_sees_an_explanation(login, admin_user):
    response = login(admin_user).get(MY_SURVEYS)
    assert response.status_code == 200
    assert "not listed as a mentor or a mentee" in response.content.decode()


def test_list_of_another_organisation_is_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(MY_SURVEYS).status_code == 404


def test_list_markup_is_sound(login, mentor_user, mentor, program):
    ask(mentor, program)
    html = login(mentor_user).get(MY_SURVEYS).content.decode()
    assert check_markup(html) == ([], [], 1)


def test_list_takes_the_same_queries_for_3_and_30_surveys(
    login, mentor_user, mentor, program, django_assert_max_num_queries
):
    client = login(mentor_user)
    for _ in range(3):
        ask(mentor, program)
    with django_assert_max_num_queries(10):
        client.get(MY_SURVEYS)
    for _ in range(27):
        ask(mentor, program, responded_at=timezone.now())
    with django_assert_max_num_queries(10):
        client.get(MY_SURVEYS)


# Answering from my space


def test_my_answer_shows_the_same_form_as_the_link(login, mentor_user, mentor, program, kinds):
    recipient = ask(mentor, program, survey=kinds.survey)
    response = login(mentor_user).get(answer_url(recipient))
    assert response.status_code == 200
    assert f'name="q{kinds.likert.pk}"' in response.content.decode()


def test_my_answer_saves_and_comes_back(login, mentor_user, mentor, program, kinds):
    recipient = ask(mentor, program, survey=kinds.survey)
    client = login(mentor_user)
    response = client.post(answer_url(recipient), full_post(kinds))
    assert response.status_code == 302
    assert response["Location"] == answer_url(recipient)
    assert Response.objects.filter(recipient=recipient).count() == 1


def test_answers_given_by_link_appear_in_my_space(
    client, login, mentor_user, mentor, program, kinds
):
    recipient = ask(mentor, program, survey=kinds.survey)
    client.post(
        reverse("survey_links:answer", args=[recipient.token]),
        minimal_post(kinds, **{f"q{kinds.likert.pk}": "2"}),
    )
    form = login(mentor_user).get(answer_url(recipient)).context["form"]
    assert form[f"q{kinds.likert.pk}"].value() == 2


def test_closed_survey_in_my_space_is_read_only(login, mentor_user, mentor, program, kinds):
    recipient = ask(mentor, program, survey=kinds.survey, **closed())
    client = login(mentor_user)
    response = client.post(answer_url(recipient), full_post(kinds))
    assert response.status_code == 200
    assert response.context["form"].read_only
    assert not Answer.objects.exists()


def test_someone_elses_request_is_404(login, mentor_user, mentee_user, program):
    theirs = ask(Person.objects.get(user=mentee_user), program)
    assert login(mentor_user).get(answer_url(theirs)).status_code == 404


def test_someone_elses_request_cannot_be_answered(login, mentor_user, mentee_user, program, kinds):
    theirs = ask(Person.objects.get(user=mentee_user), program, survey=kinds.survey)
    response = login(mentor_user).post(answer_url(theirs), full_post(kinds))
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_request_through_another_organisation_is_404(
    login, other_admin_user, mentor, program, other_organisation
):
    mine = ask(mentor, program)
    # Even a person of the other organisation with the same account does not reach it.
    factories.PersonFactory(organisation=other_organisation, user=other_admin_user)
    client = login(other_admin_user)
    assert client.get(answer_url(mine, org="other")).status_code == 404
    assert client.get(answer_url(mine)).status_code == 404


def test_my_answer_markup_is_sound(login, mentor_user, mentor, program, kinds):
    recipient = ask(mentor, program, survey=kinds.survey)
    html = login(mentor_user).get(answer_url(recipient)).content.decode()
    assert check_markup(html) == ([], [], 1)


# What my space includes


def test_open_requests_are_the_ones_still_answerable(mentor, program):
    soon = ask(mentor, program, closes_at=timezone.now() + datetime.timedelta(days=1))
    answered = ask(mentor, program, responded_at=timezone.now())
    ask(mentor, program, **closed())
    assert list(open_requests_of_person(mentor)) == [soon, answered]


def test_pending_surveys_include_links_each_open_survey(mentor, mentor_user, program, organisation):
    recipient = ask(mentor, program)
    request = RequestFactory().get("/")
    request.organisation = organisation
    request.user = mentor_user
    with translation.override("en"):
        html = render_to_string(
            "surveys/answering/pending_surveys.html",
            {"survey_requests": list(open_requests_of_person(mentor))},
            request=request,
        )
    assert answer_url(recipient) in html
    assert "to answer by" in html


def test_pending_surveys_include_is_empty_without_requests(mentor, organisation):
    request = RequestFactory().get("/")
    request.organisation = organisation
    html = render_to_string(
        "surveys/answering/pending_surveys.html",
        {"survey_requests": list(open_requests_of_person(mentor))},
        request=request,
    )
    assert html.strip() == ""


def test_lists_follow_the_models_single_open_rule(mentor, program, monkeypatch):
    # Whatever the rule becomes (e.g. closing at the start of the next day), the lists follow
    # the model's open_condition rather than a comparison of their own.
    from django.db.models import Q

    def only_closed_by_hand(now=None, prefix=""):
        return Q(**{f"{prefix}closed_at__isnull": True})

    monkeypatch.setattr("laurier.surveys.models.open_condition", only_closed_by_hand)
    past_its_date = ask(mentor, program, **closed())
    assert list(open_requests_of_person(mentor)) == [past_its_date]
    assert [r.campaign_is_open for r in requests_of_person(mentor)] == [True]
