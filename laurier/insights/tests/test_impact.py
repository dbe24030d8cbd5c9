"""The "Impact" page: satisfaction, relevance and cost of recognition, and recognition beside the
engagement pulse, on small hand-built programs with known answers (retention: test_retention.py).

The satisfaction data, given in 2026 in program "Relève":
- "Lunch" (material perk): two recognitions, one cost 30 $ and was rated 5 (relevance 5), the
  other was free and not rated;
- "Card" (thank-you card): two recognitions, 10 $ rated 5 (relevance 4, expectations partly
  met) and 20 $ rated 3 (relevance 2, expectations not met);
- "Mention" (public mention): one free recognition, not rated.
Recognitions that must not count: one given in 2025 (rated 1), one only planned, one of
another organisation.
"""

import csv
import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import RecognitionCategory
from laurier.recognition.models import Award, Budget, LedgerEntry
from laurier.surveys.models import EngagementFactor
from laurier.testing import factories
from laurier.testing.pulses import pulse_campaign, respond

from ..scope import scope_for_report
from ..selectors import feedback, impact
from .builders import give_feedback

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
TODAY = datetime.date(2026, 12, 31)


def scope_of(program, **changes):
    scope = scope_for_report(program.organisation, program, START, END, TODAY)
    return dataclasses.replace(scope, **changes)


def option(organisation, name, category):
    return factories.RecognitionOptionFactory(
        organisation=organisation, name_en=name, name_fr=name, category=category
    )


def given(program, option, *, cost=None, on=datetime.date(2026, 3, 1), mentor=None, **fields):
    """A recognition of `option` given on `on`, its spending line costing `cost` (free: None)."""
    spending = None
    if cost is not None:
        budget = Budget.objects.filter(program=program, fiscal_year=on.year).first()
        budget = budget or factories.BudgetFactory(program=program, fiscal_year=on.year)
        spending = factories.LedgerEntryFactory(
            budget=budget, kind=LedgerEntry.Kind.SPENDING, money=cost, occurred_on=on
        )
    if mentor is None:
        mentor = factories.MentorEnrolmentFactory(program=program).person
    return factories.AwardFactory(
        program=program,
        option=option,
        mentor=mentor,
        planned_on=on,
        spending=spending,
        **fields,
    )


@pytest.fixture
def options(organisation):
    return {
        "lunch": option(organisation, "Lunch", RecognitionCategory.MATERIAL_PERK),
        "card": option(organisation, "Card", RecognitionCategory.THANK_YOU_CARD),
        "mention": option(organisation, "Mention", RecognitionCategory.PUBLIC_MENTION),
    }


@pytest.fixture
def recognitions(program, options, other_organisation):
    lunch = given(program, options["lunch"], cost="30.00")
    give_feedback(lunch, satisfaction=5, relevance=5)
    given(program, options["lunch"])
    in_ops = factories.MentorEnrolmentFactory(program=program, person__department="Ops").person
    card = given(program, options["card"], cost="10.00", mentor=in_ops)
    give_feedback(card, satisfaction=5, relevance=4, expectations="partly")
    card = given(program, options["card"], cost="20.00", on=datetime.date(2026, 11, 30))
    give_feedback(card, satisfaction=3, relevance=2, expectations="no")
    given(program, options["mention"])
    # Must not count: given before the period, only planned, another organisation's.
    old = given(program, options["card"], cost="99.00", on=datetime.date(2025, 12, 31))
    give_feedback(old, satisfaction=1, relevance=1)
    given(program, options["card"], cost="50.00", status=Award.Status.PLANNED)
    other_program = factories.ProgramFactory(organisation=other_organisation)
    other_option = option(other_organisation, "Card", RecognitionCategory.THANK_YOU_CARD)
    other = given(other_program, other_option, cost="70.00")
    give_feedback(other, satisfaction=1, relevance=1)


def rows_by_label(rows):
    return {row.label: row for row in rows}


# Satisfaction and cost by option


@pytest.mark.usefixtures("recognitions")
class TestByOption:
    @pytest.fixture
    def rows(self, program):
        return rows_by_label(impact.satisfaction(scope_of(program)).options)

    def test_options_are_sorted_by_satisfaction_unrated_last(self, program):
        options = impact.satisfaction(scope_of(program)).options
        assert [row.label for row in options] == ["Lunch", "Card", "Mention"]

    def test_given_counts_recognitions_given_in_the_period(self, rows):
        assert (rows["Lunch"].given, rows["Card"].given, rows["Mention"].given) == (2, 2, 1)

    def test_satisfaction_is_the_average_answer(self, rows):
        assert (rows["Lunch"].satisfaction, rows["Card"].satisfaction) == (5, 4)

    def test_number_of_answers_is_shown_with_satisfaction(self, rows):
        assert (rows["Lunch"].answers, rows["Card"].answers, rows["Mention"].answers) == (1, 2, 0)

    def test_relevance_is_the_average_answer(self, rows):
        assert (rows["Lunch"].relevance, rows["Card"].relevance) == (5, 3)

    def test_an_option_nobody_rated_has_no_averages(self, rows):
        assert rows["Mention"].satisfaction is None
        assert rows["Mention"].relevance is None
        assert rows["Mention"].cost_per_point is None

    def test_total_cost_counts_free_recognitions_as_nothing(self, rows):
        assert rows["Lunch"].total_cost == Decimal("30.00")
        assert rows["Card"].total_cost == Decimal("30.00")
        assert rows["Mention"].total_cost == 0

    def test_average_cost_is_per_recognition_given(self, rows):
        assert rows["Lunch"].average_cost == Decimal("15.00")
        assert rows["Card"].average_cost == Decimal("15.00")

    def test_cost_per_point_counts_only_rated_recognitions(self, rows):
        # Lunch: the rated one cost 30 $ for 5 points (the free one was not rated).
        assert rows["Lunch"].cost_per_point == Decimal("6.00")
        # Card: 30 $ for 5 + 3 points.
        assert rows["Card"].cost_per_point == Decimal("3.75")

    def test_category_is_the_options_label(self, program):
        with translation.override("en"):
            rows = rows_by_label(impact.satisfaction(scope_of(program)).options)
        assert rows["Card"].category_label == "Thank-you card"


@pytest.mark.usefixtures("recognitions")
class TestTotals:
    @pytest.fixture
    def total(self, program):
        return impact.satisfaction(scope_of(program)).total

    def test_given(self, total):
        assert total.given == 5

    def test_cost(self, total):
        assert (total.total_cost, total.average_cost) == (Decimal("60.00"), Decimal("12.00"))

    def test_satisfaction(self, total):
        assert (total.satisfaction, total.answers) == (4.3, 3)

    def test_cost_per_point(self, total):
        # 60 $ for 13 points.
        assert total.cost_per_point == Decimal("4.62")


@pytest.mark.usefixtures("recognitions")
class TestFeedbackForEveryPage:
    """`feedback.feedback(scope)`: the same figures, all recognitions together (health uses it)."""

    @pytest.fixture
    def total(self, program):
        return feedback.feedback(scope_of(program))

    def test_asked_counts_recognitions_whose_mentor_was_sent_the_survey(self, total):
        assert (total.given, total.asked) == (5, 3)

    def test_satisfaction_and_relevance_with_their_answers(self, total):
        assert (total.satisfaction, total.answers) == (4.3, 3)
        assert (total.relevance, total.relevance_answers) == (3.7, 3)

    def test_expectations_are_counted_by_answer(self, total):
        assert total.expectations == {"yes": 1, "partly": 1, "no": 1}

    def test_expectation_shares_add_up_to_100(self, total):
        assert total.expectation_shares == {"yes": 34, "partly": 33, "no": 33}

    def test_no_answer_has_no_shares(self, organisation):
        elsewhere = factories.ProgramFactory(organisation=organisation)
        total = feedback.feedback(scope_of(elsewhere))
        assert (total.given, total.expectation_answers) == (0, 0)
        assert total.expectation_shares == {"yes": None, "partly": None, "no": None}

    def test_two_queries(self, program, django_assert_num_queries):
        with django_assert_num_queries(2):
            feedback.feedback(scope_of(program))


@pytest.mark.usefixtures("recognitions")
class TestByCategory:
    def test_categories_are_sorted_by_satisfaction(self, program):
        categories = impact.satisfaction(scope_of(program)).categories
        assert [row.key for row in categories] == [
            RecognitionCategory.MATERIAL_PERK,
            RecognitionCategory.THANK_YOU_CARD,
            RecognitionCategory.PUBLIC_MENTION,
        ]

    def test_category_figures_add_up_their_options(self, program):
        card = rows_by_label(impact.satisfaction(scope_of(program)).categories)
        with translation.override("en"):
            row = next(r for r in card.values() if r.key == RecognitionCategory.THANK_YOU_CARD)
        assert (row.given, row.answers, row.satisfaction, row.cost_per_point) == (
            2,
            2,
            4,
            Decimal("3.75"),
        )

    def test_chart_shows_rated_categories_only(self, program):
        with translation.override("en"):
            chart = impact.satisfaction_chart(impact.satisfaction(scope_of(program)))
        assert chart["labels"] == ["Material perk", "Thank-you card"]
        assert chart["datasets"][0]["data"] == [5, 4]
        assert chart["horizontal"] is True


@pytest.mark.usefixtures("recognitions")
class TestFilters:
    def test_period_keeps_recognitions_given_in_it(self, program):
        scope = scope_of(program, start=datetime.date(2026, 11, 1))
        figures = impact.satisfaction(scope)
        assert [(row.label, row.given, row.satisfaction) for row in figures.options] == [
            ("Card", 1, 3)
        ]

    def test_department_keeps_its_mentors(self, program):
        # Only the 10 $ card went to a mentor of "Ops".
        figures = impact.satisfaction(scope_of(program, department="Ops"))
        assert [(row.label, row.given) for row in figures.options] == [("Card", 1)]

    def test_cycle_keeps_mentors_paired_in_it(self, program):
        cycle = factories.CycleFactory(program=program)
        mentor = Award.objects.get(option__name_en="Lunch", spending__isnull=False).mentor
        factories.PairingFactory(program=program, cycle=cycle, mentor=mentor)
        figures = impact.satisfaction(scope_of(program, cycle=cycle))
        assert [(row.label, row.given) for row in figures.options] == [("Lunch", 1)]

    def test_another_program_is_left_out(self, program, organisation):
        elsewhere = factories.ProgramFactory(organisation=organisation)
        assert impact.satisfaction(scope_of(elsewhere)).options == []


def test_nothing_given_is_an_empty_total(program):
    figures = impact.satisfaction(scope_of(program))
    assert figures.options == []
    assert (figures.total.given, figures.total.average_cost, figures.total.cost_per_point) == (
        0,
        None,
        None,
    )


def test_recognitions_without_any_feedback_survey_have_no_answers(program, options):
    given(program, options["card"], cost="10.00")
    (row,) = impact.satisfaction(scope_of(program)).options
    assert (row.given, row.answers, row.satisfaction, row.total_cost) == (1, 0, None, 10)


# Recognition beside the engagement pulse


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def pulse(program, name, closed_on, answers, *, since):
    """A closed pulse of `program` for a cycle `name`: `answers` are (recognition factor,
    intention) pairs, one per new mentor enrolled `since` that day."""
    cycle = factories.CycleFactory(
        program=program,
        name=name,
        starts_on=closed_on - datetime.timedelta(days=200),
        ends_on=closed_on + datetime.timedelta(days=60),
    )
    campaign = pulse_campaign(program, cycle=cycle, closed_at=aware(closed_on))
    people = []
    for recognition, intention in answers:
        mentor = factories.MentorEnrolmentFactory(program=program, since=since).person
        respond(campaign, [3, 3, 3, 3, recognition], intention, person=mentor)
        people.append(mentor)
    return cycle, people


@pytest.fixture
def pulses(program, options):
    """Two pulses: 2025-06-15 (5 mentors enrolled since 2024-09-01: shown) and 2026-06-15
    (4 more mentors, enrolled since 2025-09-01: too few)."""
    first, people = pulse(
        program,
        "Cohort 2024",
        datetime.date(2025, 6, 15),
        [(5, 8), (4, 9), (4, 7), (3, 10), (4, 6)],
        since=datetime.date(2024, 9, 1),
    )
    second, later = pulse(
        program,
        "Cohort 2025",
        datetime.date(2026, 6, 15),
        [(5, 9)] * 4,
        since=datetime.date(2025, 9, 1),
    )
    card = options["card"]
    # Before the first pulse's close: two in (2024-12-15, 2025-06-15]; on its edges: none.
    given(program, card, mentor=people[0], on=datetime.date(2025, 3, 1))
    given(program, card, mentor=people[1], on=datetime.date(2025, 6, 15))
    given(program, card, mentor=people[2], on=datetime.date(2024, 12, 15))
    given(program, card, mentor=people[3], on=datetime.date(2025, 6, 16))
    # Before the second: three mentors (one twice).
    given(program, card, mentor=later[0], on=datetime.date(2026, 1, 10))
    given(program, card, mentor=later[0], on=datetime.date(2026, 2, 10))
    given(program, card, mentor=later[1], on=datetime.date(2026, 5, 1))
    given(program, card, mentor=people[4], on=datetime.date(2026, 6, 1))
    # Recognised before the first pulse closed, but enrolled after it: counted at the second.
    given(program, card, mentor=later[2], on=datetime.date(2025, 5, 1))
    # A mentor who has left since: no longer active, counted at neither pulse.
    gone = factories.MentorEnrolmentFactory(
        program=program, since=datetime.date(2024, 9, 1), status=EnrolmentStatus.LEFT
    ).person
    given(program, card, mentor=gone, on=datetime.date(2025, 3, 1))
    return first, second


def points(program, **changes):
    return impact.pulse_comparison(scope_of(program, **changes)).points


@pytest.mark.usefixtures("pulses")
class TestPulse:
    def test_one_point_per_closed_pulse_oldest_first(self, program):
        assert [(p.label, p.closes_on) for p in points(program)] == [
            ("Cohort 2024", datetime.date(2025, 6, 15)),
            ("Cohort 2025", datetime.date(2026, 6, 15)),
        ]

    def test_recognition_factor_is_the_average_answer(self, program):
        assert points(program)[0].recognition == 4.0

    def test_intention_is_the_average_answer(self, program):
        assert points(program)[0].intention == 8.0

    def test_a_pulse_answered_by_too_few_shows_no_figure(self, program):
        second = points(program)[1]
        assert (second.shown, second.respondents) == (False, 4)
        assert (second.recognition, second.intention) == (None, None)

    def test_each_pulse_counts_the_active_mentors_enrolled_by_its_close(self, program):
        assert [p.active for p in points(program)] == [5, 9]

    def test_recognised_counts_the_six_months_before_the_close(self, program):
        first, second = points(program)
        assert (first.recognised, first.coverage) == (2, 40)
        assert (second.recognised, second.coverage) == (3, 33)

    def test_a_pulse_closed_by_its_closing_time_closed_on_its_last_day(self, program):
        # Not closed by hand: it closed at midnight starting September 2, after its last day.
        cycle = factories.CycleFactory(program=program, name="Cohort 2026")
        midnight = timezone.make_aware(datetime.datetime(2026, 9, 2))
        campaign = pulse_campaign(program, cycle=cycle, closed_at=None, closes_at=midnight)
        for _index in range(5):
            respond(campaign, [3, 3, 3, 3, 4], 9)
        last = points(program)[-1]
        assert (last.label, last.closes_on) == ("Cohort 2026", datetime.date(2026, 9, 1))

    def test_cycle_filter_keeps_its_pulse(self, program, pulses):
        first, _second = pulses
        assert [p.label for p in points(program, cycle=first)] == ["Cohort 2024"]

    def test_pulses_closed_after_the_period_are_left_out(self, program):
        assert [p.label for p in points(program, end=datetime.date(2026, 6, 1))] == ["Cohort 2024"]

    def test_chart_has_no_point_for_a_pulse_too_few_answered(self, program):
        comparison = impact.pulse_comparison(scope_of(program))
        chart = impact.pulse_chart(comparison)
        assert chart["datasets"][0]["data"] == [4.0, None]
        assert chart["datasets"][1]["data"] == [8.0, None]
        assert impact.coverage_chart(comparison)["datasets"][0]["data"] == [40, 33]


@pytest.mark.usefixtures("pulses")
def test_department_filter_does_not_narrow_the_pulse(program):
    # Anonymous answers split by department could reveal who answered: the pulse and the
    # mentors it is compared with stay the whole program's.
    first = points(program, department="Ops")[0]
    assert (first.recognition, first.active, first.recognised) == (4.0, 5, 2)


def test_an_open_pulse_is_not_shown(program):
    cycle = factories.CycleFactory(program=program, name="Cohort 2026")
    campaign = pulse_campaign(program, cycle=cycle, closed_at=None)
    for _index in range(5):
        respond(campaign, [3, 3, 3, 3, 4], 9)
    assert points(program) == []


def test_the_pulse_needs_a_program(program, organisation):
    scope = scope_for_report(organisation, None, START, END, TODAY)
    comparison = impact.pulse_comparison(scope)
    assert (comparison.points, comparison.missing) == ([], "program")


def test_the_recognition_factor_is_the_pulse_recognition_question():
    assert EngagementFactor.RECOGNITION.value == "recognition"


# The annual report


@pytest.mark.usefixtures("recognitions", "pulses")
def test_report_sections_describe_satisfaction_and_the_pulse(program):
    with translation.override("en"):
        satisfaction, pulse_section = impact.report_sections(scope_of(program))
    assert (satisfaction.key, pulse_section.key) == ("impact", "pulse")
    assert satisfaction.summary[0] == (
        # The pulses' fixture adds four free cards.
        "9 recognitions were given in this period, for $60.00 in all ($6.67 each on average)."
    )
    assert satisfaction.summary[1] == (
        "Mentors rated their satisfaction 4.3 out of 5 on average (3 answers); each "
        "satisfaction point cost $4.62."
    )
    assert pulse_section.summary == [
        "At the latest pulse (Cohort 2024, closed on June 15, 2025), mentors rated “My "
        "involvement is recognised” 4.0 out of 5; 40% of the active mentors enrolled by then "
        "(2 of 5) had been recognised in the 6 months before."
    ]
    options, categories = satisfaction.tables
    assert options.rows[0] == [
        "Lunch",
        "Material perk",
        2,
        1,
        5.0,
        1,
        5.0,
        Decimal("30.00"),
        Decimal("15.00"),
        Decimal("6.00"),
    ]
    assert [row[0] for row in categories.rows] == [
        "Material perk",
        "Thank-you card",
        "Public mention (newsletter, intranet)",
    ]
    assert satisfaction.charts[0]["title"] == "Average satisfaction by category"
    assert [chart["type"] for chart in pulse_section.charts] == ["line", "line"]
    assert pulse_section.tables[0].rows[1][3] == "too few to show"


def test_report_sections_of_an_empty_program_have_no_tables(program):
    with translation.override("en"):
        satisfaction, pulse_section = impact.report_sections(scope_of(program))
    assert satisfaction.summary == ["No recognition was given in this period."]
    assert (satisfaction.tables, satisfaction.charts, pulse_section.tables) == ([], [], [])


def test_an_organisations_report_leaves_the_pulse_to_each_programs_report(organisation):
    scope = scope_for_report(organisation, None, START, END, TODAY)
    assert [section.key for section in impact.report_sections(scope)] == ["impact"]


# The page


def page(client, organisation, **query):
    return client.get(reverse("insights:impact", args=[organisation.slug]), query)


@pytest.mark.usefixtures("recognitions", "pulses")
def test_page_shows_each_section(login, admin_user, organisation, program):
    client = login(admin_user)
    with translation.override("en"):
        response = page(
            client,
            organisation,
            program=program.slug,
            period="custom",
            start="2026-01-01",
            end="2026-12-31",
        )
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        'id="satisfaction-heading"',
        'id="retention-heading"',
        'id="pulse-heading"',
        'data-chart="satisfaction"',
        'data-chart="pulse"',
        'data-chart="pulse_coverage"',
    ):
        assert heading in html
    assert set(response.context["charts"]) == {"satisfaction", "pulse", "pulse_coverage"}
    assert "Lunch" in html
    # Each pulse's own mentors, and what they are.
    assert "mentors active today who were already enrolled when it closed" in html
    assert "Active mentors enrolled by then" in html


def test_empty_page_says_what_to_do(login, manager_user, organisation):
    with translation.override("en"):
        response = page(login(manager_user), organisation)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plan and give recognitions from the planner" in html
    assert "No cohort yet" in html
    assert "No closed engagement pulse" in html
    assert response.context["charts"] == {}


@pytest.mark.usefixtures("recognitions")
def test_option_table_exports_as_csv(login, admin_user, organisation, program):
    with translation.override("en"):
        response = page(
            login(admin_user),
            organisation,
            program=program.slug,
            period="custom",
            start="2026-01-01",
            end="2026-12-31",
            export="csv",
        )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Recognition option"
    assert [row[:3] for row in rows[1:]] == [
        ["Lunch", "Material perk", "2"],
        ["Card", "Thank-you card", "2"],
        ["Mention", "Public mention (newsletter, intranet)", "1"],
    ]
    assert rows[2][9] == "3.75"


@pytest.mark.usefixtures("recognitions")
def test_option_table_exports_as_xlsx(login, admin_user, organisation, program):
    response = page(login(admin_user), organisation, program=program.slug, export="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_organisations_program_is_not_found(login, admin_user, organisation):
    elsewhere = factories.ProgramFactory(organisation=factories.OrganisationFactory())
    assert page(login(admin_user), organisation, program=elsewhere.slug).status_code == 404


def test_another_organisations_cycle_is_not_found(login, admin_user, organisation):
    elsewhere = factories.CycleFactory(
        program=factories.ProgramFactory(organisation=factories.OrganisationFactory())
    )
    assert page(login(admin_user), organisation, cycle=elsewhere.pk).status_code == 404


def test_a_manager_cannot_see_a_program_they_do_not_manage(login, manager_user, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    assert page(login(manager_user), organisation, program=other.slug).status_code == 404


def test_a_mentor_cannot_open_the_page(login, mentor_user, organisation):
    assert page(login(mentor_user), organisation).status_code in (403, 404)


def build_organisation(program, options, size):
    """`size` rated recognitions, pairings over three cycles and a pulse."""
    cycles = [
        factories.CycleFactory(
            program=program,
            starts_on=datetime.date(year, 9, 1),
            ends_on=datetime.date(year + 1, 6, 30),
        )
        for year in (2024, 2025, 2026)
    ]
    campaign = pulse_campaign(program, cycle=cycles[0], closed_at=aware(datetime.date(2025, 6, 1)))
    for index in range(size):
        response = respond(campaign, [3, 3, 3, 3, 4], 8)
        mentor = response.recipient.person
        for cycle in cycles[: 1 + index % 3]:
            factories.PairingFactory(program=program, cycle=cycle, mentor=mentor)
        award = given(
            program,
            list(options.values())[index % 3],
            cost="10.00",
            mentor=mentor,
            on=datetime.date(2026, 3, 1),
        )
        give_feedback(award, satisfaction=1 + index % 5, relevance=3)


@pytest.mark.parametrize("size", [6, 15])
def test_queries_do_not_grow_with_the_data(
    size, login, admin_user, organisation, program, options, django_assert_num_queries
):
    build_organisation(program, options, size)
    client = login(admin_user)
    with django_assert_num_queries(16):
        response = page(client, organisation, program=program.slug)
    assert response.status_code == 200
    assert set(response.context["charts"]) == {
        "satisfaction",
        "retention",
        "pulse",
        "pulse_coverage",
    }


def test_averages_in_sentences_are_written_as_the_reader_writes_them():
    with translation.override("fr-ca"):
        assert impact.decimal_text(4.3) == "4,3"
    with translation.override("en"):
        assert (impact.decimal_text(4.0), impact.decimal_text(None)) == ("4.0", "—")


def test_counts_in_sentences_are_written_as_the_reader_writes_them():
    with translation.override("en"):
        assert impact.count_text(1234) == "1,234"
    with translation.override("fr-ca"):
        assert impact.count_text(1234).replace("\xa0", " ") == "1 234"
