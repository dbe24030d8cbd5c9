"""Who reaches the event pages: the program's managers and the organisation's admins only;
another program's or organisation's event is a 404 on every event address; a person's own
invitations show only theirs."""

import pytest
from django.urls import reverse

from laurier.organisations.models import Role
from laurier.programs.models import Person
from laurier.recognition.models import Event, EventInvitation
from laurier.testing import factories

from .test_event_support import begin, event_url, invite_quietly, list_url, mentor, plan

pytestmark = pytest.mark.django_db

EVENT_PAGES = ["event_detail", "event_edit", "event_invite", "event_cancel", "event_ics"]
EVENT_POSTS = ["event_edit", "event_invite", "event_attendance", "event_cancel"]


@pytest.fixture
def event(program, manager_user):
    return plan(program, manager_user)


def every_address(event, **where):
    program = where.get("program") or event.program
    return [list_url(program), list_url(program, "event_create")] + [
        event_url(name, event, **where) for name in EVENT_PAGES
    ]


def my_events_url(organisation):
    return reverse("recognition:my_events", args=[organisation.slug])


def assert_unchanged(event):
    fresh = Event.objects.get(pk=event.pk)
    assert fresh.cancelled_at is None
    assert fresh.name_en == event.name_en
    assert not EventInvitation.objects.filter(event=event).exists()


def test_the_program_manager_reaches_every_page(login, manager_user, event):
    client = login(manager_user)

    for address in every_address(event):
        assert client.get(address).status_code == 200, address


def test_an_admin_reaches_every_page(login, admin_user, event):
    client = login(admin_user)

    for address in every_address(event):
        assert client.get(address).status_code == 200, address


def test_attendance_opens_once_the_event_has_begun(login, manager_user, event):
    begin(event)

    response = login(manager_user).get(event_url("event_attendance", event))

    assert response.status_code == 200


def test_a_manager_of_another_program_gets_404(login, organisation, event):
    other = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation, slug="autre").managers.add(other)
    client = login(other)

    for address in every_address(event):
        assert client.get(address).status_code == 404, address
    for name in EVENT_POSTS:
        response = client.post(event_url(name, event), {"reason": "x", "audience": "mentors"})
        assert response.status_code == 404, name
    assert_unchanged(event)


def test_the_event_of_another_program_is_404_through_a_managed_program(
    login, organisation, manager_user, event
):
    mine = factories.ProgramFactory(organisation=organisation, slug="mien")
    mine.managers.add(manager_user)
    client = login(manager_user)

    for address in every_address(event, program=mine)[2:]:
        assert client.get(address).status_code == 404, address
    for name in EVENT_POSTS:
        response = client.post(event_url(name, event, program=mine), {"reason": "x"})
        assert response.status_code == 404, name
    assert_unchanged(event)


@pytest.mark.parametrize("user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_of_the_organisation_are_forbidden_every_manager_page(
    request, login, event, user
):
    client = login(request.getfixturevalue(user))

    for address in every_address(event):
        assert client.get(address).status_code == 403, address
    for name in EVENT_POSTS:
        response = client.post(event_url(name, event), {"reason": "x", "audience": "mentors"})
        assert response.status_code == 403, name
    assert_unchanged(event)


def test_another_organisations_event_is_404_on_every_event_address(
    login, manager_user, program, other_organisation, other_admin_user
):
    other_program = factories.ProgramFactory(organisation=other_organisation, slug="ailleurs")
    theirs = plan(other_program, other_admin_user)
    client = login(manager_user)

    # Through our own organisation and program, with their event's number.
    for name in EVENT_PAGES + ["event_attendance"]:
        assert client.get(event_url(name, theirs, program=program)).status_code == 404, name
    for name in EVENT_POSTS:
        response = client.post(event_url(name, theirs, program=program), {"reason": "x"})
        assert response.status_code == 404, name
    # Through their addresses: not a member there.
    for address in every_address(theirs):
        assert client.get(address).status_code == 404, address
    assert_unchanged(theirs)


def test_a_user_of_another_organisation_cannot_see_my_invitations_page(
    login, other_admin_user, organisation
):
    response = login(other_admin_user).get(my_events_url(organisation))

    assert response.status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, event, organisation):
    for address in every_address(event) + [my_events_url(organisation)]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert "login" in response["Location"]


def test_my_invitations_show_mine_and_nobody_elses(
    login, mentor_user, program, organisation, event
):
    me = Person.objects.get(user=mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=me)
    other = mentor(program, "Zoé", "Secret")
    hidden = plan(program, name_fr="Atelier privé", name_en="Private workshop")
    invite_quietly(event, [me, other])
    invite_quietly(hidden, [other])

    response = login(mentor_user).get(my_events_url(organisation))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mentors&#x27; gala" in page
    assert "Private workshop" not in page
    their_token = EventInvitation.objects.get(event=event, person=other).token
    assert their_token not in page
    assert EventInvitation.objects.get(event=event, person=me).token in page


def test_a_manager_without_a_person_record_sees_no_invitations(login, manager_user, organisation):
    response = login(manager_user).get(my_events_url(organisation))

    assert response.status_code == 200
    assert response.context["page"] is None


def test_another_programs_event_cannot_be_copied(login, manager_user, program, organisation):
    theirs = plan(factories.ProgramFactory(organisation=organisation, slug="autre"))

    response = login(manager_user).get(list_url(program, "event_create"), {"like": theirs.pk})

    assert response.status_code == 404


def test_an_admin_of_another_organisation_gets_404_not_403(login, other_admin_user, event):
    client = login(other_admin_user)

    for address in every_address(event) + [event_url("event_attendance", event)]:
        assert client.get(address).status_code == 404, address
    for name in EVENT_POSTS:
        response = client.post(event_url(name, event), {"reason": "x", "audience": "mentors"})
        assert response.status_code == 404, name
    assert_unchanged(event)
