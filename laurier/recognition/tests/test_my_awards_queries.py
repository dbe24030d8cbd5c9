"""A mentor's recognition pages read a fixed number of queries, however many they received."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse

from laurier.recognition.categories import Giver
from laurier.testing import factories

from .test_my_awards_support import (  # noqa: F401
    award_in_database,
    free_option,
    mentor_person,
    my_award_url,
    my_awards_url,
)

pytestmark = pytest.mark.django_db


def receive(program, person, count):
    """`count` recognitions given to `person`, across two programs, each asked about."""
    other_program = factories.ProgramFactory(organisation=program.organisation)
    given = []
    for number in range(count):
        award = award_in_database(
            program if number % 2 else other_program,
            person,
            given_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            option=free_option(program.organisation),
            givers=[Giver.MANAGER, Giver.MENTEE],
            message=f"Merci {number}",
        )
        award.feedback_request = factories.RecipientFactory(
            campaign__program=program, person=person, about_key=f"award:{award.pk}"
        )
        award.save(update_fields=["feedback_request"])
        given.append(award)
    return given


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_reads_a_fixed_number_of_queries(
    login, mentor_user, mentor_person, program, count, django_assert_max_num_queries
):
    receive(program, mentor_person, count)
    client = login(mentor_user)

    with django_assert_max_num_queries(6):
        response = client.get(my_awards_url())

    assert len(response.context["page"].object_list) == min(count, 12)


@pytest.mark.parametrize("count", [2, 20])
def test_one_recognition_reads_a_fixed_number_of_queries(
    login, mentor_user, mentor_person, program, count, django_assert_max_num_queries
):
    award = receive(program, mentor_person, count)[-1]
    client = login(mentor_user)

    with django_assert_max_num_queries(5):
        response = client.get(my_award_url(award))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_my_space_reads_a_fixed_number_of_queries_with_recognitions(
    login, mentor_user, mentor_person, program, count, django_assert_max_num_queries
):
    receive(program, mentor_person, count)
    client = login(mentor_user)

    # 12: one of them asks whether a contest takes nominations ("Nominate a mentor").
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hours:my_space", args=["hydro"]))

    assert len(response.context["awards"]) == min(count, 3)
