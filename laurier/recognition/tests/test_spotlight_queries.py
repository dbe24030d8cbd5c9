"""The spotlight pages read a fixed number of queries whatever the size of the data: each is
measured with a small and a large record (spotlights, mentors, sessions, awards, notes)
against the same ceiling."""

import pytest

from laurier.recognition.categories import PublicConsent

from .test_spotlight_support import (
    given_award,
    kudos_for,
    mentee_of,
    mentor,
    note_for,
    spotlight_of,
    spotlight_today,  # noqa: F401 — fixture
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotlight_today")]

SIZES = [2, 15]


@pytest.fixture(params=SIZES, ids=[f"{size}-of-each" for size in SIZES])
def record(request, program):
    """Léa with `size` mentees, sessions, awards, kudos and notes; `size` other mentors, each
    with a spotlight, some of whom withdrew or ask each time."""
    size = request.param
    lea = mentor(program)
    for index in range(size):
        mentee = mentee_of(program, lea, first_name=f"Mentee{index}", sessions=2)
        given_award(program, lea, name_en=f"Award {index}")
        kudos_for(program, lea, giver=mentee)
        note_for(program, lea, f"Note {index}", signature=f"Writer {index}")
        consent = (PublicConsent.YES, PublicConsent.ASK, PublicConsent.NO)[index % 3]
        other = mentor(program, first_name=f"Mentor{index}", last_name=f"Nom{index}")
        spotlight_of(program, other)
        if consent != PublicConsent.YES:
            other.mentor_profile.public_consent = consent
            other.mentor_profile.save()
    return {"lea": lea, "spotlight": spotlight_of(program, lea)}


def measure(client, address, ceiling, django_assert_max_num_queries):
    with django_assert_max_num_queries(ceiling):
        response = client.get(address)
    assert response.status_code == 200
    return response


def test_the_list(login, manager_user, program, record, django_assert_max_num_queries):
    measure(login(manager_user), url("spotlights", program), 6, django_assert_max_num_queries)


def test_the_list_exported(login, manager_user, program, record, django_assert_max_num_queries):
    measure(
        login(manager_user),
        url("spotlights", program) + "?export=xlsx",
        5,
        django_assert_max_num_queries,
    )


def test_choosing_a_mentor(login, manager_user, program, record, django_assert_max_num_queries):
    measure(login(manager_user), url("spotlight_create", program), 5, django_assert_max_num_queries)


def test_the_draft(login, manager_user, program, record, django_assert_max_num_queries):
    response = measure(
        login(manager_user),
        url("spotlight_create", program) + f"?mentor={record['lea'].pk}",
        14,
        django_assert_max_num_queries,
    )
    assert "A mentee" in response.context["form"].initial["body_en"]


def test_the_page(login, manager_user, program, record, django_assert_max_num_queries):
    measure(
        login(manager_user),
        url("spotlight_detail", program, record["spotlight"].pk),
        6,
        django_assert_max_num_queries,
    )


def test_the_html_download(login, manager_user, program, record, django_assert_max_num_queries):
    measure(
        login(manager_user),
        url("spotlight_html", program, record["spotlight"].pk),
        6,
        django_assert_max_num_queries,
    )
