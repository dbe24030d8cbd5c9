"""Giving an award through the API: one call that records it with the rules of the pages,
and the calls that take an existing award along (approve, give, cancel)."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest

from laurier.api.models import WebhookEndpoint
from laurier.api.scopes import ALL_SCOPES
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail, OutgoingWebhook
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import PublicConsent, Visibility
from laurier.recognition.models import AWARD_MESSAGE_MAX_LENGTH, Award, LedgerEntry
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

from .test_recognition_support import (  # noqa: F401
    budget,
    card,
    consent,
    enrol,
    lea,
    option_of,
    today,
    written,
)

pytestmark = pytest.mark.django_db

AWARDS = "/api/v1/awards/"
Kind = LedgerEntry.Kind


def body(program, mentor, option, **fields):
    return {"program": program.pk, "mentor": mentor.pk, "option": option.pk, **fields}


def refused(response):
    """The error of a refused call, checked to be a 400 in the one error shape."""
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


# --- Giving in one call ----------------------------------------------------------------------


def test_one_call_gives_an_award_spends_its_cost_and_tells_the_mentor(
    api, program, lea, card, budget, today, admin_user
):
    response = api.post(AWARDS, body(program, lea, card, message="Merci, Léa!"), format="json")

    assert response.status_code == 201, response.json()
    award = Award.objects.get(pk=response.json()["id"])
    assert award.status == Award.Status.GIVEN
    assert award.given_on == today
    assert award.given_by == admin_user
    assert response.json()["spent"] == {
        "money": "10.00",
        "staff_hours": "0.50",
        "material_items": 1,
    }
    assert LedgerEntry.objects.get(kind=Kind.SPENDING, budget=budget).money == 10
    assert OutgoingEmail.objects.filter(reason=f"award-given:{award.pk}").exists()
    assert AuditEvent.objects.filter(object_id=str(award.pk), actor=admin_user).exists()


def test_giving_through_the_api_announces_it_to_the_organisations_webhooks(
    api, organisation, program, lea, card, budget
):
    WebhookEndpoint.objects.create(
        organisation=organisation, url="https://hr.example.org/hooks", events=["award.given"]
    )

    response = api.post(AWARDS, body(program, lea, card), format="json")

    (delivery,) = OutgoingWebhook.objects.filter(organisation=organisation)
    assert delivery.payload["event"] == "award.given"
    assert delivery.payload["data"]["award_id"] == response.json()["id"]


def test_a_given_award_records_what_it_actually_cost_and_when(
    api, program, lea, card, budget, today
):
    yesterday = today - datetime.timedelta(days=1)
    response = api.post(
        AWARDS,
        body(program, lea, card, given_on=yesterday.isoformat(), money="12.50"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["given_on"] == yesterday.isoformat()
    assert response.json()["spent"]["money"] == "12.50"


@pytest.mark.parametrize(
    ("status", "kinds"),
    [("planned", []), ("approved", [Kind.COMMITMENT])],
)
def test_an_award_can_be_planned_or_approved_to_give_later(
    api, program, lea, card, budget, status, kinds
):
    response = api.post(AWARDS, body(program, lea, card, status=status), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == status
    assert list(LedgerEntry.objects.values_list("kind", flat=True)) == kinds
    assert not OutgoingEmail.objects.exists()


def test_a_repeated_call_with_the_same_idempotency_key_gives_once(api, program, lea, card, budget):
    sent = body(program, lea, card)

    first = api.post(AWARDS, sent, format="json", HTTP_IDEMPOTENCY_KEY="award-1")
    again = api.post(AWARDS, sent, format="json", HTTP_IDEMPOTENCY_KEY="award-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Award.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=Kind.SPENDING).count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_read_only_token_cannot_give_an_award(
    organisation, admin_user, program, lea, card, budget
):
    read_only = [scope for scope in ALL_SCOPES if scope.endswith(":read")]
    client = client_with(make_token(organisation, admin_user, scopes=read_only)[1])

    response = client.post(AWARDS, body(program, lea, card), format="json")

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["status"] == 403
    assert "recognition:write" in error["message"]
    assert not Award.objects.exists()


# --- The rules of the pages ------------------------------------------------------------------


def _not_active(program, lea, card):
    lea.mentor_enrolments.update(status=EnrolmentStatus.LEFT)
    return body(program, lea, card)


def _private_mentor(program, lea, card):
    consent(lea, PublicConsent.NO)
    card.visibility = Visibility.PUBLIC
    card.save()
    return body(program, lea, card)


def _retired(program, lea, card):
    card.active = False
    card.save()
    return body(program, lea, card)


def _message_too_long(program, lea, card):
    return body(program, lea, card, message="x" * (AWARD_MESSAGE_MAX_LENGTH + 1))


def _over_budget(program, lea, card):
    card.cost_money = "5000.00"
    card.save()
    return body(program, lea, card)


def _given_tomorrow(program, lea, card):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    return body(program, lea, card, given_on=tomorrow.isoformat())


def _planned_in_ten_thousand(program, lea, card):
    return body(program, lea, card, status="approved", planned_on="9999-12-31")


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (_not_active, "mentor", "Choose an active mentor of this program."),
        (_private_mentor, "option", "asked to keep their recognition private"),
        (_retired, "option", "no longer offered"),
        (_message_too_long, "message", "about what fits on a card"),
        (_over_budget, "money", "Not enough money left in the budget"),
        (_given_tomorrow, "given_on", "Mark it given once it has been"),
        (_planned_in_ten_thousand, "planned_on", "Choose a date within 10 years of today."),
    ],
)
def test_the_services_rules_refuse_with_their_message_and_write_nothing(
    api, program, lea, card, budget, make, field, words
):
    sent = make(program, lea, card)
    before = written()

    fields = refused(api.post(AWARDS, sent, format="json"))

    assert words in " ".join(fields.get(field, [])), fields
    assert written() == before


def test_without_a_budget_for_the_year_a_costly_award_is_refused(api, program, lea, card):
    fields = refused(api.post(AWARDS, body(program, lea, card), format="json"))

    assert "has no budget for" in fields["non_field_errors"][0]
    assert not Award.objects.exists()


def test_refusals_speak_french_when_asked(api, program, lea, card, budget):
    lea.mentor_enrolments.update(status=EnrolmentStatus.LEFT)

    response = api.post(
        AWARDS, body(program, lea, card), format="json", HTTP_ACCEPT_LANGUAGE="fr-CA"
    )

    assert refused(response)["mentor"] == ["Choisissez un mentor actif de ce programme."]


def test_an_id_beyond_any_database_integer_does_not_exist(api, program, lea, card):
    sent = {**body(program, lea, card), "mentor": 2**70}

    fields = refused(api.post(AWARDS, sent, format="json"))

    assert "does not exist" in fields["mentor"][0]


@pytest.mark.parametrize("reference", ["program", "mentor", "option"])
def test_another_organisations_rows_cannot_be_named(
    api, program, lea, card, budget, other_organisation, reference
):
    other_program = factories.ProgramFactory(organisation=other_organisation)
    theirs = {
        "program": other_program,
        "mentor": enrol(other_program, "Zoé"),
        "option": option_of(other_organisation),
    }
    sent = {**body(program, lea, card), reference: theirs[reference].pk}

    fields = refused(api.post(AWARDS, sent, format="json"))

    assert "does not exist" in fields[reference][0]
    assert not Award.objects.exists()


def test_actual_costs_go_only_with_a_given_award(api, program, lea, card, budget):
    sent = body(program, lea, card, status="planned", money="3.00")

    fields = refused(api.post(AWARDS, sent, format="json"))

    assert list(fields) == ["money"]
    assert not Award.objects.exists()


# --- Taking an award along -------------------------------------------------------------------


def planned(api, program, lea, card):
    response = api.post(AWARDS, body(program, lea, card, status="planned"), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_a_planned_award_is_approved_then_given(api, program, lea, card, budget):
    pk = planned(api, program, lea, card)

    approved = api.post(f"{AWARDS}{pk}/approve/")
    given = api.post(f"{AWARDS}{pk}/give/", {"giver_names": "Sophie Gagnon"}, format="json")

    assert approved.json()["status"] == "approved"
    assert approved.json()["committed"]["money"] == "10.00"
    assert given.status_code == 200, given.json()
    assert given.json()["status"] == "given"
    assert given.json()["giver_names"] == "Sophie Gagnon"
    assert given.json()["committed"] is None


def test_cancelling_gives_the_commitment_back(api, program, lea, card, budget):
    pk = planned(api, program, lea, card)
    api.post(f"{AWARDS}{pk}/approve/")

    response = api.post(f"{AWARDS}{pk}/cancel/", {"reason": "Left the company"}, format="json")

    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Left the company"
    assert list(LedgerEntry.objects.values_list("kind", flat=True).order_by("pk")) == [
        Kind.COMMITMENT,
        Kind.RELEASE,
    ]


def test_a_cancelled_award_cannot_be_given(api, program, lea, card, budget):
    pk = planned(api, program, lea, card)
    api.post(f"{AWARDS}{pk}/cancel/", {"reason": "Duplicate"}, format="json")

    fields = refused(api.post(f"{AWARDS}{pk}/give/", {}, format="json"))

    assert "cancelled" in fields["non_field_errors"][0]
    assert not LedgerEntry.objects.filter(kind=Kind.SPENDING).exists()


def test_giving_twice_with_the_same_key_gives_once(api, program, lea, card, budget):
    pk = planned(api, program, lea, card)

    first = api.post(f"{AWARDS}{pk}/give/", {}, format="json", HTTP_IDEMPOTENCY_KEY="give-1")
    again = api.post(f"{AWARDS}{pk}/give/", {}, format="json", HTTP_IDEMPOTENCY_KEY="give-1")

    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.parametrize("step", ["approve", "give", "cancel"])
def test_another_organisations_award_answers_404(api, other_organisation, step):
    theirs = factories.AwardFactory(
        program=factories.ProgramFactory(organisation=other_organisation), status="planned"
    )

    response = api.post(f"{AWARDS}{theirs.pk}/{step}/", {"reason": "x"}, format="json")

    assert response.status_code == 404
    assert Award.objects.get(pk=theirs.pk).status == Award.Status.PLANNED


# --- Moments -------------------------------------------------------------------------------------


def test_a_mentors_moments_give_the_keys_an_award_can_mark(api, program, lea, card, budget):
    moments = api.get(f"{AWARDS}moments/", {"program": program.pk, "mentor": lea.pk}).json()
    year_end = next(moment for moment in moments if moment["kind"] == "year_end")

    response = api.post(
        AWARDS,
        body(program, lea, card, status="planned", moment_key=year_end["key"]),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["moment"] == year_end["label"]


def test_a_moment_outside_the_mentors_calendar_is_refused(api, program, lea, card, budget):
    fields = refused(
        api.post(AWARDS, body(program, lea, card, moment_key="no-such-moment"), format="json")
    )

    assert fields["moment_key"] == ["Choose a moment of this mentor's calendar in that year."]


def test_moments_of_another_organisations_program_are_refused(api, lea, other_organisation):
    theirs = factories.ProgramFactory(organisation=other_organisation)

    fields = refused(api.get(f"{AWARDS}moments/", {"program": theirs.pk, "mentor": lea.pk}))

    assert "does not exist" in fields["program"][0]
