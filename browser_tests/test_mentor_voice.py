"""Mentor voice in a real Chromium: from the e-mail's link to the manager's pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.programs.models import Person
from laurier.recognition.categories import PublicConsent
from laurier.surveys.models import Campaign, Survey
from laurier.surveys.services.campaigns import launch_campaign
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def french_mentor(mentor_user, organisation, program):
    person = Person.objects.get(organisation=organisation, user=mentor_user)
    Person.objects.filter(pk=person.pk).update(language="fr-ca")
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def received_link(smtp_server, base_url):
    [message] = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(re.escape(base_url) + r"(/s/[^/\s]+/)", text).group(1), message


def test_mentor_answers_the_profile_survey_from_the_email_and_the_manager_sees_it(
    page, browser, live_server, settings, smtp_server, program, manager_user, french_mentor
):
    settings.SITE_URL = live_server.url
    survey = install_standard_surveys(program.organisation)[Survey.Purpose.PROFILE]
    launch_campaign(
        program=program,
        survey=survey,
        name="Profil 2026",
        closes_at=timezone.now() + datetime.timedelta(days=14),
        audience=Campaign.Audience.MENTORS,
        actor=manager_user,
    )
    link, message = received_link(smtp_server, live_server.url)
    # In the mentor's language: the organisation's name, then their view asked in French.
    subject = " ".join(message["Subject"].split())
    assert subject.startswith(program.organisation.name)
    assert "votre avis" in subject and program.name in subject

    # The mentor follows the link, without logging in, and answers in French.
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "fr-ca"
    sent = Campaign.objects.get().survey
    questions = {question.key: question for question in sent.questions.all()}
    other_reason = page.get_by_label(questions["motivation_other"].text_fr)
    assert other_reason.is_hidden()
    page.get_by_label(choice_text(questions["motivations"], "next_generation")).check()
    page.get_by_label(choice_text(questions["motivations"], "other")).check()
    other_reason.fill("Transmettre le métier de monteur de lignes")
    for key, question in questions.items():
        if key.startswith("category:"):
            score = "5" if key == "category:professional_development" else "2"
            page.locator(f"input[name='q{question.pk}'][value='{score}']").check()
    page.get_by_label(choice_text(questions["public_consent"], PublicConsent.ASK)).check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").first.is_visible()
    assert page.get_by_role("button", name="Enregistrer mes modifications").is_visible()

    # The manager, who reads Laurier in English, sees the answer and the mentor's new profile.
    manager = browser.new_context(base_url=live_server.url, locale="fr-CA")
    manager_page = manager.new_page()
    log_in(manager_page, manager_user)
    campaign = Campaign.objects.get()
    manager_page.goto(
        reverse(
            "surveys:campaign_detail", args=[program.organisation.slug, program.slug, campaign.pk]
        )
    )
    rate = manager_page.locator("#campaign-rate").inner_text()
    assert "100%" in rate
    assert french_mentor.full_name in manager_page.locator("main").inner_text()
    manager_page.goto(
        reverse(
            "programs:mentor_detail",
            args=[program.organisation.slug, program.slug, french_mentor.pk],
        )
    )
    profile = manager_page.locator("main").inner_text()
    assert "Transmettre le métier de monteur de lignes" in profile
    assert "Ask me each time" in profile
    manager.close()


def choice_text(question, key):
    return question.choices.get(key=key).text_fr


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
