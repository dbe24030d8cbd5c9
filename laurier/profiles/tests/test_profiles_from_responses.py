"""A profile survey's answers become the mentor's profile, read by question and choice keys."""

import pytest

from laurier.profiles.models import MentorProfile, ProfileSource, ProfileVersion
from laurier.profiles.services import update_profile_from_response
from laurier.recognition.categories import RecognitionCategory
from laurier.surveys.models import Survey
from laurier.testing import factories

from .conftest import FULL_ANSWERS, answer, build_profile_survey


@pytest.fixture
def profile_after(profile_campaign, mentor_person):
    def submit(values):
        update_profile_from_response(answer(profile_campaign, mentor_person, values))
        return MentorProfile.objects.get(person=mentor_person)

    return submit


def test_motivations_come_from_the_choice_keys(profile_after):
    profile = profile_after({"motivations": ["network", "pay_it_forward"]})
    assert sorted(profile.motivations.values_list("motivation", flat=True)) == [
        "network",
        "pay_it_forward",
    ]


def test_other_reason_is_kept_stripped_beside_the_other_motivation(profile_after):
    profile = profile_after(FULL_ANSWERS)
    assert profile.motivation_other == "Mon ancienne mentore m'a tout appris"


def test_other_reason_is_dropped_without_the_other_motivation(profile_after):
    profile = profile_after({"motivations": ["network"], "motivation_other": "Par hasard"})
    assert profile.motivation_other == ""


def test_each_category_question_gives_its_score(profile_after):
    profile = profile_after(FULL_ANSWERS)
    scores = dict(profile.preferences.values_list("category", "score"))
    assert scores == {value: index % 6 for index, value in enumerate(RecognitionCategory.values)}


def test_consent_comes_from_the_chosen_key(profile_after):
    assert profile_after({"public_consent": "no"}).public_consent == "no"


def test_interests_and_event_constraints_are_copied(profile_after):
    profile = profile_after(FULL_ANSWERS)
    assert (profile.interests, profile.diet, profile.accessibility, profile.availability) == (
        "Ski de fond, jardinage",
        "Végétarienne",
        "Rez-de-chaussée",
        "Les midis en semaine",
    )


def test_moments_keep_the_year_order(profile_after):
    profile = profile_after({"moments": ["year_end", "cycle_start"]})
    assert profile.preferred_moments == ["cycle_start", "year_end"]


def test_profile_records_its_source_date_and_person(profile_after, mentor_person):
    profile = profile_after(FULL_ANSWERS)
    assert profile.source == ProfileSource.SURVEY
    assert profile.updated_at is not None
    assert profile.updated_by == mentor_person.user
    assert profile.organisation_id == mentor_person.organisation_id


def test_questions_without_a_key_are_ignored(profile_campaign, mentor_person):
    update_profile_from_response(
        answer(profile_campaign, mentor_person, {"Favourite colour?": "Vert"})
    )
    assert not MentorProfile.objects.filter(person=mentor_person).exists()


def test_a_question_missing_from_the_survey_leaves_its_field_unchanged(
    program, profile_after, mentor_person
):
    profile_after(FULL_ANSWERS)
    shorter = factories.CampaignFactory(
        program=program,
        survey=build_profile_survey(program.organisation, without={"diet", "public_consent"}),
    )
    update_profile_from_response(answer(shorter, mentor_person, {"interests": "Lecture"}))
    profile = MentorProfile.objects.get(person=mentor_person)
    assert (profile.diet, profile.public_consent, profile.interests) == (
        "Végétarienne",
        "ask",
        "Lecture",
    )


def test_an_unanswered_optional_question_keeps_what_the_profile_says(profile_after):
    first = profile_after(FULL_ANSWERS)
    diet, moments = first.diet, first.preferred_moments

    profile = profile_after({"public_consent": "yes"})

    assert diet and moments
    assert (profile.diet, profile.preferred_moments) == (diet, moments)
    assert profile.preferences.count() == len(RecognitionCategory.values)


def test_the_same_answers_twice_change_nothing(profile_campaign, mentor_person):
    response = answer(profile_campaign, mentor_person, FULL_ANSWERS)
    update_profile_from_response(response)
    before = MentorProfile.objects.get(person=mentor_person)
    saved = update_profile_from_response(response)
    after = MentorProfile.objects.get(person=mentor_person)
    assert not saved.changed
    assert after.updated_at == before.updated_at
    assert ProfileVersion.objects.filter(person=mentor_person).count() == 1


def test_changed_answers_append_a_version_with_the_snapshot(profile_campaign, mentor_person):
    response = answer(profile_campaign, mentor_person, FULL_ANSWERS)
    update_profile_from_response(response)
    update_profile_from_response(
        answer(profile_campaign, mentor_person, {**FULL_ANSWERS, "diet": "Sans gluten"})
    )
    versions = list(ProfileVersion.objects.filter(person=mentor_person))
    assert len(versions) == 2
    latest = versions[0].data
    assert latest["diet"] == "Sans gluten"
    assert set(latest) == {
        "motivations",
        "motivation_other",
        "scores",
        "consent",
        "interests",
        "diet",
        "accessibility",
        "availability",
        "moments",
    }
    assert latest["scores"]["badge"] == FULL_ANSWERS["category:badge"]
    assert versions[0].source == ProfileSource.SURVEY


def test_a_response_to_another_kind_of_survey_changes_no_profile(program, mentor_person):
    survey = build_profile_survey(program.organisation)
    Survey.objects.filter(pk=survey.pk).update(purpose=Survey.Purpose.PULSE)
    campaign = factories.CampaignFactory(program=program, survey=survey)
    saved = update_profile_from_response(answer(campaign, mentor_person, FULL_ANSWERS))
    assert not saved.changed
    assert not MentorProfile.objects.filter(person=mentor_person).exists()


def test_a_score_out_of_range_is_ignored(profile_after):
    profile = profile_after({"category:badge": 9, "category:stipend": 2})
    assert dict(profile.preferences.values_list("category", "score")) == {"stipend": 2}


def test_a_mentee_who_answers_a_profile_survey_gets_no_mentor_profile(
    profile_campaign, organisation, program
):
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    saved = update_profile_from_response(answer(profile_campaign, mentee, FULL_ANSWERS))
    assert saved == (None, False)
    assert not MentorProfile.objects.filter(person=mentee).exists()


def test_a_mentor_of_another_program_gets_a_profile(profile_campaign, organisation):
    mentor = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ).person
    update_profile_from_response(answer(profile_campaign, mentor, {"public_consent": "yes"}))
    assert MentorProfile.objects.get(person=mentor).public_consent == "yes"
