"""The "Timing and givers" page, on a small hand-built program with known answers.

The period is the calendar year 2025 (365 days): December holds 31 of them, so an even spread
would give it 8 %.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.insights.scope import scope_for_report
from laurier.insights.selectors import timing as selectors
from laurier.recognition.categories import RecognitionCategory
from laurier.testing import factories

START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 12, 31)
PERIOD = {"period": "custom", "start": START.isoformat(), "end": END.isoformat()}


def give(program, given_on, givers=("manager",), *, status="given", option=None, **fields):
    if option is not None:
        fields["option"] = option
    return factories.AwardFactory(
        program=program,
        planned_on=given_on,
        status=status,
        given_on=given_on if status == "given" else None,
        givers=list(givers),
        **fields,
    )


@pytest.fixture
def awards(program):
    """Ten recognitions in 2025: four in December, two in March, one each in January, June,
    September and October; and some that must not count."""
    badge = factories.RecognitionOptionFactory(
        organisation=program.organisation, category=RecognitionCategory.BADGE
    )
    give(program, datetime.date(2025, 1, 15))
    give(program, datetime.date(2025, 3, 3), ["mentee"])
    give(program, datetime.date(2025, 3, 20), ["manager", "executive"], option=badge)
    give(program, datetime.date(2025, 6, 30), ["peer", "mentee", "manager"])
    give(program, datetime.date(2025, 9, 1))
    give(program, datetime.date(2025, 10, 10), [])
    give(program, datetime.date(2025, 12, 1), option=badge)
    give(program, datetime.date(2025, 12, 10), ["executive"])
    give(program, datetime.date(2025, 12, 20))
    give(program, datetime.date(2025, 12, 31), ["mentee_manager", "manager"])
    # Not counted: outside the period, not given, another program.
    give(program, datetime.date(2024, 12, 31))
    give(program, datetime.date(2026, 1, 1))
    give(program, datetime.date(2025, 12, 5), status="planned")
    give(program, datetime.date(2025, 12, 5), status="cancelled")
    give(factories.ProgramFactory(organisation=program.organisation), datetime.date(2025, 12, 5))


def scope_of(program, start=START, end=END):
    return scope_for_report(program.organisation, program, start, end, datetime.date(2026, 11, 25))


def month_counts(timing):
    return {(month.first_day.year, month.first_day.month): month.count for month in timing.months}


# By month


def test_counts_recognitions_given_in_the_period_by_month(program, awards):
    timing = selectors.by_month(scope_of(program))
    assert timing.total == 10
    assert month_counts(timing) == {
        (2025, 1): 1,
        (2025, 2): 0,
        (2025, 3): 2,
        (2025, 4): 0,
        (2025, 5): 0,
        (2025, 6): 1,
        (2025, 7): 0,
        (2025, 8): 0,
        (2025, 9): 1,
        (2025, 10): 1,
        (2025, 11): 0,
        (2025, 12): 4,
    }


def test_the_busiest_month_and_its_share(program, awards):
    busiest = selectors.by_month(scope_of(program)).busiest
    assert (busiest.first_day, busiest.count, busiest.share) == (datetime.date(2025, 12, 1), 4, 40)


def test_an_even_spread_gives_each_month_its_share_of_the_days(program, awards):
    december = selectors.by_month(scope_of(program)).busiest
    assert round(december.even_share, 1) == 8.5


def test_summary_compares_the_busiest_month_with_an_even_spread(program, awards):
    with translation.override("en"):
        summary = selectors.month_summary(selectors.by_month(scope_of(program)))
    assert summary == [
        "10 recognitions were given in the period.",
        "40% landed in December 2025, the busiest month; an even spread would be 8%.",
    ]


def test_a_period_cut_mid_month_gives_partial_months_their_share_of_days(program, awards):
    timing = selectors.by_month(
        scope_of(program, datetime.date(2025, 11, 16), datetime.date(2026, 1, 14))
    )
    assert [(m.first_day.month, m.count, round(m.even_share)) for m in timing.months] == [
        (11, 0, 25),
        (12, 4, 52),
        (1, 1, 23),
    ]


def test_a_period_still_running_stops_its_months_and_even_spread_at_today(program, awards):
    # The fiscal year April 2025 – March 2026 seen on 10 December 2025: 254 days so far.
    scope = scope_for_report(
        program.organisation,
        program,
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        datetime.date(2025, 12, 10),
    )
    timing = selectors.by_month(scope)
    assert [month.first_day.month for month in timing.months] == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    december = timing.months[-1]
    # 1 and 10 December; the 20 and 31 December ones are after today.
    assert (december.count, timing.total) == (2, 5)
    assert round(december.even_share, 1) == round(100 * 10 / 254, 1)
    assert round(sum(month.even_share for month in timing.months)) == 100


def test_month_shares_add_up_to_100(program):
    for given_on in (
        datetime.date(2025, 1, 5),
        datetime.date(2025, 2, 5),
        datetime.date(2025, 3, 5),
    ):
        give(program, given_on)
    timing = selectors.by_month(scope_of(program))
    # A third each: 34, 33 and 33, never 33 three times.
    assert [month.share for month in timing.months[:3]] == [34, 33, 33]
    assert sum(month.share for month in timing.months) == 100


def test_counts_by_category_per_month(program, awards):
    timing = selectors.by_month(scope_of(program))
    # In the catalog's order.
    assert [value for value, _label in timing.categories] == [
        RecognitionCategory.THANK_YOU_CARD,
        RecognitionCategory.BADGE,
    ]
    march = timing.months[2]
    assert march.categories == {
        RecognitionCategory.THANK_YOU_CARD: 1,
        RecognitionCategory.BADGE: 1,
    }


def test_cycle_filter_keeps_recognitions_of_mentors_paired_in_the_cycle(program, awards):
    cycle = factories.CycleFactory(program=program)
    award = give(program, datetime.date(2025, 5, 5))
    factories.PairingFactory(program=program, mentor=award.mentor, cycle=cycle)
    scope = scope_of(program)
    scope.cycle = cycle
    assert selectors.by_month(scope).total == 1


def test_department_filter(program, awards):
    person = factories.PersonFactory(organisation=program.organisation, department="IT")
    give(program, datetime.date(2025, 5, 5), mentor=person)
    scope = scope_of(program)
    scope.department = "IT"
    assert month_counts(selectors.by_month(scope))[(2025, 5)] == 1
    assert selectors.by_month(scope).total == 1


def test_no_recognition_gives_empty_months_and_no_busiest(program):
    timing = selectors.by_month(scope_of(program))
    assert timing.total == 0 and timing.busiest is None
    assert {month.share for month in timing.months} == {None}
    with translation.override("en"):
        assert selectors.month_summary(timing) == ["No recognition was given in this period."]


# By giver


def test_counts_each_giver_wherever_it_stands_in_the_list(program, awards):
    givers = selectors.by_giver(scope_of(program))
    assert {row.giver: row.count for row in givers.rows} == {
        "manager": 7,
        "executive": 2,
        "mentee": 2,
        "mentee_manager": 1,
        "peer": 1,
    }


def test_giver_shares_are_of_the_recognitions_given(program, awards):
    givers = selectors.by_giver(scope_of(program))
    assert {row.giver: row.share for row in givers.rows}["manager"] == 70


def test_share_given_by_the_manager_alone(program, awards):
    givers = selectors.by_giver(scope_of(program))
    assert (givers.manager_alone, givers.manager_alone_share) == (4, 40)


def test_share_with_at_least_one_giver_other_than_the_manager(program, awards):
    givers = selectors.by_giver(scope_of(program))
    assert (givers.with_others, givers.with_others_share) == (5, 50)


def test_recognitions_without_a_giver_recorded(program, awards):
    assert selectors.by_giver(scope_of(program)).not_recorded == 1


def test_giver_summary(program, awards):
    with translation.override("en"):
        summary = selectors.giver_summary(selectors.by_giver(scope_of(program)))
    assert summary == [
        "The manager alone gave 40% of the recognitions (4 of 10); "
        "50% had at least one giver other than the manager (5).",
        "1 recognition has no giver recorded.",
    ]


def test_no_recognition_gives_no_share(program):
    givers = selectors.by_giver(scope_of(program))
    assert givers.total == 0 and givers.manager_alone_share is None
    assert {row.share for row in givers.rows} == {None}


# The annual report


def test_report_section_gives_summary_charts_and_tables(program, awards):
    with translation.override("en"):
        (section,) = selectors.report_sections(scope_of(program))
    assert section.key == "timing"
    assert section.summary[1].startswith("40% landed in December 2025")
    assert [chart["title"] for chart in section.charts] == [
        "Recognitions given by month",
        "Recognitions by giver",
    ]
    assert section.tables[0].rows[-1] == ["December 2025", 4, 40]
    assert section.tables[1].rows[0] == ["The program manager", 7, 70]


def test_report_section_without_recognitions_says_so(program):
    with translation.override("en"):
        (section,) = selectors.report_sections(scope_of(program))
    assert section.summary == ["No recognition was given in this period."]
    assert section.charts == [] and section.tables == []


# The page


def page_url(organisation, **query):
    url = reverse("insights:timing", args=[organisation.slug])
    return url + "?" + "&".join(f"{k}={v}" for k, v in ({**PERIOD, **query}).items())


def test_page_shows_charts_and_their_tables(login, manager_user, organisation, program, awards):
    response = login(manager_user).get(page_url(organisation))
    assert response.status_code == 200
    assert set(response.context["charts"]) == {"months", "givers", "categories"}
    assert response.context["charts"]["months"]["datasets"][0]["data"][-1] == 4
    html = response.content.decode()
    assert 'data-chart="months"' in html and 'data-chart="givers"' in html


def test_page_without_recognitions_says_what_to_do(login, manager_user, organisation, program):
    response = login(manager_user).get(page_url(organisation))
    assert response.status_code == 200
    assert response.context["charts"] == {}
    assert 'class="message"' in response.content.decode()


def test_another_organisations_program_is_a_404(
    login, manager_user, organisation, other_organisation
):
    other = factories.ProgramFactory(organisation=other_organisation)
    response = login(manager_user).get(page_url(organisation, program=other.slug))
    assert response.status_code == 404


def test_another_organisations_cycle_is_a_404(
    login, manager_user, organisation, other_organisation
):
    cycle = factories.CycleFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    )
    response = login(manager_user).get(page_url(organisation, cycle=cycle.pk))
    assert response.status_code == 404


def test_a_program_the_manager_does_not_manage_is_a_404(login, manager_user, organisation, program):
    other = factories.ProgramFactory(organisation=organisation)
    response = login(manager_user).get(page_url(organisation, program=other.slug))
    assert response.status_code == 404


def test_a_manager_counts_only_their_programs(login, manager_user, organisation, program, awards):
    # The fixture gave one recognition in December in another program: not counted.
    response = login(manager_user).get(page_url(organisation))
    assert response.context["months"].total == 10


def test_an_admin_sees_every_program(login, admin_user, organisation, program, awards):
    response = login(admin_user).get(page_url(organisation))
    assert response.context["months"].total == 11


@pytest.mark.parametrize("extra", [1, 20])
def test_page_runs_a_constant_number_of_queries(
    login, manager_user, organisation, program, awards, extra, django_assert_max_num_queries
):
    for day in range(extra):
        give(program, datetime.date(2025, 4, 1) + datetime.timedelta(days=day), ["peer"])
    client = login(manager_user)
    with django_assert_max_num_queries(8):
        response = client.get(page_url(organisation))
    assert response.status_code == 200
