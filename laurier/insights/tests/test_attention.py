"""The "Mentors who need attention" page, on a small hand-built program with known answers.

The period ends on 30 June 2026 (before today), so the reference day R is 30 June 2026: the
last 90 days run from 2 April, the 90 before from 2 January to 1 April.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.insights.scope import scope_for_report
from laurier.insights.selectors import attention as selectors
from laurier.insights.tests.builders import give_feedback
from laurier.programs.models import EnrolmentStatus, MentorEnrolment
from laurier.testing import factories
from laurier.testing.pulses import pulse_campaign, respond

START = datetime.date(2025, 7, 1)
END = datetime.date(2026, 6, 30)
PERIOD = {"period": "custom", "start": START.isoformat(), "end": END.isoformat()}


def mentor(program, first_name, *, since=datetime.date(2025, 9, 1), department="", **fields):
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name="Test",
        department=department,
    )
    return factories.MentorEnrolmentFactory(
        program=program, person=person, since=since, **fields
    ).person


def sessions(program, person, *dates_and_minutes):
    pairing = factories.PairingFactory(program=program, mentor=person)
    for held_on, minutes in dates_and_minutes:
        factories.MentoringSessionFactory(
            pairing=pairing, held_on=held_on, duration_minutes=minutes
        )


def award(program, person, given_on, *, status="given", **fields):
    """A recognition given on `given_on` (only planned for that day unless `status` is given)."""
    return factories.AwardFactory(
        program=program,
        mentor=person,
        planned_on=given_on,
        status=status,
        given_on=given_on if status == "given" else None,
        **fields,
    )


@pytest.fixture
def people(program):
    """Who is listed, and why (R = 30 June 2026)."""
    never = mentor(program, "Nadia", department="Finance")
    # Enrolled on 1 May: not yet three months, so not "never recognised".
    newcomer = mentor(program, "Noah", since=datetime.date(2026, 5, 1))
    award(program, newcomer, datetime.date(2026, 5, 2), status="planned")
    long = mentor(program, "Louis", department="IT")
    award(program, long, datetime.date(2025, 10, 12))
    # Recognised recently, but 12 h before and 4.5 h in the last 90 days.
    falling = mentor(program, "Fanny", department="IT")
    award(program, falling, datetime.date(2026, 5, 1))
    sessions(
        program,
        falling,
        (datetime.date(2026, 1, 2), 360),
        (datetime.date(2026, 4, 1), 360),
        (datetime.date(2026, 6, 30), 270),
    )
    # Steady: 3 h before, 2 h since: not falling by half.
    steady = mentor(program, "Sam")
    award(program, steady, datetime.date(2026, 5, 1))
    sessions(program, steady, (datetime.date(2026, 2, 1), 180), (datetime.date(2026, 5, 1), 120))
    # Too little before to speak of a fall: 2 h, then none.
    quiet = mentor(program, "Quentin")
    award(program, quiet, datetime.date(2026, 5, 1))
    sessions(program, quiet, (datetime.date(2026, 2, 1), 120))
    unhappy = mentor(program, "Ugo")
    gift_card = factories.RecognitionOptionFactory(
        organisation=program.organisation, name_en="Gift card", name_fr="Carte-cadeau"
    )
    give_feedback(
        award(program, unhappy, datetime.date(2026, 3, 12), option=gift_card),
        satisfaction=2,
        relevance=4,
    )
    # Happy with their recognition.
    happy = mentor(program, "Hélène")
    give_feedback(award(program, happy, datetime.date(2026, 3, 12)), satisfaction=5, relevance=5)
    # Not active: never listed.
    mentor(program, "Paul", status=EnrolmentStatus.PAUSED)
    return {
        "never": never,
        "newcomer": newcomer,
        "long": long,
        "falling": falling,
        "steady": steady,
        "quiet": quiet,
        "unhappy": unhappy,
        "happy": happy,
    }


def scope_of(program, start=START, end=END):
    return scope_for_report(program.organisation, program, start, end, datetime.date(2026, 11, 25))


def listed(program, reason=None, **scope_fields):
    """{first name: [reason keys]} of the mentors listed."""
    scope = scope_of(program)
    for name, value in scope_fields.items():
        setattr(scope, name, value)
    enrolments = selectors.with_figures(
        scope, selectors.needing_attention(scope, reason).select_related("person", "program")
    )
    rows = selectors.attention_rows(enrolments, scope.reference_day)
    return {row.person.first_name: [r.key for r in row.reasons] for row in rows}


def reason_texts(program, person):
    scope = scope_of(program)
    enrolment = selectors.with_figures(scope, selectors.annotated_enrolments(scope)).get(
        person=person
    )
    with translation.override("en"):
        return [r.text for r in selectors.reasons_of(enrolment, scope.reference_day)]


# Who is listed, and why


def test_lists_exactly_the_mentors_with_a_reason(program, people):
    assert listed(program) == {
        "Nadia": ["never"],
        "Louis": ["long"],
        "Fanny": ["hours"],
        "Ugo": ["feedback"],
    }


def test_never_recognised_says_since_when(program, people):
    assert reason_texts(program, people["never"]) == [
        "Never recognised, enrolled 9 months ago (September 1, 2025)"
    ]


def test_a_mentor_enrolled_under_three_months_ago_is_not_yet_never_recognised(program, people):
    assert "Noah" not in listed(program, "never")


def test_long_without_recognition_says_when_last_recognised(program, people):
    assert reason_texts(program, people["long"]) == [
        "Last recognised 8 months ago (October 12, 2025)"
    ]


def test_last_recognised_exactly_six_months_before_is_listed(program, people):
    # R = 30 June 2026: a recognition on 30 December 2025 is not in the last 6 months (the
    # health page's coverage counts those after that day), so the mentor is listed.
    person = mentor(program, "Sixtine")
    award(program, person, datetime.date(2025, 12, 30))
    assert listed(program, "long")["Sixtine"] == ["long"]
    assert reason_texts(program, person) == ["Last recognised 6 months ago (December 30, 2025)"]


def test_last_recognised_the_day_after_is_not_listed(program, people):
    person = mentor(program, "Sixtine")
    award(program, person, datetime.date(2025, 12, 31))
    assert "Sixtine" not in listed(program)


def test_a_recognition_after_the_reference_day_does_not_count(program, people):
    award(program, people["long"], datetime.date(2026, 7, 1))
    assert listed(program, "long") == {"Louis": ["long"]}


def test_a_cancelled_or_planned_award_is_no_recognition(program, people):
    award(program, people["never"], datetime.date(2026, 6, 1), status="cancelled")
    assert "Nadia" in listed(program, "never")


def test_falling_hours_give_both_windows(program, people):
    assert reason_texts(program, people["falling"]) == [
        "4.5 h in the last 90 days, 12 h in the 90 before"
    ]


def test_whole_hours_are_written_as_the_reader_writes_them(program, people):
    # 600 minutes: "10 h", never "1E+1 h".
    person = mentor(program, "Dix")
    award(program, person, datetime.date(2026, 5, 1))
    sessions(program, person, (datetime.date(2026, 2, 1), 1200), (datetime.date(2026, 5, 2), 600))
    assert reason_texts(program, person) == ["10 h in the last 90 days, 20 h in the 90 before"]
    with translation.override("en"):
        assert selectors.format_hours(270) == "4.5"
    with translation.override("fr-ca"):
        assert selectors.format_hours(270) == "4,5"
        assert selectors.format_hours(600) == "10"


def test_falling_hours_in_french_use_a_decimal_comma(program, people):
    scope = scope_of(program)
    enrolment = selectors.with_figures(scope, selectors.annotated_enrolments(scope)).get(
        person=people["falling"]
    )
    with translation.override("fr-ca"):
        (reason,) = selectors.reasons_of(enrolment, scope.reference_day)
    assert reason.text.startswith("4,5 h")


def test_hours_exactly_halved_count_as_falling(program, people):
    sessions(program, people["falling"], (datetime.date(2026, 6, 1), 90))
    assert "Fanny" in listed(program, "hours")
    sessions(program, people["falling"], (datetime.date(2026, 6, 2), 1))
    assert "Fanny" not in listed(program, "hours")


def test_negative_feedback_names_the_option_and_the_score(program, people):
    assert reason_texts(program, people["unhappy"]) == [
        "Rated the “Gift card” 2 out of 5 in satisfaction (given March 12, 2026)"
    ]


def test_expectations_not_met_is_a_negative_feedback(program, people):
    person = mentor(program, "Eve")
    award(program, person, datetime.date(2026, 6, 1))
    give_feedback(
        award(program, person, datetime.date(2026, 6, 2)),
        satisfaction=4,
        relevance=4,
        expectations="no",
    )
    texts = reason_texts(program, person)
    assert len(texts) == 1 and "did not meet their expectations" in texts[0]


def test_feedback_older_than_twelve_months_is_not_a_reason(program, people):
    person = mentor(program, "Olga")
    give_feedback(award(program, person, datetime.date(2025, 6, 29)), satisfaction=1, relevance=1)
    award(program, person, datetime.date(2026, 6, 1))
    assert "Olga" not in listed(program)


def test_several_reasons_on_one_row(program, people):
    sessions(program, people["never"], (datetime.date(2026, 3, 1), 240))
    assert listed(program)["Nadia"] == ["never", "hours"]


def test_filter_by_reason(program, people):
    assert listed(program, "feedback") == {"Ugo": ["feedback"]}


def test_department_filter(program, people):
    assert set(listed(program, department="IT")) == {"Louis", "Fanny"}


def test_cycle_filter_keeps_mentors_paired_in_the_cycle(program, people):
    cycle = factories.CycleFactory(program=program)
    factories.PairingFactory(program=program, mentor=people["long"], cycle=cycle)
    assert listed(program, cycle=cycle) == {"Louis": ["long"]}


def test_a_recognition_in_another_program_does_not_count(program, people, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    award(other, people["never"], datetime.date(2026, 6, 1))
    assert "Nadia" in listed(program, "never")


# Counts


def test_counts_enrolments_by_reason(program, people):
    assert selectors.reason_counts(scope_of(program)) == {
        "never": 1,
        "long": 1,
        "hours": 1,
        "feedback": 1,
        "any": 4,
        "active": 8,
    }


def test_a_mentor_in_two_programs_is_counted_as_listed_once_in_each(organisation, program, people):
    other = factories.ProgramFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(
        program=other, person=people["never"], since=datetime.date(2025, 9, 1)
    )
    scope = scope_for_report(organisation, None, START, END, datetime.date(2026, 11, 25))
    listed = selectors.listed_page(scope)
    assert listed.counts == selectors.reason_counts(scope)
    counts = listed.counts
    assert counts["never"] == 2 and counts["any"] == 5 and counts["active"] == 9
    rows = selectors.page_rows(scope, listed.pks)
    assert [row.person.first_name for row in rows].count("Nadia") == 2
    assert len(rows) == counts["any"]


def test_counts_are_zero_without_mentors(program):
    counts = selectors.reason_counts(scope_of(program))
    assert counts == dict.fromkeys(("never", "long", "hours", "feedback", "any", "active"), 0)


def test_report_gives_counts_and_no_names(program, people):
    with translation.override("en"):
        (section,) = selectors.report_sections(scope_of(program))
    assert section.summary[0] == "4 of the 8 active mentor enrolments need attention."
    assert section.tables[0].rows == [
        ["Never recognised", 1],
        ["Not recognised in the last 6 months", 1],
        ["Falling hours", 1],
        ["Negative feedback on a recognition", 1],
    ]
    assert section.charts[0]["datasets"][0]["data"] == [1, 1, 1, 1]
    text = repr(section)
    assert not any(name in text for name in ("Nadia", "Louis", "Fanny", "Ugo"))


# The pulse notice


@pytest.fixture
def low_pulse(program):
    cycle = factories.CycleFactory(
        program=program,
        name="2025–2026",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    campaign = pulse_campaign(program, cycle=cycle)
    for _ in range(5):
        respond(campaign, [4, 4, 4, 4, 2], 8)
    return campaign


def test_a_low_pulse_factor_gives_a_notice_for_the_program(program, low_pulse):
    notice = selectors.low_pulse(scope_of(program))
    assert [(factor.value, average) for factor, average in notice.low_factors] == [
        ("recognition", 2.0)
    ]
    assert notice.low_intention is None
    with translation.override("en"):
        text = selectors.pulse_notice_text(notice)
    assert "Recognition of their involvement" in text and "2.0 out of 5" in text


def test_the_pulse_notice_writes_averages_as_the_reader_does(program):
    cycle = factories.CycleFactory(program=program, starts_on=datetime.date(2025, 9, 1))
    campaign = pulse_campaign(program, cycle=cycle)
    for score in (2, 2, 2, 3, 3, 3):
        respond(campaign, [4, 4, 4, 4, score], 8)
    notice = selectors.low_pulse(scope_of(program))
    with translation.override("en"):
        assert "2.5 out of 5" in selectors.pulse_notice_text(notice)
    with translation.override("fr-ca"):
        text = selectors.pulse_notice_text(notice)
    assert "2,5" in text and "2.5" not in text


def test_a_low_intention_gives_a_notice(program):
    cycle = factories.CycleFactory(program=program, starts_on=datetime.date(2025, 9, 1))
    campaign = pulse_campaign(program, cycle=cycle)
    for _ in range(5):
        respond(campaign, [4, 4, 4, 4, 4], 5)
    notice = selectors.low_pulse(scope_of(program))
    assert notice.low_factors == [] and notice.low_intention == 5.0


def test_a_pulse_answered_by_too_few_gives_no_notice(program):
    cycle = factories.CycleFactory(program=program, starts_on=datetime.date(2025, 9, 1))
    campaign = pulse_campaign(program, cycle=cycle)
    for _ in range(4):
        respond(campaign, [1, 1, 1, 1, 1], 0)
    assert selectors.low_pulse(scope_of(program)) is None


def test_a_good_pulse_gives_no_notice(program):
    cycle = factories.CycleFactory(program=program, starts_on=datetime.date(2025, 9, 1))
    campaign = pulse_campaign(program, cycle=cycle)
    for _ in range(5):
        respond(campaign, [3, 3, 3, 3, 3], 6)
    assert selectors.low_pulse(scope_of(program)) is None


def test_pulse_respondents_are_not_flagged_by_their_answers(program, low_pulse):
    # The five respondents were enrolled on 1 September 2025 and never recognised: listed for
    # that only, never for their pulse answers.
    assert set(map(tuple, listed(program).values())) == {("never",)}


# The page


def page_url(organisation, **query):
    url = reverse("insights:attention", args=[organisation.slug])
    return url + "?" + "&".join(f"{k}={v}" for k, v in ({**PERIOD, **query}).items())


def test_page_lists_mentors_with_their_reasons_and_a_way_to_plan(
    login, manager_user, organisation, program, people
):
    with translation.override("en"):
        response = login(manager_user).get(page_url(organisation), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<li>Last recognised 8 months ago (October 12, 2025)</li>" in html
    plan = reverse("recognition:award_create", args=[organisation.slug, program.slug])
    assert f"{plan}?mentor={people['never'].pk}" in html
    detail = reverse(
        "programs:mentor_detail", args=[organisation.slug, program.slug, people["long"].pk]
    )
    assert detail in html
    assert "Nadia" in html and "Hélène" not in html


def english_page(client, organisation, **query):
    with translation.override("en"):
        response = client.get(page_url(organisation, **query), HTTP_ACCEPT_LANGUAGE="en")
    return " ".join(response.content.decode().split())


def test_page_says_the_hours_threshold_from_the_setting(
    login, manager_user, organisation, program, people
):
    html = english_page(login(manager_user), organisation)
    hours = selectors.format_hours(selectors.FALLING_FROM_MINUTES)
    assert f"which had at least {hours} h;" in html


def test_page_sentence_agrees_with_the_number_listed(
    login, manager_user, organisation, program, people
):
    client = login(manager_user)
    assert "4 of the 8 active mentor enrolments need attention" in english_page(
        client, organisation
    )
    for person in ("long", "falling", "unhappy"):
        MentorEnrolment.objects.filter(person=people[person]).update(status=EnrolmentStatus.PAUSED)
    assert "1 of the 5 active mentor enrolments needs attention" in english_page(
        client, organisation
    )


def test_page_counts_match_the_rows_listed(login, manager_user, organisation, program, people):
    other = factories.ProgramFactory(organisation=organisation)
    other.managers.add(manager_user)
    factories.MentorEnrolmentFactory(
        program=other, person=people["never"], since=datetime.date(2025, 9, 1)
    )
    response = login(manager_user).get(page_url(organisation, reason="never"))
    assert response.context["counts"]["never"] == 2
    assert [row.person.first_name for row in response.context["rows"]] == ["Nadia", "Nadia"]
    assert response.context["page"].paginator.count == 2


def test_page_sorts_most_reasons_first_then_longest_without_recognition(
    login, manager_user, organisation, program, people
):
    sessions(program, people["unhappy"], (datetime.date(2026, 2, 1), 300))
    response = login(manager_user).get(page_url(organisation))
    names = [row.person.first_name for row in response.context["rows"]]
    # Ugo has two reasons; then Louis (quiet since October 2025), Nadia (enrolled September
    # 2025, never recognised), Fanny (recognised in May 2026).
    assert names == ["Ugo", "Nadia", "Louis", "Fanny"]


def test_page_filters_by_reason(login, manager_user, organisation, program, people):
    response = login(manager_user).get(page_url(organisation, reason="hours"))
    assert [row.person.first_name for row in response.context["rows"]] == ["Fanny"]


def test_page_sorted_by_mentor_lists_only_mentors_with_the_reason(
    login, manager_user, organisation, program, people
):
    response = login(manager_user).get(page_url(organisation, reason="long", sort="mentor"))
    assert [row.person.first_name for row in response.context["rows"]] == ["Louis"]
    response = login(manager_user).get(page_url(organisation, sort="-mentor"))
    names = [row.person.first_name for row in response.context["rows"]]
    assert sorted(names) == ["Fanny", "Louis", "Nadia", "Ugo"]


def test_page_two_shows_the_rest_of_the_listed_mentors(
    login, manager_user, organisation, program, people
):
    for index in range(51):
        mentor(program, f"Never{index:02}")
    client = login(manager_user)
    first = client.get(page_url(organisation, reason="never"))
    second = client.get(page_url(organisation, reason="never", page=2))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 2
    names = [row.person.first_name for row in first.context["rows"] + second.context["rows"]]
    assert sorted(names) == sorted(["Nadia"] + [f"Never{index:02}" for index in range(51)])


def test_page_shows_the_pulse_notice_with_a_link_to_the_mentor_voice(
    login, manager_user, organisation, program, low_pulse
):
    response = login(manager_user).get(page_url(organisation))
    assert reverse("surveys:voice", args=[organisation.slug, program.slug]) in (
        response.content.decode()
    )


def test_page_without_mentors_says_what_to_do(login, manager_user, organisation, program):
    response = login(manager_user).get(page_url(organisation))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert 'class="message"' in response.content.decode()


def test_export_csv_has_one_row_per_listed_mentor(
    login, manager_user, organisation, program, people
):
    response = login(manager_user).get(page_url(organisation, export="csv"))
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 1 + 4
    assert {row[0] for row in rows[1:]} == {
        "Nadia Test",
        "Louis Test",
        "Fanny Test",
        "Ugo Test",
    }


def test_export_xlsx(login, manager_user, organisation, program, people):
    response = login(manager_user).get(page_url(organisation, export="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# Access


def test_another_organisations_program_is_a_404(
    login, manager_user, organisation, other_organisation
):
    other = factories.ProgramFactory(organisation=other_organisation)
    response = login(manager_user).get(page_url(organisation, program=other.slug))
    assert response.status_code == 404


def test_a_program_the_manager_does_not_manage_is_a_404(login, manager_user, organisation, program):
    other = factories.ProgramFactory(organisation=organisation)
    response = login(manager_user).get(page_url(organisation, program=other.slug))
    assert response.status_code == 404


def test_a_manager_sees_only_mentors_of_their_programs(
    login, manager_user, organisation, program, people
):
    other = factories.ProgramFactory(organisation=organisation)
    mentor(other, "Otto")
    response = login(manager_user).get(page_url(organisation))
    assert "Otto" not in response.content.decode()


def test_mentors_cannot_open_the_page(login, mentor_user, organisation):
    response = login(mentor_user).get(page_url(organisation))
    assert response.status_code in (403, 404)


# Queries


def add_mentors(program, count):
    for index in range(count):
        person = mentor(program, f"Extra{index}")
        award(program, person, datetime.date(2025, 8, 1))
        sessions(program, person, (datetime.date(2026, 2, 1), 300))


@pytest.mark.parametrize("extra", [1, 12])
def test_page_runs_a_constant_number_of_queries(
    login, manager_user, organisation, program, people, extra, django_assert_max_num_queries
):
    add_mentors(program, extra)
    client = login(manager_user)
    with django_assert_max_num_queries(16):
        response = client.get(page_url(organisation))
    assert response.status_code == 200


def test_over_several_programs_the_pulse_is_read_once_one_is_chosen(
    login, admin_user, organisation, program, low_pulse
):
    factories.ProgramFactory(organisation=organisation)
    client = login(admin_user)
    response = client.get(page_url(organisation))
    assert response.context["notice"] is None and not response.context["pulse_read"]
    response = client.get(page_url(organisation, program=program.slug))
    assert response.context["notice"].program == program


def test_a_low_pulse_of_another_cycle_gives_no_notice_for_the_chosen_cycle(program, low_pulse):
    scope = scope_of(program)
    scope.cycle = factories.CycleFactory(program=program, starts_on=datetime.date(2024, 9, 1))
    assert selectors.low_pulse(scope) is None


def test_a_pulse_after_the_reference_day_is_not_the_latest(program, low_pulse):
    assert selectors.low_pulse(scope_of(program, end=datetime.date(2025, 8, 31))) is None
