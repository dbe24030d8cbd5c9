"""The personal link: answered without an account, changed until closing, closed and bad links."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laurier.core.dates import organisation_today
from laurier.core.tests.test_page_markup import check_markup
from laurier.programs.models import Person
from laurier.surveys.models import Answer, Question, Response
from laurier.testing import factories

from .test_answering_support import clear_rate_limits, every_kind_survey, full_post, minimal_post


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


@pytest.fixture
def client():
    # A browser that asks for English, so the pages' wording can be checked; the person's
    # language still wins when no language was chosen with the switcher.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def kinds(organisation):
    return every_kind_survey(
        organisation, introduction_en="Tell us.", introduction_fr="Dites-nous."
    )


@pytest.fixture
def recipient(program, kinds):
    campaign = factories.CampaignFactory(program=program, survey=kinds.survey)
    return factories.RecipientFactory(campaign=campaign, person__language="en")


def link(recipient):
    return reverse("survey_links:answer", args=[recipient.token])


def page(response):
    return response.content.decode()


def main_part(response):
    return page(response).split('<main id="main"', 1)[1].split("</main>", 1)[0]


# Answering


def test_link_works_without_an_account(client, recipient, kinds):
    response = client.get(link(recipient))
    assert response.status_code == 200
    assert kinds.survey.title_en in page(response)
    assert "Hydro Laurentides" in page(response)
    assert "Tell us." in page(response)


def test_page_speaks_the_persons_language(client, recipient, kinds):
    recipient.person.language = "fr-ca"
    recipient.person.save()
    response = client.get(link(recipient))
    assert '<html lang="fr-ca">' in page(response)
    assert kinds.survey.title_fr in page(response)
    assert kinds.multiple.text_fr in page(response)


def test_language_chosen_with_the_switcher_wins_over_the_persons(client, recipient, kinds):
    client.cookies["laurier_language"] = "fr-ca"
    response = client.get(link(recipient))
    assert kinds.survey.title_fr in page(response)


def test_page_is_kept_out_of_referrers_caches_and_search_engines(client, recipient):
    response = client.get(link(recipient))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex' in page(response)


def test_page_markup_is_sound(client, recipient):
    assert check_markup(page(client.get(link(recipient)))) == ([], [], 1)


def test_conditional_question_carries_its_condition_for_the_script(client, recipient, kinds):
    html = page(client.get(link(recipient)))
    assert f'data-shown-if-field="q{kinds.multiple.pk}"' in html
    assert f'data-shown-if-choice="{kinds.other.pk}"' in html
    assert "surveys/conditions.js" in html


def test_submitting_saves_and_comes_back_to_the_link_with_thanks(client, recipient, kinds):
    response = client.post(link(recipient), full_post(kinds))
    assert response.status_code == 302
    assert response["Location"] == link(recipient)
    shown = client.get(link(recipient))
    assert "Thank you! Your answers are saved." in page(shown)
    assert "You can change them until the end of" in page(shown)
    assert Response.objects.filter(recipient=recipient).count() == 1


def test_page_gives_the_last_day_to_answer_not_the_midnight_after_it(
    client, program, kinds, organisation
):
    from laurier.surveys.forms.campaign import closing_time

    last_day = organisation_today(organisation) + datetime.timedelta(days=10)
    campaign = factories.CampaignFactory(
        program=program, survey=kinds.survey, closes_at=closing_time(last_day, organisation)
    )
    recipient = factories.RecipientFactory(campaign=campaign, person__language="en")
    html = page(client.get(link(recipient)))
    with translation.override("en"):
        day = formats.date_format(last_day, "DATE_FORMAT")
    assert f"until the end of {day}." in html


def test_closed_link_gives_the_last_day_answers_were_taken(client, program, kinds, organisation):
    from laurier.surveys.forms.campaign import closing_time

    last_day = organisation_today(organisation) - datetime.timedelta(days=3)
    campaign = factories.CampaignFactory(
        program=program, survey=kinds.survey, closes_at=closing_time(last_day, organisation)
    )
    recipient = factories.RecipientFactory(campaign=campaign, person__language="en")
    html = page(client.get(link(recipient)))
    with translation.override("en"):
        day = formats.date_format(last_day, "DATE_FORMAT")
    assert f"This survey closed on {day}." in html


def test_saved_answers_are_shown_in_the_form(client, recipient, kinds):
    client.post(link(recipient), full_post(kinds))
    form = client.get(link(recipient)).context["form"]
    assert form[f"q{kinds.likert.pk}"].value() == 5
    assert form[f"q{kinds.other_text.pk}"].value() == "Giving back"


def test_double_submission_leaves_one_response_with_the_last_answers(client, recipient, kinds):
    client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "2"}))
    client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "3"}))
    assert Response.objects.filter(recipient=recipient).count() == 1
    assert list(Answer.objects.filter(question=kinds.likert).values_list("number", flat=True)) == [
        3
    ]


def test_missing_required_answers_show_errors_and_save_nothing(client, recipient, kinds):
    response = client.post(link(recipient), {f"q{kinds.likert.pk}": "3"})
    assert response.status_code == 200
    assert "Answer this question: it is required." in page(response)
    assert not Response.objects.exists()


def test_anonymous_survey_says_so(client, recipient, kinds):
    kinds.survey.anonymous = True
    kinds.survey.save()
    html = page(client.get(link(recipient)))
    assert "Your answers are anonymous." in html
    assert "comments are never attributed" in html


def test_named_survey_does_not_claim_anonymity(client, recipient):
    assert "Your answers are anonymous." not in page(client.get(link(recipient)))


# Links that do not work


def test_unknown_link_gets_the_invalid_link_page(client, db):
    response = client.get(reverse("survey_links:answer", args=["x" * 43]))
    assert response.status_code == 404
    assert "This survey link is not valid" in page(response)
    assert response["Referrer-Policy"] == "same-origin"


def test_tampered_link_gets_the_same_page_as_an_unknown_one(client, recipient):
    last = "B" if recipient.token.endswith("A") else "A"
    tampered = client.get(reverse("survey_links:answer", args=[recipient.token[:-1] + last]))
    unknown = client.get(reverse("survey_links:answer", args=["nothing"]))
    assert tampered.status_code == unknown.status_code == 404
    assert main_part(tampered) == main_part(unknown)


def test_posting_to_an_unknown_link_changes_nothing(client, recipient, kinds):
    response = client.post(reverse("survey_links:answer", args=["nothing"]), full_post(kinds))
    assert response.status_code == 404
    assert not Response.objects.exists()


def close(recipient, **fields):
    for name, value in fields.items():
        setattr(recipient.campaign, name, value)
    recipient.campaign.save()


def test_closed_campaign_link_says_when_it_closed(client, recipient):
    close(recipient, closed_at=timezone.now())
    response = client.get(link(recipient))
    assert response.status_code == 410
    assert "This survey closed on" in page(response)
    assert "Thank you" in page(response)


def test_link_past_its_closing_date_is_closed(client, recipient):
    close(recipient, closes_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get(link(recipient)).status_code == 410


def test_closed_link_shows_none_of_the_saved_answers(client, recipient, kinds):
    # A link found in an old mailbox must not reveal answers (a profile holds diet and
    # accessibility needs).
    client.post(link(recipient), full_post(kinds))
    close(recipient, closed_at=timezone.now())
    response = client.get(link(recipient))
    assert response.status_code == 410
    assert "Thank you for your answers." in page(response)
    assert "Giving back" not in page(response)
    assert "A longer answer." not in page(response)
    assert kinds.likert.text_en not in page(response)
    assert "form" not in response.context
    assert "<form method" not in main_part(response)


def with_account(recipient, user):
    """A recipient of the same campaign whose person has this account."""
    person = Person.objects.get(user=user)
    person.language = "en"
    person.save()
    return factories.RecipientFactory(campaign=recipient.campaign, person=person)


def test_closed_link_offers_a_person_with_an_account_to_sign_in_and_see_their_answers(
    client, recipient, kinds, mentor_user, organisation
):
    recipient = with_account(recipient, mentor_user)
    client.post(link(recipient), full_post(kinds))
    close(recipient, closed_at=timezone.now())
    response = client.get(link(recipient))
    answers = reverse("surveys:my_answer", args=[organisation.slug, recipient.pk])
    expected = f"{reverse('account_login')}?{urlencode({'next': answers})}"
    assert f'href="{escape(expected)}"' in page(response)
    assert "Sign in to see your answers in your space" in page(response)


def test_closed_link_opened_while_signed_in_leads_straight_to_the_answers(
    client, recipient, kinds, mentor_user, organisation
):
    recipient = with_account(recipient, mentor_user)
    client.post(link(recipient), full_post(kinds))
    close(recipient, closed_at=timezone.now())
    client.force_login(mentor_user)
    response = client.get(link(recipient))
    answers = reverse("surveys:my_answer", args=[organisation.slug, recipient.pk])
    assert f'href="{answers}"' in page(response)


def test_closed_link_of_a_person_without_an_account_offers_no_sign_in(client, recipient, kinds):
    client.post(link(recipient), full_post(kinds))
    close(recipient, closed_at=timezone.now())
    response = client.get(link(recipient))
    assert response.context["answers_url"] is None
    assert "Sign in to see" not in page(response)


def test_closed_link_never_answered_thanks_for_the_interest(client, recipient, mentor_user):
    recipient = with_account(recipient, mentor_user)
    close(recipient, closed_at=timezone.now())
    response = client.get(link(recipient))
    assert "Thank you for your interest." in page(response)
    assert "Sign in to see" not in page(response)


def test_closed_page_markup_is_sound(client, recipient, kinds):
    client.post(link(recipient), full_post(kinds))
    close(recipient, closed_at=timezone.now())
    assert check_markup(page(client.get(link(recipient)))) == ([], [], 1)


def test_invalid_link_page_markup_is_sound(client, db):
    response = client.get(reverse("survey_links:answer", args=["nothing"]))
    assert check_markup(page(response)) == ([], [], 1)


def test_posting_to_a_closed_campaign_changes_nothing(client, recipient, kinds):
    client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "2"}))
    close(recipient, closed_at=timezone.now())
    response = client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "5"}))
    assert response.status_code == 410
    assert Answer.objects.get(question=kinds.likert).number == 2


# Rate limits


def guess(client, times, method="get", **extra):
    unknown = reverse("survey_links:answer", args=["guess"])
    return [getattr(client, method)(unknown, **extra).status_code for _ in range(times)]


def test_too_many_failed_lookups_from_one_client_get_429(client, db):
    statuses = guess(client, 31)
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_failed_posts_count_as_failed_lookups(client, db):
    guess(client, 30, method="post")
    assert guess(client, 1) == [429]


def test_rate_limited_page_is_a_clear_page(client, recipient):
    guess(client, 30)
    response = client.get(link(recipient))
    assert response.status_code == 429
    assert "Too many requests" in page(response)
    assert response["Retry-After"] == "600"


def test_valid_links_are_not_limited_like_guesses(client, recipient):
    # An office behind one address opens many valid links: only failed lookups are counted.
    statuses = {client.get(link(recipient)).status_code for _ in range(61)}
    assert statuses == {200}


def test_requests_over_the_ceiling_get_429(client, recipient, monkeypatch):
    monkeypatch.setattr("laurier.core.personal_links.LINK_REQUEST_CEILING", 5)
    statuses = [client.get(link(recipient)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_too_many_submissions_on_one_link_get_429_and_save_nothing(client, recipient, kinds):
    for _ in range(20):
        client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "2"}))
    response = client.post(link(recipient), minimal_post(kinds, **{f"q{kinds.likert.pk}": "5"}))
    assert response.status_code == 429
    assert Answer.objects.get(question=kinds.likert).number == 2


def test_submissions_count_per_link_so_colleagues_behind_one_address_can_answer(
    client, recipient, kinds
):
    colleague = factories.RecipientFactory(campaign=recipient.campaign, person__language="en")
    for _ in range(20):
        client.post(link(recipient), minimal_post(kinds))
    assert client.post(link(colleague), minimal_post(kinds)).status_code == 302
    assert Response.objects.filter(recipient=colleague).exists()


def test_another_client_is_not_limited(client, recipient):
    guess(client, 31)
    assert client.get(link(recipient), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    client, recipient, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    guess(client, 31, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert guess(client, 1, HTTP_X_FORWARDED_FOR="203.0.113.5") == [429]
    response = client.get(link(recipient), HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 200


# Queries


def survey_of(organisation, program, size):
    survey = factories.SurveyFactory(organisation=organisation, frozen=True)
    kinds = list(Question.Kind.values)
    for index in range(size):
        question = factories.QuestionFactory(survey=survey, kind=kinds[index % len(kinds)])
        if question.has_choices:
            factories.ChoiceFactory.create_batch(3, question=question)
    campaign = factories.CampaignFactory(program=program, survey=survey)
    return factories.RecipientFactory(campaign=campaign)


def queries_of_page(client, recipient):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(link(recipient)).status_code == 200
    return len(queries)


def test_answer_page_takes_as_many_queries_for_40_questions_as_for_5(client, organisation, program):
    small = queries_of_page(client, survey_of(organisation, program, 5))
    large = queries_of_page(client, survey_of(organisation, program, 40))
    assert large == small
    assert small <= 8


def test_answered_page_takes_as_many_queries_for_40_questions_as_for_5(
    client, organisation, program
):
    counts = []
    for size in (5, 40):
        recipient = survey_of(organisation, program, size)
        response = Response.objects.create(recipient=recipient, campaign=recipient.campaign)
        Answer.objects.bulk_create(
            Answer(response=response, question=question, text="x")
            for question in recipient.campaign.survey.questions.filter(kind="short_text")
        )
        counts.append(queries_of_page(client, recipient))
    assert counts[0] == counts[1]


# Random input


FUZZ_VALUES = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-12, max_value=12).map(str),
    st.lists(st.integers(min_value=-3, max_value=10**6).map(str), max_size=3),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_post_data_never_breaks_the_page_nor_stores_out_of_range_values(
    client, recipient, kinds, data
):
    clear_rate_limits()
    names = list(full_post(kinds)) + ["unexpected"]
    post = {name: data.draw(FUZZ_VALUES, label=name) for name in names if data.draw(st.booleans())}
    response = client.post(link(recipient), post)
    assert response.status_code in (200, 302)
    for answer in Answer.objects.select_related("question").filter(question__survey=kinds.survey):
        bounds = answer.question.scale_bounds
        if bounds:
            assert bounds[0] <= answer.number <= bounds[1]
        elif answer.question.kind == Question.Kind.RANKING:
            assert 1 <= answer.number <= 3
        elif answer.question.has_choices:
            assert answer.choice.question_id == answer.question_id
