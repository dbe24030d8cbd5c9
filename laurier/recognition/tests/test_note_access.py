"""Who may open the note pages: the program's managers for the manager pages, 404 for another
organisation's people on every note URL, and a mentor only their own notes and cards."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from laurier.organisations.models import Role
from laurier.recognition.services import notes as services
from laurier.testing import factories

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    enrol,
    invite,
    list_url,
    pair,
    person_of,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(program, mentor_user):
    person = person_of(mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


@pytest.fixture
def campaign(program, manager_user, helene):
    jean = pair(program, helene, "Jean", "Roy")
    campaign = invite(program, manager_user, mentor=helene)
    approve(campaign, write(campaign, writer_of(campaign, jean), helene))
    return campaign


def manager_urls(campaign, mentor):
    program = campaign.program
    return [
        ("get", list_url(program)),
        ("get", list_url(program, "note_campaign_create")),
        ("get", campaign_url("note_campaign_detail", campaign)),
        ("post", campaign_url("note_moderate", campaign)),
        ("post", campaign_url("note_campaign_close", campaign)),
        ("get", campaign_url("note_card", campaign, mentor.pk)),
    ]


def test_the_programs_manager_opens_every_manager_page(login, manager_user, campaign, helene):
    client = login(manager_user)

    for method, url in manager_urls(campaign, helene):
        assert getattr(client, method)(url).status_code in (200, 302), url


def test_an_admin_opens_them_too(login, admin_user, campaign, helene):
    response = login(admin_user).get(campaign_url("note_campaign_detail", campaign))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE])
def test_mentors_and_mentees_cannot_open_manager_pages(login, organisation, role, campaign, helene):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=role)
    client = login(user)

    for method, url in manager_urls(campaign, helene):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_manager_of_another_program_gets_404(login, organisation, campaign, helene):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(other_manager)
    client = login(other_manager)

    for method, url in manager_urls(campaign, helene):
        assert getattr(client, method)(url).status_code == 404, url


def test_another_organisations_admin_gets_404_on_every_note_url(
    login, other_admin_user, campaign, helene
):
    client = login(other_admin_user)
    urls = [*manager_urls(campaign, helene)]
    organisation = campaign.organisation.slug
    urls += [
        ("get", reverse("recognition:my_notes", args=[organisation])),
        ("get", reverse("recognition:my_note_card", args=[organisation, campaign.pk])),
    ]

    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url


def test_a_campaign_seen_through_another_organisations_program_is_404(
    login, other_admin_user, other_organisation, campaign, helene
):
    theirs = factories.ProgramFactory(organisation=other_organisation, slug=campaign.program.slug)
    client = login(other_admin_user)

    url = campaign_url("note_campaign_detail", campaign, organisation=other_organisation)
    card = campaign_url("note_card", campaign, helene.pk, organisation=other_organisation)

    assert theirs.slug == campaign.program.slug
    assert client.get(url).status_code == 404
    assert client.get(card).status_code == 404


def test_a_card_for_another_organisations_person_is_404(
    login, manager_user, other_organisation, campaign
):
    stranger = factories.PersonFactory(organisation=other_organisation)

    response = login(manager_user).get(campaign_url("note_card", campaign, stranger.pk))

    assert response.status_code == 404


def test_a_campaign_of_another_program_is_404(login, admin_user, organisation, campaign):
    other_program = factories.ProgramFactory(organisation=organisation)

    response = login(admin_user).get(
        campaign_url("note_campaign_detail", campaign, program=other_program)
    )

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, campaign):
    response = client.get(campaign_url("note_campaign_detail", campaign))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_mentor_sees_only_their_own_notes(
    login, program, manager_user, mentee_user, campaign, helene
):
    services.close_note_campaign(campaign, actor=manager_user)
    other = enrol(program, "Paul", "Gagnon")
    lise = pair(program, other, "Lise", "Fortin")
    theirs = invite(program, manager_user, mentor=other, form_token="other")
    approve(theirs, write(theirs, writer_of(theirs, lise), other, "Pour Paul seulement"))
    services.close_note_campaign(theirs, actor=manager_user)

    response = login(mentee_user).get(
        reverse("recognition:my_notes", args=[campaign.organisation.slug])
    )

    assert response.status_code == 200
    assert response.context["campaigns"] == []
    assert "Pour Paul seulement" not in response.content.decode()
