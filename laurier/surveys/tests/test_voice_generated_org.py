"""`generate_org --profiles --responses`: a large organisation whose mentor voice has data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from laurier.organisations.models import Organisation, Role
from laurier.profiles.models import CategoryPreference, MentorProfile
from laurier.programs.models import Program
from laurier.recognition.categories import RecognitionCategory
from laurier.surveys.models import Campaign, Recipient, Response, Survey

SMALL = ["--mentors", "60", "--mentees", "120", "--sessions", "600", "--programs", "3"]


def generate(*extra):
    call_command("generate_org", *SMALL, "--slug", "big", *extra, stdout=StringIO())
    return Organisation.objects.get(slug="big")


@pytest.fixture
def voiced(db):
    return generate("--profiles", "--responses", "300")


def test_gives_most_mentors_a_profile_with_a_score_per_category(voiced):
    profiles = MentorProfile.objects.filter(organisation=voiced)
    assert 30 <= profiles.count() <= 60
    assert CategoryPreference.objects.filter(profile__organisation=voiced).count() == (
        profiles.count() * len(RecognitionCategory)
    )


def test_writes_exactly_the_pulse_responses_asked(voiced):
    campaigns = Campaign.objects.filter(organisation=voiced)
    assert set(campaigns.values_list("survey__purpose", flat=True)) == {Survey.Purpose.PULSE}
    assert Response.objects.filter(campaign__organisation=voiced).count() == 300
    answered = Recipient.objects.filter(campaign__organisation=voiced, responded_at__isnull=False)
    assert answered.count() == 300


def test_refuses_more_responses_than_pulses_sent(db):
    with pytest.raises(CommandError, match="responses"):
        generate("--responses", "100000")


def test_without_options_there_are_no_profiles_nor_campaigns(db):
    organisation = generate()
    assert not MentorProfile.objects.filter(organisation=organisation).exists()
    assert not Campaign.objects.filter(organisation=organisation).exists()


def test_replace_deletes_the_answers_too(voiced):
    organisation = generate("--profiles", "--responses", "300", "--replace")
    assert Response.objects.count() == 300
    assert Response.objects.filter(campaign__organisation=organisation).count() == 300


def test_the_biggest_programs_voice_page_shows_pulse_figures(voiced, client):
    program = Program.objects.filter(organisation=voiced).order_by("slug").first()
    admin = voiced.memberships.get(role=Role.ADMIN).user
    client.force_login(admin)
    response = client.get(reverse("surveys:voice", args=[voiced.slug, program.slug]))
    assert response.status_code == 200
    voice = response.context["voice"]
    assert voice.profiles.with_profile > 0
    assert voice.pulse.latest is not None
