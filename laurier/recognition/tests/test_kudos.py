"""Kudos: a mentee or a fellow mentor thanks a mentor for one behaviour, in a click."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import deliver_due_emails
from laurier.programs.models import EnrolmentStatus, Pairing, Person
from laurier.recognition.models import KUDOS_MESSAGE_MAX_LENGTH, Behaviour, Kudos
from laurier.recognition.selectors.kudos import kudos_counts
from laurier.recognition.services.kudos import give_kudos
from laurier.testing import factories

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def mentee(mentee_user):
    return Person.objects.get(user=mentee_user)


@pytest.fixture
def mentor(program, mentor_user, mentee):
    person = Person.objects.get(user=mentor_user)
    factories.PairingFactory(program=program, mentor=person, mentee=mentee)
    return person


@pytest.fixture
def peer(program):
    return factories.MentorEnrolmentFactory(program=program).person


def thank(giver, mentor, program, behaviour=Behaviour.TRUST, **fields):
    return give_kudos(
        giver=giver, mentor=mentor, program=program, behaviour=behaviour, today=TODAY, **fields
    )


def my_kudos_url(organisation):
    return reverse("recognition:my_kudos", args=[organisation.slug])


def give_url(organisation):
    return reverse("recognition:kudos_give", args=[organisation.slug])


def test_a_mentee_thanks_their_mentor(program, mentor, mentee):
    kudos, created = thank(mentee, mentor, program, message="Merci pour ta confiance")
    assert created
    assert (kudos.relation, kudos.behaviour, kudos.message) == (
        "mentee",
        "trust",
        "Merci pour ta confiance",
    )


def test_a_fellow_mentor_thanks_a_mentor(program, mentor, peer):
    kudos, _created = thank(peer, mentor, program, Behaviour.EXPERTISE)
    assert kudos.relation == "peer"


def test_the_same_click_twice_the_same_day_counts_once(program, mentor, mentee):
    first, _created = thank(mentee, mentor, program)
    again, created = thank(mentee, mentor, program)
    assert (again, created) == (first, False)
    assert Kudos.objects.count() == 1
    assert OutgoingEmail.objects.filter(reason__startswith="kudos:").count() == 1


def test_another_behaviour_the_same_day_is_another_kudos(program, mentor, mentee):
    thank(mentee, mentor, program, Behaviour.TRUST)
    thank(mentee, mentor, program, Behaviour.CREATIVITY)
    assert Kudos.objects.count() == 2


def test_someone_without_a_link_to_the_mentor_cannot_thank_them(organisation, program, mentor):
    stranger = factories.PersonFactory(organisation=organisation)
    with pytest.raises(ValidationError):
        thank(stranger, mentor, program)
    assert not Kudos.objects.exists()


def test_a_mentee_still_thanks_their_mentor_once_the_pairing_ended(program, mentor, mentee):
    Pairing.objects.update(status=Pairing.Status.COMPLETED)
    kudos, _created = thank(mentee, mentor, program)
    assert kudos.relation == "mentee"


def test_a_mentor_who_left_is_no_longer_a_peer(program, mentor, peer):
    peer.mentor_enrolments.update(status=EnrolmentStatus.LEFT)
    with pytest.raises(ValidationError):
        thank(peer, mentor, program)


def test_nobody_thanks_themselves(program, mentor):
    with pytest.raises(ValidationError):
        thank(mentor, mentor, program)


def test_a_message_over_the_limit_is_refused_with_its_length(program, mentor, mentee):
    with pytest.raises(ValidationError) as refusal, translation.override("en"):
        thank(mentee, mentor, program, message="x" * (KUDOS_MESSAGE_MAX_LENGTH + 1))
    assert f"{KUDOS_MESSAGE_MAX_LENGTH + 1} characters" in str(refusal.value)
    assert not Kudos.objects.exists()


def test_an_unknown_behaviour_is_refused(program, mentor, mentee):
    with pytest.raises(ValidationError):
        thank(mentee, mentor, program, behaviour="charm")


def test_counts_list_every_behaviour(program, mentor, mentee, peer):
    thank(mentee, mentor, program, Behaviour.TRUST)
    thank(peer, mentor, program, Behaviour.TRUST)
    thank(peer, mentor, program, Behaviour.NETWORKING)
    assert dict(kudos_counts(mentor)) == {
        Behaviour.TRUST: 2,
        Behaviour.NETWORKING: 1,
        Behaviour.EXPERTISE: 0,
        Behaviour.COMMITMENT: 0,
        Behaviour.CREATIVITY: 0,
    }


def test_the_mentor_receives_an_email_in_their_language(smtp_server, program, mentor, mentee):
    Person.objects.filter(pk=mentor.pk).update(language="en")
    mentor.refresh_from_db()
    thank(mentee, mentor, program, Behaviour.COMMITMENT, message="You never gave up on me")
    deliver_due_emails()
    (message,) = smtp_server.messages
    assert message["To"] == mentor.email
    assert f"{mentee.first_name} thanks you for your commitment" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "You never gave up on me" in body
    assert reverse("recognition:my_kudos", args=[program.organisation.slug]) in body


def test_the_mentee_sees_their_mentor_and_gives_kudos_from_the_page(
    login, organisation, program, mentor, mentee, mentee_user
):
    client = login(mentee_user)
    page = client.get(my_kudos_url(organisation))
    assert mentor.full_name in page.content.decode()
    response = client.post(
        give_url(organisation),
        {"mentor": mentor.pk, "program": program.pk, "behaviour": "trust", "message": "Merci"},
    )
    assert response.status_code == 302
    assert Kudos.objects.get().giver == mentee


def test_a_mentor_finds_a_fellow_mentor_by_name(
    login, organisation, program, mentor, peer, mentor_user
):
    response = login(mentor_user).get(my_kudos_url(organisation), {"q": peer.last_name})
    assert peer.full_name in response.content.decode()


def test_a_mentor_sees_the_kudos_received(
    login, organisation, program, mentor, mentee, mentor_user
):
    thank(mentee, mentor, program, Behaviour.CREATIVITY, message="Des idées plein la tête")
    response = login(mentor_user).get(my_kudos_url(organisation))
    assert "Des idées plein la tête" in response.content.decode()


def test_a_crafted_post_for_another_organisations_mentor_changes_nothing(
    login, organisation, program, mentee_user, mentee, other_organisation
):
    stranger = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    ).person
    response = login(mentee_user).post(
        give_url(organisation),
        {"mentor": stranger.pk, "program": program.pk, "behaviour": "trust"},
    )
    assert response.status_code == 302
    assert not Kudos.objects.exists()


def test_the_page_keeps_its_queries_whatever_the_kudos(
    login, organisation, program, mentor, mentor_user, django_assert_max_num_queries
):
    client = login(mentor_user)
    for day in range(20):
        giver = factories.PairingFactory(program=program, mentor=mentor).mentee
        give_kudos(
            giver=giver,
            mentor=mentor,
            program=program,
            behaviour="trust",
            today=TODAY + datetime.timedelta(days=day),
        )
    with django_assert_max_num_queries(12):
        client.get(my_kudos_url(organisation))


def test_the_mentor_page_counts_the_kudos_of_the_program(
    login, organisation, program, mentor, mentee, peer, manager_user
):
    thank(mentee, mentor, program, Behaviour.TRUST)
    thank(peer, mentor, program, Behaviour.TRUST)
    url = reverse("programs:mentor_detail", args=[organisation.slug, program.slug, mentor.pk])
    response = login(manager_user).get(url)
    assert dict(response.context["kudos"])[Behaviour.TRUST] == 2
    assert response.context["kudos_total"] == 2


def test_a_fellow_mentor_is_found_without_typing_the_accents(
    login, organisation, program, mentor, peer, mentor_user
):
    Person.objects.filter(pk=peer.pk).update(last_name="Bédard")
    response = login(mentor_user).get(my_kudos_url(organisation), {"q": "bedard"})
    assert "Bédard" in response.content.decode()


def test_fellow_mentors_are_listed_in_the_order_people_expect(
    login, organisation, program, mentor, mentor_user
):
    for last_name in ("Bouchard", "Bédard", "Brown"):
        enrolled = factories.MentorEnrolmentFactory(program=program)
        Person.objects.filter(pk=enrolled.person.pk).update(last_name=last_name)

    response = login(mentor_user).get(my_kudos_url(organisation), {"q": "b"})

    names = [person.last_name for _program, person in response.context["peers"]]
    assert names == ["Bédard", "Bouchard", "Brown"]
