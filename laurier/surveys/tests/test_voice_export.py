"""The "Mentor voice" export: the page's figures as rows, aggregated, respecting anonymity."""

import csv
import io

import pytest
from django.urls import reverse

from laurier.accounts.models import User
from laurier.testing.pulses import pulse_campaign, respond

from .test_voice_figures import cycle, mentor_with_profile


@pytest.fixture
def voice_url(organisation, program):
    return reverse("surveys:voice", args=[organisation.slug, program.slug])


@pytest.fixture
def data(program):
    mentor_with_profile(program, motivations=["network"], scores={"badge": 4}, consent="yes")
    for year, count in ((2025, 5), (2026, 4)):
        campaign = pulse_campaign(program, cycle=cycle(program, f"Cohort {year}", year))
        for _number in range(count):
            respond(campaign, (4, 2, 5, 4, 3), 9, {"training": "Signed comment by Alice"})


def exported_rows(client, url):
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_export_has_one_row_per_figure_with_section_item_cycle_value_responses(
    login, manager_user, voice_url, data
):
    rows = exported_rows(login(manager_user), voice_url)
    assert rows[0] == ["Section", "Item", "Cycle", "Value", "Responses"]
    factor_rows = [row for row in rows if row[0].startswith("Engagement factor")]
    assert [row[1:3] for row in factor_rows][1] == ["Continuing training", "Cohort 2025"]
    assert all(row[4] == "5" for row in factor_rows)
    assert ["Motivation", "To build my network", "", "1", "1"] in rows


def test_export_leaves_out_cycles_below_the_threshold_and_every_comment(
    login, manager_user, voice_url, data
):
    rows = exported_rows(login(manager_user), voice_url)
    # Response rates are about campaigns, not answers: they name every cycle.
    pulse_rows = [row for row in rows[1:] if row[2] and not row[0].startswith("Response rate")]
    assert pulse_rows and {row[2] for row in pulse_rows} == {"Cohort 2025"}
    assert not any("Alice" in cell for row in rows for cell in row)


def test_export_as_xlsx(login, manager_user, voice_url, data):
    response = login(manager_user).get(voice_url, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_is_for_managers_only(login, mentor_user, other_admin_user, voice_url):
    assert login(mentor_user).get(voice_url, {"export": "csv"}).status_code == 403
    assert login(other_admin_user).get(voice_url, {"export": "csv"}).status_code == 404


@pytest.mark.parametrize(
    ("language", "start"), [("fr-ca", "voix-des-mentors-"), ("en", "mentor-voice-")]
)
def test_the_export_is_named_in_the_page_language(
    login, manager_user, voice_url, program, language, start
):
    User.objects.filter(pk=manager_user.pk).update(language=language)

    response = login(manager_user).get(voice_url, {"export": "csv"})

    assert f'filename="{start}{program.slug}.csv"' in response["Content-Disposition"]
