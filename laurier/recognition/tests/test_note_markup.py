"""Every note page is usable with assistive technology: unique ids, labelled fields, one <h1>,
no inline script."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import re

import pytest
from django.urls import reverse

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.services import notes as services
from laurier.testing import factories

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    enrol,
    invite,
    link_of,
    list_url,
    pair,
    person_of,
    set_aside,
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
    marie = pair(program, helene, "Marie", "Côté")
    lise = pair(program, helene, "Lise", "Fortin")
    campaign = invite(program, manager_user, mentor=helene, message="Un mot?")
    approve(campaign, write(campaign, writer_of(campaign, jean), helene))
    set_aside(campaign, write(campaign, writer_of(campaign, marie), helene))
    write(campaign, writer_of(campaign, lise), helene)
    write(campaign, writer_of(campaign, lise), helene)
    return campaign


def assert_well_formed(html):
    duplicates, unlabelled, h1_count = check_markup(html)
    assert duplicates == []
    assert unlabelled == []
    assert h1_count == 1
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*[^<\s]", html), "inline script"


def test_the_manager_pages_are_well_formed(login, manager_user, program, campaign, helene):
    client = login(manager_user)
    pages = [
        list_url(program),
        list_url(program, "note_campaign_create"),
        list_url(program, "note_campaign_create") + f"?mentor={helene.pk}",
        list_url(program, "note_campaign_create") + "?find=a",
        campaign_url("note_campaign_detail", campaign),
        campaign_url("note_campaign_detail", campaign) + "?notes=set-aside",
        reverse("programs:mentor_detail", args=["hydro", program.slug, helene.pk]),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_well_formed(response.content.decode())


def test_the_invitation_form_with_errors_is_well_formed(login, manager_user, program, helene):
    response = login(manager_user).post(
        list_url(program, "note_campaign_create"),
        {"executives": "pas une adresse", "closes_on": "", "mentees": "on"},
    )

    assert response.status_code == 200
    assert_well_formed(response.content.decode())


def test_the_empty_list_is_well_formed(login, manager_user, program):
    response = login(manager_user).get(list_url(program))

    assert_well_formed(response.content.decode())


def test_the_writing_pages_are_well_formed(client, program, manager_user, campaign, helene):
    paul = enrol(program, "Paul", "Gagnon")
    peers = invite(program, manager_user, mentees=False, peers=True, form_token="peers")
    writer = writer_of(peers, helene)
    pages = [
        link_of(writer_of(campaign, email=campaign.writers.get(name="Lise Fortin").email)),
        link_of(writer),
        link_of(writer) + f"?mentor={paul.pk}",
        "/n/not-a-token/",
    ]

    for url in pages:
        assert_well_formed(client.get(url).content.decode())


def test_a_refused_note_page_is_well_formed(client, campaign, helene):
    writer = campaign.writers.get(name="Lise Fortin")

    response = client.post(link_of(writer), {"mentor": helene.pk, "text": "", "signature": ""})

    assert response.status_code == 200
    assert_well_formed(response.content.decode())


def test_the_closed_link_page_is_well_formed(client, manager_user, campaign):
    services.close_note_campaign(campaign, actor=manager_user)

    response = client.get(link_of(campaign.writers.first()))

    assert_well_formed(response.content.decode())


def test_my_notes_is_well_formed(login, mentor_user, manager_user, campaign):
    services.close_note_campaign(campaign, actor=manager_user)

    response = login(mentor_user).get(reverse("recognition:my_notes", args=["hydro"]))

    assert response.context["campaigns"]
    assert_well_formed(response.content.decode())
