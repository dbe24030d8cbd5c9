"""The "Mentor voice" page runs a fixed number of queries, whatever the size of the program."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laurier.profiles.models import CategoryPreference, MentorProfile, Motivation, ProfileMotivation
from laurier.programs.models import MentorEnrolment, Person
from laurier.recognition.categories import PublicConsent, RecognitionCategory
from laurier.surveys.models import Answer, Recipient, Response
from laurier.testing.pulses import pulse_campaign, respond

from .test_voice_figures import FACTORS, cycle, mentor_with_profile


@pytest.fixture
def voice_url(organisation, program):
    return reverse("surveys:voice", args=[organisation.slug, program.slug])


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def populate(program, *, mentors, cycles, responses, first_year=2020):
    """`mentors` mentors with a profile, and `responses` pulse responses in each of `cycles`
    new cycles from `first_year` on."""
    for number in range(mentors):
        mentor_with_profile(
            program,
            motivations=["network", "own_growth"][: 1 + number % 2],
            scores={"badge": number % 6, "stipend": 5},
            consent="yes",
        )
    for year in range(first_year, first_year + cycles):
        campaign = pulse_campaign(program, cycle=cycle(program, f"Cohort {year}", year))
        for _number in range(responses):
            respond(campaign, (4, 3, 5, 2, 4), 8, {"support": "Fine"})


@pytest.mark.parametrize("params", [{}, {"export": "csv"}])
def test_same_queries_for_a_small_or_a_larger_program(
    django_assert_max_num_queries, login, admin_user, program, voice_url, params
):
    client = login(admin_user)
    populate(program, mentors=2, cycles=1, responses=5)
    small = count_queries(client, voice_url, params)
    populate(program, mentors=15, cycles=3, responses=7, first_year=2010)
    with django_assert_max_num_queries(small):
        client.get(voice_url, params)


def test_filtered_page_runs_a_small_fixed_number_of_queries(
    django_assert_max_num_queries, login, manager_user, program, voice_url
):
    populate(program, mentors=3, cycles=2, responses=5)
    since = program.cycles.order_by("starts_on").last()
    client = login(manager_user)
    with django_assert_max_num_queries(14):
        client.get(voice_url, {"since": since.pk})


MENTORS = 10_000
CAMPAIGNS = 5


def add_mentors_with_profiles(program, count):
    """`count` active mentors, each with a profile, a motivation and a category score."""
    organisation = program.organisation
    people = Person.objects.bulk_create(
        Person(
            organisation=organisation,
            first_name="Mentor",
            last_name=str(number),
            email=f"mentor{number}@large.example",
        )
        for number in range(count)
    )
    MentorEnrolment.objects.bulk_create(
        MentorEnrolment(program=program, person=person, since="2025-09-01") for person in people
    )
    consents = itertools.cycle([*PublicConsent.values, ""])
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            organisation=organisation,
            person=person,
            public_consent=next(consents),
            source="survey",
            updated_at="2026-01-01T00:00Z",
        )
        for person in people
    )
    motivations = itertools.cycle(Motivation.values)
    ProfileMotivation.objects.bulk_create(
        ProfileMotivation(profile=profile, motivation=next(motivations)) for profile in profiles
    )
    categories = itertools.cycle(RecognitionCategory.values)
    CategoryPreference.objects.bulk_create(
        CategoryPreference(profile=profile, category=next(categories), score=number % 6)
        for number, profile in enumerate(profiles)
    )
    return people


def refresh_planner_statistics():
    """After bulk inserts, PostgreSQL's planner still believes the tables empty until autovacuum
    analyses them; a join planned on that belief took minutes. Production tables grow slowly
    enough for autovacuum to keep up."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def add_pulse_responses(program, year):
    """A pulse campaign of a new cycle answered by every mentor of `program`: one factor and the
    intention each (the page's queries do not depend on how many answers a response has).

    INSERT … SELECT, in SQL that SQLite and PostgreSQL share (`%%` is a
    literal `%` for both drivers): tens of thousands of rows are
    written by the database in a fraction of a second, without building them in Python.
    """
    campaign = pulse_campaign(program, cycle=cycle(program, f"Cohort {year}", year))
    questions = campaign.questions
    factor_ids = [questions[f"factor:{factor.value}"].pk for factor in FACTORS]
    factor_case = " ".join(f"WHEN {index} THEN {pk}" for index, pk in enumerate(factor_ids))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Recipient._meta.db_table} "
            "(campaign_id, person_id, token, reminders_sent, responded_at) "
            "SELECT %s, person_id, CAST(%s AS VARCHAR(30)) || CAST(person_id AS VARCHAR(20)), "
            "0, %s "
            f"FROM {MentorEnrolment._meta.db_table} WHERE program_id = %s",
            [campaign.pk, f"token-{campaign.pk}-", now, program.pk],
        )
        cursor.execute(
            f"INSERT INTO {Response._meta.db_table} "
            "(recipient_id, campaign_id, submitted_at, updated_at) "
            f"SELECT id, campaign_id, %s, %s FROM {Recipient._meta.db_table} "
            "WHERE campaign_id = %s",
            [now, now, campaign.pk],
        )
        answers = (
            f"INSERT INTO {Answer._meta.db_table} (response_id, question_id, number, text) "
            "SELECT id, {question}, {number}, '' "
            f"FROM {Response._meta.db_table} WHERE campaign_id = %s"
        )
        cursor.execute(
            answers.format(question=f"CASE id %% 5 {factor_case} END", number="id %% 5 + 1"),
            [campaign.pk],
        )
        cursor.execute(
            answers.format(question=questions["intention"].pk, number="id %% 11"), [campaign.pk]
        )


def test_constant_queries_with_10000_mentors_and_50000_responses(
    django_assert_max_num_queries, login, admin_user, program, voice_url
):
    client = login(admin_user)
    populate(program, mentors=1, cycles=1, responses=5)
    small = count_queries(client, voice_url)

    add_mentors_with_profiles(program, MENTORS)
    for year in range(2021, 2021 + CAMPAIGNS):
        add_pulse_responses(program, year)
    refresh_planner_statistics()
    # The small data set's mentors answer too: 5 + 5 × (1 + 5 who answered + 10,000).
    assert Response.objects.filter(campaign__program=program).count() == 50_035
    assert MentorEnrolment.objects.filter(program=program).count() == 10_006
    assert Answer.objects.filter(response__campaign__program=program).count() > 100_000

    with django_assert_max_num_queries(small):
        response = client.get(voice_url)
    voice = response.context["voice"]
    assert voice.profiles.with_profile == 10_001
    assert [group.responses for group in voice.pulse.groups][-1] == MENTORS + 6
