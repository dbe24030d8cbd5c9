import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.recognition.categories import PublicConsent
from laurier.recognition.models import Spotlight
from laurier.recognition.services.spotlights import (
    check_publishable,
    create_spotlight,
    delete_spotlight,
    edit_spotlight,
)
from laurier.testing import factories

from .test_spotlight_support import (
    TODAY,
    form_data,
    mentor,
    raw_spotlight,
    spotlight_of,
    spotlight_today,  # noqa: F401 — fixture
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


def create(program, person, actor=None, **changes):
    return create_spotlight(program=program, mentor=person, actor=actor, **form_data(**changes))


def refusal(error):
    with translation.override("en"):
        return " ".join(error.value.messages)


def test_a_mentor_who_said_yes_gets_a_spotlight(program, manager_user):
    lea = mentor(program, consent=PublicConsent.YES)

    spotlight, created = create(program, lea, actor=manager_user)

    assert created
    assert (spotlight.mentor, spotlight.title_en) == (lea, "Spotlight: Léa Tremblay")
    assert spotlight.consent_given_on is None
    assert spotlight.created_by == manager_user


def test_a_mentor_who_said_no_is_refused_and_nothing_is_written(program):
    lea = mentor(program, consent=PublicConsent.NO)

    with pytest.raises(ValidationError) as error:
        create(program, lea)

    assert "Léa Tremblay asked to keep their recognition private" in refusal(error)
    assert not Spotlight.objects.exists()


def test_a_mentor_without_a_profile_is_refused(program):
    lea = mentor(program, consent=None)

    with pytest.raises(ValidationError) as error:
        create(program, lea)

    assert "has not said whether they agree to be recognised in public" in refusal(error)
    assert not Spotlight.objects.exists()


def test_a_mentor_who_did_not_answer_is_refused(program):
    lea = mentor(program, consent="")

    with pytest.raises(ValidationError):
        create(program, lea)

    assert not Spotlight.objects.exists()


def test_a_mentor_to_ask_needs_the_day_they_agreed(program):
    lea = mentor(program, consent=PublicConsent.ASK)

    with pytest.raises(ValidationError) as error:
        create(program, lea)

    assert "consent_given_on" in error.value.error_dict
    assert "ask them, then give the day they agreed" in refusal(error)
    assert not Spotlight.objects.exists()


def test_a_mentor_to_ask_gets_a_spotlight_with_the_day_they_agreed(program):
    lea = mentor(program, consent=PublicConsent.ASK)

    spotlight, _created = create(program, lea, consent_given_on=TODAY)

    assert spotlight.consent_given_on == TODAY


@pytest.mark.usefixtures("spotlight_today")
def test_the_day_they_agreed_cannot_be_in_the_future(program):
    lea = mentor(program, consent=PublicConsent.ASK)

    with pytest.raises(ValidationError) as error:
        create(program, lea, consent_given_on=TODAY + datetime.timedelta(days=1))

    assert "consent_given_on" in error.value.error_dict
    assert not Spotlight.objects.exists()


def test_a_day_of_agreement_is_not_kept_for_a_mentor_who_said_yes(program):
    lea = mentor(program, consent=PublicConsent.YES)

    spotlight, _created = create(program, lea, consent_given_on=TODAY)

    assert spotlight.consent_given_on is None


def test_a_person_who_is_not_a_mentor_of_the_program_is_refused(organisation, program):
    other = factories.ProgramFactory(organisation=organisation)
    lea = mentor(other)

    with pytest.raises(ValidationError):
        create(program, lea)

    assert not Spotlight.objects.exists()


def test_the_same_form_sent_twice_saves_one_spotlight(program):
    lea = mentor(program)

    first, first_created = create(program, lea)
    second, second_created = create(program, lea)

    assert (first_created, second_created) == (True, False)
    assert first == second
    assert Spotlight.objects.count() == 1


def test_two_different_spotlights_of_one_mentor_are_both_kept(program):
    lea = mentor(program)

    create(program, lea)
    create(program, lea, title_en="Another angle")

    assert Spotlight.objects.count() == 2


@pytest.mark.parametrize("field", ["title_fr", "title_en", "body_fr", "body_en"])
def test_every_title_and_text_is_required(program, field):
    lea = mentor(program)

    with pytest.raises(ValidationError) as error:
        create(program, lea, **{field: "   "})

    assert field in error.value.error_dict
    assert not Spotlight.objects.exists()


def test_a_text_over_the_limit_is_refused_with_its_length(program):
    lea = mentor(program)

    with pytest.raises(ValidationError) as error:
        create(program, lea, body_en="x" * 10001)

    assert "10001" in refusal(error)
    assert not Spotlight.objects.exists()


def test_creating_a_spotlight_is_audited_with_its_text_shortened(program, manager_user):
    lea = mentor(program)

    spotlight, _created = create(program, lea, actor=manager_user, body_en="Long " * 200)

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(spotlight.pk))
    assert event.actor == manager_user
    assert len(event.changes["body_en"]) <= 200


def test_editing_changes_the_texts_and_is_audited(program, manager_user):
    spotlight = spotlight_of(program, mentor(program))

    edit_spotlight(spotlight, actor=manager_user, title_en="A new title", body_en="New text")

    spotlight.refresh_from_db()
    assert (spotlight.title_en, spotlight.body_en) == ("A new title", "New text")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(spotlight.pk))
    assert event.changes["title_en"] == ["Spotlight: Léa", "A new title"]


def test_editing_the_spotlight_of_a_mentor_who_withdrew_is_refused(program):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea)

    with pytest.raises(ValidationError):
        edit_spotlight(spotlight, actor=None, title_en="Changed")

    spotlight.refresh_from_db()
    assert spotlight.title_en == "Spotlight: Léa"


def test_a_mentor_who_now_asks_each_time_needs_a_day_on_the_spotlight(program):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea, PublicConsent.ASK)

    edit_spotlight(spotlight, actor=None, consent_given_on=TODAY)

    spotlight.refresh_from_db()
    assert spotlight.consent_given_on == TODAY
    check_publishable(spotlight)


def test_deleting_a_spotlight_is_audited(program, manager_user):
    spotlight = spotlight_of(program, mentor(program))

    delete_spotlight(spotlight, actor=manager_user)

    assert not Spotlight.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DELETE, object_id=str(spotlight.pk), actor=manager_user
    ).exists()


def test_deleting_twice_deletes_once(program):
    spotlight = spotlight_of(program, mentor(program))

    delete_spotlight(spotlight, actor=None)
    delete_spotlight(spotlight, actor=None)

    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


@pytest.mark.parametrize("consent", [PublicConsent.NO, "", PublicConsent.ASK])
def test_a_spotlight_whose_mentor_withdrew_may_not_leave(program, consent):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea, consent)

    with pytest.raises(ValidationError) as error:
        check_publishable(spotlight)

    assert refusal(error).startswith("Not published: Léa Tremblay")


def test_a_spotlight_agreed_for_a_mentor_to_ask_may_leave(program):
    lea = mentor(program, consent=PublicConsent.ASK)

    check_publishable(raw_spotlight(program, lea, consent_given_on=TODAY))


def test_the_audit_trail_page_reads_spotlight_events(login, admin_user, organisation, program):
    from django.urls import reverse

    spotlight = spotlight_of(program, mentor(program), actor=admin_user)
    edit_spotlight(spotlight, actor=admin_user, title_en="A new title")
    delete_spotlight(spotlight, actor=admin_user)

    response = login(admin_user).get(reverse("organisations:audit", args=[organisation.slug]))

    assert response.status_code == 200
    assert "A new title" in response.content.decode()
