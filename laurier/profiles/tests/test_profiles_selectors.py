"""Reads of profiles: what the planner gets, and a history in words."""

import pytest
from django.utils import translation

from laurier.profiles.models import ProfileSource
from laurier.profiles.selectors import describe_changes, structured_profiles
from laurier.profiles.services import save_profile
from laurier.profiles.snapshots import empty_snapshot
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the messages in their English source."""
    with translation.override("en"):
        yield


def mentor_with_profile(program, index, **enrolment):
    person = factories.MentorEnrolmentFactory(program=program, **enrolment).person
    save_profile(
        person=person,
        actor=None,
        data={
            "scores": {"badge": index % 6, "stipend": 5},
            "consent": "yes",
            "interests": f"Intérêt {index}",
        },
        source=ProfileSource.SURVEY,
    )
    return person


def test_structured_profiles_give_scores_consent_and_interests(program):
    person = mentor_with_profile(program, 3)
    [structured] = structured_profiles(program)
    assert structured.person == person
    assert structured.has_profile
    assert structured.scores == {"badge": 3, "stipend": 5}
    assert (structured.consent, structured.interests) == ("yes", "Intérêt 3")


def test_mentors_without_profile_come_with_empty_scores(program):
    factories.MentorEnrolmentFactory(program=program)
    [structured] = structured_profiles(program)
    assert (structured.has_profile, structured.scores, structured.consent) == (False, {}, "")


def test_only_active_mentors_of_the_program_count(program, organisation):
    mentor_with_profile(program, 1, status=EnrolmentStatus.PAUSED)
    mentor_with_profile(factories.ProgramFactory(organisation=organisation), 2)
    factories.MenteeEnrolmentFactory(program=program)
    assert structured_profiles(program) == []


@pytest.mark.parametrize("size", [2, 20])
def test_structured_profiles_take_two_queries_whatever_the_size(
    django_assert_num_queries, program, size
):
    for index in range(size):
        mentor_with_profile(program, index)
    factories.MentorEnrolmentFactory(program=program)
    with django_assert_num_queries(2):
        profiles = structured_profiles(program)
    assert len(profiles) == size + 1


def test_changes_are_described_field_by_field():
    before = {**empty_snapshot(), "motivations": ["network"], "scores": {"badge": 2}}
    after = {
        **empty_snapshot(),
        "motivations": ["own_growth"],
        "scores": {"badge": 4, "stipend": 1},
        "consent": "yes",
        "diet": "Végane",
        "moments": ["year_end"],
    }
    assert describe_changes(before, after) == [
        "New reason for mentoring: For my own growth.",
        "No longer a reason for mentoring: To build my network.",
        "Dietary needs: “Végane”.",
        "Mentoring badge: 2 → 4 out of 5.",
        "Stipend or honorarium rated 1 out of 5.",
        "Public recognition: Yes, recognise me in public.",
        "New preferred moment: End of the year.",
    ]


def test_a_cleared_text_is_said_removed():
    before = {**empty_snapshot(), "accessibility": "Fauteuil roulant"}
    assert describe_changes(before, empty_snapshot()) == ["Accessibility needs: removed."]
