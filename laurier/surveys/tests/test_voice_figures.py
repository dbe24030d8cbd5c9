"""The figures of the "Mentor voice" page, on a small hand-built program with known answers.

The helpers at the top build that data; other voice tests import them.
"""

import datetime

import pytest
from django.utils import timezone

from laurier.profiles.models import CategoryPreference, MentorProfile, ProfileMotivation
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import RecognitionCategory
from laurier.surveys.models import EngagementFactor, Survey
from laurier.surveys.selectors.voice import heat_level, mentor_voice
from laurier.testing import factories
from laurier.testing.pulses import pulse_campaign, respond

FACTORS = list(EngagementFactor)


def mentor_with_profile(
    program, *, motivations=(), scores=None, consent="", status=EnrolmentStatus.ACTIVE
):
    """A mentor of `program` and their profile: motivations, {category: score}, consent."""
    enrolment = factories.MentorEnrolmentFactory(program=program, status=status)
    profile = MentorProfile.objects.create(
        organisation=program.organisation,
        person=enrolment.person,
        public_consent=consent,
        source="survey",
        updated_at=timezone.now(),
    )
    ProfileMotivation.objects.bulk_create(
        ProfileMotivation(profile=profile, motivation=motivation) for motivation in motivations
    )
    CategoryPreference.objects.bulk_create(
        CategoryPreference(profile=profile, category=category, score=score)
        for category, score in (scores or {}).items()
    )
    return enrolment


def ask(campaign, count=1):
    """`count` recipients who have not answered."""
    return factories.RecipientFactory.create_batch(count, campaign=campaign)


def cycle(program, name, year):
    return factories.CycleFactory(
        program=program,
        name=name,
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year + 1, 6, 30),
    )


# Profiles: four active mentors with a profile, two without, and mentors who must not count.

BADGE, CERTIFICATE, STIPEND = (
    RecognitionCategory.BADGE,
    RecognitionCategory.CERTIFICATE,
    RecognitionCategory.STIPEND,
)


@pytest.fixture
def profiles(program, organisation):
    mentor_with_profile(
        program,
        motivations=["pay_it_forward", "network"],
        scores={BADGE: 5, CERTIFICATE: 3, STIPEND: 0},
        consent="yes",
    )
    mentor_with_profile(
        program, motivations=["pay_it_forward"], scores={BADGE: 4, CERTIFICATE: 3}, consent="no"
    )
    mentor_with_profile(
        program, motivations=["next_generation"], scores={BADGE: 5, CERTIFICATE: 1}, consent="ask"
    )
    mentor_with_profile(program, motivations=["pay_it_forward"], scores={BADGE: 2})
    factories.MentorEnrolmentFactory.create_batch(2, program=program)
    # Not counted: a paused mentor, and a mentor of another program.
    mentor_with_profile(
        program, motivations=["network"], scores={BADGE: 0}, status=EnrolmentStatus.PAUSED
    )
    other_program = factories.ProgramFactory(organisation=organisation)
    mentor_with_profile(other_program, motivations=["network"], scores={BADGE: 0}, consent="yes")


def figures(program, threshold=5, since=None):
    return mentor_voice(program, threshold=threshold, since=since)


def test_counts_active_mentors_and_those_with_a_profile(program, profiles):
    voice = figures(program)
    assert (voice.profiles.active_mentors, voice.profiles.with_profile) == (6, 4)


def test_motivations_count_active_mentors_with_a_profile_and_share_of_profiles(program, profiles):
    motivations = {row.key: (row.count, row.share) for row in figures(program).profiles.motivations}
    assert motivations == {
        "pay_it_forward": (3, 75),
        "new_perspectives": (0, 0),
        "next_generation": (1, 25),
        "own_growth": (0, 0),
        "network": (1, 25),
        "other": (0, 0),
    }


def test_preferences_give_average_and_distribution_most_valued_first(program, profiles):
    rows = figures(program).profiles.categories
    assert [row.category for row in rows[:3]] == [BADGE, CERTIFICATE, STIPEND]
    badge, certificate, stipend = rows[:3]
    assert (badge.average, badge.answers) == (4.0, 4)
    assert [count for _score, count, _level in badge.cells] == [0, 0, 1, 0, 1, 2]
    assert (certificate.average, certificate.answers) == (2.3, 3)
    assert [count for _score, count, _level in certificate.cells] == [0, 1, 0, 2, 0, 0]
    assert (stipend.average, stipend.answers) == (0.0, 1)


def test_unrated_categories_come_last_without_average(program, profiles):
    rows = figures(program).profiles.categories
    assert len(rows) == len(RecognitionCategory)
    assert all(row.average is None and row.answers == 0 for row in rows[3:])


def test_heat_map_cells_are_shaded_in_proportion_to_the_fullest_cell(program, profiles):
    badge = figures(program).profiles.categories[0]
    assert [level for _score, _count, level in badge.cells] == [0, 0, 3, 0, 3, 5]


def test_heat_level_is_zero_for_empty_cells_and_at_least_one_otherwise():
    assert heat_level(0, 40) == 0
    assert heat_level(1, 40) == 1
    assert heat_level(40, 40) == 5


def test_public_consent_split_counts_profiles_without_an_answer(program, profiles):
    consent = {row.key: (row.count, row.share) for row in figures(program).profiles.consent}
    assert consent == {"yes": (1, 25), "no": (1, 25), "ask": (1, 25), "unknown": (1, 25)}


def test_program_without_profiles_has_empty_figures(program):
    factories.MentorEnrolmentFactory(program=program)
    profiles = figures(program).profiles
    assert (profiles.active_mentors, profiles.with_profile) == (1, 0)
    assert all(row.share is None for row in profiles.motivations)


# The pulse: 2024 (5 responses), 2025 (5 responses), 2026 (4 responses: too few to show).

RESPONSES_2025 = [
    ((4, 2, 5, 4, 3), 10),
    ((4, 3, 5, 4, 3), 9),
    ((5, 2, 4, 3, 3), 8),
    ((4, 3, 5, 4, 4), 6),
    ((3, 2, 4, 4, 2), 3),
]


RESPONSES_2025_WITH_COMMENTS = [
    (scores, intention, comment)
    for (scores, intention), comment in zip(
        RESPONSES_2025,
        [{"training": "More workshops", "support": "Good"}, {"training": "Few"}, {}, {}, {}],
        strict=True,
    )
]


@pytest.fixture
def pulse(program):
    campaigns = {}
    campaigns[2024] = pulse_campaign(program, cycle=cycle(program, "Cohort 2024", 2024))
    for _number in range(5):
        respond(campaigns[2024], (3, 3, 3, 3, 3), 7)
    campaigns[2025] = pulse_campaign(program, cycle=cycle(program, "Cohort 2025", 2025))
    comments = [
        {"training": "More workshops", "support": "Good"},
        {"training": "Too few sessions"},
        {"training": ""},
        {},
        {},
    ]
    for (scores, intention), comment in zip(RESPONSES_2025, comments, strict=True):
        respond(campaigns[2025], scores, intention, comment)
    ask(campaigns[2025], 5)
    campaigns[2026] = pulse_campaign(program, cycle=cycle(program, "Cohort 2026", 2026))
    for _number in range(4):
        respond(campaigns[2026], (1, 1, 1, 1, 1), 0, {"structure": "Only me said this"})
    return campaigns


def group_named(voice, label):
    return next(group for group in voice.pulse.groups if group.label == label)


def test_pulse_groups_are_cycles_oldest_first(program, pulse):
    groups = figures(program).pulse.groups
    assert [(group.label, group.responses) for group in groups] == [
        ("Cohort 2024", 5),
        ("Cohort 2025", 5),
        ("Cohort 2026", 4),
    ]


def test_factor_averages_per_cycle(program, pulse):
    group = group_named(figures(program), "Cohort 2025")
    assert [average for _factor, average in group.factor_rows] == [4.0, 2.4, 4.6, 3.8, 3.0]
    assert [
        average for _f, average in group_named(figures(program), "Cohort 2024").factor_rows
    ] == [3.0] * 5


def test_weakest_factor_is_the_lowest_average_of_the_latest_cycle_shown(program, pulse):
    pulse_figures = figures(program).pulse
    assert pulse_figures.latest.label == "Cohort 2025"
    assert pulse_figures.latest.weakest_factor == (EngagementFactor.TRAINING, 2.4)


def test_intention_average_and_split_of_the_latest_cycle(program, pulse):
    latest = figures(program).pulse.latest
    assert latest.intention == 7.2
    assert (latest.promoters, latest.passives, latest.detractors) == (2, 1, 2)
    assert (latest.promoter_share, latest.passive_share, latest.detractor_share) == (40, 20, 40)


def test_comments_are_only_counted_per_factor_and_empty_ones_do_not_count(program, pulse):
    latest = figures(program).pulse.latest
    assert latest.comments[EngagementFactor.TRAINING] == 2
    assert latest.comments[EngagementFactor.SUPPORT] == 1
    assert latest.comments.get(EngagementFactor.STRUCTURE, 0) == 0


def test_a_cycle_below_the_threshold_has_no_figures_at_all(program, pulse):
    group = group_named(figures(program), "Cohort 2026")
    assert not group.shown
    assert group.factors == {} and group.comments == {}
    assert group.intention is None and group.promoters == group.detractors == 0


def test_the_threshold_is_the_one_given(program, pulse):
    group = group_named(figures(program, threshold=4), "Cohort 2026")
    assert group.shown and group.intention == 0


def test_campaigns_without_a_cycle_make_a_group_each(program):
    first = pulse_campaign(program, name="Autumn check-in")
    second = pulse_campaign(program, name="Spring check-in")
    for campaign in (first, second):
        for _number in range(5):
            respond(campaign, (4, 4, 4, 4, 4), 8)
    groups = figures(program).pulse.groups
    assert [(group.label, group.responses) for group in groups] == [
        ("Autumn check-in", 5),
        ("Spring check-in", 5),
    ]


def test_two_pulse_campaigns_of_one_cycle_make_one_group(program):
    cohort = cycle(program, "Cohort 2025", 2025)
    for scores in ((2, 2, 2, 2, 2), (4, 4, 4, 4, 4)):
        campaign = pulse_campaign(program, cycle=cohort)
        for _number in range(3):
            respond(campaign, scores, 5)
    (group,) = figures(program, threshold=3).pulse.groups
    assert group.responses == 6 and group.factors[EngagementFactor.SUPPORT] == 3.0


def test_other_surveys_and_other_programs_are_not_pulse_answers(program, organisation):
    feedback = pulse_campaign(program, purpose=Survey.Purpose.FEEDBACK)
    theirs = pulse_campaign(factories.ProgramFactory(organisation=organisation))
    for campaign in (feedback, theirs):
        for _number in range(5):
            respond(campaign, (1, 1, 1, 1, 1), 0)
    assert figures(program).pulse.groups == []


def test_since_keeps_the_cycles_from_the_chosen_one(program, pulse):
    since = pulse[2025].cycle
    groups = figures(program, since=since).pulse.groups
    assert [group.label for group in groups] == ["Cohort 2025", "Cohort 2026"]


# Response rates


def test_response_rates_per_campaign_newest_first(program, pulse):
    rates = figures(program).rates
    assert [(rate.campaign.name, rate.answered, rate.recipients, rate.rate) for rate in rates] == [
        (pulse[2026].name, 4, 4, 100),
        (pulse[2025].name, 5, 10, 50),
        (pulse[2024].name, 5, 5, 100),
    ]


def test_response_rates_show_the_ten_latest_campaigns(program):
    campaigns = [pulse_campaign(program) for _number in range(12)]
    ask(campaigns[0])
    rates = figures(program).rates
    assert len(rates) == 10
    assert rates[0].campaign == campaigns[-1]


def test_campaign_without_recipients_has_no_rate(program):
    pulse_campaign(program)
    (rate,) = figures(program).rates
    assert (rate.recipients, rate.answered, rate.rate) == (0, 0, None)


# Anonymity: distinct mentors, closed campaigns, mentors only


def test_the_threshold_counts_people_not_responses(program):
    cohort = cycle(program, "Cohort 2025", 2025)
    mentor = factories.MentorEnrolmentFactory(program=program).person
    for _number in range(5):
        respond(pulse_campaign(program, cycle=cohort), (4,) * 5, 8, person=mentor)
    (group,) = figures(program).pulse.groups
    assert (group.responses, group.people) == (5, 1)
    assert not group.shown and group.factors == {}


def test_campaigns_each_below_the_threshold_do_not_add_up_to_a_shown_cycle(program):
    cohort = cycle(program, "Cohort 2025", 2025)
    first, second = pulse_campaign(program, cycle=cohort), pulse_campaign(program, cycle=cohort)
    for _number in range(4):
        respond(first, (4,) * 5, 8)
    respond(second, (2,) * 5, 8)
    (group,) = figures(program).pulse.groups
    assert (group.people, group.shown, group.factors) == (5, False, {})
    respond(first, (4,) * 5, 8)
    (group,) = figures(program).pulse.groups
    assert group.shown and (group.responses, group.people) == (5, 5)


def test_a_campaign_answered_by_too_few_adds_nothing_to_its_shown_cycle(program):
    cohort = cycle(program, "Cohort 2025", 2025)
    alone = pulse_campaign(program, cycle=factories.CycleFactory(program=program, name="Alone"))
    first, second = pulse_campaign(program, cycle=cohort), pulse_campaign(program, cycle=cohort)
    for scores, intention, comment in RESPONSES_2025_WITH_COMMENTS:
        respond(first, scores, intention, comment)
        respond(alone, scores, intention, comment)
    respond(second, (1,) * 5, 0, {"structure": "Only me said this"})
    voice = figures(program)
    cohort_group, alone_group = group_named(voice, "Cohort 2025"), group_named(voice, "Alone")
    figures_of = [
        (g.responses, g.people, g.factors, g.comments, g.intention, g.promoters, g.detractors)
        for g in (cohort_group, alone_group)
    ]
    assert figures_of[0] == figures_of[1]
    assert cohort_group.shown and cohort_group.responses == 5


def test_an_open_pulse_is_only_counted_as_open(program):
    campaign = pulse_campaign(program, cycle=cycle(program, "Cohort 2025", 2025), closed_at=None)
    for _number in range(5):
        respond(campaign, (4,) * 5, 8)
    pulse = figures(program).pulse
    assert pulse.groups == [] and pulse.open_campaigns == 1


def test_a_pulse_past_its_closing_date_counts(program):
    campaign = pulse_campaign(
        program, closed_at=None, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for _number in range(5):
        respond(campaign, (4,) * 5, 8)
    pulse = figures(program).pulse
    assert pulse.latest.factors[EngagementFactor.SUPPORT] == 4.0 and pulse.open_campaigns == 0


def test_an_open_pulse_of_a_shown_cycle_adds_nothing_to_its_figures(program):
    cohort = cycle(program, "Cohort 2025", 2025)
    closed = pulse_campaign(program, cycle=cohort)
    for _number in range(5):
        respond(closed, (4,) * 5, 8)
    still_open = pulse_campaign(program, cycle=cohort, closed_at=None)
    respond(still_open, (1,) * 5, 0, {"support": "Mine"})
    pulse = figures(program).pulse
    (group,) = pulse.groups
    assert (group.responses, group.intention, group.campaign_id) == (5, 8.0, closed.pk)
    assert group.factors[EngagementFactor.SUPPORT] == 4.0 and group.comments == {}
    assert pulse.open_campaigns == 1


def test_answers_of_people_who_are_not_mentors_of_the_program_do_not_count(program, organisation):
    campaign = pulse_campaign(program)
    for _number in range(4):
        respond(campaign, (4,) * 5, 8)
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    elsewhere = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ).person
    for person in (mentee, elsewhere):
        respond(campaign, (1,) * 5, 0, {"support": "Not a mentor here"}, person=person)
    (group,) = figures(program).pulse.groups
    assert (group.responses, group.people, group.shown) == (4, 4, False)
    respond(campaign, (4,) * 5, 8)
    (group,) = figures(program, threshold=5).pulse.groups
    assert group.shown and group.intention == 8.0 and group.comments == {}
