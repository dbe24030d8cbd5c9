"""A mentor's anniversary of mentoring is theirs alone: plans never give it to someone else."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from laurier.programs.models import MentorEnrolment
from laurier.recognition.categories import Giver, RecognitionMoment
from laurier.recognition.services import plans
from laurier.testing import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def marie_and_luc(program):
    organisation = program.organisation
    organisation.fiscal_year_start_month = 1
    organisation.save()
    marie = factories.MentorEnrolmentFactory(program=program, since=D(2024, 3, 1)).person
    # Two years in 2027: no anniversary of mentoring celebrated.
    luc = factories.MentorEnrolmentFactory(program=program, since=D(2025, 6, 1)).person
    return marie, luc


def anniversary_option(organisation):
    return factories.RecognitionOptionFactory(
        organisation=organisation,
        cost_money=Decimal("0.00"),
        staff_hours=Decimal("0.00"),
        material_items=0,
        moments=[RecognitionMoment.MENTORING_ANNIVERSARY],
        usual_givers=[Giver.EXECUTIVE],
        min_hours_mentored=0,
        min_tenure_months=0,
    )


def computed_plan(program, manager_user, capture):
    with capture(execute=True):
        plan = plans.create_plan(
            program,
            actor=manager_user,
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            min_per_mentor=0,
            max_per_mentor=2,
            one_per_moment=True,
            no_repeat_months=12,
        )
    plan.refresh_from_db()
    return plan


def test_only_the_mentor_whose_anniversary_it_is_receives_it_on_their_day(
    program, manager_user, marie_and_luc, django_capture_on_commit_callbacks
):
    marie, _luc = marie_and_luc
    anniversary_option(program.organisation)
    plan = computed_plan(program, manager_user, django_capture_on_commit_callbacks)
    lines = list(plan.lines.all())
    assert [(line.mentor_id, line.moment_date) for line in lines] == [(marie.pk, D(2027, 3, 1))]
    assert lines[0].moment_key.startswith("anniversary-")
    assert lines[0].givers == [Giver.EXECUTIVE]


def test_a_line_at_another_mentors_anniversary_is_refused(
    program, manager_user, marie_and_luc, django_capture_on_commit_callbacks
):
    marie, luc = marie_and_luc
    option = anniversary_option(program.organisation)
    plan = computed_plan(program, manager_user, django_capture_on_commit_callbacks)
    maries_day = next(line.moment_key for line in plan.lines.all())
    with pytest.raises(ValidationError) as refused:
        plans.add_line(
            plan,
            actor=manager_user,
            mentor=luc,
            option=option,
            moment_key=maries_day,
            givers=[Giver.MANAGER],
        )
    assert "moment" in refused.value.message_dict
    assert plan.lines.filter(mentor=luc).count() == 0


def test_a_locked_anniversary_line_is_kept_when_computing_again(
    program, manager_user, marie_and_luc, django_capture_on_commit_callbacks
):
    anniversary_option(program.organisation)
    plan = computed_plan(program, manager_user, django_capture_on_commit_callbacks)
    line = plan.lines.get()
    plans.set_locked(line, actor=manager_user, locked=True)
    with django_capture_on_commit_callbacks(execute=True):
        plans.compute_again(plan, actor=manager_user)
    plan.refresh_from_db()
    assert plan.problems_en == []
    assert list(plan.lines.values_list("pk", "moment_key")) == [(line.pk, line.moment_key)]


def test_a_locked_line_follows_its_moment_when_the_calendar_moves_it(
    program, manager_user, marie_and_luc, django_capture_on_commit_callbacks
):
    marie, _luc = marie_and_luc
    anniversary_option(program.organisation)
    plan = computed_plan(program, manager_user, django_capture_on_commit_callbacks)
    line = plan.lines.get()
    plans.set_locked(line, actor=manager_user, locked=True)
    MentorEnrolment.objects.filter(person=marie).update(since=D(2024, 10, 15))
    with django_capture_on_commit_callbacks(execute=True):
        plans.compute_again(plan, actor=manager_user)
    line.refresh_from_db()
    assert line.moment_date == D(2027, 10, 15)
    factories.BudgetFactory(program=program, fiscal_year=2027)
    plans.approve_plan(plan, actor=manager_user)
    line.refresh_from_db()
    assert line.commitment.occurred_on == D(2027, 10, 15)


def test_a_line_whose_anniversary_is_no_longer_in_the_period_cannot_be_approved(
    program, manager_user, marie_and_luc, django_capture_on_commit_callbacks
):
    marie, _luc = marie_and_luc
    anniversary_option(program.organisation)
    plan = computed_plan(program, manager_user, django_capture_on_commit_callbacks)
    factories.BudgetFactory(program=program, fiscal_year=2027)
    # Two years of mentoring in 2027: no anniversary celebrated any more.
    MentorEnrolment.objects.filter(person=marie).update(since=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        plans.approve_plan(plan, actor=manager_user)
    assert not plan.lines.filter(commitment__isnull=False).exists()
