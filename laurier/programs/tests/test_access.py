"""Who may reach which page: managers of the program only; others get 403 or 404."""

import pytest
from django.urls import reverse

from laurier.organisations.models import Role
from laurier.testing import factories

PROGRAM_PAGES = [
    "dashboard",
    "edit",
    "cycles",
    "mentors",
    "mentor_add",
    "mentees",
    "mentee_add",
    "pairings",
    "pairing_create",
]
ORGANISATION_PAGES = ["list", "people", "person_create"]


@pytest.fixture
def objects(program):
    """One object of each kind with its own page, in `program`."""
    pairing = factories.PairingFactory(program=program)
    return {
        "cycle_edit": factories.CycleFactory(program=program).pk,
        "mentor_detail": pairing.mentor.pk,
        "mentor_status": program.mentor_enrolments.get().pk,
        "mentee_status": program.mentee_enrolments.get().pk,
        "pairing_edit": pairing.pk,
    }


def every_program_url(organisation, program, objects):
    args = [organisation.slug, program.slug]
    urls = [reverse(f"programs:{name}", args=args) for name in PROGRAM_PAGES]
    urls += [reverse(f"programs:{name}", args=[*args, pk]) for name, pk in objects.items()]
    return urls


def test_anonymous_visitor_is_sent_to_login(client, program_url):
    response = client.get(program_url("dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role_fixture", ["mentee_user", "mentor_user"])
def test_mentors_and_mentees_get_403_on_every_manager_page(
    request, login, organisation, program, objects, role_fixture
):
    client = login(request.getfixturevalue(role_fixture))
    urls = every_program_url(organisation, program, objects)
    urls += [reverse(f"programs:{name}", args=[organisation.slug]) for name in ORGANISATION_PAGES]
    person = factories.PersonFactory(organisation=organisation)
    urls.append(reverse("programs:person_edit", args=[organisation.slug, person.pk]))
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_manager_reaches_every_page_of_their_program(
    manager_client, organisation, program, objects
):
    for url in every_program_url(organisation, program, objects):
        assert manager_client.get(url).status_code == 200, url


def test_admin_reaches_every_page_of_any_program(admin_client, organisation, program, objects):
    for url in every_program_url(organisation, program, objects):
        assert admin_client.get(url).status_code == 200, url


def test_manager_of_another_program_in_same_org_gets_404(login, organisation, program, objects):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(other_manager)
    client = login(other_manager)
    for url in every_program_url(organisation, program, objects):
        assert client.get(url).status_code == 404, url


def test_admin_of_other_org_gets_404_on_every_program_page(
    login, other_admin_user, organisation, program, objects
):
    client = login(other_admin_user)
    for url in every_program_url(organisation, program, objects):
        assert client.get(url).status_code == 404, url


def test_admin_of_other_org_gets_404_on_people_pages(login, other_admin_user, organisation):
    client = login(other_admin_user)
    person = factories.PersonFactory(organisation=organisation)
    assert client.get(reverse("programs:people", args=[organisation.slug])).status_code == 404
    url = reverse("programs:person_edit", args=[organisation.slug, person.pk])
    assert client.get(url).status_code == 404


def test_another_orgs_objects_are_404_through_my_own_program(
    admin_client, organisation, program, other_organisation
):
    """Ids of another organisation's objects, put in my program's URLs, find nothing."""
    theirs = factories.ProgramFactory(organisation=other_organisation)
    pairing = factories.PairingFactory(program=theirs)
    cycle = factories.CycleFactory(program=theirs)
    args = [organisation.slug, program.slug]
    urls = [
        reverse("programs:cycle_edit", args=[*args, cycle.pk]),
        reverse("programs:mentor_detail", args=[*args, pairing.mentor.pk]),
        reverse("programs:mentor_status", args=[*args, theirs.mentor_enrolments.get().pk]),
        reverse("programs:mentee_status", args=[*args, theirs.mentee_enrolments.get().pk]),
        reverse("programs:pairing_edit", args=[*args, pairing.pk]),
        reverse("programs:person_edit", args=[organisation.slug, pairing.mentee.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 404, url


def test_another_programs_objects_are_404_in_this_program(admin_client, organisation, program):
    sibling = factories.ProgramFactory(organisation=organisation)
    pairing = factories.PairingFactory(program=sibling)
    args = [organisation.slug, program.slug]
    urls = [
        reverse("programs:mentor_detail", args=[*args, pairing.mentor.pk]),
        reverse("programs:mentor_status", args=[*args, sibling.mentor_enrolments.get().pk]),
        reverse("programs:mentee_status", args=[*args, sibling.mentee_enrolments.get().pk]),
        reverse("programs:pairing_edit", args=[*args, pairing.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 404, url


def test_mentor_page_of_a_person_who_is_not_a_mentor_is_404(admin_client, organisation, program):
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    url = reverse("programs:mentor_detail", args=[organisation.slug, program.slug, mentee.pk])
    assert admin_client.get(url).status_code == 404


def test_only_admins_may_create_programs(manager_client, org_url):
    assert manager_client.get(org_url("create")).status_code == 403


def test_managers_reach_the_people_pages(manager_client, organisation, org_url):
    person = factories.PersonFactory(organisation=organisation)
    assert manager_client.get(org_url("people")).status_code == 200
    assert manager_client.get(org_url("person_create")).status_code == 200
    assert manager_client.get(org_url("person_edit", person.pk)).status_code == 200
