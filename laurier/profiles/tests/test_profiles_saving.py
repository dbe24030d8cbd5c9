"""save_profile: the one way a profile changes, with its history."""

import pytest
from django.core.exceptions import ValidationError

from laurier.profiles.models import MentorProfile, ProfileSource, ProfileVersion
from laurier.profiles.services import save_profile

COMPLETE = {
    "motivations": ["next_generation"],
    "scores": {"badge": 4, "stipend": 0},
    "consent": "yes",
    "interests": "Photographie",
    "moments": ["mentoring_anniversary"],
}


def save(person, data, source=ProfileSource.SELF):
    return save_profile(person=person, actor=person.user, data=data, source=source)


def test_first_save_creates_the_profile_and_one_version(mentor_person):
    saved = save(mentor_person, COMPLETE)
    assert saved.changed
    assert saved.profile.public_consent == "yes"
    assert ProfileVersion.objects.filter(person=mentor_person).count() == 1


def test_saving_the_same_data_twice_records_one_version(mentor_person):
    save(mentor_person, COMPLETE)
    assert not save(mentor_person, COMPLETE).changed
    assert ProfileVersion.objects.filter(person=mentor_person).count() == 1


def test_scores_merge_category_by_category(mentor_person):
    save(mentor_person, COMPLETE)
    profile = save(mentor_person, {"scores": {"badge": 1}}).profile
    assert dict(profile.preferences.values_list("category", "score")) == {"badge": 1, "stipend": 0}


def test_left_out_fields_keep_their_value(mentor_person):
    save(mentor_person, COMPLETE)
    profile = save(mentor_person, {"diet": "Halal"}).profile
    assert (profile.interests, profile.diet) == ("Photographie", "Halal")


@pytest.mark.parametrize(
    "data",
    [
        {"scores": {"badge": 6}},
        {"scores": {"badge": -1}},
        {"scores": {"badge": "5"}},
        {"scores": {"unknown": 3}},
        {"motivations": ["money"]},
        {"consent": "maybe"},
        {"moments": ["christmas"]},
        {"diet": "x" * 301},
    ],
)
def test_values_outside_the_rules_are_refused_and_change_nothing(mentor_person, data):
    save(mentor_person, COMPLETE)
    with pytest.raises(ValidationError):
        save(mentor_person, data)
    assert ProfileVersion.objects.filter(person=mentor_person).count() == 1
    assert (
        MentorProfile.objects.get(person=mentor_person).preferences.get(category="badge").score == 4
    )


def test_nothing_to_say_creates_no_profile(mentor_person):
    saved = save(mentor_person, {"motivations": [], "interests": ""})
    assert saved == (None, False)
    assert not MentorProfile.objects.exists()


def test_an_unknown_field_is_a_programming_error(mentor_person):
    with pytest.raises(ValueError):
        save(mentor_person, {"favourite_colour": "green"})


def test_the_returned_profile_shows_the_new_rows(mentor_person):
    save(mentor_person, COMPLETE)
    profile = save(mentor_person, {"motivations": ["network"]}).profile
    assert [row.motivation for row in profile.motivations.all()] == ["network"]


def test_the_preference_scale_is_defined_once_for_the_form_and_the_service(mentor_person):
    from laurier.profiles.forms import SCORE_CHOICES
    from laurier.profiles.models import PREFERENCE_SCORES

    assert [score for score, _label in SCORE_CHOICES] == list(PREFERENCE_SCORES) == [*range(6)]
    saved = save(mentor_person, {"scores": {"badge": PREFERENCE_SCORES[-1]}})
    assert saved.profile.preferences.get().score == 5
