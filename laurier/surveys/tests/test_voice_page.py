"""The "Mentor voice" page: who may open it, what it shows and what it hides."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.core.tests.test_page_markup import check_markup
from laurier.organisations.models import Role
from laurier.testing import factories
from laurier.testing.pulses import pulse_campaign, respond

from .test_voice_figures import cycle, mentor_with_profile


@pytest.fixture
def voice_url(organisation, program):
    return reverse("surveys:voice", args=[organisation.slug, program.slug])


@pytest.fixture
def manager_client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def cohorts(program):
    """Cohort 2025 with 5 pulse responses, Cohort 2026 with 4."""
    campaigns = {}
    for year, count, scores in ((2025, 5, (4, 2, 5, 4, 3)), (2026, 4, (1, 1, 1, 1, 1))):
        campaign = pulse_campaign(program, cycle=cycle(program, f"Cohort {year}", year))
        for _number in range(count):
            respond(campaign, scores, 9, {"training": "Only I would write this"})
        campaigns[year] = campaign
    return campaigns


def chart_data(response):
    text = response.text
    start = text.index('<script id="voice-chart-data" type="application/json">')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def test_manager_of_the_program_sees_the_page(manager_client, voice_url):
    response = manager_client.get(voice_url)
    assert response.status_code == 200
    assert response.text.count("<h1") == 1


def test_admin_sees_the_page(login, admin_user, voice_url):
    assert login(admin_user).get(voice_url).status_code == 200


def test_admin_of_another_organisation_gets_404(login, other_admin_user, voice_url):
    assert login(other_admin_user).get(voice_url).status_code == 404


@pytest.mark.parametrize("user", ["mentee_user", "mentor_user"])
def test_mentors_and_mentees_get_403(login, request, voice_url, user):
    assert login(request.getfixturevalue(user)).get(voice_url).status_code == 403


def test_manager_of_another_program_gets_404_like_every_program_page(
    login, organisation, program, voice_url
):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(other_manager)
    assert login(other_manager).get(voice_url).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, voice_url):
    response = client.get(voice_url)
    assert response.status_code == 302 and "login" in response.url


def test_empty_program_explains_what_to_do(manager_client, voice_url, organisation, program):
    text = manager_client.get(voice_url).text
    assert "No survey sent yet." in text
    assert "No pulse survey yet." in text
    assert "No active mentor has filled in a profile yet." in text
    assert reverse("surveys:campaigns", args=[organisation.slug, program.slug]) in text


def test_a_cycle_of_4_mentors_shows_not_enough_mentors_and_one_of_5_its_figures(
    manager_client, voice_url, cohorts
):
    response = manager_client.get(voice_url)
    text = response.text
    assert "Cohort 2026: not enough mentors answered to show results (4 mentors)." in text
    assert "<small>too few mentors</small>" in text
    assert "Weakest factor: Continuing training" in text
    assert "in Cohort 2025" in text
    charts = chart_data(response)
    assert charts["factors"]["labels"] == ["Cohort 2025"]
    assert charts["intention"]["labels"] == ["Cohort 2025"]


def test_the_threshold_is_the_organisations_setting(
    manager_client, voice_url, organisation, cohorts
):
    organisation.anonymity_threshold = 4
    organisation.save()
    response = manager_client.get(voice_url)
    assert "not enough mentors answered to show results" not in response.text
    assert chart_data(response)["factors"]["labels"] == ["Cohort 2025", "Cohort 2026"]


def test_comments_are_never_shown_only_counted(manager_client, voice_url, cohorts):
    text = manager_client.get(voice_url).text
    assert "Only I would write this" not in text


def test_comment_counts_have_their_own_heading_and_link_nowhere(
    manager_client, voice_url, organisation, program, cohorts
):
    url = reverse(
        "surveys:campaign_detail", args=[organisation.slug, program.slug, cohorts[2025].pk]
    )
    with translation.override("en"):
        text = manager_client.get(voice_url).text

    assert '<h3 id="comments-heading">Number of comments per factor</h3>' in text
    assert f'<a href="{url}">Cohort 2025</a>' not in text


def test_response_rates_link_to_each_campaign(
    manager_client, voice_url, organisation, program, cohorts
):
    text = manager_client.get(voice_url).text
    for campaign in cohorts.values():
        url = reverse(
            "surveys:campaign_detail", args=[organisation.slug, program.slug, campaign.pk]
        )
        assert f'<a href="{url}">{campaign.name}</a>' in text


def test_cycle_filter_keeps_the_cycles_from_the_chosen_one(manager_client, voice_url, cohorts):
    response = manager_client.get(voice_url, {"since": cohorts[2026].cycle.pk})
    groups = response.context["voice"].pulse.groups
    assert [group.label for group in groups] == ["Cohort 2026"]


def test_cycle_of_another_program_is_refused_and_everything_shown(
    manager_client, voice_url, organisation, cohorts
):
    theirs = factories.CycleFactory(program=factories.ProgramFactory(organisation=organisation))
    response = manager_client.get(voice_url, {"since": theirs.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["voice"].pulse.groups) == 2


def test_page_draws_charts_from_json_and_no_inline_script(manager_client, voice_url, cohorts):
    text = manager_client.get(voice_url).text
    assert "surveys/voice_charts.js" in text
    assert "vendor/chart.umd.min.js" in text
    scripts = text.split("<script")[1:]
    assert all(" src=" in tag.split(">")[0] or "application/json" in tag for tag in scripts)


def test_page_with_every_section_has_sound_markup(manager_client, voice_url, program, cohorts):
    mentor_with_profile(program, motivations=["network"], scores={"badge": 3}, consent="yes")
    response = manager_client.get(voice_url)
    assert check_markup(response.text) == ([], [], 1)
    assert 'class="number heat-5">1</td>' in response.text


def test_an_open_pulse_is_announced_without_its_results(manager_client, voice_url, program):
    campaign = pulse_campaign(program, cycle=cycle(program, "Cohort 2025", 2025), closed_at=None)
    for _number in range(5):
        respond(campaign, (4, 2, 5, 4, 3), 9)
    response = manager_client.get(voice_url)
    assert "1 pulse still open: its results will appear when it closes." in response.text
    assert "No pulse survey yet." not in response.text
    assert "appears when the first engagement pulse closes." in response.text
    assert chart_data(response)["factors"]["labels"] == []


def test_motivation_and_consent_shares_are_drawn_by_one_table_template(
    manager_client, voice_url, program
):
    mentor_with_profile(program, motivations=["network"], consent="yes")
    response = manager_client.get(voice_url)
    names = [template.name for template in response.templates]
    assert names.count("surveys/voice/share_table.html") == 2
    assert 'aria-labelledby="consent-heading"' in response.text
    assert check_markup(response.text) == ([], [], 1)
