"""Survey campaigns through the API: their figures, and results exactly as the campaign page
gives them to managers, with anonymity kept."""

import datetime

import pytest
from django.utils import timezone

from laurier.api.scopes import ALL_SCOPES
from laurier.surveys.models import Answer, Question, Response, Survey
from laurier.testing import factories
from laurier.testing.api import client_with, make_token
from laurier.testing.pulses import pulse_campaign, respond

pytestmark = pytest.mark.django_db

THRESHOLD = 3


@pytest.fixture(autouse=True)
def threshold(organisation):
    organisation.anonymity_threshold = THRESHOLD
    organisation.save()


def campaign_with_recipients(program, *, recipients, answered, **fields):
    campaign = factories.CampaignFactory(program=program, **fields)
    for index in range(recipients):
        factories.RecipientFactory(
            campaign=campaign, responded_at=timezone.now() if index < answered else None
        )
    return campaign


def named_choice_campaign(program):
    """An open, not anonymous campaign with one single-choice question (choices "Yes", "No")
    and one short-text question."""
    campaign = factories.CampaignFactory(program=program, name="Onboarding")
    question = factories.QuestionFactory(
        survey=campaign.survey, kind=Question.Kind.SINGLE_CHOICE, text_en="Would you again?"
    )
    yes = factories.ChoiceFactory(question=question, text_en="Yes", text_fr="Oui")
    no = factories.ChoiceFactory(question=question, text_en="No", text_fr="Non")
    comment = factories.QuestionFactory(
        survey=campaign.survey, kind=Question.Kind.SHORT_TEXT, text_en="Anything else?"
    )
    campaign.questions = {"choice": question, "comment": comment}
    campaign.yes, campaign.no = yes, no
    return campaign


def answer_choice(campaign, choice, text="", first_name="Zoé"):
    person = factories.PersonFactory(organisation=campaign.organisation, first_name=first_name)
    recipient = factories.RecipientFactory(
        campaign=campaign, person=person, responded_at=timezone.now()
    )
    response = Response.objects.create(recipient=recipient, campaign=campaign)
    Answer.objects.create(response=response, question=campaign.questions["choice"], choice=choice)
    if text:
        Answer.objects.create(response=response, question=campaign.questions["comment"], text=text)


# --- The list ----------------------------------------------------------------------------------


def test_lists_campaigns_with_their_recipients_and_responses(api, program):
    campaign_with_recipients(program, recipients=4, answered=1, name="Spring pulse")

    row = api.get("/api/v1/survey-campaigns/").json()["results"][0]

    assert row["title"] == "Spring pulse"
    assert row["program"] == program.pk
    assert (row["recipient_count"], row["response_count"]) == (4, 1)
    assert row["response_rate"] == 0.25
    assert row["status"] == "open"


def test_a_campaign_without_recipients_has_no_rate(api, program):
    factories.CampaignFactory(program=program)

    assert api.get("/api/v1/survey-campaigns/").json()["results"][0]["response_rate"] is None


def test_says_whether_the_sent_survey_is_anonymous(api, program):
    pulse_campaign(program)

    survey = api.get("/api/v1/survey-campaigns/").json()["results"][0]["survey"]

    assert survey["purpose"] == Survey.Purpose.PULSE
    assert survey["anonymous"] is True


def test_lists_only_the_organisations_campaigns_newest_first(api, program, other_organisation):
    older = factories.CampaignFactory(program=program)
    newer = factories.CampaignFactory(program=program)
    factories.CampaignFactory(program=factories.ProgramFactory(organisation=other_organisation))

    rows = api.get("/api/v1/survey-campaigns/").json()["results"]

    assert [row["id"] for row in rows] == [newer.pk, older.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"status": "open"}, ["open"]), ({"status": "closed"}, ["closed"]), ({}, ["open", "closed"])],
)
def test_filters_campaigns_by_status(api, program, query, expected):
    factories.CampaignFactory(program=program, name="closed", closed_at=timezone.now())
    factories.CampaignFactory(program=program, name="open")

    rows = api.get("/api/v1/survey-campaigns/", query).json()["results"]

    assert [row["name"] for row in rows] == expected


def test_filters_campaigns_by_program(api, program, organisation):
    factories.CampaignFactory(program=program, name="here")
    factories.CampaignFactory(program=factories.ProgramFactory(organisation=organisation))

    rows = api.get("/api/v1/survey-campaigns/", {"program": program.pk}).json()["results"]

    assert [row["name"] for row in rows] == ["here"]


def test_the_list_answers_in_a_constant_number_of_queries(
    api, program, django_assert_max_num_queries
):
    def campaigns(count):
        for _index in range(count):
            campaign_with_recipients(program, recipients=2, answered=1)

    campaigns(1)
    with django_assert_max_num_queries(8) as few:
        assert api.get("/api/v1/survey-campaigns/").status_code == 200
    campaigns(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/survey-campaigns/").json()["results"]) == 11


# --- Results -----------------------------------------------------------------------------------


def results_of(api, campaign):
    response = api.get(f"/api/v1/survey-campaigns/{campaign.pk}/results/")
    assert response.status_code == 200, response.content
    return response.json()


def test_results_give_each_choices_count_and_share(api, program):
    campaign = named_choice_campaign(program)
    answer_choice(campaign, campaign.yes)
    answer_choice(campaign, campaign.yes)
    answer_choice(campaign, campaign.no)

    question = results_of(api, campaign)["questions"][0]

    assert question["respondents"] == 3
    assert [(c["text"], c["count"], c["percent"]) for c in question["choices"]] == [
        ("Yes", 2, 66.7),
        ("No", 1, 33.3),
    ]
    assert question["withheld"] is None


def test_a_named_surveys_comments_carry_their_author_as_on_the_page(api, program):
    campaign = named_choice_campaign(program)
    answer_choice(campaign, campaign.yes, text="Great program", first_name="Zoé")

    comment = results_of(api, campaign)["questions"][1]

    assert comment["kind"] == Question.Kind.SHORT_TEXT
    assert comment["texts"][0]["text"] == "Great program"
    assert comment["texts"][0]["author"].startswith("Zoé")


def test_an_anonymous_campaign_gives_nothing_while_open(api, program):
    campaign = pulse_campaign(program, closed_at=None)
    for _index in range(THRESHOLD + 1):
        respond(campaign, [4, 4, 4, 4, 4], 8)

    results = results_of(api, campaign)

    assert results["withheld"]["code"] == "waiting_for_close"
    assert results["questions"] == []


def test_an_anonymous_campaign_below_the_threshold_gives_nothing_and_says_why(api, program):
    campaign = pulse_campaign(program)
    for _index in range(THRESHOLD - 1):
        respond(campaign, [4, 4, 4, 4, 4], 8, {"support": "My manager never calls"})

    results = results_of(api, campaign)

    assert results["withheld"] == {
        "code": "too_few_responses",
        "message": "Not enough responses to show results without identifying anyone "
        "(2 of at least 3).",
    }
    assert results["questions"] == []
    assert "My manager never calls" not in str(results)


def test_an_anonymous_campaign_at_the_threshold_gives_aggregates_and_unsigned_comments(
    api, program
):
    campaign = pulse_campaign(program)
    for score in (2, 4, 4):
        respond(campaign, [score, 4, 4, 4, 4], 8, {"structure": f"Scored {score}"})

    questions = {q["id"]: q for q in results_of(api, campaign)["questions"]}

    structure = questions[campaign.questions["factor:structure"].pk]
    assert structure["average"] == pytest.approx(10 / 3)
    assert [(v["value"], v["count"]) for v in structure["distribution"]] == [
        (1, 0),
        (2, 1),
        (3, 0),
        (4, 2),
        (5, 0),
    ]
    comments = questions[campaign.questions["comment:structure"].pk]["texts"]
    assert [(c["text"], c["author"]) for c in comments] == [
        ("Scored 2", ""),
        ("Scored 4", ""),
        ("Scored 4", ""),
    ]


def test_a_question_fewer_people_answered_than_the_threshold_is_withheld(api, program):
    campaign = pulse_campaign(program)
    for index in range(THRESHOLD):
        respond(campaign, [4, 4, 4, 4, 4], 8, {"support": "Alone"} if index == 0 else {})

    questions = {q["id"]: q for q in results_of(api, campaign)["questions"]}

    support = questions[campaign.questions["comment:support"].pk]
    assert support["withheld"]["code"] == "too_few_answers"
    assert support["texts"] == []
    assert "Alone" not in str(questions)


def test_results_speak_the_callers_language(organisation, admin_user, program):
    campaign = named_choice_campaign(program)
    answer_choice(campaign, campaign.yes)
    french = client_with(make_token(organisation, admin_user)[1], language="fr-ca")

    question = results_of(french, campaign)["questions"][0]

    assert question["choices"][0]["text"] == "Oui"


def test_another_organisations_campaign_results_answer_404(api, other_organisation):
    campaign = factories.CampaignFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    )

    response = api.get(f"/api/v1/survey-campaigns/{campaign.pk}/results/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_token_without_the_surveys_scope_is_refused(organisation, admin_user, program):
    factories.CampaignFactory(program=program)
    scopes = [scope for scope in ALL_SCOPES if not scope.startswith("surveys:")]
    client = client_with(make_token(organisation, admin_user, scopes=scopes)[1])

    response = client.get("/api/v1/survey-campaigns/")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "This token does not have the “surveys:read” permission."
    )


def test_results_answer_in_a_constant_number_of_queries(
    api, program, django_assert_max_num_queries
):
    campaign = pulse_campaign(program, closes_at=timezone.now() - datetime.timedelta(days=1))
    for _index in range(THRESHOLD):
        respond(campaign, [4, 4, 4, 4, 4], 8, {"support": "Fine"})
    with django_assert_max_num_queries(12) as few:
        results_of(api, campaign)
    for _index in range(10):
        respond(campaign, [3, 3, 3, 3, 3], 7, {"support": "Fine too"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        results_of(api, campaign)
