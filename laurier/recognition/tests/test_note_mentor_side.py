"""Where notes reach people: the mentor's own notes in their space, the mentor's page for the
managers; and a fixed number of queries on the campaign page and on the mentor's notes."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.recognition.models import NoteWriter
from laurier.recognition.services import notes as services
from laurier.testing import factories

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    invite,
    pair,
    person_of,
    set_aside,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(program, mentor_user):
    person = person_of(mentor_user)
    person.first_name, person.last_name = "Hélène", "Tremblay"
    person.save()
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def campaign_with_notes(program, manager_user, mentor, count, token):
    """A campaign for `mentor` with `count` approved notes, one set aside, one waiting."""
    for number in range(count + 2):
        pair(program, mentor, f"Mentoré{number}", token, email=f"{token}{number}@example.org")
    campaign = invite(program, manager_user, mentor=mentor, form_token=token)
    writers = list(NoteWriter.objects.filter(campaign=campaign).order_by("pk"))
    notes = [
        write(campaign, writer, mentor, f"Note {token} {number}", f"Signé {number}")
        for number, writer in enumerate(writers)
    ]
    approve(campaign, *notes[:count])
    set_aside(campaign, notes[count])
    return campaign


def my_notes_url(organisation):
    return reverse("recognition:my_notes", args=[organisation.slug])


# --- My thank-you notes -------------------------------------------------------------------------


def test_the_mentor_reads_their_approved_notes_once_the_campaign_is_closed(
    login, program, manager_user, mentor_user, helene
):
    campaign = campaign_with_notes(program, manager_user, helene, 2, "a")
    client = login(mentor_user)
    assert client.get(my_notes_url(program.organisation)).context["campaigns"] == []

    services.close_note_campaign(campaign, actor=manager_user)
    response = client.get(my_notes_url(program.organisation))

    html = response.content.decode()
    assert [c.pk for c in response.context["campaigns"]] == [campaign.pk]
    assert "Note a 0" in html and "Note a 1" in html
    assert "Note a 2" not in html  # set aside
    assert "Note a 3" not in html  # never read
    assert reverse("recognition:my_note_card", args=["hydro", campaign.pk]) in html


def test_notes_are_grouped_by_campaign_newest_first(
    login, program, manager_user, mentor_user, helene
):
    older = campaign_with_notes(program, manager_user, helene, 1, "old")
    services.close_note_campaign(older, actor=manager_user)
    newer = campaign_with_notes(program, manager_user, helene, 1, "new")
    services.close_note_campaign(newer, actor=manager_user)

    response = login(mentor_user).get(my_notes_url(program.organisation))

    campaigns = response.context["campaigns"]
    assert [c.pk for c in campaigns] == [newer.pk, older.pk]
    assert [note.text for note in campaigns[0].received] == ["Note new 0"]


def test_someone_without_notes_gets_a_polite_empty_page(login, program, mentor_user, helene):
    response = login(mentor_user).get(my_notes_url(program.organisation))

    assert response.status_code == 200
    assert response.context["campaigns"] == []


def test_a_member_without_a_person_record_is_told_so(login, program, manager_user):
    response = login(manager_user).get(my_notes_url(program.organisation))

    assert response.status_code == 200
    assert response.context["person"] is None


def test_my_space_links_to_my_thank_you_notes(login, program, manager_user, mentor_user, helene):
    campaign = campaign_with_notes(program, manager_user, helene, 2, "a")
    services.close_note_campaign(campaign, actor=manager_user)

    response = login(mentor_user).get(reverse("hours:my_space", args=["hydro"]))

    assert my_notes_url(program.organisation) in response.content.decode()


@pytest.mark.parametrize("count", [2, 8])
def test_my_notes_reads_a_fixed_number_of_queries(
    count, login, program, manager_user, mentor_user, helene, django_assert_max_num_queries
):
    for token in ("a", "b"):
        campaign = campaign_with_notes(program, manager_user, helene, count // 2, token)
        services.close_note_campaign(campaign, actor=manager_user)
    client = login(mentor_user)

    with django_assert_max_num_queries(6):
        response = client.get(my_notes_url(program.organisation))

    assert sum(len(c.received) for c in response.context["campaigns"]) == count


# --- The mentor's page --------------------------------------------------------------------------


def test_the_mentor_page_counts_approved_notes_and_shows_the_latest(
    login, program, manager_user, helene
):
    campaign_with_notes(program, manager_user, helene, 4, "a")

    response = login(manager_user).get(
        reverse("programs:mentor_detail", args=["hydro", program.slug, helene.pk])
    )

    html = response.content.decode()
    assert response.context["notes"].count == 4
    assert [note.text for note in response.context["notes"].latest] == [
        "Note a 3",
        "Note a 2",
        "Note a 1",
    ]
    assert "Note a 4" not in html  # set aside
    create = reverse("recognition:note_campaign_create", args=["hydro", program.slug])
    assert f"{create}?mentor={helene.pk}" in html


def test_the_mentor_page_without_notes_invites_some(login, program, manager_user, helene):
    response = login(manager_user).get(
        reverse("programs:mentor_detail", args=["hydro", program.slug, helene.pk])
    )

    assert response.context["notes"].count == 0
    with translation.override("fr-ca"):
        assert "?mentor=" in response.content.decode()


# --- Queries on the campaign page -------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 8])
def test_the_campaign_page_reads_a_fixed_number_of_queries(
    count, login, program, manager_user, helene, django_assert_max_num_queries
):
    campaign = campaign_with_notes(program, manager_user, helene, count, "a")
    client = login(manager_user)

    with django_assert_max_num_queries(13):
        response = client.get(campaign_url("note_campaign_detail", campaign))

    assert response.status_code == 200
    assert response.context["summary"].approved == count


@pytest.mark.parametrize("count", [2, 8])
def test_the_campaign_list_reads_a_fixed_number_of_queries(
    count, login, program, manager_user, helene, django_assert_max_num_queries
):
    for number in range(count):
        campaign_with_notes(program, manager_user, helene, 1, f"c{number}")
    client = login(manager_user)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("recognition:note_campaigns", args=["hydro", program.slug]))

    assert len(response.context["page"].object_list) == count
