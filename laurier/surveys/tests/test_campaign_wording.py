"""What people read about a campaign: a short subject, an honest duration, plain warnings."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.utils import translation

from laurier.surveys.forms.campaign import CampaignForm
from laurier.surveys.models import Question
from laurier.surveys.services.campaigns import split_pulse_warning
from laurier.testing import factories

from .test_campaign_emails import by_recipient, french_and_english, text_of  # noqa: F401
from .test_campaign_support import enrol_mentors, launch, pulse_survey, survey  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_invitation_subject_is_short_with_one_colon(
    smtp_server, organisation, program, survey, manager_user, french_and_english
):
    organisation.name = "Coopérative Boréale"
    organisation.save()
    program.name = "Accueil des nouveaux employés"
    program.save()

    launch(program, survey, manager_user)

    for message in smtp_server.messages:
        subject = message["Subject"].strip()
        assert len(subject) <= 80
        assert subject.count(":") == 1
    english = by_recipient(smtp_server)["john@example.org"]["Subject"].strip()
    assert english == "Coopérative Boréale: your view on the Accueil des nouveaux employés program"


def test_the_invitation_estimates_how_long_the_survey_takes(
    smtp_server, program, survey, manager_user, french_and_english
):
    # Four choice or scale questions (20 s each) and a comment (a minute): 2 min 20 s.
    launch(program, survey, manager_user)

    text = text_of(by_recipient(smtp_server)["john@example.org"])

    assert "It has 5 questions. It takes about 3 minutes." in text
    assert "a few minutes" not in text


def test_a_long_survey_is_not_said_to_take_a_few_minutes(
    smtp_server, organisation, program, manager_user, french_and_english
):
    long_survey = pulse_survey(organisation, anonymous=False)
    for number in range(15):
        factories.QuestionFactory(
            survey=long_survey, kind=Question.Kind.LIKERT, text_en=f"Q{number}"
        )

    launch(program, long_survey, manager_user)

    # 19 quick questions (6 min 20 s) and a comment (1 min).
    assert "It takes about 8 minutes." in text_of(by_recipient(smtp_server)["john@example.org"])


def test_the_second_pulse_warning_says_what_happens_and_names_the_checkbox(program):
    with translation.override("en"):
        warning = split_pulse_warning(program)
        checkbox = str(CampaignForm.base_fields["launch_anyway"].label)

    assert checkbox == "Send anyway"
    assert f"Tick “{checkbox}”" in warning
    assert "Results only show when 5 mentors answer the same pulse" in warning
    assert "figures" not in warning
