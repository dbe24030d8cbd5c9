"""The export of a campaign's answers: one row per response, anonymity respected."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import csv
import io

import pytest
from openpyxl import load_workbook

from laurier.surveys.models import Recipient

from .test_campaign_support import (  # noqa: F401
    answer,
    answered_campaign,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
    survey,
)

pytestmark = pytest.mark.django_db


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


def test_an_anonymous_export_has_no_name_email_nor_date(
    manager_client, program, survey, manager_user, campaign_url, organisation
):
    campaign = answered_campaign(program, survey, manager_user, organisation.anonymity_threshold)
    emails = set(Recipient.objects.values_list("person__email", flat=True))

    rows = csv_rows(export(manager_client, campaign_url, campaign))

    assert rows[0] == ["Continue?", "Why?", "Rank", "Support", "Comment"]
    assert len(rows) == 1 + organisation.anonymity_threshold
    assert not emails & {cell for row in rows for cell in row}


def test_an_anonymous_export_does_not_follow_the_order_of_submission_and_is_stable(
    manager_client, program, survey, manager_user, campaign_url
):
    enrol_mentors(program, 12)
    campaign = launch(program, survey, manager_user)
    for number, recipient in enumerate(Recipient.objects.filter(campaign=campaign).order_by("pk")):
        answer(recipient, comment=f"{number:02d}")

    first = [row[-1] for row in csv_rows(export(manager_client, campaign_url, campaign))[1:]]
    second = [row[-1] for row in csv_rows(export(manager_client, campaign_url, campaign))[1:]]

    assert first == second
    assert first != sorted(first)
    assert sorted(first) == [f"{n:02d}" for n in range(12)]


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
