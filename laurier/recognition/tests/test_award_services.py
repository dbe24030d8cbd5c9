"""The award services: adding, approving, giving, cancelling and editing a recognition.

Léa Tremblay mentors the program; the card costs 10 $, half an hour and one item; the
program's budget for this fiscal year holds 1 000 $, 20 hours and 50 items.
"""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.core.dates import fiscal_year_label
from laurier.organisations.models import AuditEvent
from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import Giver, PublicConsent, Visibility
from laurier.recognition.models import AWARD_MESSAGE_MAX_LENGTH, Award, LedgerEntry
from laurier.recognition.services import awards
from laurier.testing import factories

from .test_award_service_support import (  # noqa: F401
    DAY,
    a_year_before,
    add,
    approved,
    award_emails,
    award_events,
    budget,
    budget_for,
    card,
    enrol,
    free_option,
    give,
    lea,
    ledger,
    option_of,
    refused_with_nothing_written,
    today,
    usage,
    year_bounds,
    year_of,
)

pytestmark = pytest.mark.django_db

Kind = LedgerEntry.Kind
Status = Award.Status


def consent(person, answer):
    return MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=answer,
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )


def year_end_key(organisation, day):
    """The key of the end-of-year moment (December 15) of `day`'s fiscal year: a fiscal year
    is named by the calendar year it starts in, whose December it always holds."""
    return f"year-end-{year_of(organisation, day)}"


def anniversary_key(program, mentor, day):
    """The key of `mentor`'s anniversary of mentoring in `day`'s fiscal year."""
    moments = awards.moments_for(program, mentor, year_of(program.organisation, day))
    return next(key for key in moments if key.startswith("anniversary-"))


# --- Adding ------------------------------------------------------------------------------------


def test_an_added_award_is_planned_and_commits_nothing(
    program, lea, card, budget, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)

    assert (award.status, award.mentor, award.option) == (Status.PLANNED, lea, card)
    assert award.commitment is None
    assert ledger() == []


def test_adding_an_award_is_audited(program, lea, card, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today)

    event = award_events(award).get()
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, manager_user)


def test_a_mentor_of_another_program_is_refused(organisation, program, card, manager_user, today):
    elsewhere = enrol(factories.ProgramFactory(organisation=organisation), "Marc")

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program, mentor=elsewhere, option=card, planned_on=today, actor=manager_user
        ),
        field="mentor",
    )


@pytest.mark.parametrize("status", [EnrolmentStatus.LEFT, EnrolmentStatus.PAUSED])
def test_a_mentor_no_longer_active_is_refused(program, card, manager_user, today, status):
    gone = enrol(program, "Marc", status=status)

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program, mentor=gone, option=card, planned_on=today, actor=manager_user
        ),
        field="mentor",
    )


def test_a_mentee_of_the_program_is_refused(program, card, manager_user, today):
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program, mentor=mentee, option=card, planned_on=today, actor=manager_user
        ),
        field="mentor",
    )


def test_an_option_of_another_organisation_is_refused(
    program, lea, other_organisation, manager_user, today
):
    theirs = option_of(other_organisation)

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program, mentor=lea, option=theirs, planned_on=today, actor=manager_user
        ),
        field="option",
    )


def test_a_retired_option_is_refused(program, lea, card, manager_user, today):
    card.active = False
    card.save()

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.add_award(
                program=program, mentor=lea, option=card, planned_on=today, actor=manager_user
            ),
            field="option",
        )

    assert message == "This option is no longer offered: offer it again first."


def test_an_option_for_mentees_is_refused(organisation, program, lea, manager_user, today):
    for_mentees = option_of(organisation, standard_key="training_hours_mentee")

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program, mentor=lea, option=for_mentees, planned_on=today, actor=manager_user
        ),
        field="option",
    )


def test_a_public_option_is_refused_for_a_mentor_who_asked_for_privacy(
    organisation, program, lea, manager_user, today
):
    consent(lea, PublicConsent.NO)
    mention = option_of(organisation, visibility=Visibility.PUBLIC, name_en="Newsletter mention")

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.add_award(
                program=program, mentor=lea, option=mention, planned_on=today, actor=manager_user
            ),
            field="option",
        )

    assert "Léa Tremblay asked to keep their recognition private" in message
    assert "“Newsletter mention” is public" in message


def test_a_private_option_is_allowed_for_a_mentor_who_asked_for_privacy(
    program, lea, card, manager_user, today
):
    consent(lea, PublicConsent.NO)

    assert add(program, lea, card, manager_user, planned_on=today).status == Status.PLANNED


@pytest.mark.parametrize("answer", [PublicConsent.ASK, PublicConsent.YES])
def test_a_public_option_is_allowed_for_a_mentor_who_agreed_or_wants_to_be_asked(
    organisation, program, lea, manager_user, today, answer
):
    consent(lea, answer)
    mention = option_of(organisation, visibility=Visibility.PUBLIC)

    assert add(program, lea, mention, manager_user, planned_on=today).option == mention


def test_another_mentors_anniversary_is_refused(program, lea, card, manager_user, today):
    marc = enrol(program, "Marc", since=a_year_before(program.organisation, today))
    his = anniversary_key(program, marc, today)

    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program,
            mentor=lea,
            option=card,
            planned_on=today,
            actor=manager_user,
            moment_key=his,
        ),
        field="moment_key",
    )


def test_the_mentors_own_anniversary_is_accepted_and_named_in_both_languages(
    program, lea, card, manager_user, today
):
    hers = anniversary_key(program, lea, today)

    award = add(program, lea, card, manager_user, planned_on=today, moment_key=hers)

    assert (award.moment_key, award.moment_fr, award.moment_en) == (
        hers,
        "Léa Tremblay : 1 an de mentorat",
        "Léa Tremblay: 1 year of mentoring",
    )


def test_a_moment_unknown_to_the_calendar_is_refused(program, lea, card, manager_user, today):
    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program,
            mentor=lea,
            option=card,
            planned_on=today,
            actor=manager_user,
            moment_key="year-end-1999",
        ),
        field="moment_key",
    )


def test_a_message_over_the_limit_is_refused_with_its_length_and_the_limit(
    program, lea, card, manager_user, today
):
    too_long = "x" * (AWARD_MESSAGE_MAX_LENGTH + 1)

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.add_award(
                program=program,
                mentor=lea,
                option=card,
                planned_on=today,
                actor=manager_user,
                message=too_long,
            ),
            field="message",
        )

    assert f"{AWARD_MESSAGE_MAX_LENGTH + 1} characters long" in message
    assert f"keep it to {AWARD_MESSAGE_MAX_LENGTH}" in message


def test_a_message_of_exactly_the_limit_is_kept(program, lea, card, manager_user, today):
    longest = "x" * AWARD_MESSAGE_MAX_LENGTH

    assert add(program, lea, card, manager_user, planned_on=today, message=longest).message


def test_an_unknown_giver_is_refused(program, lea, card, manager_user, today):
    refused_with_nothing_written(
        lambda: awards.add_award(
            program=program,
            mentor=lea,
            option=card,
            planned_on=today,
            actor=manager_user,
            givers=[Giver.MANAGER, "the-pope"],
        ),
        field="givers",
    )


def test_a_giver_named_twice_is_kept_once(program, lea, card, manager_user, today):
    award = add(
        program,
        lea,
        card,
        manager_user,
        planned_on=today,
        givers=[Giver.EXECUTIVE, Giver.MANAGER, Giver.EXECUTIVE],
    )

    assert award.givers == [Giver.EXECUTIVE, Giver.MANAGER]


def test_the_same_form_sent_twice_adds_one_award(program, lea, card, manager_user, today):
    fields = {
        "program": program,
        "mentor": lea,
        "option": card,
        "planned_on": today,
        "actor": manager_user,
        "form_token": "token-1",
    }
    first, first_created = awards.add_award(**fields)
    second, second_created = awards.add_award(**fields)

    assert (first_created, second_created) == (True, False)
    assert second == first
    assert Award.objects.count() == 1
    assert award_events().count() == 1


def test_another_form_adds_another_award(program, lea, card, manager_user, today):
    fields = {"program": program, "mentor": lea, "option": card, "planned_on": today}
    awards.add_award(**fields, actor=manager_user, form_token="token-1")
    awards.add_award(**fields, actor=manager_user, form_token="token-2")

    assert Award.objects.count() == 2


# --- Approving ---------------------------------------------------------------------------------


def test_approving_commits_the_options_costs_to_the_budget_of_the_awards_year(
    organisation, program, lea, card, manager_user, today
):
    this_year = budget_for(program, today)
    _first, last = year_bounds(organisation, today)
    next_year = budget_for(program, last + DAY)
    award = add(program, lea, card, manager_user, planned_on=today)

    award = awards.approve_award(award, actor=manager_user)

    assert award.status == Status.APPROVED
    commitment = award.commitment
    assert commitment.budget == this_year
    assert (commitment.kind, commitment.money, commitment.staff_hours) == (
        Kind.COMMITMENT,
        Decimal("10.00"),
        Decimal("0.50"),
    )
    assert commitment.material_items == 1
    assert (commitment.person, commitment.option) == (lea, card)
    assert ledger(next_year) == []


def test_approving_is_audited(program, lea, card, budget, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today)

    awards.approve_award(award, actor=manager_user)

    event = award_events(award).filter(action=AuditEvent.Action.UPDATE).get()
    assert (event.actor, event.changes["status"]) == (manager_user, Status.APPROVED)


def test_approving_without_a_budget_is_refused_naming_the_program_and_year(
    organisation, program, lea, card, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.approve_award(award, actor=manager_user), award
        )
        year = fiscal_year_label(organisation, year_of(organisation, today))

    assert message == f"Relève has no budget for {year}: create it before approving."


def test_another_programs_budget_is_not_used(organisation, program, lea, card, manager_user, today):
    budget_for(factories.ProgramFactory(organisation=organisation), today)
    award = add(program, lea, card, manager_user, planned_on=today)

    refused_with_nothing_written(lambda: awards.approve_award(award, actor=manager_user), award)


def test_approving_over_the_budget_is_refused_and_writes_nothing(
    program, lea, card, manager_user, today
):
    budget_for(program, today, money=Decimal("9.99"))
    award = add(program, lea, card, manager_user, planned_on=today)

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.approve_award(award, actor=manager_user), award, field="money"
        )

    assert "Not enough money left in the budget" in message
    assert Award.objects.get().status == Status.PLANNED


def test_approving_past_the_options_capacity_is_refused(
    organisation, program, lea, budget, manager_user, today
):
    gala = option_of(organisation, capacity=1, capacity_period="year")
    approved(program, enrol(program, "Marc"), gala, manager_user, planned_on=today)
    award = add(program, lea, gala, manager_user, planned_on=today)

    refused_with_nothing_written(lambda: awards.approve_award(award, actor=manager_user), award)
    assert Award.objects.get(pk=award.pk).status == Status.PLANNED


def test_approving_twice_commits_once(program, lea, card, budget, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today)

    first = awards.approve_award(award, actor=manager_user)
    second = awards.approve_award(award, actor=manager_user)

    assert second.commitment == first.commitment
    assert LedgerEntry.objects.filter(kind=Kind.COMMITMENT).count() == 1
    assert usage(budget) == (Decimal("10.00"), Decimal("0"))


def test_an_option_that_costs_nothing_is_approved_without_ledger_lines_or_budget(
    organisation, program, lea, manager_user, today
):
    award = add(program, lea, free_option(organisation), manager_user, planned_on=today)

    award = awards.approve_award(award, actor=manager_user)

    assert (award.status, award.commitment) == (Status.APPROVED, None)
    assert ledger() == []


def test_a_free_option_with_a_capacity_is_counted_in_the_budget(
    organisation, program, lea, budget, manager_user, today
):
    seat = free_option(organisation, capacity=10, capacity_period="year")

    award = approved(program, lea, seat, manager_user, planned_on=today)

    assert award.commitment is not None
    assert ledger(budget) == [(Kind.COMMITMENT, Decimal("0.00"), Decimal("0.00"), 0, None)]


def test_an_option_retired_after_the_award_was_added_cannot_be_approved(
    program, lea, card, budget, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)
    card.active = False
    card.save()

    refused_with_nothing_written(lambda: awards.approve_award(award, actor=manager_user), award)


def test_a_cancelled_award_cannot_be_approved(program, lea, card, budget, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today)
    awards.cancel_award(award, actor=manager_user, reason="Changed our mind")

    refused_with_nothing_written(lambda: awards.approve_award(award, actor=manager_user), award)


# --- Giving ------------------------------------------------------------------------------------


@pytest.fixture
def approved_card(program, lea, card, budget, manager_user, today):
    return approved(program, lea, card, manager_user, planned_on=today)


def test_giving_spends_what_was_committed_and_settles_the_commitment(
    approved_card, budget, manager_user, today
):
    award = give(approved_card, manager_user, given_on=today)

    commitment = award.commitment
    assert (award.status, award.given_on, award.given_by) == (Status.GIVEN, today, manager_user)
    assert ledger(budget) == [
        (Kind.COMMITMENT, Decimal("10.00"), Decimal("0.50"), 1, None),
        (Kind.RELEASE, Decimal("10.00"), Decimal("0.50"), 1, commitment.pk),
        (Kind.SPENDING, Decimal("10.00"), Decimal("0.50"), 1, commitment.pk),
    ]
    assert award.spending.kind == Kind.SPENDING
    assert award.spending.person == award.mentor
    assert usage(budget) == (Decimal("0"), Decimal("10.00"))


def test_giving_records_the_actual_amounts(approved_card, budget, manager_user, today):
    award = give(
        approved_card,
        manager_user,
        given_on=today,
        money=Decimal("7.25"),
        staff_hours=Decimal("0.25"),
        material_items=0,
    )

    spending = award.spending
    assert (spending.money, spending.staff_hours, spending.material_items) == (
        Decimal("7.25"),
        Decimal("0.25"),
        0,
    )
    assert usage(budget) == (Decimal("0"), Decimal("7.25"))


def test_giving_for_more_than_committed_is_allowed_within_what_is_left(
    approved_card, budget, manager_user, today
):
    award = give(approved_card, manager_user, given_on=today, money=Decimal("990.00"))

    assert award.spending.money == Decimal("990.00")
    assert usage(budget) == (Decimal("0"), Decimal("990.00"))


def test_giving_for_more_than_is_left_is_refused_and_the_award_stays_approved(
    approved_card, budget, manager_user, today
):
    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: give(approved_card, manager_user, given_on=today, money=Decimal("1000.01")),
            approved_card,
            field="money",
        )

    assert "Not enough money left in the budget" in message
    award = Award.objects.get(pk=approved_card.pk)
    assert (award.status, award.spending, award.given_on) == (Status.APPROVED, None, None)
    assert usage(budget) == (Decimal("10.00"), Decimal("0"))


def test_giving_a_planned_award_commits_and_spends_in_one_go(
    program, lea, card, budget, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)

    award = give(award, manager_user, given_on=today)

    assert award.status == Status.GIVEN
    assert award.spending.settles == award.commitment
    assert [kind for kind, *_rest in ledger(budget)] == [
        Kind.COMMITMENT,
        Kind.RELEASE,
        Kind.SPENDING,
    ]


def test_giving_a_planned_award_without_a_budget_is_refused(
    program, lea, card, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)

    refused_with_nothing_written(lambda: give(award, manager_user, given_on=today), award)


def test_giving_twice_spends_once_and_tells_the_mentor_once(
    approved_card, budget, manager_user, today
):
    first = give(approved_card, manager_user, given_on=today)
    second = give(approved_card, manager_user, given_on=today, money=Decimal("50"))

    assert second.spending == first.spending
    assert LedgerEntry.objects.filter(kind=Kind.SPENDING).count() == 1
    assert len(award_emails()) == 1
    assert len(mail.outbox) == 1


def test_a_day_in_the_future_is_refused(approved_card, manager_user, today):
    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: give(approved_card, manager_user, given_on=today + DAY),
            approved_card,
            field="given_on",
        )

    assert "choose today or an earlier date" in message


def test_giving_just_after_the_fiscal_year_spends_on_that_years_last_day(
    organisation, program, lea, card, budget, manager_user, today, monkeypatch
):
    _first, last = year_bounds(organisation, today)
    award = approved(program, lea, card, manager_user, planned_on=last)
    # Handed over two days into the next fiscal year.
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: last + 2 * DAY)

    given = give(award, manager_user, given_on=last + 2 * DAY)

    assert given.given_on == last + 2 * DAY
    assert given.spending.occurred_on == last
    assert given.spending.budget == budget


def test_a_cancelled_award_cannot_be_given(approved_card, manager_user, today):
    awards.cancel_award(approved_card, actor=manager_user, reason="The mentor left")

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: give(approved_card, manager_user, given_on=today), approved_card
        )

    assert "was cancelled" in message


def test_a_message_too_long_is_refused_when_giving(approved_card, manager_user, today):
    refused_with_nothing_written(
        lambda: give(
            approved_card,
            manager_user,
            given_on=today,
            message="x" * (AWARD_MESSAGE_MAX_LENGTH + 1),
        ),
        approved_card,
        field="message",
    )


def test_the_message_and_givers_written_when_giving_are_kept(approved_card, manager_user, today):
    award = give(
        approved_card,
        manager_user,
        given_on=today,
        message="  Merci pour ton écoute.  ",
        giver_names=" Sophie Gagnon, PDG ",
    )

    award.refresh_from_db()
    assert (award.message, award.giver_names) == ("Merci pour ton écoute.", "Sophie Gagnon, PDG")


def test_a_free_option_that_cost_something_this_time_is_spent_from_the_budget(
    organisation, program, lea, budget, manager_user, today
):
    word = free_option(organisation)
    award = approved(program, lea, word, manager_user, planned_on=today)

    award = give(award, manager_user, given_on=today, money=Decimal("12.50"))

    assert award.commitment is None
    assert ledger(budget) == [(Kind.SPENDING, Decimal("12.50"), Decimal("0.00"), 0, None)]
    assert (award.spending.person, award.spending.option) == (lea, word)


def test_a_free_option_given_for_nothing_writes_nothing_to_the_ledger(
    organisation, program, lea, manager_user, today
):
    award = approved(program, lea, free_option(organisation), manager_user, planned_on=today)

    award = give(award, manager_user, given_on=today)

    assert (award.status, award.spending) == (Status.GIVEN, None)
    assert ledger() == []


def test_the_feedback_is_due_the_organisations_delay_after_the_day_it_was_given(
    organisation, approved_card, manager_user, today
):
    organisation.feedback_delay_days = 30
    organisation.save()

    award = give(approved_card, manager_user, given_on=today - 3 * DAY)

    assert award.feedback_due_on == today + 27 * DAY


def test_giving_queues_one_email_to_the_mentor(approved_card, manager_user, today):
    award = give(approved_card, manager_user, given_on=today)

    (email,) = award_emails()
    assert (email.to, email.reason) == ("lea@example.org", f"award-given:{award.pk}")
    assert email.organisation == award.organisation


def test_the_email_of_an_english_speaking_mentor_is_in_english(
    smtp_server, program, card, budget, manager_user, today
):
    john = enrol(program, "John", language="en")
    award = approved(program, john, card, manager_user, planned_on=today)

    give(award, manager_user, given_on=today)

    (message,) = smtp_server.messages
    assert message["To"] == "john@example.org"
    assert message["Subject"].strip() == "Hydro Laurentides: thank you for your mentoring, John"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Handwritten card" in text and "Carte manuscrite" not in text


def test_the_email_of_a_french_speaking_mentor_is_in_french(
    smtp_server, approved_card, manager_user, today
):
    give(approved_card, manager_user, given_on=today)

    (message,) = smtp_server.messages
    with translation.override("fr-ca"):
        subject = translation.gettext(
            "%(organisation)s: thank you for your mentoring, %(first_name)s"
        ) % {"organisation": "Hydro Laurentides", "first_name": "Léa"}
        day = date_format(today, "DATE_FORMAT")
    assert message["Subject"].strip() == subject
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Carte manuscrite" in text and "Handwritten card" not in text
    assert day in text


def test_nothing_is_queued_when_giving_is_refused(approved_card, manager_user, today):
    with pytest.raises(ValidationError):
        give(approved_card, manager_user, given_on=today, money=Decimal("5000"))

    assert award_emails() == []
    assert mail.outbox == []


def test_giving_is_audited_with_the_day(approved_card, manager_user, today):
    award = give(approved_card, manager_user, given_on=today)

    event = award_events(award).filter(changes__status=Status.GIVEN).get()
    assert (event.actor, event.changes["given_on"]) == (manager_user, today.isoformat())


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_gives_the_commitment_back_to_the_budget(
    approved_card, budget, manager_user, today
):
    award = awards.cancel_award(approved_card, actor=manager_user, reason="The mentor left")

    assert (award.status, award.cancel_reason) == (Status.CANCELLED, "The mentor left")
    release = LedgerEntry.objects.get(kind=Kind.RELEASE)
    assert (release.settles, release.description) == (award.commitment, "The mentor left")
    assert usage(budget) == (Decimal("0"), Decimal("0"))


def test_cancelling_a_planned_award_writes_nothing_to_the_ledger(
    program, lea, card, budget, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)

    award = awards.cancel_award(award, actor=manager_user, reason="Not this year")

    assert award.status == Status.CANCELLED
    assert ledger() == []


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_cancelling_without_a_reason_is_refused(approved_card, manager_user, reason):
    refused_with_nothing_written(
        lambda: awards.cancel_award(approved_card, actor=manager_user, reason=reason),
        approved_card,
        field="reason",
    )


def test_a_given_award_cannot_be_cancelled(approved_card, manager_user, today):
    give(approved_card, manager_user, given_on=today)

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.cancel_award(approved_card, actor=manager_user, reason="Oops"),
            approved_card,
        )

    assert "already given" in message


def test_cancelling_twice_releases_once(approved_card, budget, manager_user):
    awards.cancel_award(approved_card, actor=manager_user, reason="The mentor left")
    awards.cancel_award(approved_card, actor=manager_user, reason="Clicked twice")

    assert LedgerEntry.objects.filter(kind=Kind.RELEASE).count() == 1
    assert Award.objects.get().cancel_reason == "The mentor left"
    assert usage(budget) == (Decimal("0"), Decimal("0"))


def test_cancelling_is_audited_with_the_reason(approved_card, manager_user):
    awards.cancel_award(approved_card, actor=manager_user, reason="The mentor left")

    event = award_events(approved_card).filter(changes__status=Status.CANCELLED).get()
    assert event.changes["reason"] == "The mentor left"


# --- Editing -----------------------------------------------------------------------------------


def test_editing_changes_the_fields_and_is_audited(program, lea, card, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today, message="Bravo")
    _first, last = year_bounds(program.organisation, today)

    award = awards.edit_award(
        award, actor=manager_user, planned_on=last, message="Merci", giver_names="Sophie"
    )

    award.refresh_from_db()
    assert (award.planned_on, award.message, award.giver_names) == (last, "Merci", "Sophie")
    event = award_events(award).get(action=AuditEvent.Action.UPDATE)
    assert event.changes["message"] == ["Bravo", "Merci"]
    assert event.changes["planned_on"] == [today.isoformat(), last.isoformat()]


def test_changing_only_the_givers_is_audited(program, lea, card, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today, givers=[Giver.MANAGER])

    awards.edit_award(award, actor=manager_user, givers=[Giver.EXECUTIVE])

    event = award_events(award).get(action=AuditEvent.Action.UPDATE)
    assert event.changes["givers"] == [[Giver.MANAGER], [Giver.EXECUTIVE]]


def test_mentor_and_option_can_change_while_planned(
    organisation, program, lea, card, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)
    marc, other = enrol(program, "Marc"), option_of(organisation)

    award = awards.edit_award(award, actor=manager_user, mentor=marc, option=other)

    award.refresh_from_db()
    assert (award.mentor, award.option) == (marc, other)


def test_a_new_mentor_is_checked_like_a_new_award(
    organisation, program, lea, card, manager_user, today
):
    award = add(program, lea, card, manager_user, planned_on=today)
    elsewhere = enrol(factories.ProgramFactory(organisation=organisation), "Marc")

    refused_with_nothing_written(
        lambda: awards.edit_award(award, actor=manager_user, mentor=elsewhere), award, "mentor"
    )


@pytest.mark.parametrize("field", ["mentor", "option"])
def test_mentor_and_option_cannot_change_once_approved(
    organisation, program, approved_card, manager_user, field
):
    replacement = {"mentor": enrol(program, "Marc"), "option": option_of(organisation)}[field]

    with translation.override("en"):
        message = refused_with_nothing_written(
            lambda: awards.edit_award(approved_card, actor=manager_user, **{field: replacement}),
            approved_card,
        )

    assert "cancel it and add another" in message


def test_the_same_mentor_sent_again_with_an_approved_award_is_not_a_change(
    approved_card, manager_user
):
    award = awards.edit_award(
        approved_card, actor=manager_user, mentor=approved_card.mentor, message="Merci"
    )

    assert award.message == "Merci"


def test_a_date_outside_the_committed_budgets_year_is_refused(
    organisation, approved_card, manager_user, today
):
    _first, last = year_bounds(organisation, today)

    refused_with_nothing_written(
        lambda: awards.edit_award(approved_card, actor=manager_user, planned_on=last + DAY),
        approved_card,
        field="planned_on",
    )


def test_a_date_inside_the_committed_budgets_year_is_accepted(
    organisation, approved_card, manager_user, today
):
    _first, last = year_bounds(organisation, today)

    award = awards.edit_award(approved_card, actor=manager_user, planned_on=last)

    assert award.planned_on == last


def test_moving_an_approved_award_into_a_month_whose_capacity_is_full_is_refused(
    organisation, program, budget, manager_user, today
):
    first, last = year_bounds(organisation, today)
    monthly = option_of(organisation, capacity=1, capacity_period="month")
    approved(program, enrol(program, "Marc"), monthly, manager_user, planned_on=last)
    award = approved(program, enrol(program, "Anne"), monthly, manager_user, planned_on=first)

    refused_with_nothing_written(
        lambda: awards.edit_award(award, actor=manager_user, planned_on=last), award
    )


def test_the_moment_is_stored_in_both_languages(program, lea, card, manager_user, today):
    award = add(program, lea, card, manager_user, planned_on=today)
    key = year_end_key(program.organisation, today)

    award = awards.edit_award(award, actor=manager_user, moment_key=key)

    award.refresh_from_db()
    assert (award.moment_key, award.moment_fr, award.moment_en) == (
        key,
        "Fin de l'année",
        "End of the year",
    )
    with translation.override("en"):
        assert award.moment == "End of the year"


def test_a_given_award_cannot_be_edited(approved_card, manager_user, today):
    give(approved_card, manager_user, given_on=today)

    refused_with_nothing_written(
        lambda: awards.edit_award(approved_card, actor=manager_user, message="Changed"),
        approved_card,
    )


def test_a_field_that_is_not_an_awards_is_a_programming_error(approved_card, manager_user):
    with pytest.raises(ValueError, match="status"):
        awards.edit_award(approved_card, actor=manager_user, status=Status.GIVEN)


def test_an_unknown_giver_is_refused_when_editing(approved_card, manager_user):
    refused_with_nothing_written(
        lambda: awards.edit_award(approved_card, actor=manager_user, givers=["nobody"]),
        approved_card,
        field="givers",
    )
