"""A second plan over the same period builds on the approved one, never on top of it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.recognition.services import plans
from laurier.testing import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def mentors(program):
    organisation = program.organisation
    organisation.fiscal_year_start_month = 1
    organisation.save()
    for _number in range(3):
        factories.MentorEnrolmentFactory(program=program, since=D(2025, 5, 2))
    for name in ("Card", "Lunch", "Book"):
        factories.RecognitionOptionFactory(
            organisation=organisation,
            name_en=name,
            cost_money=Decimal("10.00"),
            staff_hours=Decimal("0.00"),
            material_items=0,
            moments=[],
        )
    factories.BudgetFactory(program=program, fiscal_year=2027, money="1000.00")


def computed(program, actor, capture, **rules):
    with capture(execute=True):
        plan = plans.create_plan(
            program,
            actor=actor,
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            **{
                "min_per_mentor": 1,
                "max_per_mentor": 2,
                "one_per_moment": True,
                "no_repeat_months": 12,
                **rules,
            },
        )
    plan.refresh_from_db()
    return plan


def test_mentors_at_the_maximum_in_an_approved_plan_get_nothing_more(
    program, manager_user, mentors, django_capture_on_commit_callbacks
):
    first = computed(program, manager_user, django_capture_on_commit_callbacks)
    assert first.lines.count() == 6
    plans.approve_plan(first, actor=manager_user)
    second = computed(program, manager_user, django_capture_on_commit_callbacks)
    assert second.lines.count() == 0
    assert second.uncovered_count == 0


def test_a_second_plan_adds_only_what_the_maximum_allows_at_other_moments(
    program, manager_user, mentors, django_capture_on_commit_callbacks
):
    first = computed(program, manager_user, django_capture_on_commit_callbacks, max_per_mentor=1)
    plans.approve_plan(first, actor=manager_user)
    second = computed(program, manager_user, django_capture_on_commit_callbacks)
    taken = {(line.mentor_id, line.moment_key) for line in first.lines.all()}
    given = {line.mentor_id: line.option_id for line in first.lines.all()}
    assert second.lines.count() == 3
    for line in second.lines.all():
        assert (line.mentor_id, line.moment_key) not in taken
        assert line.option_id != given[line.mentor_id]


def test_the_plan_page_says_who_another_approved_plan_already_recognises(
    program, manager_user, mentors, login, django_capture_on_commit_callbacks
):
    first = computed(program, manager_user, django_capture_on_commit_callbacks)
    plans.approve_plan(first, actor=manager_user)
    second = computed(program, manager_user, django_capture_on_commit_callbacks)
    address = reverse(
        "recognition:plan_detail",
        args=[program.organisation.slug, program.slug, second.pk],
    )
    page = login(manager_user).get(address).content.decode()
    assert page.count("2 recognitions in other approved plans") == 3
    assert "No recognition planned" not in page


def test_a_draft_computed_before_another_plan_was_approved_says_to_compute_it_again(
    program, manager_user, mentors, login, django_capture_on_commit_callbacks
):
    draft = computed(program, manager_user, django_capture_on_commit_callbacks)
    other = computed(program, manager_user, django_capture_on_commit_callbacks)
    plans.approve_plan(other, actor=manager_user)
    address = reverse(
        "recognition:plan_detail", args=[program.organisation.slug, program.slug, draft.pk]
    )
    client = login(manager_user)
    assert "was approved after this one was computed" in client.get(address).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        plans.compute_again(draft, actor=manager_user)
    assert "was approved after this one was computed" not in client.get(address).content.decode()
