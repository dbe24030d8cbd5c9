"""The plans service: computing a plan, planning again around locked lines, editing and approving.

The organisation's fiscal year starts in April: the plans run over fiscal year 2026, from
April 1, 2026 to March 31, 2027, whose moments are the cycle's start (September 1), middle and
end (February 28), the end of the year (December 15) and International Mentoring Day
(January 17).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from laurier.organisations.models import AuditEvent
from laurier.profiles.models import CategoryPreference, MentorProfile, ProfileSource
from laurier.programs.models import EnrolmentStatus, MentorEnrolment
from laurier.recognition import tasks
from laurier.recognition.categories import (
    Giver,
    PublicConsent,
    RecognitionCategory,
    RecognitionMoment,
    Visibility,
)
from laurier.recognition.models import CapacityPeriod, LedgerEntry, Plan, PlanLine
from laurier.recognition.selectors.budgets import budget_usage, entry_label
from laurier.recognition.services import budgets as budget_services
from laurier.recognition.services import plans
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
START, END = D(2026, 4, 1), D(2027, 3, 31)
YEAR_END, MENTORING_DAY = "year-end-2026", "mentoring-day-2027"
EVERY_GIVER = [Giver.MANAGER, Giver.EXECUTIVE, Giver.MENTEE, Giver.PEER]


# --- The program -------------------------------------------------------------------------------


SINCE = D(2025, 1, 10)


def enrol(program, first_name, *, since=SINCE, status=EnrolmentStatus.ACTIVE):
    person = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name="Gagnon"
    )
    factories.MentorEnrolmentFactory(program=program, person=person, since=since, status=status)
    return person


def profile(person, consent, scores):
    made = MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=consent,
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )
    for category, score in scores.items():
        CategoryPreference.objects.create(profile=made, category=category, score=score)
    return made


def log_hours(program, mentor, hours):
    pairing = factories.PairingFactory(
        program=program,
        mentor=mentor,
        mentee=factories.PersonFactory(organisation=program.organisation),
    )
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=D(2026, 5, 4), duration_minutes=hours * 60
    )


def option(organisation, name_en, name_fr, category, **fields):
    fields = {"moments": [], "usual_givers": EVERY_GIVER, "material_items": 0, **fields}
    return factories.RecognitionOptionFactory(
        organisation=organisation, name_en=name_en, name_fr=name_fr, category=category, **fields
    )


LIKES_EVERYTHING = {
    RecognitionCategory.PUBLIC_MENTION: 5,
    RecognitionCategory.THANK_YOU_CARD: 5,
    RecognitionCategory.CERTIFICATE: 5,
    RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 5,
}


@pytest.fixture
def cycle(program):
    return factories.CycleFactory(
        program=program, name="Cohorte", starts_on=D(2026, 9, 1), ends_on=D(2027, 2, 28)
    )


@pytest.fixture
def catalog(organisation):
    """Four options: a public mention, a card, a certificate, and a training offered at the end
    of the year to mentors with ten hours."""
    return {
        "mention": option(
            organisation,
            "Newsletter mention",
            "Mention dans l'infolettre",
            RecognitionCategory.PUBLIC_MENTION,
            visibility=Visibility.PUBLIC,
            cost_money="0.00",
            staff_hours="0.00",
        ),
        "card": option(
            organisation,
            "Handwritten card",
            "Carte manuscrite",
            RecognitionCategory.THANK_YOU_CARD,
            cost_money="5.00",
            staff_hours="0.25",
        ),
        "certificate": option(
            organisation,
            "Framed certificate",
            "Certificat encadré",
            RecognitionCategory.CERTIFICATE,
            cost_money="20.00",
            staff_hours="0.50",
        ),
        "training": option(
            organisation,
            "Coaching workshop",
            "Atelier de coaching",
            RecognitionCategory.PROFESSIONAL_DEVELOPMENT,
            cost_money="150.00",
            staff_hours="1.00",
            min_hours_mentored="10.00",
            moments=[RecognitionMoment.YEAR_END],
        ),
    }


@pytest.fixture
def budget(program):
    return factories.BudgetFactory(
        program=program, fiscal_year=2026, money="2000.00", staff_hours="40.00", material_items=0
    )


@pytest.fixture
def mentors(program, cycle):
    """Marie (public yes, 12 hours), Luc (public no) and Anne (asked each time), who all like
    every option of the catalog."""
    marie, luc, anne = enrol(program, "Marie"), enrol(program, "Luc"), enrol(program, "Anne")
    profile(marie, PublicConsent.YES, LIKES_EVERYTHING)
    profile(luc, PublicConsent.NO, LIKES_EVERYTHING)
    profile(anne, PublicConsent.ASK, LIKES_EVERYTHING)
    log_hours(program, marie, 12)
    return {"marie": marie, "luc": luc, "anne": anne}


RULES = {"min_per_mentor": 1, "max_per_mentor": 3, "one_per_moment": True, "no_repeat_months": 12}


def create(program, actor, **changes):
    fields = {"starts_on": START, "ends_on": END, **RULES, **changes}
    return plans.create_plan(program, actor=actor, **fields)


@pytest.fixture
def computed(program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks):
    """A plan of the three mentors, computed in the request."""
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    plan.refresh_from_db()
    return plan


def lines_of(plan, mentor=None):
    lines = PlanLine.objects.filter(plan=plan).select_related("option").order_by("pk")
    return list(lines.filter(mentor=mentor) if mentor is not None else lines)


def state(plan):
    """Every line of the plan as it stands, to compare before and after."""
    return [
        (line.pk, line.mentor_id, line.option_id, line.moment_key, line.givers, line.locked)
        for line in lines_of(plan)
    ]


def draft(program, **changes):
    """A draft plan without lines, written directly: the editing rules need no computation."""
    fields = {"starts_on": START, "ends_on": END, **RULES, **changes}
    return Plan.objects.create(
        organisation=program.organisation, program=program, status=Plan.Status.DRAFT, **fields
    )


def add(plan, actor, mentor, option, moment_key=YEAR_END, givers=(Giver.MANAGER,)):
    return plans.add_line(
        plan, actor=actor, mentor=mentor, option=option, moment_key=moment_key, givers=givers
    )


def refusal(error):
    """Every message of a ValidationError, in one string."""
    return " ".join(error.messages)


# --- Creating and computing ----------------------------------------------------------------


def test_a_small_program_is_computed_in_the_request_once_the_plan_is_saved(
    program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan = create(program, manager_user)
    assert plan.status == Plan.Status.COMPUTING and not plan.lines.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.lines.exists()


def test_a_large_program_is_computed_by_the_task_worker(
    program, manager_user, catalog, budget, mentors, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_BACKGROUND_THRESHOLD_MENTORS = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan = create(program, manager_user)
    assert [callback.func for callback in callbacks] == [tasks.compute_plan_task.enqueue]
    callbacks[0]()  # The test task backend runs it at once.
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.lines.exists()


def test_creating_a_plan_is_audited(computed, manager_user):
    event = AuditEvent.objects.get(object_type="recognition.plan", object_id=str(computed.pk))
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, manager_user)


def test_the_progress_is_reported_on_the_plans_row_step_by_step(
    program, manager_user, catalog, budget, mentors, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    report = plans._report_progress

    def watch(plan_pk, share, step):
        report(plan_pk, share, step)
        row = Plan.objects.get(pk=plan_pk)
        seen.append((row.progress_step, row.progress))

    monkeypatch.setattr(plans, "_report_progress", watch)
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    assert [step for step, _share in seen] == ["choosing", "placing", "explaining", "done"]
    assert [share for _step, share in seen] == sorted(share for _step, share in seen)
    plan.refresh_from_db()
    assert (plan.progress, plan.progress_step) == (1, "done")
    assert plan.progress_at is not None and plan.computed_at is not None


def test_the_solvers_figures_are_stored(computed, mentors):
    assert computed.solver_status in ("optimal", "feasible")
    assert computed.objective > 0
    assert computed.upper_bound >= computed.objective
    assert computed.gap is not None and computed.solve_seconds is not None
    assert computed.mentor_count == len(mentors)
    assert computed.uncovered_count == 0
    assert computed.problems_fr == computed.problems_en == []


def test_every_mentor_receives_between_the_minimum_and_the_maximum(computed, mentors):
    counts = {name: len(lines_of(computed, person)) for name, person in mentors.items()}
    assert all(1 <= count <= RULES["max_per_mentor"] for count in counts.values())
    # Three options suit everyone and the budget is ample: the maximum binds.
    assert max(counts.values()) == RULES["max_per_mentor"]


def test_a_lower_maximum_is_kept(
    program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user, max_per_mentor=1)
    assert [len(lines_of(plan, person)) for person in mentors.values()] == [1, 1, 1]


def test_a_mentor_gets_one_recognition_per_moment_and_an_option_once(computed, mentors):
    for person in mentors.values():
        lines = lines_of(computed, person)
        assert len({line.moment_key for line in lines}) == len(lines)
        assert len({line.option_id for line in lines}) == len(lines)


def test_lines_are_at_moments_of_the_period_their_option_is_offered_at(computed, catalog):
    moments = plans.plan_moments(computed)
    for line in lines_of(computed):
        assert line.moment_key in moments
        assert (line.moment_date, line.moment_kind) == (
            moments[line.moment_key].date,
            moments[line.moment_key].kind,
        )
        if line.option == catalog["training"]:
            assert line.moment_kind == RecognitionMoment.YEAR_END


def test_public_options_go_only_to_mentors_who_agreed(computed, catalog, mentors):
    public = {
        name: any(line.option == catalog["mention"] for line in lines_of(computed, person))
        for name, person in mentors.items()
    }
    # Luc said no; Anne is asked each time, which the planner cannot do for her.
    assert public == {"marie": True, "luc": False, "anne": False}


def test_an_option_goes_only_to_mentors_who_meet_its_minimum_hours(computed, catalog, mentors):
    training = {
        name: any(line.option == catalog["training"] for line in lines_of(computed, person))
        for name, person in mentors.items()
    }
    assert training == {"marie": True, "luc": False, "anne": False}


def test_the_reasons_are_written_in_french_and_in_english(computed):
    for line in lines_of(computed):
        category = RecognitionCategory(line.option.category)
        with translation.override("fr-ca"):
            french = str(category.label)
        with translation.override("en"):
            english = str(category.label)
        assert french != english
        assert french in line.reason_fr and f"“{english}”" not in line.reason_fr
        assert f"“{english}”" in line.reason_en
    with translation.override("en"):
        assert lines_of(computed)[0].reason == lines_of(computed)[0].reason_en


@pytest.fixture
def plan_of_one(program, manager_user, catalog, budget, cycle, django_capture_on_commit_callbacks):
    """The plan of the program's mentors as they are when it is called."""

    def compute():
        with django_capture_on_commit_callbacks(execute=True):
            plan = create(program, manager_user)
        return lines_of(plan)

    return compute


def test_a_year_and_a_half_of_mentoring_reads_in_the_plural(program, plan_of_one):
    profile(enrol(program, "Demi", since=D(2025, 9, 30)), PublicConsent.YES, LIKES_EVERYTHING)
    reason = plan_of_one()[0].reason_en
    assert "has mentored for 1.5 years" in reason, reason


def test_one_hour_of_mentoring_reads_in_the_singular(program, plan_of_one):
    one = enrol(program, "Une")
    profile(one, PublicConsent.YES, LIKES_EVERYTHING)
    log_hours(program, one, 1)
    reason = plan_of_one()[0].reason_en
    assert "has mentored 1 hour this year" in reason, reason


def test_planned_lines_are_the_planners_and_not_locked(computed):
    assert {(line.source, line.locked) for line in lines_of(computed)} == {
        (PlanLine.Source.PLANNER, False)
    }


def test_each_line_is_given_by_one_of_its_options_usual_givers(computed, catalog):
    catalog["card"].usual_givers = [Giver.MENTEE]
    for line in lines_of(computed):
        assert len(line.givers) == 1
        assert line.givers[0] in line.option.usual_givers


def test_a_mentors_recognitions_come_from_different_givers(computed, mentors):
    for person in mentors.values():
        givers = [line.givers[0] for line in lines_of(computed, person)]
        assert len(set(givers)) == len(givers)


def test_an_option_without_usual_givers_is_given_by_the_manager(
    program, manager_user, mentors, budget, cycle, django_capture_on_commit_callbacks
):
    option(
        program.organisation,
        "Card",
        "Carte",
        RecognitionCategory.THANK_YOU_CARD,
        usual_givers=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    assert {tuple(line.givers) for line in lines_of(plan)} == {(Giver.MANAGER,)}


def test_sending_the_form_twice_creates_one_plan(
    program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = create(program, manager_user, form_token="token-1")
        second = create(program, manager_user, form_token="token-1")
    assert first.pk == second.pk
    assert Plan.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="recognition.plan").count() == 1


def test_another_form_creates_another_plan(
    program, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        create(program, manager_user, form_token="token-1")
        create(program, manager_user, form_token="token-2")
    assert Plan.objects.count() == 2


def test_a_period_over_two_fiscal_years_is_refused(program, manager_user):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        create(program, manager_user, starts_on=D(2026, 10, 1), ends_on=D(2027, 4, 30))
    assert "ends_on" in refused.value.message_dict
    assert "April 1, 2026" in refusal(refused.value)
    assert "March 31, 2027" in refusal(refused.value)
    assert not Plan.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(program, manager_user):
    with pytest.raises(ValidationError) as refused:
        create(program, manager_user, starts_on=D(2026, 10, 1), ends_on=D(2026, 9, 30))
    assert "ends_on" in refused.value.message_dict
    assert not Plan.objects.exists()


def test_a_minimum_above_the_maximum_is_refused(program, manager_user):
    with pytest.raises(ValidationError) as refused:
        create(program, manager_user, min_per_mentor=3, max_per_mentor=2)
    assert "min_per_mentor" in refused.value.message_dict
    assert not Plan.objects.exists()


def test_a_program_without_budget_is_planned_with_what_costs_nothing(
    program, manager_user, catalog, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert {line.option.cost_money for line in lines_of(plan)} == {Decimal("0.00")}
    # Only Marie may receive the free public mention: Luc and Anne stay uncovered.
    assert plan.uncovered_count == 2
    assert plan.shortfall_money == Decimal("10.00")
    assert plan.shortfall_staff_hours == Decimal("0.50")


def test_a_mentor_nothing_in_the_catalog_is_open_to_is_counted_apart(
    program, manager_user, budget, cycle, django_capture_on_commit_callbacks
):
    option(
        program.organisation,
        "Newsletter mention",
        "Mention dans l'infolettre",
        RecognitionCategory.PUBLIC_MENTION,
        visibility=Visibility.PUBLIC,
    )
    profile(enrol(program, "Luc"), PublicConsent.NO, LIKES_EVERYTHING)
    profile(enrol(program, "Marie"), PublicConsent.YES, LIKES_EVERYTHING)
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    plan.refresh_from_db()
    assert (plan.mentor_count, plan.uncovered_count, plan.without_option_count) == (2, 1, 1)
    # More money would not help him: nothing is missing but an option he can receive.
    assert plan.shortfall_money == Decimal("0.00")


def test_the_plan_compute_plan_returns_holds_its_shortfall_as_decimal_money(
    program, manager_user, catalog, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        plan = create(program, manager_user)
    computed = plans.compute_plan(plan)
    assert computed.uncovered_count == 2
    assert isinstance(computed.shortfall_money, Decimal)
    assert isinstance(computed.shortfall_staff_hours, Decimal)


# --- Computing again -------------------------------------------------------------------------


def compute_again(plan, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plans.compute_again(plan, actor=actor)
    plan.refresh_from_db()
    return plan


def test_computing_again_keeps_the_locked_lines_and_replaces_the_others(
    computed, manager_user, django_capture_on_commit_callbacks
):
    kept, *others = lines_of(computed)
    plans.set_locked(kept, actor=manager_user, locked=True)
    before = (kept.pk, kept.option_id, kept.moment_key, kept.givers)
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert computed.status == Plan.Status.DRAFT
    line = PlanLine.objects.get(pk=kept.pk)
    assert (line.pk, line.option_id, line.moment_key, line.givers) == before
    assert line.locked
    assert not PlanLine.objects.filter(pk__in=[other.pk for other in others]).exists()
    assert len(lines_of(computed)) >= len(others) + 1


def test_computing_again_keeps_a_hand_made_line_and_plans_around_it(
    computed, manager_user, mentors, catalog, django_capture_on_commit_callbacks
):
    marie = mentors["marie"]
    for line in lines_of(computed, marie):
        plans.remove_line(line, actor=manager_user)
    hand = add(computed, manager_user, marie, catalog["card"], MENTORING_DAY, [Giver.PEER])
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    lines = lines_of(computed, marie)
    assert hand.pk in [line.pk for line in lines]
    others = [line for line in lines if line.pk != hand.pk]
    # Around it: never the card again, never at its moment, never above the maximum.
    assert others and all(line.option != catalog["card"] for line in others)
    assert all(line.moment_key != MENTORING_DAY for line in others)
    assert len(lines) <= RULES["max_per_mentor"]
    # The peer gives the card, so the planner asks others for Marie's next recognitions.
    assert all(line.givers != [Giver.PEER] for line in others)


def test_computing_again_is_audited(computed, manager_user, django_capture_on_commit_callbacks):
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert AuditEvent.objects.filter(
        object_type="recognition.plan",
        object_id=str(computed.pk),
        action=AuditEvent.Action.UPDATE,
        changes={"computed again": True},
    ).exists()


def lock_marie_on_the_mention(plan, actor, mentors, catalog):
    """Marie's lines: her public mention, locked at the end of the year, and nothing else."""
    marie = mentors["marie"]
    for line in lines_of(plan, marie):
        plans.remove_line(line, actor=actor)
    return add(plan, actor, marie, catalog["mention"], YEAR_END)


def assert_refused_with_problems(plan, before, *, french, english):
    assert plan.status == Plan.Status.DRAFT
    assert plan.solver_status == "infeasible"
    assert any(french in problem for problem in plan.problems_fr), plan.problems_fr
    assert any(english in problem for problem in plan.problems_en), plan.problems_en
    assert not any(english in problem for problem in plan.problems_fr)
    assert (plan.progress, plan.progress_step) == (1, "done")
    assert state(plan) == before


def test_a_locked_public_line_after_the_mentor_withdrew_consent_changes_nothing(
    computed, manager_user, mentors, catalog, django_capture_on_commit_callbacks
):
    lock_marie_on_the_mention(computed, manager_user, mentors, catalog)
    before = state(computed)
    MentorProfile.objects.filter(person=mentors["marie"]).update(public_consent=PublicConsent.NO)
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert_refused_with_problems(
        computed, before, french="Mention dans l'infolettre", english="Newsletter mention"
    )
    assert any("Marie Gagnon" in problem for problem in computed.problems_en)


def test_once_the_cause_is_gone_computing_again_clears_the_problems(
    computed, manager_user, mentors, catalog, django_capture_on_commit_callbacks
):
    lock_marie_on_the_mention(computed, manager_user, mentors, catalog)
    consent = MentorProfile.objects.filter(person=mentors["marie"])
    consent.update(public_consent=PublicConsent.NO)
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert computed.problems_en
    consent.update(public_consent=PublicConsent.YES)
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert computed.solver_status in ("optimal", "feasible")
    assert computed.problems_fr == computed.problems_en == []


def test_a_locked_line_of_a_retired_option_changes_nothing(
    computed, manager_user, mentors, catalog, django_capture_on_commit_callbacks
):
    lock_marie_on_the_mention(computed, manager_user, mentors, catalog)
    before = state(computed)
    catalog["mention"].active = False
    catalog["mention"].retired_at = timezone.now()
    catalog["mention"].save()
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert_refused_with_problems(
        computed, before, french="Mention dans l'infolettre", english="Newsletter mention"
    )
    with translation.override("en"):
        assert computed.problems == computed.problems_en


def test_a_locked_line_of_a_mentor_who_left_changes_nothing(
    computed, manager_user, mentors, catalog, django_capture_on_commit_callbacks
):
    lock_marie_on_the_mention(computed, manager_user, mentors, catalog)
    before = state(computed)
    MentorEnrolment.objects.filter(person=mentors["marie"]).update(status=EnrolmentStatus.LEFT)
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert_refused_with_problems(
        computed, before, french="Mention dans l'infolettre", english="Newsletter mention"
    )
    assert all("Marie Gagnon" in problem for problem in computed.problems_fr)


def test_a_failure_inside_the_planner_marks_the_plan_failed(
    program, manager_user, catalog, budget, mentors, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("HiGHS crashed")

    monkeypatch.setattr(plans, "run_planner", broken)
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.FAILED
    assert not plan.lines.exists()


def test_a_failed_plan_can_be_computed_again(
    program, manager_user, catalog, budget, mentors, monkeypatch, django_capture_on_commit_callbacks
):
    real = plans.run_planner
    monkeypatch.setattr(plans, "run_planner", lambda *a, **k: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    monkeypatch.setattr(plans, "run_planner", real)
    plan = compute_again(plan, manager_user, django_capture_on_commit_callbacks)
    assert plan.status == Plan.Status.DRAFT and plan.lines.exists()


def test_a_plan_being_computed_is_not_started_twice(
    program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        plan = create(program, manager_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plans.compute_again(plan, actor=manager_user)
    assert callbacks == []
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMPUTING
    assert not AuditEvent.objects.filter(changes={"computed again": True}).exists()


def test_a_computation_that_stopped_is_started_again(
    program, manager_user, catalog, budget, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        plan = create(program, manager_user)
    long_ago = timezone.now() - plans.STALE_AFTER - datetime.timedelta(minutes=1)
    Plan.objects.filter(pk=plan.pk).update(progress_at=long_ago, progress=0.8)
    plan.refresh_from_db()
    assert plans.is_stale(plan)
    plan = compute_again(plan, manager_user, django_capture_on_commit_callbacks)
    assert plan.status == Plan.Status.DRAFT and plan.lines.exists()


def test_a_recent_computation_is_not_stale(
    program, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        plan = create(program, manager_user)
    assert not plans.is_stale(plan)
    assert plans.is_stale(plan, now=timezone.now() + plans.STALE_AFTER * 2)


def test_an_approved_plan_is_not_computed_again(program, manager_user):
    plan = draft(program)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    with pytest.raises(ValidationError):
        plans.compute_again(plan, actor=manager_user)


def test_changing_the_rules_computes_again_with_them(
    computed, manager_user, mentors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.change_rules(computed, actor=manager_user, **{**RULES, "max_per_mentor": 1})
    computed.refresh_from_db()
    assert computed.max_per_mentor == 1
    assert [len(lines_of(computed, person)) for person in mentors.values()] == [1, 1, 1]


def test_changing_the_rules_is_audited_with_what_changed(
    computed, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.change_rules(computed, actor=manager_user, **{**RULES, "max_per_mentor": 2})
    event = AuditEvent.objects.filter(
        object_type="recognition.plan",
        object_id=str(computed.pk),
        action=AuditEvent.Action.UPDATE,
        changes__has_key="max_per_mentor",
    ).get()
    assert event.changes["max_per_mentor"] == [3, 2]


def test_changing_the_rules_to_a_minimum_above_the_maximum_is_refused(computed, manager_user):
    before = state(computed)
    with pytest.raises(ValidationError):
        plans.change_rules(
            computed, actor=manager_user, **{**RULES, "min_per_mentor": 3, "max_per_mentor": 2}
        )
    computed.refresh_from_db()
    assert (computed.min_per_mentor, computed.max_per_mentor) == (1, 3)
    assert state(computed) == before


# --- Adding, editing, removing and locking lines --------------------------------------------


@pytest.fixture
def marie(program, cycle):
    marie = enrol(program, "Marie")
    profile(marie, PublicConsent.YES, LIKES_EVERYTHING)
    return marie


def test_a_line_added_by_hand_is_locked_and_the_managers(program, manager_user, marie, catalog):
    plan = draft(program)
    line = add(plan, manager_user, marie, catalog["card"], YEAR_END, [Giver.EXECUTIVE, "nobody"])
    assert (line.locked, line.source) == (True, PlanLine.Source.MANAGER)
    assert (line.moment_key, line.moment_date) == (YEAR_END, D(2026, 12, 15))
    assert line.moment_kind == RecognitionMoment.YEAR_END
    assert line.givers == [Giver.EXECUTIVE]
    # Why it suits Marie, in both languages, as the planner says it of a locked line.
    assert "Marie" in line.reason_fr and "Marie" in line.reason_en
    assert line.reason_en.endswith("; you chose it")
    assert line.reason_fr.endswith("; vous l'avez choisie")


def test_adding_a_line_is_audited(program, manager_user, marie, catalog):
    line = add(draft(program), manager_user, marie, catalog["card"])
    event = AuditEvent.objects.get(object_type="recognition.planline", object_id=str(line.pk))
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, manager_user)


def assert_not_added(plan, call, field=None):
    with pytest.raises(ValidationError) as refused:
        call()
    if field:
        assert field in refused.value.message_dict
    assert refused.value.messages
    return refused.value


def test_a_line_without_giver_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    assert_not_added(
        plan, lambda: add(plan, manager_user, marie, catalog["card"], givers=[]), "givers"
    )
    assert not plan.lines.exists()


def test_a_mentor_of_another_program_is_refused(program, manager_user, catalog, cycle):
    plan = draft(program)
    elsewhere = enrol(factories.ProgramFactory(organisation=program.organisation), "Eve")
    assert_not_added(plan, lambda: add(plan, manager_user, elsewhere, catalog["card"]), "mentor")
    assert not plan.lines.exists()


@pytest.mark.parametrize("status", [EnrolmentStatus.PAUSED, EnrolmentStatus.LEFT])
def test_a_mentor_no_longer_active_is_refused(program, manager_user, catalog, cycle, status):
    plan = draft(program)
    paul = enrol(program, "Paul", status=status)
    assert_not_added(plan, lambda: add(plan, manager_user, paul, catalog["card"]), "mentor")
    assert not plan.lines.exists()


def test_an_option_of_another_organisation_is_refused(
    program, manager_user, marie, other_organisation
):
    plan = draft(program)
    theirs = option(other_organisation, "Card", "Carte", RecognitionCategory.THANK_YOU_CARD)
    assert_not_added(plan, lambda: add(plan, manager_user, marie, theirs), "option")
    assert not plan.lines.exists()


def test_a_retired_option_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    catalog["card"].active = False
    catalog["card"].save()
    assert_not_added(plan, lambda: add(plan, manager_user, marie, catalog["card"]), "option")
    assert not plan.lines.exists()


@pytest.mark.parametrize("moment_key", ["year-end-2027", "mentoring-day-2026", "nowhere"])
def test_a_moment_outside_the_period_is_refused(program, manager_user, marie, catalog, moment_key):
    plan = draft(program)
    assert_not_added(
        plan, lambda: add(plan, manager_user, marie, catalog["card"], moment_key), "moment"
    )
    assert not plan.lines.exists()


def test_a_moment_the_option_is_not_offered_at_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    log_hours(program, marie, 12)
    assert_not_added(
        plan, lambda: add(plan, manager_user, marie, catalog["training"], MENTORING_DAY)
    )
    assert not plan.lines.exists()


def test_a_second_line_at_the_same_moment_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    add(plan, manager_user, marie, catalog["card"], YEAR_END)
    with translation.override("en"):
        refused = assert_not_added(
            plan, lambda: add(plan, manager_user, marie, catalog["certificate"], YEAR_END)
        )
    assert "two recognitions at the moment" in refusal(refused)
    assert plan.lines.count() == 1


def test_two_lines_at_one_moment_are_allowed_without_the_one_per_moment_rule(
    program, manager_user, marie, catalog
):
    plan = draft(program, one_per_moment=False)
    add(plan, manager_user, marie, catalog["card"], YEAR_END)
    add(plan, manager_user, marie, catalog["certificate"], YEAR_END)
    assert plan.lines.count() == 2


def test_the_same_line_sent_twice_is_added_once(program, manager_user, marie, catalog):
    plan = draft(program, one_per_moment=False)
    add(plan, manager_user, marie, catalog["card"], YEAR_END)
    assert_not_added(plan, lambda: add(plan, manager_user, marie, catalog["card"], YEAR_END))
    assert plan.lines.count() == 1


def test_a_line_beyond_the_maximum_is_refused(program, manager_user, marie, catalog):
    plan = draft(program, max_per_mentor=2)
    add(plan, manager_user, marie, catalog["card"], YEAR_END)
    add(plan, manager_user, marie, catalog["certificate"], MENTORING_DAY)
    cycle_start = next(key for key in plans.plan_moments(plan) if key.endswith("-start"))
    with translation.override("en"):
        refused = assert_not_added(
            plan, lambda: add(plan, manager_user, marie, catalog["mention"], cycle_start)
        )
    assert "more than the maximum of 2" in refusal(refused)
    assert plan.lines.count() == 2


def test_a_mentor_below_an_options_minimum_hours_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    log_hours(program, marie, 9)
    with translation.override("en"):
        refused = assert_not_added(
            plan, lambda: add(plan, manager_user, marie, catalog["training"], YEAR_END)
        )
    assert "not eligible" in refusal(refused)
    assert not plan.lines.exists()


def test_a_mentor_with_the_minimum_hours_is_accepted(program, manager_user, marie, catalog):
    plan = draft(program)
    log_hours(program, marie, 10)
    assert add(plan, manager_user, marie, catalog["training"], YEAR_END).pk


def test_a_mentor_below_an_options_minimum_tenure_is_refused(program, manager_user, catalog, cycle):
    plan = draft(program)
    # 17 whole months at the end of the period, for an option asking 18.
    newcomer = enrol(program, "Zoé", since=D(2025, 10, 1))
    veteran = enrol(program, "Yves", since=D(2025, 9, 1))
    senior = option(
        program.organisation,
        "Senior pin",
        "Épinglette",
        RecognitionCategory.BADGE,
        min_tenure_months=18,
    )
    assert_not_added(plan, lambda: add(plan, manager_user, newcomer, senior))
    assert add(plan, manager_user, veteran, senior).pk
    assert list(plan.lines.values_list("mentor", flat=True)) == [veteran.pk]


def test_a_public_option_for_a_mentor_who_refused_public_recognition_is_refused(
    program, manager_user, catalog, cycle
):
    plan = draft(program)
    luc = enrol(program, "Luc")
    profile(luc, PublicConsent.NO, {})
    with translation.override("en"):
        refused = assert_not_added(plan, lambda: add(plan, manager_user, luc, catalog["mention"]))
    assert "has not agreed to public recognition" in refusal(refused)
    assert not plan.lines.exists()


@pytest.mark.parametrize("consent", [PublicConsent.ASK, None])
def test_a_public_option_for_a_mentor_asked_each_time_is_accepted(
    program, manager_user, catalog, cycle, consent
):
    plan = draft(program)
    anne = enrol(program, "Anne")
    if consent:
        profile(anne, consent, {})
    assert add(plan, manager_user, anne, catalog["mention"]).pk


@pytest.mark.parametrize(
    "status", [Plan.Status.APPROVED, Plan.Status.COMPUTING, Plan.Status.FAILED]
)
def test_no_line_is_added_to_a_plan_that_is_not_a_draft(
    program, manager_user, marie, catalog, status
):
    plan = draft(program)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    assert_not_added(plan, lambda: add(plan, manager_user, marie, catalog["card"]))
    assert not plan.lines.exists()


def test_editing_a_line_moves_it_explains_it_again_and_locks_it(computed, manager_user, catalog):
    line = lines_of(computed)[0]
    assert line.reason_fr and not line.locked
    taken = {other.moment_key for other in lines_of(computed, line.mentor)}
    free = next(key for key in plans.plan_moments(computed) if key not in taken)
    others = {other.option_id for other in lines_of(computed, line.mentor)}
    unused = next(o for o in catalog.values() if o.pk not in others and o != catalog["training"])
    edited = plans.edit_line(
        line, actor=manager_user, option=unused, moment_key=free, givers=[Giver.MENTEE]
    )
    edited.refresh_from_db()
    assert (edited.option_id, edited.moment_key, edited.givers) == (unused.pk, free, [Giver.MENTEE])
    assert edited.moment_date == plans.plan_moments(computed)[free].date
    assert edited.reason_en != line.reason_en and line.mentor.first_name in edited.reason_en
    assert (edited.locked, edited.source) == (True, PlanLine.Source.MANAGER)
    event = AuditEvent.objects.get(object_type="recognition.planline", object_id=str(line.pk))
    assert event.action == AuditEvent.Action.UPDATE
    assert "option" in event.changes and "moment_key" in event.changes


def test_editing_only_the_givers_keeps_the_reason_and_locks_the_line(computed, manager_user):
    line = lines_of(computed)[0]
    plans.edit_line(
        line,
        actor=manager_user,
        option=line.option,
        moment_key=line.moment_key,
        givers=[Giver.PEER],
    )
    line.refresh_from_db()
    assert (line.givers, line.locked) == ([Giver.PEER], True)
    assert line.reason_en


def test_changing_the_givers_of_a_locked_line_is_audited(program, manager_user, marie, catalog):
    line = add(draft(program), manager_user, marie, catalog["card"], givers=[Giver.MANAGER])
    plans.edit_line(
        line,
        actor=manager_user,
        option=catalog["card"],
        moment_key=line.moment_key,
        givers=[Giver.PEER],
    )
    assert AuditEvent.objects.filter(
        object_type="recognition.planline", object_id=str(line.pk), action=AuditEvent.Action.UPDATE
    ).exists()


def test_an_edit_that_breaks_a_rule_changes_nothing(program, manager_user, marie, catalog):
    plan = draft(program)
    card = add(plan, manager_user, marie, catalog["card"], YEAR_END)
    add(plan, manager_user, marie, catalog["certificate"], MENTORING_DAY)
    with pytest.raises(ValidationError):
        plans.edit_line(
            card,
            actor=manager_user,
            option=catalog["card"],
            moment_key=MENTORING_DAY,
            givers=[Giver.PEER],
        )
    card.refresh_from_db()
    assert (card.moment_key, card.givers) == (YEAR_END, [Giver.MANAGER])


def test_an_edit_may_keep_the_lines_own_moment(program, manager_user, marie, catalog):
    plan = draft(program)
    card = add(plan, manager_user, marie, catalog["card"], YEAR_END)
    edited = plans.edit_line(
        card,
        actor=manager_user,
        option=catalog["certificate"],
        moment_key=YEAR_END,
        givers=["peer"],
    )
    assert edited.option == catalog["certificate"]


def test_an_edit_to_a_retired_option_is_refused(program, manager_user, marie, catalog):
    plan = draft(program)
    card = add(plan, manager_user, marie, catalog["card"], YEAR_END)
    catalog["certificate"].active = False
    catalog["certificate"].save()
    with pytest.raises(ValidationError):
        plans.edit_line(
            card,
            actor=manager_user,
            option=catalog["certificate"],
            moment_key=YEAR_END,
            givers=["peer"],
        )
    card.refresh_from_db()
    assert card.option == catalog["card"]


def test_removing_a_line_is_audited_and_a_second_removal_does_nothing(
    program, manager_user, marie, catalog
):
    plan = draft(program)
    line = add(plan, manager_user, marie, catalog["card"])
    plans.remove_line(line, actor=manager_user)
    plans.remove_line(line, actor=manager_user)
    assert not plan.lines.exists()
    deletions = AuditEvent.objects.filter(
        object_type="recognition.planline", action=AuditEvent.Action.DELETE
    )
    assert deletions.count() == 1


def test_locking_and_unlocking_a_line_is_audited(computed, manager_user):
    line = lines_of(computed)[0]
    plans.set_locked(line, actor=manager_user, locked=True)
    assert PlanLine.objects.get(pk=line.pk).locked
    plans.set_locked(line, actor=manager_user, locked=False)
    assert not PlanLine.objects.get(pk=line.pk).locked
    changes = AuditEvent.objects.filter(
        object_type="recognition.planline", object_id=str(line.pk)
    ).values_list("changes", flat=True)
    assert sorted(change["locked"] for change in changes) == [[False, True], [True, False]]


@pytest.mark.parametrize("status", [Plan.Status.APPROVED, Plan.Status.COMPUTING])
def test_lines_of_a_plan_that_is_not_a_draft_do_not_change(
    program, manager_user, marie, catalog, status
):
    plan = draft(program)
    line = add(plan, manager_user, marie, catalog["card"], YEAR_END)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    line.refresh_from_db()
    before = state(plan)
    for change in (
        lambda: plans.edit_line(
            line,
            actor=manager_user,
            option=catalog["certificate"],
            moment_key=MENTORING_DAY,
            givers=["peer"],
        ),
        lambda: plans.remove_line(line, actor=manager_user),
        lambda: plans.set_locked(line, actor=manager_user, locked=False),
    ):
        with pytest.raises(ValidationError):
            change()
    assert state(plan) == before


def test_deleting_a_plan_is_audited(program, manager_user):
    plan = draft(program)
    plans.delete_plan(plan, actor=manager_user)
    event = AuditEvent.objects.get(object_type="recognition.plan", object_id=str(plan.pk))
    assert (event.action, event.actor) == (AuditEvent.Action.DELETE, manager_user)


def test_a_draft_plan_can_be_deleted_but_not_an_approved_one(program, manager_user):
    gone, approved = draft(program), draft(program)
    Plan.objects.filter(pk=approved.pk).update(status=Plan.Status.APPROVED)
    plans.delete_plan(gone, actor=manager_user)
    with pytest.raises(ValidationError):
        plans.delete_plan(approved, actor=manager_user)
    assert list(Plan.objects.values_list("pk", flat=True)) == [approved.pk]


# --- Approving -------------------------------------------------------------------------------


@pytest.fixture
def luc(program, cycle):
    luc = enrol(program, "Luc")
    profile(luc, PublicConsent.NO, LIKES_EVERYTHING)
    return luc


@pytest.fixture
def ready(program, manager_user, marie, luc, catalog):
    """A draft of three lines: a card and a certificate for Marie, a card for Luc (30 $)."""
    plan = draft(program)
    add(plan, manager_user, marie, catalog["card"], YEAR_END)
    add(plan, manager_user, marie, catalog["certificate"], MENTORING_DAY)
    add(plan, manager_user, luc, catalog["card"], YEAR_END)
    return plan


def test_approving_commits_each_line_at_its_options_cost_and_moments_date(
    ready, budget, manager_user, catalog
):
    before = budget_usage(budget)
    plan = plans.approve_plan(ready, actor=manager_user)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.budget) == (
        Plan.Status.APPROVED,
        manager_user,
        budget,
    )
    assert plan.approved_at is not None
    entries = [line.commitment for line in lines_of(plan)]
    assert all(entry is not None for entry in entries)
    assert [(e.kind, e.option, e.money, e.staff_hours, e.occurred_on) for e in entries] == [
        (
            LedgerEntry.Kind.COMMITMENT,
            line.option,
            line.option.cost_money,
            line.option.staff_hours,
            line.moment_date,
        )
        for line in lines_of(plan)
    ]
    assert {entry.budget_id for entry in entries} == {budget.pk}
    after = budget_usage(budget)
    assert after.committed("money") - before.committed("money") == Decimal("30.00")
    assert after.committed("staff_hours") - before.committed("staff_hours") == Decimal("1.00")


def test_an_approved_line_names_the_option_and_the_mentor_in_the_ledger(
    ready, budget, manager_user, marie
):
    plans.approve_plan(ready, actor=manager_user)
    entry = lines_of(ready, marie)[0].commitment
    assert entry.person == marie
    assert entry_label(entry).endswith(" — Marie Gagnon")


def test_approving_twice_commits_once(ready, budget, manager_user):
    first = plans.approve_plan(ready, actor=manager_user)
    second = plans.approve_plan(ready, actor=manager_user)
    assert first.pk == second.pk and second.status == Plan.Status.APPROVED
    assert LedgerEntry.objects.filter(budget=budget).count() == 3


def test_approving_is_audited(ready, budget, manager_user):
    plans.approve_plan(ready, actor=manager_user)
    assert AuditEvent.objects.filter(
        object_type="recognition.plan", object_id=str(ready.pk), changes__approved=True
    ).exists()


def assert_nothing_approved(plan, actor, *, says=None):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        plans.approve_plan(plan, actor=actor)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.budget is None
    assert not LedgerEntry.objects.exists()
    assert not PlanLine.objects.filter(plan=plan, commitment__isnull=False).exists()
    if says:
        assert says in refusal(refused.value), refusal(refused.value)


def test_approving_without_a_budget_for_the_periods_year_is_refused(ready, manager_user, program):
    factories.BudgetFactory(program=program, fiscal_year=2027)
    assert_nothing_approved(ready, manager_user, says="has no budget for 2026")


def test_approving_beyond_the_budget_is_refused(ready, manager_user, program):
    factories.BudgetFactory(program=program, fiscal_year=2026, money="29.99")
    assert_nothing_approved(ready, manager_user, says="Not enough money")


def test_approving_beyond_the_staff_hours_is_refused(ready, manager_user, program):
    factories.BudgetFactory(program=program, fiscal_year=2026, staff_hours="0.99")
    assert_nothing_approved(ready, manager_user, says="Not enough staff hours")


def test_approving_beyond_an_options_capacity_is_refused(ready, manager_user, budget, catalog):
    catalog["card"].capacity = 1
    catalog["card"].save()
    assert_nothing_approved(ready, manager_user, says="Handwritten card")


def test_approving_counts_what_other_budgets_used_of_a_capacity(
    ready, manager_user, budget, catalog, organisation
):
    catalog["card"].capacity = 2
    catalog["card"].save()
    whole = factories.BudgetFactory(program=None, organisation=organisation, fiscal_year=2026)
    factories.LedgerEntryFactory(budget=whole, option=catalog["card"], occurred_on=D(2026, 7, 1))
    with translation.override("en"), pytest.raises(ValidationError):
        plans.approve_plan(ready, actor=manager_user)
    assert LedgerEntry.objects.count() == 1


def test_approving_a_line_of_an_option_retired_since_is_refused(
    ready, manager_user, budget, catalog
):
    catalog["certificate"].active = False
    catalog["certificate"].save()
    assert_nothing_approved(ready, manager_user, says="Framed certificate")


def test_approving_a_plan_without_lines_is_refused(program, budget, manager_user):
    assert_nothing_approved(draft(program), manager_user, says="no lines")


def test_approving_a_plan_being_computed_is_refused(ready, budget, manager_user):
    Plan.objects.filter(pk=ready.pk).update(status=Plan.Status.COMPUTING)
    with pytest.raises(ValidationError):
        plans.approve_plan(ready, actor=manager_user)
    ready.refresh_from_db()
    assert ready.status == Plan.Status.COMPUTING
    assert not LedgerEntry.objects.exists()


def test_an_approved_plan_cannot_be_edited(ready, budget, manager_user, marie, catalog):
    plans.approve_plan(ready, actor=manager_user)
    with pytest.raises(ValidationError):
        add(ready, manager_user, marie, catalog["mention"], MENTORING_DAY)
    assert ready.lines.count() == 3


def test_a_computed_plan_is_approved_within_its_budget(computed, manager_user, budget):
    plans.approve_plan(computed, actor=manager_user)
    computed.refresh_from_db()
    assert computed.status == Plan.Status.APPROVED
    assert LedgerEntry.objects.filter(budget=budget).count() == len(lines_of(computed))
    assert budget_usage(budget).used("money") == sum(
        line.option.cost_money for line in lines_of(computed)
    )


# --- What the manager expects beyond one plan --------------------------------------------------


def test_a_new_plan_repeats_nothing_an_approved_plan_gives_in_the_period(
    computed, manager_user, mentors, django_capture_on_commit_callbacks
):
    plans.approve_plan(computed, actor=manager_user)
    given = {(line.mentor_id, line.option_id) for line in lines_of(computed)}
    with django_capture_on_commit_callbacks(execute=True):
        second = create(computed.program, manager_user, min_per_mentor=0)
    second.refresh_from_db()
    assert second.status == Plan.Status.DRAFT
    assert not given & {(line.mentor_id, line.option_id) for line in lines_of(second)}


def test_adding_what_an_approved_plan_gave_the_mentor_lately_is_refused(
    program, manager_user, marie, catalog, budget
):
    earlier = draft(program)
    add(earlier, manager_user, marie, catalog["card"], YEAR_END)
    plans.approve_plan(earlier, actor=manager_user)
    plan = draft(program)
    with translation.override("en"):
        refused = assert_not_added(
            plan, lambda: add(plan, manager_user, marie, catalog["card"], MENTORING_DAY)
        )
    assert "lately" in refusal(refused)
    assert not plan.lines.exists()


def test_two_drafts_giving_a_mentor_the_same_option_cannot_both_be_approved(
    program, manager_user, marie, catalog, budget
):
    first, second = draft(program), draft(program)
    add(first, manager_user, marie, catalog["card"], YEAR_END)
    add(second, manager_user, marie, catalog["card"], MENTORING_DAY)
    plans.approve_plan(first, actor=manager_user)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        plans.approve_plan(second, actor=manager_user)
    assert "lately" in refusal(refused.value)
    second.refresh_from_db()
    assert second.status == Plan.Status.DRAFT
    assert LedgerEntry.objects.count() == 1


def test_a_locked_line_whose_moment_left_the_calendar_changes_nothing(
    computed, manager_user, mentors, catalog, cycle, django_capture_on_commit_callbacks
):
    marie = mentors["marie"]
    for line in lines_of(computed, marie):
        plans.remove_line(line, actor=manager_user)
    add(computed, manager_user, marie, catalog["card"], f"cycle-{cycle.pk}-end")
    before = state(computed)
    cycle.delete()
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert_refused_with_problems(
        computed, before, french="Carte manuscrite", english="Handwritten card"
    )


def test_approving_a_line_for_a_mentor_who_left_since_is_refused(ready, manager_user, budget, luc):
    MentorEnrolment.objects.filter(person=luc).update(status=EnrolmentStatus.LEFT)
    assert_nothing_approved(ready, manager_user)


def test_a_computed_plan_stays_within_the_budgets_material_items(
    program, manager_user, catalog, mentors, django_capture_on_commit_callbacks
):
    budget = factories.BudgetFactory(
        program=program, fiscal_year=2026, money="2000.00", staff_hours="40.00", material_items=2
    )
    for name in ("card", "certificate"):
        catalog[name].material_items = 1
        catalog[name].save()
    with django_capture_on_commit_callbacks(execute=True):
        plan = create(program, manager_user)
    plans.approve_plan(plan, actor=manager_user)
    assert budget_usage(budget).used("material_items") <= 2


def test_a_plan_deleted_while_it_is_computed_ends_its_computation_quietly(
    program, manager_user, catalog, budget, mentors, monkeypatch, django_capture_on_commit_callbacks
):
    real = plans.run_planner

    def delete_then_plan(*args, **kwargs):
        Plan.objects.all().delete()
        return real(*args, **kwargs)

    monkeypatch.setattr(plans, "run_planner", delete_then_plan)
    with django_capture_on_commit_callbacks(execute=False):
        plan = create(program, manager_user)
    plans.compute_plan(plan)
    assert not PlanLine.objects.exists()


def test_a_computed_plan_costs_no_more_than_the_budget_left_locked_lines_included(
    computed, manager_user, mentors, catalog, budget, django_capture_on_commit_callbacks
):
    marie = mentors["marie"]
    for line in lines_of(computed, marie):
        plans.remove_line(line, actor=manager_user)
    add(computed, manager_user, marie, catalog["certificate"], MENTORING_DAY)
    budget_services.commit(
        budget, actor=manager_user, money="1960.00", description="Gala", occurred_on=D(2026, 6, 1)
    )
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert computed.status == Plan.Status.DRAFT and computed.solver_status != "infeasible"
    # 40 $ left: the locked certificate (20 $) and at most 20 $ more.
    assert sum(line.option.cost_money for line in lines_of(computed)) <= Decimal("40.00")
    assert len(lines_of(computed)) > 1
    plans.approve_plan(computed, actor=manager_user)


def test_locked_lines_that_alone_pass_the_budget_change_nothing(
    computed, manager_user, mentors, catalog, budget, django_capture_on_commit_callbacks
):
    marie = mentors["marie"]
    for line in lines_of(computed, marie):
        plans.remove_line(line, actor=manager_user)
    add(computed, manager_user, marie, catalog["certificate"], MENTORING_DAY)
    before = state(computed)
    budget_services.commit(
        budget, actor=manager_user, money="1990.00", description="Gala", occurred_on=D(2026, 6, 1)
    )
    compute_again(computed, manager_user, django_capture_on_commit_callbacks)
    assert computed.solver_status == "infeasible"
    with translation.override("en"):
        assert computed.problems == ["The locked recognitions alone cost more than the budget."]
    assert state(computed) == before


def test_locking_a_line_twice_is_audited_once(computed, manager_user):
    line = lines_of(computed)[0]
    plans.set_locked(line, actor=manager_user, locked=True)
    plans.set_locked(line, actor=manager_user, locked=True)
    assert (
        AuditEvent.objects.filter(
            object_type="recognition.planline", object_id=str(line.pk)
        ).count()
        == 1
    )


def test_a_plans_commitment_reads_in_the_ledger_in_the_readers_language(
    ready, budget, manager_user, marie
):
    with translation.override("fr-ca"):
        plans.approve_plan(ready, actor=manager_user)
    entry = lines_of(ready, marie)[0].commitment
    with translation.override("en"):
        assert "Handwritten card" in entry_label(entry)
    with translation.override("fr-ca"):
        assert "Carte manuscrite" in entry_label(entry)


@pytest.fixture
def monthly_seat(organisation):
    """One lunch seat a month."""
    return option(
        organisation,
        "Lunch seat",
        "Place au dîner",
        RecognitionCategory.NETWORKS_AND_EVENTS,
        cost_money="1.00",
        capacity=1,
        capacity_period=CapacityPeriod.MONTH,
    )


def test_a_monthly_capacity_used_once_in_each_of_two_months_is_approved(
    program, manager_user, marie, luc, budget, cycle, monthly_seat
):
    plan = draft(program)
    add(plan, manager_user, marie, monthly_seat, f"cycle-{cycle.pk}-start")
    add(plan, manager_user, luc, monthly_seat, YEAR_END)
    plans.approve_plan(plan, actor=manager_user)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_locked_lines_within_a_monthly_capacity_month_by_month_are_kept(
    program,
    manager_user,
    marie,
    luc,
    budget,
    cycle,
    monthly_seat,
    django_capture_on_commit_callbacks,
):
    plan = draft(program)
    add(plan, manager_user, marie, monthly_seat, f"cycle-{cycle.pk}-start")
    add(plan, manager_user, luc, monthly_seat, YEAR_END)
    compute_again(plan, manager_user, django_capture_on_commit_callbacks)
    assert plan.solver_status != "infeasible", plan.problems_en


def test_two_seats_of_one_month_are_refused_at_approval(
    program, manager_user, marie, luc, budget, cycle, monthly_seat
):
    plan = draft(program)
    add(plan, manager_user, marie, monthly_seat, YEAR_END)
    add(plan, manager_user, luc, monthly_seat, YEAR_END)
    assert_nothing_approved(plan, manager_user, says="Lunch seat")


# --- Queries ---------------------------------------------------------------------------------


def program_of(size, manager_user, catalog):
    """A program of `size` mentors who like everything, with a budget and a cycle."""
    program = factories.ProgramFactory(organisation=manager_user.memberships.get().organisation)
    program.managers.add(manager_user)
    factories.CycleFactory(program=program, starts_on=D(2026, 9, 1), ends_on=D(2027, 2, 28))
    factories.BudgetFactory(program=program, fiscal_year=2026, money="5000.00", staff_hours="500")
    people = [enrol(program, f"Mentor{n}") for n in range(size)]
    for person in people:
        profile(person, PublicConsent.YES, LIKES_EVERYTHING)
    return program, people


def queries_of(work):
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def test_computing_a_plan_takes_as_many_queries_for_3_or_12_mentors(
    manager_user, catalog, django_capture_on_commit_callbacks
):
    counts = []
    for size in (3, 12):
        program, _people = program_of(size, manager_user, catalog)
        with django_capture_on_commit_callbacks(execute=False):
            plan = create(program, manager_user)
        counts.append(queries_of(lambda plan=plan: plans.compute_plan(plan)))
        assert plan.lines.count() >= size
    assert counts[0] == counts[1], counts


def test_approving_a_plan_takes_as_many_queries_for_3_or_12_lines(manager_user, catalog):
    counts = []
    for size in (3, 12):
        program, people = program_of(size, manager_user, catalog)
        plan = draft(program)
        for person in people:
            add(plan, manager_user, person, catalog["card"], YEAR_END)
        counts.append(queries_of(lambda plan=plan: plans.approve_plan(plan, actor=manager_user)))
        assert LedgerEntry.objects.filter(budget__program=program).count() == size
    assert counts[0] == counts[1], counts


# --- At the same moment (PostgreSQL, real threads) ---------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time"
)
committed = pytest.mark.django_db(transaction=True)
THREADS = 4


def run_concurrently(work):
    """Run work(number) in THREADS threads started together; the unexpected errors raised."""
    start = threading.Barrier(THREADS)
    errors = []

    def run(number):
        start.wait()
        try:
            work(number)
        except ValidationError:
            pass  # A refusal is an expected answer.
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@on_postgresql
@committed
def test_the_same_form_sent_twice_at_once_creates_one_plan_without_error(program, manager_user):
    errors = run_concurrently(lambda number: create(program, manager_user, form_token="same"))
    assert errors == []
    assert Plan.objects.filter(program=program).count() == 1


@on_postgresql
@committed
def test_a_plan_approved_twice_at_once_is_committed_once(ready, budget, manager_user):
    errors = run_concurrently(lambda number: plans.approve_plan(ready, actor=manager_user))
    assert errors == []
    assert LedgerEntry.objects.filter(budget=budget).count() == 3
    assert not PlanLine.objects.filter(plan=ready, commitment__isnull=True).exists()


@on_postgresql
@committed
def test_lines_added_at_one_moment_at_once_are_added_once(ready, manager_user, marie, catalog):
    options = [catalog["mention"], catalog["certificate"]]
    moment = next(key for key in plans.plan_moments(ready) if key.endswith("-start"))
    errors = run_concurrently(
        lambda number: add(ready, manager_user, marie, options[number % 2], moment)
    )
    assert errors == []
    assert PlanLine.objects.filter(plan=ready, mentor=marie, moment_key=moment).count() == 1


@on_postgresql
@committed
def test_two_drafts_giving_a_mentor_the_same_option_approved_at_once_commit_it_once(
    program, manager_user, marie, catalog, budget
):
    first, second = draft(program), draft(program)
    add(first, manager_user, marie, catalog["card"], YEAR_END)
    add(second, manager_user, marie, catalog["card"], MENTORING_DAY)
    pair = (first, second)
    errors = run_concurrently(
        lambda number: plans.approve_plan(pair[number % 2], actor=manager_user)
    )
    assert errors == []
    assert Plan.objects.filter(status=Plan.Status.APPROVED).count() == 1
    assert LedgerEntry.objects.filter(person=marie).count() == 1


@pytest.mark.parametrize(
    "starts_on, ends_on", [(D(2025, 5, 1), D(2025, 6, 30)), (D(2026, 3, 1), D(2026, 3, 31))]
)
def test_a_period_that_has_begun_is_refused(program, manager_user, starts_on, ends_on):
    # The tests' today is April 1, 2026 (conftest).
    with pytest.raises(ValidationError) as refused:
        create(program, manager_user, starts_on=starts_on, ends_on=ends_on)
    assert "starts_on" in refused.value.message_dict
    assert not Plan.objects.exists()


def test_a_period_beyond_the_next_two_fiscal_years_is_refused(program, manager_user):
    with pytest.raises(ValidationError) as refused:
        create(program, manager_user, starts_on=D(2029, 4, 1), ends_on=D(2029, 6, 30))
    assert "starts_on" in refused.value.message_dict
    assert not Plan.objects.exists()
