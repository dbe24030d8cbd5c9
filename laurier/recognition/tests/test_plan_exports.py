"""A recognition plan as a spreadsheet and as an .ics file: one row, one event, per line."""

import datetime
import io
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from laurier.core.listing import export_response
from laurier.recognition.categories import Giver, RecognitionCategory, RecognitionMoment
from laurier.recognition.models import LedgerEntry, Plan, PlanLine
from laurier.recognition.selectors.plan_exports import plan_export, plan_filename, plan_ics
from laurier.recognition.services import plans as plan_services
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
# Fiscal year 2026 of an organisation whose year starts in April.
START, END = D(2026, 4, 1), D(2027, 3, 31)
MENTORING_DAY = ("mentoring-day-2027", D(2027, 1, 17), RecognitionMoment.MENTORING_DAY)
YEAR_END = ("year-end-2026", D(2026, 12, 15), RecognitionMoment.YEAR_END)
COLUMNS = (
    "date",
    "moment",
    "mentor",
    "email",
    "option",
    "category",
    "cost",
    "staff_hours",
    "material_items",
    "given_by",
    "locked",
    "reason",
)


def as_dict(row):
    return dict(zip(COLUMNS, row, strict=True))


def make_plan(program, **fields):
    return Plan.objects.create(
        organisation=program.organisation,
        program=program,
        starts_on=START,
        ends_on=END,
        status=fields.pop("status", Plan.Status.DRAFT),
        **fields,
    )


def mentor(program, first_name, last_name, email=None):
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name=last_name,
        **({"email": email} if email else {}),
    )
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def option(organisation, **fields):
    return factories.RecognitionOptionFactory(organisation=organisation, **fields)


def add_line(plan, person, chosen, moment=YEAR_END, **fields):
    key, day, kind = moment
    return PlanLine.objects.create(
        plan=plan,
        mentor=person,
        option=chosen,
        moment_key=key,
        moment_date=day,
        moment_kind=kind,
        givers=fields.pop("givers", [Giver.MANAGER]),
        **fields,
    )


@pytest.fixture
def card(organisation):
    return option(
        organisation,
        name_fr="Carte manuscrite",
        name_en="Handwritten card",
        category=RecognitionCategory.THANK_YOU_CARD,
        cost_money="12.50",
        staff_hours="0.25",
    )


@pytest.fixture
def luc(program):
    return mentor(program, "Luc", "Tremblay", "luc@example.org")


@pytest.fixture
def plan(program):
    return make_plan(program)


@pytest.fixture
def planner_line(plan, luc, card):
    return add_line(
        plan,
        luc,
        card,
        givers=[Giver.EXECUTIVE, Giver.MENTEE],
        reason_fr="Il aime les mots écrits.",
        reason_en="He likes written words.",
    )


def english_rows(plan):
    with translation.override("en"):
        return plan_export(plan)[1]


def events_of(ics):
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")


# --- The spreadsheet --------------------------------------------------------------------------


def test_a_row_says_when_what_for_whom_at_what_cost_from_whom_and_why(planner_line):
    (row,) = english_rows(planner_line.plan)
    assert as_dict(row) == {
        "date": D(2026, 12, 15),
        "moment": "End of the year",
        "mentor": "Luc Tremblay",
        "email": "luc@example.org",
        "option": "Handwritten card",
        "category": "Thank-you card",
        "cost": Decimal("12.50"),
        "staff_hours": Decimal("0.25"),
        "material_items": 1,
        "given_by": "An executive, The mentee",
        "locked": "No",
        "reason": "He likes written words.",
    }


def test_rows_are_sorted_by_date_then_mentor_last_name(plan, program, card, luc):
    anne = mentor(program, "Anne", "Bédard")
    zoe = mentor(program, "Zoé", "Audet")
    add_line(plan, luc, card, YEAR_END)
    add_line(plan, zoe, card, MENTORING_DAY)
    add_line(plan, anne, card, YEAR_END)
    rows = english_rows(plan)
    assert [(row[0], row[2]) for row in rows] == [
        (D(2026, 12, 15), "Anne Bédard"),
        (D(2026, 12, 15), "Luc Tremblay"),
        (D(2027, 1, 17), "Zoé Audet"),
    ]


def test_the_moment_is_the_calendars_label(plan, program, luc, card):
    cycle = factories.CycleFactory(
        program=program, name="Cohorte A", starts_on=D(2026, 5, 1), ends_on=D(2026, 11, 30)
    )
    add_line(plan, luc, card, (f"cycle-{cycle.pk}-end", cycle.ends_on, RecognitionMoment.CYCLE_END))
    (row,) = english_rows(plan)
    assert as_dict(row)["moment"] == "Cohorte A: end of the cycle"


def test_a_moment_the_calendar_no_longer_has_shows_its_kind(plan, luc, card):
    add_line(plan, luc, card, ("cycle-999999-end", D(2026, 6, 30), RecognitionMoment.CYCLE_END))
    (row,) = english_rows(plan)
    assert as_dict(row)["moment"] == "End of a cycle"


def test_a_locked_line_says_yes(plan, luc, card):
    add_line(plan, luc, card, locked=True)
    (row,) = english_rows(plan)
    assert as_dict(row)["locked"] == "Yes"


def test_a_managers_line_without_reason_says_it_was_added_by_a_manager(plan, luc, card):
    add_line(plan, luc, card, source=PlanLine.Source.MANAGER, locked=True)
    (row,) = english_rows(plan)
    assert as_dict(row)["reason"] == "Added by a manager"


def test_option_and_reason_are_in_the_readers_language(planner_line):
    with translation.override("fr-ca"):
        (row,) = plan_export(planner_line.plan)[1]
    assert as_dict(row)["option"] == "Carte manuscrite"
    assert as_dict(row)["reason"] == "Il aime les mots écrits."
    assert as_dict(row)["locked"] == "Non"


def test_an_approved_line_shows_what_its_commitment_holds(planner_line, program, card):
    budget = factories.BudgetFactory(program=program, organisation=program.organisation)
    # The option cost less when the plan was approved; the export matches the ledger.
    planner_line.commitment = factories.LedgerEntryFactory(
        budget=budget,
        kind=LedgerEntry.Kind.COMMITMENT,
        option=card,
        money="9.00",
        staff_hours="0.10",
        occurred_on=planner_line.moment_date,
    )
    planner_line.save()
    Plan.objects.filter(pk=planner_line.plan_id).update(status=Plan.Status.APPROVED, budget=budget)
    (row,) = english_rows(Plan.objects.get(pk=planner_line.plan_id))
    assert (as_dict(row)["cost"], as_dict(row)["staff_hours"]) == (
        Decimal("9.00"),
        Decimal("0.10"),
    )


def test_english_headers_name_the_currency(plan):
    with translation.override("en"):
        headers = [str(header) for header in plan_export(plan)[0]]
    assert headers == [
        "date",
        "moment",
        "mentor",
        "mentor's e-mail address",
        "recognition option",
        "category",
        "cost (CAD)",
        "staff hours",
        "material items",
        "given by",
        "locked",
        "reason",
    ]


def test_french_headers(plan):
    with translation.override("fr-ca"):
        headers = [str(header) for header in plan_export(plan)[0]]
    assert {"option de reconnaissance", "catégorie", "heures de personnel", "motif"} <= set(headers)


def test_the_xlsx_keeps_dates_and_amounts_as_numbers(planner_line):
    with translation.override("en"):
        headers, rows = plan_export(planner_line.plan)
        response = export_response(plan_filename(planner_line.plan), headers, rows, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Date" and header[6] == "Cost (CAD)"
    assert row[0] == datetime.datetime(2026, 12, 15)
    assert row[2:5] == ("Luc Tremblay", "luc@example.org", "Handwritten card")
    assert row[6] == pytest.approx(12.5)
    assert row[11] == "He likes written words."


def test_the_download_is_named_after_the_program_and_period(plan):
    with translation.override("en"):
        assert plan_filename(plan) == "plan-releve-2026-04-01-2027-03-31"


@pytest.mark.parametrize("size", [1, 12])
def test_the_export_reads_a_fixed_number_of_queries(
    plan, program, card, size, django_assert_max_num_queries
):
    for number in range(size):
        add_line(plan, mentor(program, f"Mentor{number}", "Roy"), card, locked=number % 2 == 0)
    plan = Plan.objects.select_related("organisation", "program", "budget").get(pk=plan.pk)
    # The calendar's moments (cycles, anniversaries, the organisation's dates), then the lines.
    with django_assert_max_num_queries(4), translation.override("en"):
        _headers, rows = plan_export(plan)
    assert len(rows) == size


# --- The .ics ---------------------------------------------------------------------------------


def test_one_all_day_event_per_line_on_its_date(plan, program, card, luc):
    add_line(plan, luc, card, YEAR_END)
    add_line(plan, mentor(program, "Anne", "Bédard"), card, MENTORING_DAY)
    found = events_of(plan_ics(plan))
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in found] == [
        (D(2026, 12, 15), D(2026, 12, 16)),
        (D(2027, 1, 17), D(2027, 1, 18)),
    ]


def test_the_uid_is_the_lines_so_importing_again_updates_the_events(planner_line):
    plan = planner_line.plan
    first, second = events_of(plan_ics(plan)), events_of(plan_ics(plan))
    expected = f"plan-{plan.pk}-line-{planner_line.pk}@laurier"
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in second] == [expected]


def test_the_summary_names_the_option_and_the_mentor(planner_line):
    with translation.override("en"):
        (event,) = events_of(plan_ics(planner_line.plan))
    assert str(event["summary"]) == "Handwritten card — Luc Tremblay"


def test_the_description_gives_the_moment_the_givers_and_the_reason(planner_line):
    with translation.override("en"):
        (event,) = events_of(plan_ics(planner_line.plan))
    description = str(event["description"])
    assert "End of the year" in description
    assert "An executive, The mentee" in description
    assert "He likes written words." in description


def test_texts_follow_the_active_language(planner_line):
    with translation.override("fr-ca"):
        (event,) = events_of(plan_ics(planner_line.plan))
    assert str(event["summary"]) == "Carte manuscrite — Luc Tremblay"
    assert "Il aime les mots écrits." in str(event["description"])


def test_the_calendar_is_named_after_the_plan(planner_line):
    plan = planner_line.plan
    with translation.override("en"):
        calendar = icalendar.Calendar.from_ical(plan_ics(plan))
        assert str(calendar["x-wr-calname"]) == str(plan.title)


def test_each_event_carries_a_dtstamp(planner_line):
    now = timezone.now().replace(microsecond=0)
    (event,) = events_of(plan_ics(planner_line.plan, now=now))
    assert event.decoded("dtstamp") == now


def test_a_drafts_events_are_tentative_an_approved_plans_confirmed(planner_line):
    plan = planner_line.plan
    (draft_event,) = events_of(plan_ics(plan))
    plan.status = Plan.Status.APPROVED
    (approved_event,) = events_of(plan_ics(plan))
    assert (str(draft_event["status"]), str(approved_event["status"])) == (
        "TENTATIVE",
        "CONFIRMED",
    )


@pytest.mark.parametrize("size", [1, 12])
def test_the_ics_reads_a_fixed_number_of_queries(
    plan, program, card, size, django_assert_max_num_queries
):
    for number in range(size):
        add_line(plan, mentor(program, f"Mentor{number}", "Roy"), card)
    plan = Plan.objects.select_related("organisation", "program").get(pk=plan.pk)
    with django_assert_max_num_queries(4):
        found = events_of(plan_ics(plan))
    assert len(found) == size


# --- A plan the planner computed --------------------------------------------------------------


def test_a_computed_plan_exports_the_planners_lines_and_reasons(
    program, luc, card, manager_user, django_capture_on_commit_callbacks
):
    card.moments = [RecognitionMoment.YEAR_END]
    card.save()
    factories.BudgetFactory(program=program, organisation=program.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_services.create_plan(
            program,
            actor=manager_user,
            starts_on=START,
            ends_on=END,
            min_per_mentor=1,
            max_per_mentor=1,
            one_per_moment=True,
            no_repeat_months=12,
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    (row,) = english_rows(plan)
    assert as_dict(row)["mentor"] == "Luc Tremblay"
    assert as_dict(row)["moment"] == "End of the year"
    assert as_dict(row)["reason"]
    (event,) = events_of(plan_ics(plan))
    assert event.decoded("dtstart") == D(2026, 12, 15)


def test_the_xlsx_sheet_is_named_after_the_file(plan):
    headers, rows = plan_export(plan)
    response = export_response(plan_filename(plan), headers, rows, "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [plan_filename(plan)[:31]]
