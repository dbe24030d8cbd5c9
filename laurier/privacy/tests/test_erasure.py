"""Erasing a person: their personal data go, their part in the figures stays, their
credentials still verify."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from laurier.credentials.verification import verify_text
from laurier.organisations.audit import record_change
from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.outbox.models import OutgoingEmail, OutgoingWebhook
from laurier.privacy.models import Erasure
from laurier.privacy.services.erasure import erase_person
from laurier.profiles.models import MentorProfile
from laurier.programs.models import Pairing, Person
from laurier.recognition.models import Award
from laurier.surveys.models import Answer
from laurier.testing import factories

from .conftest import session_count, url

User = get_user_model()


@pytest.fixture
def erased(mentor, history, admin_user):
    erase_person(mentor, actor=admin_user)
    mentor.refresh_from_db()
    return mentor


def test_the_person_is_renamed_and_loses_what_identifies_them(erased):
    with translation.override(erased.organisation.language):
        assert (erased.first_name, erased.last_name) == (gettext("Erased person"), f"#{erased.pk}")
    assert erased.email == f"erased-{erased.pk}@erased.invalid"
    assert (erased.job_title, erased.department, erased.hire_date) == ("", "", None)
    assert erased.user is None


def test_what_they_took_part_in_still_counts(erased, program):
    assert session_count(program) == 2
    assert Award.objects.filter(mentor=erased).count() == 2
    assert Answer.objects.filter(response__recipient__person=erased).count() == 4


def test_the_texts_written_to_or_by_them_are_gone(erased):
    assert not Award.objects.filter(mentor=erased).exclude(message="").exists()
    assert not Answer.objects.filter(response__recipient__person=erased).exclude(text="").exists()
    assert set(erased.sessions_as_mentor.values_list("notes", flat=True)) == {""}


def test_their_active_pairings_end(erased, history):
    history["pairing"].refresh_from_db()
    assert history["pairing"].status == Pairing.Status.ENDED_EARLY


def test_their_account_is_closed_and_emptied(mentor_user, erased):
    mentor_user.refresh_from_db()
    assert not mentor_user.is_active and not mentor_user.has_usable_password()
    assert mentor_user.email == f"erased-user-{mentor_user.pk}@erased.invalid"
    assert not Membership.objects.filter(user=mentor_user).exists()


def test_an_account_in_another_organisation_only_leaves_this_one(
    mentor_user, mentor, other_organisation, admin_user
):
    factories.MembershipFactory(organisation=other_organisation, user=mentor_user, role=Role.MENTOR)
    erase_person(mentor, actor=admin_user)
    mentor_user.refresh_from_db()
    assert mentor_user.is_active and mentor_user.email == "mentor@example.org"
    assert list(
        Membership.objects.filter(user=mentor_user).values_list("organisation__slug", flat=True)
    ) == ["other"]


def test_their_open_session_ends(login, mentor_user, mentor, admin_user, organisation):
    client = login(mentor_user)
    assert client.get(url("my_data", organisation)).status_code == 200
    erase_person(mentor, actor=admin_user)
    assert client.get(url("my_data", organisation)).status_code == 302


def test_their_profile_is_deleted(erased):
    assert not MentorProfile.objects.filter(person=erased).exists()


def test_an_email_waiting_for_them_is_withdrawn(mentor, organisation, admin_user):
    email = OutgoingEmail.objects.create(
        organisation=organisation, to=mentor.email, subject="Bravo Jeanne", text="Hello"
    )
    erase_person(mentor, actor=admin_user)
    email.refresh_from_db()
    assert (email.status, email.to, email.subject) == ("cancelled", "erased@erased.invalid", "")


def test_the_audit_trail_says_who_erased_without_the_erased_data(erased, admin_user):
    events = AuditEvent.objects.filter(object_id=str(erased.pk), object_type="programs.person")
    erasure = events.get(action=AuditEvent.Action.ERASE)
    assert (erasure.actor, erasure.changes) == (admin_user, {"reason": "request"})
    everything = json.dumps(list(AuditEvent.objects.values("object_repr", "changes")))
    assert "Jeanne" not in everything and "Tremblay" not in everything


def test_erasing_twice_erases_once(erased, admin_user):
    erase_person(erased, actor=admin_user)
    assert Erasure.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).count() == 1


def test_an_admin_is_refused_until_demoted(admin_user, organisation):
    person = factories.PersonFactory(organisation=organisation, user=admin_user)
    with pytest.raises(ValidationError):
        erase_person(person, actor=admin_user)
    assert not Erasure.objects.exists()


# The credential: verifiable, no longer named


def test_the_holders_copy_still_verifies_as_valid(mentor, history, admin_user):
    credential = history["credential"]
    copies = (json.dumps(credential.document), credential.jwt)
    erase_person(mentor, actor=admin_user)
    assert [verify_text(copy).outcome for copy in copies] == ["valid", "valid"]


def test_the_kept_copy_no_longer_names_them(erased, history):
    credential = history["credential"]
    credential.refresh_from_db()
    kept = json.dumps(credential.document)
    assert "Jeanne" not in kept and "identityHash" not in kept and credential.jwt == ""


def test_an_altered_copy_is_still_caught(mentor, history, admin_user):
    document = dict(history["credential"].document, name="Forged")
    erase_person(mentor, actor=admin_user)
    assert verify_text(json.dumps(document)).outcome == "tampered"


def test_the_public_page_no_longer_names_them_nor_serves_the_copy(client, erased, history):
    page = reverse("credentials:credential", args=[history["credential"].public_id])
    response = client.get(page)
    assert response.status_code == 200 and "Jeanne" not in response.content.decode()
    assert client.get(page, HTTP_ACCEPT="application/ld+json").status_code == 404


# The pages


def test_the_confirmation_page_says_what_goes_and_what_stays(
    login, admin_user, organisation, mentor
):
    client = login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        html = client.get(url("person_erase", organisation, mentor.pk)).content.decode()
    assert "This cannot be undone." in html
    assert "What stays, without their name" in html and 'name="name"' in html


def test_a_wrong_name_erases_nothing(login, admin_user, organisation, mentor):
    response = login(admin_user).post(
        url("person_erase", organisation, mentor.pk), {"name": "Jeanne"}
    )
    assert response.status_code == 200 and not Erasure.objects.exists()


def test_the_typed_name_erases(login, admin_user, organisation, mentor):
    client = login(admin_user)
    response = client.post(
        url("person_erase", organisation, mentor.pk), {"name": " jeanne  TREMBLAY "}
    )
    assert response.status_code == 302
    assert Erasure.objects.get().person == mentor


def test_a_double_submit_erases_once(login, admin_user, organisation, mentor):
    client = login(admin_user)
    for _ in range(2):
        response = client.post(
            url("person_erase", organisation, mentor.pk), {"name": "Jeanne Tremblay"}
        )
        assert response.status_code == 302
    assert Erasure.objects.count() == 1


def test_a_manager_may_not_erase(login, manager_user, organisation, mentor):
    response = login(manager_user).post(
        url("person_erase", organisation, mentor.pk), {"name": "Jeanne Tremblay"}
    )
    assert response.status_code == 403 and Person.objects.get(pk=mentor.pk).first_name == "Jeanne"


def test_another_organisations_admin_finds_nothing(
    login, other_admin_user, other_organisation, mentor
):
    response = login(other_admin_user).post(
        url("person_erase", other_organisation, mentor.pk), {"name": "Jeanne Tremblay"}
    )
    assert response.status_code == 404


def test_values_recorded_elsewhere_in_the_trail_lose_their_name(mentor, organisation, admin_user):
    juror = factories.JurorFactory(person=mentor, name="Jeanne Tremblay", email=mentor.email)
    record_change(
        organisation=organisation, actor=admin_user, action=AuditEvent.Action.CREATE, instance=juror
    )
    erase_person(mentor, actor=admin_user)
    changes = AuditEvent.objects.get(object_type="contests.juror").changes
    assert "Jeanne" not in json.dumps(changes) and "mentor@example.org" not in json.dumps(changes)


def test_a_post_to_the_organisations_systems_loses_their_name(organisation, admin_user):
    person = factories.PersonFactory(
        organisation=organisation, first_name="Zoé", last_name="Bélanger", email="zoe@example.org"
    )
    post = OutgoingWebhook.objects.create(
        organisation=organisation,
        url="https://hooks.example.org/laurier",
        payload={"mentor": {"name": "Zoé Bélanger", "email": "zoe@example.org"}},
    )
    erase_person(person, actor=admin_user)
    post.refresh_from_db()
    assert post.payload == {"mentor": {"name": "—", "email": "—"}}
