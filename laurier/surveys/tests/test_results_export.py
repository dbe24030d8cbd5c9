"""The export of a campaign's answers: one row per response with names, or aggregates only
for an anonymous survey."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import csv
import io

import pytest
from openpyxl import load_workbook

from laurier.surveys.models import Answer, Question, Recipient
from laurier.surveys.services.campaigns import close_campaign
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401
    answer,
    answered_campaign,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(organisation):
    """Anonymous, unlike the shared fixture of the same name."""
    return pulse_survey(organisation)


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def export(client, campaign_url, campaign, export_format="csv"):
    return client.get(campaign_url("campaign_detail", campaign.pk), {"export": export_format})


@pytest.fixture
def named(organisation, program, manager_user):
    """A campaign of a survey that is not anonymous, answered by one mentor."""
    enrol_mentors(program, 1, person__first_name="Hélène", person__last_name="Côté")
    campaign = launch(program, pulse_survey(organisation, anonymous=False), manager_user)
    answer(
        Recipient.objects.get(campaign=campaign),
        single="Yes",
        multiple=("Network", "Growth"),
        ranking=("Gala", "Badge"),
        likert=4,
        comment="Merci",
    )
    return campaign


def test_a_named_export_has_one_row_per_response_and_one_column_per_question(
    manager_client, named, campaign_url
):
    header, row = csv_rows(export(manager_client, campaign_url, named))

    assert header[:4] == ["Last name", "First name", "E-mail address", "Answered on"]
    assert header[4:] == ["Continue?", "Why?", "Rank", "Support", "Comment"]
    assert row[:2] == ["Côté", "Hélène"]
    assert row[4:] == ["Yes", "Network; Growth", "1. Gala; 2. Badge", "4", "Merci"]


def test_the_export_is_also_a_spreadsheet(manager_client, named, campaign_url):
    response = export(manager_client, campaign_url, named, "xlsx")

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][4:] == ["Yes", "Network; Growth", "1. Gala; 2. Badge", 4, "Merci"]


def test_an_anonymous_export_has_aggregates_only_and_no_name_nor_email(
    manager_client, program, survey, manager_user, campaign_url, organisation
):
    campaign = answered_campaign(program, survey, manager_user, organisation.anonymity_threshold)
    emails = set(Recipient.objects.values_list("person__email", flat=True))

    rows = csv_rows(export(manager_client, campaign_url, campaign))

    assert rows[0] == ["Question", "Answer", "Count", "Share (%) or average"]
    assert ["Continue?", "Yes", "5", "100.0"] in rows
    assert ["Support", "4", "5", "100.0"] in rows
    assert ["Support", "average", "5", "4.0"] in rows
    assert not emails & {cell for row in rows for cell in row}


def test_each_anonymous_comment_is_a_row_of_its_own_sorted_by_text(
    manager_client, program, survey, manager_user, campaign_url
):
    enrol_mentors(program, 6)
    campaign = launch(program, survey, manager_user)
    for number, recipient in enumerate(Recipient.objects.filter(campaign=campaign).order_by("pk")):
        answer(recipient, comment=f"{5 - number:02d}")
    campaign = close_campaign(campaign, actor=manager_user)

    rows = csv_rows(export(manager_client, campaign_url, campaign))

    comments = [row for row in rows if row[1] == "comment"]
    assert comments == [["Comment", "comment", f"{n:02d}"] for n in range(6)]


def test_the_anonymous_export_never_ties_a_hidden_answer_to_a_persons_scores(
    manager_client, organisation, program, manager_user, campaign_url
):
    survey = pulse_survey(organisation)
    factories.QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT, text_en="Other")
    enrol_mentors(program, 5)
    campaign = launch(program, survey, manager_user)
    other = campaign.survey.questions.get(text_en="Other")
    recipients = list(Recipient.objects.filter(campaign=campaign).order_by("pk"))
    for index, recipient in enumerate(recipients):
        answer(recipient, likert=1 + index % 5)
    Answer.objects.create(response=recipients[0].response, question=other, text="Only me")
    campaign = close_campaign(campaign, actor=manager_user)

    rows = csv_rows(export(manager_client, campaign_url, campaign))

    assert "Only me" not in {cell for row in rows for cell in row}
    assert "Other" not in {row[0] for row in rows}


def test_an_anonymous_export_waits_for_the_closing(
    manager_client, program, survey, manager_user, campaign_url, organisation
):
    campaign = answered_campaign(
        program, survey, manager_user, organisation.anonymity_threshold, closed=False
    )

    response = export(manager_client, campaign_url, campaign)

    assert response.status_code == 302
    assert "attachment" not in response.get("Content-Disposition", "")


def test_below_the_threshold_an_anonymous_campaign_exports_nothing(
    manager_client, program, survey, manager_user, campaign_url, organisation
):
    campaign = answered_campaign(
        program, survey, manager_user, organisation.anonymity_threshold - 1
    )

    response = export(manager_client, campaign_url, campaign)

    assert response.status_code == 302
    assert "attachment" not in response.get("Content-Disposition", "")


def test_at_the_threshold_an_anonymous_campaign_exports(
    manager_client, program, survey, manager_user, campaign_url, organisation
):
    campaign = answered_campaign(program, survey, manager_user, organisation.anonymity_threshold)

    response = export(manager_client, campaign_url, campaign)

    assert "attachment" in response["Content-Disposition"]
