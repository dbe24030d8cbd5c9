"""Consents: each answer kept with the words shown, when, and until it was replaced."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext

from laurier.credentials.models import PublicProfile
from laurier.credentials.services import public_profiles
from laurier.privacy.models import Consent
from laurier.privacy.wording import (
    public_badge_page_wording,
)
from laurier.profiles.models import ProfileSource
from laurier.profiles.services import save_profile, update_profile_from_response
from laurier.profiles.tests.conftest import answer, build_profile_survey
from laurier.profiles.tests.test_profiles_pages import valid_post
from laurier.testing import factories

from .conftest import url


@pytest.fixture
def enrolled(mentor, program):
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    return mentor


def consent(person, kind="public_recognition"):
    return Consent.objects.get(person=person, kind=kind, ended_at__isnull=True)


def test_the_profile_form_keeps_the_question_and_answer_as_shown(
    login, mentor_user, organisation, enrolled
):
    # The mentor reads Laurier in English (their account's language).
    login(mentor_user).post(f"/o/{organisation.slug}/me/profile/edit/", valid_post(consent="yes"))
    kept = consent(enrolled)
    assert (kept.answer, kept.recorded_by, kept.language) == ("yes", mentor_user, "en")
    assert (kept.wording, kept.answer_label) == (
        "May we recognise you in public?",
        "Yes, recognise me in public",
    )


def save_consent(person, value):
    save_profile(person=person, actor=None, data={"consent": value}, source=ProfileSource.MANAGER)


def test_a_new_answer_ends_the_one_before(enrolled):
    save_consent(enrolled, "yes")
    save_consent(enrolled, "no")
    answers = list(Consent.objects.filter(person=enrolled).order_by("given_at", "pk"))
    assert [(c.answer, c.ended_at is None) for c in answers] == [("yes", False), ("no", True)]
    assert answers[0].ended_at == answers[1].given_at


def test_the_same_answer_twice_is_kept_once(enrolled):
    save_consent(enrolled, "ask")
    save_consent(enrolled, "ask")
    assert Consent.objects.filter(person=enrolled).count() == 1


def test_a_survey_answer_keeps_the_surveys_own_words_in_the_persons_language(
    enrolled, program, organisation
):
    survey = build_profile_survey(organisation)
    question = survey.questions.get(key="public_consent")
    question.text_fr, question.text_en = "Peut-on vous reconnaître en public ?", "Public?"
    question.save()
    choice = question.choices.get(key="no")
    choice.text_fr = "Non merci"
    choice.save()
    campaign = factories.CampaignFactory(program=program, survey=survey)
    update_profile_from_response(answer(campaign, enrolled, {"public_consent": "no"}))
    kept = consent(enrolled)
    assert (kept.wording, kept.answer_label, kept.language) == (
        "Peut-on vous reconnaître en public ?",
        "Non merci",
        "fr-ca",
    )


def test_publishing_and_taking_down_the_badge_page_are_kept(mentor, mentor_user):
    public_profiles.publish(mentor, actor=mentor_user)
    public_profiles.unpublish(mentor, actor=mentor_user)
    answers = Consent.objects.filter(person=mentor, kind="public_badge_page").order_by("pk")
    assert [(c.answer, c.ended_at is None) for c in answers] == [("yes", False), ("no", True)]
    with translation.override(answers[0].language):
        assert answers[0].wording == public_badge_page_wording()


def test_an_admin_reads_the_consents_on_the_persons_privacy_page(
    login, admin_user, organisation, enrolled
):
    save_consent(enrolled, "yes")
    response = login(admin_user).get(url("person", organisation, enrolled.pk))
    assert list(response.context["consents"]) == [consent(enrolled)]


def test_the_export_lists_the_consents(login, admin_user, organisation, enrolled):
    save_consent(enrolled, "yes")
    data = login(admin_user).get(url("person_export_json", organisation, enrolled.pk)).json()
    assert [(c["kind_key"], c["answer_key"]) for c in data["consents"]] == [
        ("public_recognition", "yes")
    ]


# Answers given before consents were kept


def run_migration():
    module = importlib.import_module("laurier.privacy.migrations.0002_record_existing_consents")
    module.record_existing_consents(apps, None)


def test_existing_answers_are_recorded_with_the_date_they_were_first_given(enrolled):
    save_consent(enrolled, "no")
    save_consent(enrolled, "yes")
    save_profile(person=enrolled, actor=None, data={"diet": "Vegan"}, source=ProfileSource.MANAGER)
    first_yes = enrolled.profile_versions.order_by("recorded_at", "pk")[1].recorded_at
    Consent.objects.all().delete()
    run_migration()
    kept = consent(enrolled)
    assert (kept.answer, kept.given_at) == ("yes", first_yes)
    with translation.override("fr-ca"):
        assert kept.wording == gettext("Recorded before consents were kept with their wording.")


def test_an_existing_published_page_is_recorded(mentor):
    published_at = timezone.now() - datetime.timedelta(days=30)
    PublicProfile.objects.create(person=mentor, published_at=published_at)
    run_migration()
    assert consent(mentor, "public_badge_page").given_at == published_at


def test_applying_the_migration_again_keeps_the_consents_in_force(enrolled):
    save_consent(enrolled, "yes")
    PublicProfile.objects.create(person=enrolled, published_at=timezone.now())
    Consent.objects.filter(kind="public_badge_page").delete()
    run_migration()
    run_migration()
    assert sorted(
        Consent.objects.filter(person=enrolled).values_list("kind", "answer", "ended_at")
    ) == [("public_badge_page", "yes", None), ("public_recognition", "yes", None)]
