"""The mentor's profile page and form, the manager's history page, the mentor page section."""

import pytest
from django.urls import reverse

from laurier.core.tests.test_page_markup import check_markup
from laurier.organisations.models import Role
from laurier.profiles.models import MentorProfile, ProfileSource, ProfileVersion
from laurier.profiles.services import save_profile
from laurier.recognition.categories import RecognitionCategory
from laurier.testing import factories

from ..forms import score_field_name


def org_url(name, organisation):
    return reverse(f"profiles:{name}", args=[organisation.slug])


def history_url(organisation, program, person):
    return reverse("profiles:history", args=[organisation.slug, program.slug, person.pk])


def valid_post(**changes):
    data = {
        "motivations": ["pay_it_forward", "network"],
        "motivation_other": "",
        "consent": "ask",
        "interests": "Randonnée, cuisine thaïe",
        "diet": "Sans arachides",
        "accessibility": "",
        "availability": "Jeudis midi",
        "moments": ["mentoring_day"],
        **{score_field_name(value): "3" for value in RecognitionCategory.values},
    }
    return {**data, **changes}


@pytest.fixture
def with_profile(mentor_person):
    save_profile(
        person=mentor_person,
        actor=None,
        data={
            "motivations": ["own_growth"],
            "scores": {"public_event": 5, "stipend": 1},
            "consent": "no",
            "interests": "Astronomie amateur",
        },
        source=ProfileSource.SURVEY,
    )
    return mentor_person


# The mentor's own page


def test_mentor_sees_their_profile_and_its_source(login, mentor_user, organisation, with_profile):
    response = login(mentor_user).get(org_url("mine", organisation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Astronomie amateur" in text
    assert "Survey answer" in text
    assert '<meter min="0" max="5" value="5"' in text


def test_mentor_without_profile_is_invited_to_fill_it_in(
    login, mentor_user, organisation, mentor_person
):
    response = login(mentor_user).get(org_url("mine", organisation))
    assert "You have not filled in your profile yet" in response.content.decode()


def test_member_without_a_person_sees_an_explanation(login, manager_user, organisation):
    response = login(manager_user).get(org_url("mine", organisation))
    assert response.status_code == 200
    assert response.context["person"] is None


def test_history_on_my_page_says_what_changed(login, mentor_user, organisation, with_profile):
    client = login(mentor_user)
    client.post(org_url("edit_mine", organisation), valid_post())
    history = client.get(org_url("mine", organisation)).context["history"]
    assert len(history) == 2
    assert "Public recognition: Ask me each time." in history[0].changes
    assert history[0].source == "Edited by the mentor"
    assert "Profile filled in for the first time." in history[1].changes


def test_my_pages_have_sound_markup(login, mentor_user, organisation, with_profile):
    client = login(mentor_user)
    for name in ("mine", "edit_mine"):
        html = client.get(org_url(name, organisation)).content.decode()
        assert check_markup(html) == ([], [], 1)


def test_each_score_is_a_radio_group_with_a_legend(login, mentor_user, organisation, mentor_person):
    html = login(mentor_user).get(org_url("edit_mine", organisation)).content.decode()
    assert html.count('<fieldset class="score-scale"') == len(RecognitionCategory.values)
    assert "<legend>Certificate</legend>" in html


# The mentor's form


def test_form_shows_the_current_answers(login, mentor_user, organisation, with_profile):
    form = login(mentor_user).get(org_url("edit_mine", organisation)).context["form"]
    assert form.initial["consent"] == "no"
    assert form.initial[score_field_name("public_event")] == 5


def test_saving_the_form_writes_the_profile_as_the_mentors_own_edit(
    login, mentor_user, organisation, mentor_person
):
    response = login(mentor_user).post(org_url("edit_mine", organisation), valid_post())
    assert response.status_code == 302
    profile = MentorProfile.objects.get(person=mentor_person)
    assert (profile.source, profile.updated_by, profile.public_consent) == (
        ProfileSource.SELF,
        mentor_user,
        "ask",
    )
    assert profile.preferences.count() == len(RecognitionCategory.values)


def test_double_submit_records_one_version(login, mentor_user, organisation, mentor_person):
    client = login(mentor_user)
    client.post(org_url("edit_mine", organisation), valid_post())
    client.post(org_url("edit_mine", organisation), valid_post())
    assert ProfileVersion.objects.filter(person=mentor_person).count() == 1


@pytest.mark.parametrize("score", ["6", "-1", "abc"])
def test_a_crafted_score_out_of_range_is_refused(
    login, mentor_user, organisation, mentor_person, score
):
    response = login(mentor_user).post(
        org_url("edit_mine", organisation), valid_post(**{score_field_name("badge"): score})
    )
    assert response.status_code == 200
    assert "Rate this recognition from 0 to 5." in response.content.decode()
    assert not MentorProfile.objects.filter(person=mentor_person).exists()


def test_a_missing_score_is_refused(login, mentor_user, organisation, mentor_person):
    data = valid_post()
    del data[score_field_name("stipend")]
    response = login(mentor_user).post(org_url("edit_mine", organisation), data)
    assert response.status_code == 200
    assert not MentorProfile.objects.exists()


def test_a_crafted_motivation_is_refused(login, mentor_user, organisation, mentor_person):
    response = login(mentor_user).post(
        org_url("edit_mine", organisation), valid_post(motivations=["money"])
    )
    assert response.status_code == 200
    assert not MentorProfile.objects.exists()


def test_other_reason_needs_the_other_box(login, mentor_user, organisation, mentor_person):
    response = login(mentor_user).post(
        org_url("edit_mine", organisation), valid_post(motivation_other="Par curiosité")
    )
    assert response.status_code == 200
    assert not MentorProfile.objects.exists()


def test_member_without_a_person_cannot_edit(login, manager_user, organisation):
    response = login(manager_user).post(org_url("edit_mine", organisation), valid_post())
    assert response.status_code == 302
    assert not MentorProfile.objects.exists()


# The manager's history page


def test_manager_reads_a_mentors_history(login, manager_user, organisation, program, with_profile):
    response = login(manager_user).get(history_url(organisation, program, with_profile))
    assert response.status_code == 200
    assert "Astronomie amateur" in response.content.decode()
    assert len(response.context["history"]) == 1
    assert check_markup(response.content.decode()) == ([], [], 1)


def test_history_of_someone_who_is_not_a_mentor_of_the_program_is_404(
    login, manager_user, organisation, program
):
    stranger = factories.PersonFactory(organisation=organisation)
    response = login(manager_user).get(history_url(organisation, program, stranger))
    assert response.status_code == 404


def test_manager_of_another_program_gets_404(login, organisation, program, with_profile):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(other_manager)
    response = login(other_manager).get(history_url(organisation, program, with_profile))
    assert response.status_code == 404


def test_other_organisation_gets_404(login, other_admin_user, organisation, program, with_profile):
    response = login(other_admin_user).get(history_url(organisation, program, with_profile))
    assert response.status_code == 404


def test_mentor_of_another_organisation_sees_no_profile_page_here(
    login, other_admin_user, organisation
):
    assert login(other_admin_user).get(org_url("mine", organisation)).status_code == 404


@pytest.mark.parametrize("role_user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_cannot_read_someone_elses_history(
    request, login, organisation, program, with_profile, role_user
):
    user = request.getfixturevalue(role_user)
    response = login(user).get(history_url(organisation, program, with_profile))
    assert response.status_code == 403


def test_history_page_runs_the_same_queries_for_one_or_many_versions(
    django_assert_max_num_queries, login, admin_user, organisation, program, with_profile
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(admin_user)
    url = history_url(organisation, program, with_profile)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for score in range(5):
        save_profile(
            person=with_profile,
            actor=None,
            data={"scores": {"badge": score}, "diet": f"Régime {score}"},
            source=ProfileSource.SELF,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# The mentor page


def mentor_page(client, organisation, program, person):
    return client.get(
        reverse("programs:mentor_detail", args=[organisation.slug, program.slug, person.pk])
    )


def test_mentor_page_shows_the_profile_with_a_link_to_its_history(
    login, manager_user, organisation, program, with_profile
):
    text = mentor_page(login(manager_user), organisation, program, with_profile).content.decode()
    assert "Motivations and preferences" in text
    assert "For my own growth" in text
    assert "No, keep my recognition private" in text
    assert history_url(organisation, program, with_profile) in text


def test_mentor_page_says_when_there_is_no_profile_yet(
    login, manager_user, organisation, program, mentor_person
):
    text = mentor_page(login(manager_user), organisation, program, mentor_person).content.decode()
    assert "No profile yet — it fills in when the mentor answers the profile survey" in text


def test_mentor_page_keeps_sound_markup_with_a_profile(
    login, manager_user, organisation, program, with_profile
):
    html = mentor_page(login(manager_user), organisation, program, with_profile).content.decode()
    assert check_markup(html) == ([], [], 1)


def test_mentor_page_adds_a_fixed_number_of_queries_for_the_profile(
    django_assert_max_num_queries, login, manager_user, organisation, program, with_profile
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(manager_user)
    with CaptureQueriesContext(connection) as small:
        mentor_page(client, organisation, program, with_profile)
    for score in range(5):
        save_profile(
            person=with_profile,
            actor=None,
            data={"scores": {"badge": score}, "moments": ["year_end"][: score % 2]},
            source=ProfileSource.SELF,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        mentor_page(client, organisation, program, with_profile)


def test_history_of_a_number_too_large_for_the_database_is_404(
    login, manager_user, organisation, program
):
    url = reverse("profiles:history", args=[organisation.slug, program.slug, 10**22])
    assert login(manager_user).get(url).status_code == 404


@pytest.mark.parametrize("url_name", ["profiles:mine", "profiles:edit_mine"])
def test_a_mentee_is_sent_back_to_their_space(login, mentee_user, url_name):
    response = login(mentee_user).get(reverse(url_name, args=["hydro"]))

    assert response.status_code == 302
    assert response.url == reverse("hours:my_space", args=["hydro"])
