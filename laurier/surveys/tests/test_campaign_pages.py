"""The campaign list, the launch form and the campaign page, with their live response rate."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient, Survey
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401
    answer,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
    survey,
    today,
)

pytestmark = pytest.mark.django_db


def campaign_with_rate(program, survey, actor, recipients, answers, name="Pulse"):
    enrol_mentors(program, recipients)
    campaign = launch(program, survey, actor, name=name)
    for recipient in Recipient.objects.filter(campaign=campaign)[:answers]:
        answer(recipient)
    return campaign


# The list


def test_the_list_shows_each_campaigns_response_rate(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign_with_rate(program, survey, manager_user, recipients=5, answers=2)

    page = manager_client.get(campaign_url("campaigns")).content.decode()

    assert "2 / 5 (40%)" in page
    assert "Open" in page


def test_the_list_shows_closed_campaigns_as_closed(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=1, answers=0)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())

    row = manager_client.get(campaign_url("campaigns")).context["page"][0]

    assert row.closed


def test_the_list_shows_only_this_programs_campaigns(
    manager_client, organisation, program, campaign_url
):
    factories.CampaignFactory(program=program, name="Mine")
    factories.CampaignFactory(program=factories.ProgramFactory(organisation=organisation))

    page = manager_client.get(campaign_url("campaigns"))

    assert [c.name for c in page.context["page"]] == ["Mine"]


def test_the_list_sorts_by_response_rate(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign_with_rate(program, survey, manager_user, recipients=4, answers=1, name="Low")
    campaign_with_rate(program, survey, manager_user, recipients=2, answers=2, name="High")

    page = manager_client.get(campaign_url("campaigns"), {"sort": "-rate"})

    assert [c.name for c in page.context["page"]] == ["High", "Low"]


def test_the_list_is_paginated(manager_client, program, campaign_url):
    factories.CampaignFactory.create_batch(51, program=program)

    page = manager_client.get(campaign_url("campaigns")).context["page"]

    assert (len(page.object_list), page.paginator.num_pages) == (50, 2)


# The launch form


def launch_data(survey, today, **overrides):
    data = {
        "form_token": "",
        "survey": survey.pk,
        "name": "Autumn pulse",
        "cycle": "",
        "audience": Campaign.Audience.MENTORS,
        "closes_on": (today + datetime.timedelta(days=10)).isoformat(),
        "remind_after_days": "",
        "action": "launch",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_organisations_editable_surveys_only(
    manager_client, organisation, survey, campaign_url
):
    factories.SurveyFactory(organisation=organisation, frozen=True, title_en="Sent copy")
    factories.SurveyFactory(organisation=factories.OrganisationFactory(), title_en="Foreign")

    form = manager_client.get(campaign_url("campaign_create")).context["form"]

    offered = set(form.fields["survey"].queryset)
    assert survey in offered
    assert not any(s.frozen or s.organisation_id != survey.organisation_id for s in offered)


def test_the_form_offers_the_ready_made_surveys(manager_client, organisation, campaign_url):
    form = manager_client.get(campaign_url("campaign_create")).context["form"]

    purposes = {survey.purpose for survey in form.fields["survey"].queryset}
    assert Survey.Purpose.PULSE in purposes


def test_a_campaign_left_unnamed_is_named_after_the_survey_sent_and_its_cycle(
    manager_client, program, survey, campaign_url, today
):
    cycle = factories.CycleFactory(
        program=program,
        name="Cohort A",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )
    enrol_mentors(program, 1)
    form = manager_client.get(campaign_url("campaign_create")).context["form"]

    manager_client.post(
        campaign_url("campaign_create"), launch_data(survey, today, name="", cycle=cycle.pk)
    )

    assert not form.initial.get("name")
    assert form.initial["cycle"] == cycle
    campaign = Campaign.objects.get()
    assert campaign.name == ""
    with translation.override("en"):
        assert campaign.title == f"{survey.title_en} — Cohort A"
    with translation.override("fr-ca"):
        assert campaign.title == f"{survey.title_fr} — Cohort A"


def test_a_second_pulse_in_a_cycle_is_launched_only_once_confirmed(
    manager_client, organisation, program, manager_user, campaign_url, today
):
    cycle = factories.CycleFactory(program=program)
    enrol_mentors(program, organisation.anonymity_threshold)
    pulse = pulse_survey(organisation, purpose=Survey.Purpose.PULSE)
    launch(program, pulse, manager_user, cycle=cycle)
    data = launch_data(pulse, today, cycle=cycle.pk, form_token="second")

    with translation.override("en"):
        warned = manager_client.post(campaign_url("campaign_create"), data)
    page = warned.content.decode()
    assert warned.status_code == 200
    assert 'class="message warning"' in page and "already received the engagement pulse on" in page
    assert 'name="launch_anyway"' in page and "Send anyway" in page
    assert not warned.context["form"].errors
    assert Campaign.objects.count() == 1

    confirmed = manager_client.post(
        campaign_url("campaign_create"), {**data, "launch_anyway": "on"}
    )

    assert confirmed.status_code == 302
    assert Campaign.objects.filter(cycle=cycle).count() == 2


def test_submitting_the_form_launches_the_campaign(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 2)

    response = manager_client.post(campaign_url("campaign_create"), launch_data(survey, today))

    campaign = Campaign.objects.get()
    assert response.url == campaign_url("campaign_detail", campaign.pk)
    assert (campaign.name, campaign.recipients.count()) == ("Autumn pulse", 2)


def test_the_campaign_closes_at_the_end_of_the_chosen_day_where_the_organisation_is(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1)

    manager_client.post(campaign_url("campaign_create"), launch_data(survey, today))

    campaign = Campaign.objects.get()
    closes_at = timezone.localtime(campaign.closes_at, timezone=_zone(program.organisation))
    # The start of the next day: the whole closing day is open, its last second included.
    assert (closes_at.date(), closes_at.time()) == (
        today + datetime.timedelta(days=11),
        datetime.time(0, 0),
    )
    with timezone.override(_zone(program.organisation)):
        assert campaign.last_day == today + datetime.timedelta(days=10)


def test_the_last_second_of_the_closing_day_is_still_open(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1)
    manager_client.post(campaign_url("campaign_create"), launch_data(survey, today))
    last_day = today + datetime.timedelta(days=10)
    last_second = datetime.datetime.combine(
        last_day, datetime.time(23, 59, 59, 500000), tzinfo=_zone(program.organisation)
    )

    assert Campaign.objects.open(now=last_second).exists()
    assert not Campaign.objects.open(now=last_second + datetime.timedelta(seconds=1)).exists()


def test_pages_and_e_mails_show_the_last_day_to_answer(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1)
    manager_client.post(campaign_url("campaign_create"), launch_data(survey, today))
    campaign = Campaign.objects.get()
    last_day = today + datetime.timedelta(days=10)
    next_day = last_day + datetime.timedelta(days=1)

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()
    listing = manager_client.get(campaign_url("campaigns")).content.decode()
    email = OutgoingEmail.objects.get().text

    assert date_format(last_day, "DATE_FORMAT") in page
    assert date_format(next_day, "DATE_FORMAT") not in page
    assert date_format(last_day, "SHORT_DATE_FORMAT") in listing
    with translation.override("fr-ca"):
        assert date_format(last_day, "DATE_FORMAT") in email


def _zone(organisation):
    import zoneinfo

    return zoneinfo.ZoneInfo(organisation.time_zone)


def test_a_double_submitted_form_launches_one_campaign(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 2)
    token = (
        manager_client.get(campaign_url("campaign_create")).context["form"].initial["form_token"]
    )
    data = launch_data(survey, today, form_token=token)

    first = manager_client.post(campaign_url("campaign_create"), data)
    second = manager_client.post(campaign_url("campaign_create"), data)

    assert Campaign.objects.count() == 1
    assert second.url == first.url


def test_a_form_sent_again_later_still_launches_once(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1)
    token = (
        manager_client.get(campaign_url("campaign_create")).context["form"].initial["form_token"]
    )
    data = launch_data(survey, today, form_token=token)
    manager_client.post(campaign_url("campaign_create"), data)
    # Past the one-minute window, the form's one-time token still recognises the resubmission.
    Campaign.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

    manager_client.post(campaign_url("campaign_create"), data)

    assert Campaign.objects.count() == 1


def test_a_closing_date_of_today_is_refused_with_a_message(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1)

    response = manager_client.post(
        campaign_url("campaign_create"), launch_data(survey, today, closes_on=today.isoformat())
    )

    assert response.status_code == 200
    assert "Choose a closing date after today." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_chosen_audience_needs_somebody(manager_client, program, survey, campaign_url, today):
    enrol_mentors(program, 1)

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(survey, today, audience=Campaign.Audience.CHOSEN),
    )

    assert "Choose at least one person." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_survey_of_another_organisation_is_refused(
    manager_client, program, other_organisation, campaign_url, today
):
    enrol_mentors(program, 1)
    foreign = pulse_survey(other_organisation)

    response = manager_client.post(campaign_url("campaign_create"), launch_data(foreign, today))

    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_people_are_found_by_name_to_be_chosen(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1, person__last_name="Gagnon")
    enrol_mentors(program, 1, person__last_name="Roy")

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(survey, today, action="search", **{"find-q": "gagn"}),
    )

    assert [person.last_name for person in response.context["found"]] == ["Gagnon"]


def test_people_are_filtered_by_role_and_status(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 1, person__last_name="Mentor")
    factories.MenteeEnrolmentFactory(program=program, person__last_name="Mentee")
    factories.MenteeEnrolmentFactory(program=program, person__last_name="Gone", status="left")

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(
            survey, today, action="search", **{"find-role": "mentees", "find-status": "active"}
        ),
    )

    assert [person.last_name for person in response.context["found"]] == ["Mentee"]


def test_every_match_can_be_added_at_once(manager_client, program, survey, campaign_url, today):
    chosen = enrol_mentors(program, 3, person__department="Finance")
    enrol_mentors(program, 2, person__department="Sales")

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(survey, today, action="add_all", **{"find-q": "finance"}),
    )

    assert response.context["chosen"] == sorted(person.pk for person in chosen)


def test_a_large_program_lists_only_the_first_matches(
    manager_client, program, survey, campaign_url, today
):
    enrol_mentors(program, 55)

    response = manager_client.get(campaign_url("campaign_create"))

    assert (len(response.context["found"]), response.context["found_count"]) == (50, 55)


def test_chosen_people_receive_the_survey(manager_client, program, survey, campaign_url, today):
    first, _second, third = enrol_mentors(program, 3)

    manager_client.post(
        campaign_url("campaign_create"),
        {
            **launch_data(survey, today, audience=Campaign.Audience.CHOSEN),
            "people": [first.pk, third.pk],
        },
    )

    assert set(Campaign.objects.get().recipients.values_list("person", flat=True)) == {
        first.pk,
        third.pk,
    }


# The campaign page


def test_the_campaign_page_shows_its_figures(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=4, answers=1)

    response = manager_client.get(campaign_url("campaign_detail", campaign.pk))

    shown = response.context["campaign"]
    assert (shown.recipient_count, shown.answered_count) == (4, 1)
    assert "25%" in response.content.decode()


def test_the_rate_refreshes_every_ten_seconds_while_open(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=2, answers=1)

    partial = manager_client.get(campaign_url("campaign_rate", campaign.pk)).content.decode()
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert 'hx-trigger="every 10s"' in page
    assert "1 / 2 (50%)" in partial


def test_the_figures_agree_with_their_count(
    manager_client, program, survey, manager_user, campaign_url
):
    one = campaign_with_rate(program, survey, manager_user, recipients=1, answers=1)

    with translation.override("en"):
        partial = manager_client.get(campaign_url("campaign_rate", one.pk)).content.decode()

    assert '<span class="number">1</span> recipient</article>' in partial
    assert '<span class="number">1</span> response</article>' in partial


def test_the_rate_swaps_only_the_content_of_a_static_live_region(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=2, answers=1)

    partial = manager_client.get(campaign_url("campaign_rate", campaign.pk)).content.decode()
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert 'aria-live="polite" hx-get=' in page
    assert 'hx-swap="innerHTML"' in page and "outerHTML" not in page
    assert "aria-live" not in partial and "hx-get" not in partial


def test_the_rate_stops_refreshing_once_closed(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=1, answers=0)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())

    partial = manager_client.get(campaign_url("campaign_rate", campaign.pk))
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "hx-trigger" not in page
    # 286: htmx stops polling a page left open while the campaign closed.
    assert partial.status_code == 286


def test_a_closed_campaign_offers_neither_reminder_nor_closing(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = campaign_with_rate(program, survey, manager_user, recipients=1, answers=0)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "Send a reminder" not in page
    assert "Close now" not in page


def test_a_survey_that_is_not_anonymous_lists_who_answered(
    manager_client, organisation, program, manager_user, campaign_url
):
    campaign = campaign_with_rate(
        program, pulse_survey(organisation, anonymous=False), manager_user, recipients=2, answers=1
    )
    answered = Recipient.objects.get(campaign=campaign, responded_at__isnull=False)

    response = manager_client.get(campaign_url("campaign_detail", campaign.pk))

    assert [r.person for r in response.context["who"]] == [answered.person]


def test_an_anonymous_survey_never_lists_who_answered(
    manager_client, organisation, program, manager_user, campaign_url
):
    campaign = campaign_with_rate(
        program, pulse_survey(organisation), manager_user, recipients=6, answers=6
    )

    response = manager_client.get(campaign_url("campaign_detail", campaign.pk))

    assert response.context["who"] is None
    assert "Who answered" not in response.content.decode()


def test_the_rate_tells_while_invitations_are_still_leaving(
    settings, manager_client, program, survey, manager_user, campaign_url
):
    # The invitations' task is only recorded: nobody is invited yet.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    enrol_mentors(program, 3)
    campaign = launch(program, survey, manager_user)

    partial = manager_client.get(campaign_url("campaign_rate", campaign.pk)).content.decode()

    assert "0 of 3 invitations sent so far." in partial


def test_more_than_a_thousand_chosen_people_travel_in_one_field(
    manager_client, program, survey, campaign_url, today
):
    # Ids of nobody: the form only carries them; the service checks them at the launch.
    chosen = ",".join(str(pk) for pk in range(1_000_000, 1_001_500))

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(
            survey, today, audience=Campaign.Audience.CHOSEN, people=chosen, action="search"
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('name="people"') == 1
    assert "1500 people chosen" in page


@pytest.mark.parametrize("crafted", ["²", "12345678901234567890123", "-3", "1e3"])
def test_a_crafted_person_id_is_a_form_error(
    manager_client, program, survey, campaign_url, today, crafted
):
    enrol_mentors(program, 1)

    response = manager_client.post(
        campaign_url("campaign_create"),
        launch_data(survey, today, audience=Campaign.Audience.CHOSEN, people=crafted),
    )

    assert response.status_code == 200
    assert "some of the chosen ids are not valid" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_form_explains_why_an_anonymous_survey_needs_more_people(
    manager_client, organisation, program, campaign_url, today
):
    enrol_mentors(program, 2)

    response = manager_client.post(
        campaign_url("campaign_create"), launch_data(pulse_survey(organisation), today)
    )

    assert "An anonymous survey must go to at least 5 people" in response.content.decode()
    assert not Campaign.objects.exists()


def test_unnamed_campaigns_sort_by_their_title_in_the_reader_s_language(
    manager_client, program, survey, manager_user, campaign_url
):
    enrol_mentors(program, 1)
    survey.title_fr, survey.title_en = "Mobilisation", "Winter pulse"
    survey.save()
    unnamed = launch(program, survey, manager_user, name="")
    named = launch(program, survey, manager_user, name="Hiver")

    response = manager_client.get(campaign_url("campaigns") + "?sort=name")

    # The manager reads English: "Hiver" comes before "Winter pulse" (and before "Mobilisation").
    assert [c.pk for c in response.context["page"]] == [named.pk, unnamed.pk]
