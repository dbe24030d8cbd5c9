"""The preview: managers see and try a survey as people will, and nothing is saved."""

import pytest
from django.urls import reverse

from laurier.core.tests.test_page_markup import check_markup
from laurier.surveys.models import Answer, Response
from laurier.testing import factories

from .test_answering_support import every_kind_survey, full_post


@pytest.fixture
def kinds(organisation):
    return every_kind_survey(organisation)


def preview_url(survey, org="hydro"):
    return reverse("surveys:preview", args=[org, survey.pk])


def test_manager_sees_the_survey_with_the_preview_banner(login, manager_user, kinds):
    response = login(manager_user).get(preview_url(kinds.survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — answers are not saved" in html
    assert f'name="q{kinds.likert.pk}"' in html


def test_preview_shows_every_survey_of_the_organisation_even_a_sent_copy(login, admin_user, kinds):
    assert kinds.survey.frozen
    assert login(admin_user).get(preview_url(kinds.survey)).status_code == 200


def test_acceptable_answers_are_said_acceptable_and_not_saved(login, manager_user, kinds):
    response = login(manager_user).post(preview_url(kinds.survey), full_post(kinds))
    assert response.status_code == 200
    assert "These answers would be accepted." in response.content.decode()
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_missing_answers_show_the_errors_people_would_see(login, manager_user, kinds):
    response = login(manager_user).post(preview_url(kinds.survey), {})
    html = response.content.decode()
    assert "Answer this question: it is required." in html
    assert "These answers would be accepted." not in html


def test_preview_speaks_the_chosen_language(login, manager_user, kinds):
    manager_user.language = "fr-ca"
    manager_user.save()
    html = login(manager_user).get(preview_url(kinds.survey)).content.decode()
    assert kinds.survey.title_fr in html
    assert kinds.multiple.text_fr in html


def test_mentor_cannot_preview(login, mentor_user, kinds):
    assert login(mentor_user).get(preview_url(kinds.survey)).status_code == 403


def test_survey_of_another_organisation_is_404(login, manager_user, other_organisation):
    foreign = factories.SurveyFactory(organisation=other_organisation)
    assert login(manager_user).get(preview_url(foreign)).status_code == 404


def test_member_of_another_organisation_is_404(login, other_admin_user, kinds):
    assert login(other_admin_user).get(preview_url(kinds.survey)).status_code == 404


def test_preview_markup_is_sound(login, manager_user, kinds):
    html = login(manager_user).get(preview_url(kinds.survey)).content.decode()
    assert check_markup(html) == ([], [], 1)
