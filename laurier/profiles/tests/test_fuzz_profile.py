"""The profile questionnaire with any post, on the mentor's page and through a profile survey:
a profile whose every value is one offered, or the form again with its messages."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from laurier.profiles.forms import score_field_name
from laurier.profiles.models import Motivation, ProfileVersion
from laurier.profiles.selectors import current_profile
from laurier.profiles.snapshots import profile_snapshot
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment
from laurier.surveys.tests.test_answering_support import clear_rate_limits
from laurier.testing import factories

FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    # The mentor and their client are made once per test; each example posts again.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
TEXT_FIELDS = ("motivation_other", "interests", "diet", "accessibility", "availability")


def right_post():
    post = QueryDict(mutable=True)
    post.setlist("motivations", ["pay_it_forward", "network"])
    post.setlist("moments", ["mentoring_day"])
    post["consent"] = "ask"
    for field in TEXT_FIELDS:
        post[field] = ""
    for category in RecognitionCategory.values:
        post[score_field_name(category)] = "3"
    return post


JUNK = st.one_of(
    st.text(max_size=10),
    st.integers(min_value=-(10**9), max_value=10**9).map(str),
    st.sampled_from(["\x00", "a\x00b", "é" * 3000, "x" * 301, "=1+1", "6", "-1", "5.0", "٥"]),
)
FIELDS = {
    "motivations": st.lists(st.one_of(st.sampled_from(Motivation.values), JUNK), max_size=3),
    "moments": st.lists(st.one_of(st.sampled_from(RecognitionMoment.values), JUNK), max_size=3),
    "consent": st.lists(st.one_of(st.sampled_from(PublicConsent.values), JUNK), max_size=2),
    **{field: st.lists(JUNK, max_size=2) for field in TEXT_FIELDS},
    **{
        score_field_name(category): st.lists(
            st.one_of(st.integers(min_value=0, max_value=5).map(str), JUNK), max_size=2
        )
        for category in RecognitionCategory.values
    },
}


@st.composite
def profile_posts(draw):
    post = right_post()
    for name in draw(st.lists(st.sampled_from(list(FIELDS)), max_size=4, unique=True)):
        post.setlist(name, draw(FIELDS[name]))
    return post


def check_profile(person):
    """The saved profile holds only values the questionnaire offers, within its lengths."""
    snapshot = profile_snapshot(current_profile(person))
    assert set(snapshot["motivations"]) <= set(Motivation.values)
    assert set(snapshot["moments"]) <= set(RecognitionMoment.values)
    assert snapshot["consent"] in ("", *PublicConsent.values)
    assert all(0 <= score <= 5 for score in snapshot["scores"].values())
    assert all("\x00" not in snapshot[field] for field in TEXT_FIELDS)
    return snapshot


@pytest.fixture
def mentor_client(mentor_user, mentor_person):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(mentor_user)
    return client


@FUZZ
@given(post=profile_posts())
def test_any_post_of_the_profile_form_saves_offered_values_or_shows_the_form(
    mentor_client, mentor_person, organisation, post
):
    before = profile_snapshot(current_profile(mentor_person))
    versions = ProfileVersion.objects.count()
    response = mentor_client.post(
        reverse("profiles:edit_mine", args=[organisation.slug]),
        post.urlencode(),
        content_type="application/x-www-form-urlencoded",
    )
    event(f"answered {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert profile_snapshot(current_profile(mentor_person)) == before
        assert ProfileVersion.objects.count() == versions
    check_profile(mentor_person)


# Through a profile survey: the answers become the profile.

PROFILE_POST_VALUES = st.one_of(
    JUNK, st.integers(min_value=0, max_value=5).map(str), st.sampled_from(["", " "])
)


@pytest.fixture
def profile_link(profile_campaign, mentor_person):
    recipient = factories.RecipientFactory(campaign=profile_campaign, person=mentor_person)
    questions = list(profile_campaign.survey.questions.prefetch_related("choices"))
    return reverse("survey_links:answer", args=[recipient.token]), questions


@settings(FUZZ, max_examples=6)
@given(data=st.data())
def test_any_answers_to_a_profile_survey_make_a_profile_of_offered_values(
    profile_link, mentor_person, data
):
    link, questions = profile_link
    post = QueryDict(mutable=True)
    for question in questions:
        name = f"q{question.pk}"
        choices = [str(choice.pk) for choice in question.choices.all()]
        value = st.lists(
            st.one_of(st.sampled_from(choices), PROFILE_POST_VALUES)
            if choices
            else PROFILE_POST_VALUES,
            max_size=3 if question.kind == question.Kind.MULTIPLE_CHOICE else 1,
        )
        if question.kind == question.Kind.RANKING:
            continue
        post.setlist(name, data.draw(value, label=question.key or name))
    clear_rate_limits()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        link, post.urlencode(), content_type="application/x-www-form-urlencoded"
    )
    event(f"answered {response.status_code}")
    assert response.status_code in (200, 302)
    check_profile(mentor_person)
