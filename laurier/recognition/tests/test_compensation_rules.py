"""The rules of compensation decisions, as the service enforces them whatever the form sent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.recognition.models import CompensationDecision
from laurier.recognition.services.compensation import record_decision, suggested_risks_text

from .test_compensation_support import Decision, paid_decision, today_of

pytestmark = pytest.mark.django_db


def fields(program, **changes):
    today = today_of(program.organisation)
    return {
        "decision": Decision.STIPEND,
        "context": "Mentors give four hours a month.",
        "goals": "Keep experienced mentors.",
        "stakeholders": "Mentors, HR",
        "benefits": "",
        "risks": "Mentoring may feel bought.",
        "amount_per_mentor": Decimal("750"),
        "decided_on": today,
        "review_on": today + datetime.timedelta(days=365),
        **changes,
    }


def refusal(program, actor, **changes):
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        record_decision(program=program, actor=actor, **fields(program, **changes))
    assert not CompensationDecision.objects.filter(program=program).exists()
    return {field: " ".join(messages) for field, messages in caught.value.message_dict.items()}


def test_a_stipend_decision_is_recorded_with_its_amount_in_cents(program, manager_user):
    decision, created = record_decision(
        program=program, actor=manager_user, **fields(program, amount_per_mentor=Decimal("750.5"))
    )
    assert created
    assert decision.amount_per_mentor == Decimal("750.50")
    assert decision.recorded_by == manager_user


@pytest.mark.parametrize("decision", [Decision.STIPEND, Decision.HONORARIUM])
@pytest.mark.parametrize("risks", ["", "   \n  "])
def test_paying_mentors_requires_the_risks(program, manager_user, decision, risks):
    errors = refusal(program, manager_user, decision=decision, risks=risks)
    assert "relationship" in errors["risks"]


@pytest.mark.parametrize("decision", [Decision.STIPEND, Decision.HONORARIUM])
def test_paying_mentors_requires_an_amount(program, manager_user, decision):
    errors = refusal(program, manager_user, decision=decision, amount_per_mentor=None)
    assert errors["amount_per_mentor"] == "Give the amount each mentor receives in a year."


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-10")])
def test_the_amount_paid_is_above_zero(program, manager_user, amount):
    errors = refusal(program, manager_user, amount_per_mentor=amount)
    assert errors["amount_per_mentor"] == "The amount per mentor must be above zero."


def test_volunteers_need_neither_risks_nor_amount(program, manager_user):
    decision, created = record_decision(
        program=program,
        actor=manager_user,
        **fields(program, decision=Decision.VOLUNTEER, risks="", amount_per_mentor=None),
    )
    assert created and not decision.pays_mentors
    assert decision.amount_per_mentor is None


def test_volunteers_are_not_given_an_amount(program, manager_user):
    errors = refusal(program, manager_user, decision=Decision.VOLUNTEER)
    assert "leave the amount empty" in errors["amount_per_mentor"]


def test_a_decision_cannot_be_dated_in_the_future(program, manager_user):
    tomorrow = today_of(program.organisation) + datetime.timedelta(days=1)
    errors = refusal(
        program, manager_user, decided_on=tomorrow, review_on=tomorrow + datetime.timedelta(90)
    )
    assert errors["decided_on"] == "A decision cannot be dated in the future."


@pytest.mark.parametrize("days_after", [0, -1])
def test_the_review_comes_after_the_decision(program, manager_user, days_after):
    today = today_of(program.organisation)
    errors = refusal(program, manager_user, review_on=today + datetime.timedelta(days=days_after))
    assert errors["review_on"] == "The review date must come after the decision date."


@pytest.mark.parametrize("field", ["context", "goals", "stakeholders"])
def test_context_goals_and_stakeholders_are_required(program, manager_user, field):
    errors = refusal(program, manager_user, **{field: "  "})
    assert field in errors


def test_an_unknown_decision_is_refused(program, manager_user):
    errors = refusal(program, manager_user, decision="lottery")
    assert "decision" in errors


def test_a_new_decision_is_not_dated_before_the_one_in_force(program, manager_user):
    in_force = paid_decision(program)
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        record_decision(
            program=program,
            actor=manager_user,
            **fields(program, decided_on=in_force.decided_on - datetime.timedelta(days=1)),
        )
    assert "a new decision is dated on or after it" in caught.value.message_dict["decided_on"][0]
    assert list(CompensationDecision.objects.filter(program=program)) == [in_force]


def test_a_new_decision_keeps_the_earlier_ones(program, manager_user):
    earlier = paid_decision(program)
    decision, _created = record_decision(
        program=program, actor=manager_user, **fields(program, decision=Decision.HONORARIUM)
    )
    earlier.refresh_from_db()
    assert earlier.decision == Decision.STIPEND
    assert list(CompensationDecision.objects.filter(program=program)) == [decision, earlier]


def test_recording_a_decision_is_audited(program, manager_user):
    decision, _created = record_decision(program=program, actor=manager_user, **fields(program))
    event = AuditEvent.objects.get(object_type="recognition.compensationdecision")
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == manager_user
    assert event.organisation == program.organisation
    assert event.object_id == str(decision.pk)
    assert event.changes["decision"] == "stipend"


def test_the_same_decision_sent_twice_is_recorded_once(program, manager_user):
    first, created = record_decision(program=program, actor=manager_user, **fields(program))
    again, created_again = record_decision(program=program, actor=manager_user, **fields(program))
    assert (created, created_again) == (True, False)
    assert again == first
    assert CompensationDecision.objects.filter(program=program).count() == 1
    assert AuditEvent.objects.filter(object_type="recognition.compensationdecision").count() == 1


def test_a_changed_decision_the_same_day_is_a_new_one(program, manager_user):
    record_decision(program=program, actor=manager_user, **fields(program))
    _decision, created = record_decision(
        program=program, actor=manager_user, **fields(program, amount_per_mentor=Decimal("800"))
    )
    assert created
    assert CompensationDecision.objects.filter(program=program).count() == 2


def test_the_suggested_risks_name_the_relationship_and_the_motives():
    with translation.override("en"):
        text = suggested_risks_text()
    assert "relationship between mentor and mentee" in text
    assert "intrinsic" in text and "extrinsic" in text
    assert all(line.startswith("- ") for line in text.splitlines())
