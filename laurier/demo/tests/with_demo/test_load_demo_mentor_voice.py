"""The demo's mentor voice: profiles, last cycle's closed surveys and this cycle's open pulse."""

import datetime

import pytest
from django.db.models import Count, Q
from django.db.models.signals import post_save

from laurier.demo.demo_organisation import MENTOR, load_demo_organisation
from laurier.organisations.models import Organisation
from laurier.profiles.models import MentorProfile, ProfileSource, ProfileVersion
from laurier.programs.models import Person, Program
from laurier.surveys.models import Answer, Campaign, Recipient, Response, Survey
from laurier.surveys.selectors.answering import open_requests_of_person
from laurier.surveys.selectors.voice import mentor_voice

TODAY = datetime.date(2026, 11, 24)


def voice_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Survey, Campaign, Recipient, Response, Answer, MentorProfile, ProfileVersion)
    }


def test_the_three_standard_surveys_are_installed(demo):
    standard = Survey.objects.filter(organisation=demo, standard=True, frozen=False)
    assert set(standard.values_list("purpose", flat=True)) == {"profile", "pulse", "feedback"}


def test_each_program_has_a_profile_survey_and_a_pulse_per_cycle(demo):
    for program in Program.objects.filter(organisation=demo):
        campaigns = Campaign.objects.filter(program=program, cycle__isnull=False).select_related(
            "survey", "cycle"
        )
        kinds = sorted((c.survey.purpose, c.cycle.name, c.is_open) for c in campaigns)
        assert kinds == [
            ("profile", "2025–2026", False),
            ("pulse", "2025–2026", False),
            ("pulse", "2026–2027", True),
        ]
        assert all(campaign.survey.frozen for campaign in campaigns)


def test_every_cycle_campaign_has_enough_answers_to_show_and_some_missing(demo):
    campaigns = Campaign.objects.filter(organisation=demo, cycle__isnull=False).annotate(
        asked=Count("recipients"),
        answered=Count("recipients", filter=Q(recipients__responded_at__isnull=False)),
    )
    for campaign in campaigns:
        assert campaign.answered >= demo.anonymity_threshold
        assert campaign.answered < campaign.asked
        assert campaign.responses.count() == campaign.answered


def test_answers_never_come_before_the_invitation_nor_after_the_closing(demo):
    for response in Response.objects.filter(campaign__organisation=demo).select_related(
        "campaign", "recipient"
    ):
        assert response.recipient.invited_at <= response.submitted_at <= response.campaign.closes_at


def test_pulse_answers_have_the_five_factors_an_intention_and_a_few_comments(demo):
    pulse = Answer.objects.filter(response__campaign__survey__purpose="pulse")
    responses = Response.objects.filter(campaign__survey__purpose="pulse").count()
    assert pulse.filter(question__key__startswith="factor:").count() == 5 * responses
    assert pulse.filter(question__key="intention").count() == responses
    comments = pulse.filter(question__key__startswith="comment:").count()
    assert 0 < comments < responses


def test_most_mentors_have_a_varied_profile_from_the_survey(demo):
    mentors = Person.objects.filter(organisation=demo, mentor_enrolments__isnull=False).distinct()
    profiles = MentorProfile.objects.filter(organisation=demo)
    assert mentors.count() * 0.6 < profiles.count() < mentors.count()
    assert set(profiles.values_list("public_consent", flat=True)) == {"yes", "no", "ask"}
    assert profiles.exclude(diet="").exists() and profiles.exclude(interests="").count() > 30
    scores = {p.preferences.count() for p in profiles.prefetch_related("preferences")}
    assert scores == {12}


def test_profiles_are_dated_when_the_survey_was_answered(demo):
    profile = MentorProfile.objects.filter(source=ProfileSource.SURVEY).first()
    response = Response.objects.get(
        recipient__person=profile.person, campaign__survey__purpose="profile"
    )
    assert profile.updated_at == response.submitted_at


def test_demo_mentor_has_a_profile_with_history_a_pulse_and_a_feedback_waiting(demo):
    mentor = Person.objects.get(organisation=demo, email=MENTOR.email)
    profile = MentorProfile.objects.get(person=mentor)
    assert profile.source == ProfileSource.SELF
    assert ProfileVersion.objects.filter(person=mentor).count() == 2
    waiting = list(open_requests_of_person(mentor))
    assert sorted(request.campaign.survey.purpose for request in waiting) == [
        "feedback",
        "pulse",
    ]
    assert all(request.responded_at is None for request in waiting)


def test_loading_twice_adds_no_survey_nor_profile(demo):
    before = voice_counts()
    load_demo_organisation(today=TODAY)
    assert voice_counts() == before


def test_every_programs_voice_page_shows_last_cycles_pulse_and_announces_the_open_one(demo):
    for program in Program.objects.filter(organisation=demo):
        pulse = mentor_voice(program, threshold=demo.anonymity_threshold).pulse
        assert [group.label for group in pulse.shown_groups] == ["2025–2026"]
        assert pulse.latest.people >= demo.anonymity_threshold
        assert pulse.latest.intention is not None
        assert pulse.open_campaigns == 1


@pytest.fixture
def strict_demo(demo_loaded, db):
    """The demo built again for an organisation whose anonymity threshold is 13."""

    def raise_threshold(sender, instance, created, **kwargs):
        if created:
            instance.anonymity_threshold = 13
            Organisation.objects.filter(pk=instance.pk).update(anonymity_threshold=13)

    post_save.connect(raise_threshold, sender=Organisation)
    try:
        load_demo_organisation(today=TODAY, replace=True)
    finally:
        post_save.disconnect(raise_threshold, sender=Organisation)
    return Organisation.objects.get(slug="demo")


def test_enough_mentors_answer_for_the_organisations_own_threshold(strict_demo):
    assert strict_demo.anonymity_threshold == 13
    for program in Program.objects.filter(organisation=strict_demo):
        pulse = mentor_voice(program, threshold=strict_demo.anonymity_threshold).pulse
        assert [group.label for group in pulse.shown_groups] == ["2025–2026"]
