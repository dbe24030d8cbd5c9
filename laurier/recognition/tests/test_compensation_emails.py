"""A program that starts, changes or stops paying its mentors tells its managers and admins."""

import datetime
from decimal import Decimal

import pytest
from django.urls import resolve
from django.utils import translation

from laurier.organisations.models import Role
from laurier.recognition.services.compensation import record_decision
from laurier.testing import factories

from .test_compensation_support import Decision, paid_decision, today_of, volunteer_decision

pytestmark = pytest.mark.django_db


def decide(program, actor, **changes):
    today = today_of(program.organisation)
    fields = {
        "decision": Decision.STIPEND,
        "context": "Mentors give four hours a month.",
        "goals": "Keep experienced mentors.",
        "stakeholders": "Mentors, HR",
        "benefits": "",
        "risks": "- Mentoring may feel bought.\n- Motives may become extrinsic.",
        "amount_per_mentor": Decimal("750.00"),
        "decided_on": today,
        "review_on": today + datetime.timedelta(days=365),
        **changes,
    }
    return record_decision(program=program, actor=actor, **fields)[0]


@pytest.fixture
def readers(organisation, program):
    """A French-speaking admin and an English-speaking co-manager of the program."""
    admin = factories.UserFactory(email="admin.fr@example.org", language="fr-ca")
    factories.MembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    co_manager = factories.UserFactory(email="co@example.org", language="en")
    factories.MembershipFactory(organisation=organisation, user=co_manager, role=Role.MANAGER)
    program.managers.add(co_manager)
    return admin, co_manager


def by_recipient(inbox):
    return {message["To"]: message for message in inbox.messages}


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_paying_decision_reaches_admins_and_managers_but_not_its_author(
    smtp_server, program, manager_user, readers
):
    decide(program, manager_user)
    assert sorted(by_recipient(smtp_server)) == ["admin.fr@example.org", "co@example.org"]


def test_a_deactivated_account_is_not_written_to(smtp_server, program, manager_user, readers):
    admin, _co_manager = readers
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    decide(program, manager_user)

    assert sorted(by_recipient(smtp_server)) == ["co@example.org"]


def test_the_email_states_the_payment_the_risks_and_the_review(
    smtp_server, program, manager_user, readers
):
    decision = decide(program, manager_user)
    message = by_recipient(smtp_server)["co@example.org"]
    assert message["Subject"] == "Relève pays its mentors: the risks to watch"
    text = text_of(message)
    assert "Each mentor receives a stipend of $750.00 per fiscal year." in text
    assert "- Mentoring may feel bought." in text
    assert f"Recorded by {manager_user}." in text
    with translation.override("en"):
        from django.utils.formats import date_format

        assert date_format(decision.review_on, "DATE_FORMAT") in text


def test_the_email_is_in_the_reader_s_language(smtp_server, program, manager_user, readers):
    decide(program, manager_user)
    text = text_of(by_recipient(smtp_server)["admin.fr@example.org"])
    assert "750,00" in text
    assert "$750.00" not in text


def test_the_email_links_to_the_compensation_page(
    smtp_server, settings, program, manager_user, readers
):
    settings.SITE_URL = "http://testserver"
    decide(program, manager_user)
    text = text_of(by_recipient(smtp_server)["co@example.org"])
    link = next(word for word in text.split() if word.startswith("http://testserver/"))
    match = resolve(link.removeprefix("http://testserver"))
    assert match.view_name == "recognition:compensation"
    assert match.kwargs["program_slug"] == program.slug


def test_a_program_that_stays_volunteer_sends_nothing(smtp_server, program, manager_user, readers):
    volunteer_decision(program)
    decide(program, manager_user, decision=Decision.VOLUNTEER, amount_per_mentor=None, risks="")
    assert smtp_server.messages == []


def test_a_review_that_keeps_the_same_payment_sends_nothing(
    smtp_server, program, manager_user, readers
):
    paid_decision(program, amount_per_mentor=Decimal("750.00"))
    decide(program, manager_user, context="Reviewed: nothing changes.")
    assert smtp_server.messages == []


def test_a_changed_amount_is_told(smtp_server, program, manager_user, readers):
    paid_decision(program, amount_per_mentor=Decimal("500.00"))
    decide(program, manager_user)
    assert len(smtp_server.messages) == 2


def test_stopping_payment_is_told(smtp_server, program, manager_user, readers):
    paid_decision(program)
    decide(program, manager_user, decision=Decision.VOLUNTEER, amount_per_mentor=None)
    message = by_recipient(smtp_server)["co@example.org"]
    assert message["Subject"] == "Relève no longer pays its mentors"
    assert "risks recorded" not in text_of(message)


def test_a_decision_refused_sends_nothing(smtp_server, program, manager_user, readers):
    with pytest.raises(Exception):  # noqa: B017
        decide(program, manager_user, risks="")
    assert smtp_server.messages == []
