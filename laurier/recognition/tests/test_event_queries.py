"""The event pages read a fixed number of queries whatever the number of invitations: each is
measured with 2 invitations and with 20, against the same ceiling."""

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.profiles.models import MentorProfile
from laurier.programs.models import Person
from laurier.recognition.services import events as services

from .test_event_support import (  # noqa: F401 (_fresh_rate_limits: autouse)
    _fresh_rate_limits,
    begin,
    event_url,
    invite_quietly,
    list_url,
    mentee,
    mentor,
    plan,
    rsvp_url,
)

pytestmark = pytest.mark.django_db

SIZES = [2, 20]


@pytest.fixture(params=SIZES, ids=[f"{size}-invitations" for size in SIZES])
def invitations(request, program, manager_user, mentor_user):
    """`size` invitations to one event of a few, with every answer, some on the waiting list,
    some with dietary needs; the signed-in mentor is invited to every event."""
    size = request.param
    me = Person.objects.get(user=mentor_user)
    events = [
        plan(program, manager_user, capacity=max(size // 3, 1)),
        plan(program, manager_user, kind="workshop", name_en="Workshop", name_fr="Atelier"),
        plan(program, manager_user, kind="dinner", name_en="Dinner", name_fr="Souper"),
    ]
    people = [
        (mentor if index % 2 else mentee)(program, f"Person{index:02d}", "Nom")
        for index in range(size - 1)
    ]
    for person in people[::3]:
        MentorProfile.objects.create(
            organisation=program.organisation,
            person=person,
            diet="Végétarien",
            updated_at=timezone.now(),
        )
    made = invite_quietly(events[0], [me, *people])
    for index, invitation in enumerate(made):
        if index % 4 != 3:
            services.respond(invitation, going=index % 4 != 2)
    for extra in events[1:]:
        invite_quietly(extra, [me])
    if size > 2:
        for extra in range(size - 3):
            invite_quietly(
                plan(
                    program, manager_user, name_en=f"Meetup {extra}", name_fr=f"Rencontre {extra}"
                ),
                [me],
            )
    return made


# Each ceiling counts session, user and membership (3), and the program (1) on managers'
# pages, then the page's own reads.
def measure(client, address, ceiling, django_assert_max_num_queries, **query):
    with django_assert_max_num_queries(ceiling):
        response = client.get(address, query)
    assert response.status_code == 200
    return response


def test_the_list_reads_a_fixed_number_of_queries(
    login, manager_user, program, invitations, django_assert_max_num_queries
):
    measure(login(manager_user), list_url(program), 6, django_assert_max_num_queries)


def test_the_list_export_reads_a_fixed_number_of_queries(
    login, manager_user, program, invitations, django_assert_max_num_queries
):
    measure(login(manager_user), list_url(program), 5, django_assert_max_num_queries, export="csv")


def test_the_event_page_reads_a_fixed_number_of_queries(
    login, manager_user, invitations, django_assert_max_num_queries
):
    event = invitations[0].event
    measure(login(manager_user), event_url("event_detail", event), 8, django_assert_max_num_queries)


def test_the_invitations_export_reads_a_fixed_number_of_queries(
    login, manager_user, invitations, django_assert_max_num_queries
):
    event = invitations[0].event
    measure(
        login(manager_user),
        event_url("event_detail", event),
        6,
        django_assert_max_num_queries,
        export="xlsx",
    )


def test_the_invite_page_reads_a_fixed_number_of_queries(
    login, manager_user, invitations, django_assert_max_num_queries
):
    event = invitations[0].event
    measure(login(manager_user), event_url("event_invite", event), 8, django_assert_max_num_queries)


def test_the_attendance_page_reads_a_fixed_number_of_queries(
    login, manager_user, invitations, django_assert_max_num_queries
):
    event = begin(invitations[0].event)
    measure(
        login(manager_user), event_url("event_attendance", event), 6, django_assert_max_num_queries
    )


def test_the_rsvp_page_reads_a_fixed_number_of_queries(
    client, invitations, django_assert_max_num_queries
):
    measure(client, rsvp_url(invitations[-1]), 2, django_assert_max_num_queries)


def test_my_invitations_read_a_fixed_number_of_queries(
    login, mentor_user, program, invitations, django_assert_max_num_queries
):
    address = reverse("recognition:my_events", args=[program.organisation.slug])
    measure(login(mentor_user), address, 6, django_assert_max_num_queries)
