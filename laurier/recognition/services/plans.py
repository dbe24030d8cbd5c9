"""Recognition plans: compute, edit, lock, plan again and approve.

A plan is created COMPUTING, then `compute_plan` runs the planner and writes its lines: in the
request for a small program, by the task worker for a large one
(settings.PLAN_BACKGROUND_THRESHOLD_MENTORS), reporting its progress on the plan's row for
the page to follow. The manager then edits it (DRAFT): lines added or edited by hand are
locked, and computing again keeps every locked line and replaces the others. Approving
commits every line to the program's budget for the period's fiscal year, all or nothing, and
freezes the plan.

Every write re-checks what the forms check, so a crafted request changes nothing it should not.
"""

import datetime
import logging
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    organisation_today,
)
from laurier.core.money import to_cents
from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent
from laurier.programs.models import EnrolmentStatus, MentorEnrolment

from ..categories import Giver, RecognitionMoment
from ..models import Budget, LedgerEntry, Plan, PlanLine, RecognitionOption
from ..planner import Line, Rules
from ..planner import plan as run_planner
from ..planner.problem import Problem
from ..planner.reasons import ReasonWriter
from ..planner.result import INFEASIBLE
from ..planner.scenario import Budget as PlannerBudget
from ..selectors.calendar import anniversary_key, anniversary_of, program_moments
from ..selectors.planning import plannable_options, planning_scenario
from .awards import awards_from_plan
from .budgets import Commitment, commit_many

logger = logging.getLogger(__name__)

# A computation with no sign of life for this long stopped (its worker was killed): the page
# then offers to compute again.
STALE_AFTER = datetime.timedelta(minutes=15)
ZERO = Decimal("0.00")
# How many fiscal years after the current one a plan may be prepared for.
MAX_YEARS_AHEAD = 2
RULE_FIELDS = ("min_per_mentor", "max_per_mentor", "one_per_moment", "no_repeat_months")


def reason_languages():
    """The language codes reasons are written in, one per `reason_<xx>` field."""
    return tuple(code for code, _name in settings.LANGUAGES)


def _field_suffix(code):
    return code.split("-")[0]


def in_each_language(make):
    """{field suffix: make() with that language active}, e.g. {"fr": ..., "en": ...}."""
    texts = {}
    for code in reason_languages():
        with translation.override(code):
            texts[_field_suffix(code)] = make()
    return texts


# --- Settings --------------------------------------------------------------------------------


def check_settings(organisation, *, starts_on, ends_on, min_per_mentor, max_per_mentor):
    """Refuse a period that is not within one fiscal year, or a minimum above the maximum."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day comes before the first.")
    elif fiscal_year_of(organisation, starts_on) != fiscal_year_of(organisation, ends_on):
        year = fiscal_year_of(organisation, starts_on)
        first, last = fiscal_year_bounds(organisation, year)
        errors["ends_on"] = _(
            "A plan stays within one fiscal year, the one its budget belongs to: "
            "%(year)s runs from %(first)s to %(last)s."
        ) % {
            "year": fiscal_year_label(organisation, year),
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }
    if min_per_mentor > max_per_mentor:
        errors["min_per_mentor"] = _("The minimum cannot be above the maximum.")
    if errors:
        raise ValidationError(errors)


def check_period_ahead(organisation, *, starts_on, ends_on, today=None):
    """Refuse a new plan for a period that has begun, or beyond the next two fiscal years."""
    today = today or organisation_today(organisation)
    if starts_on < today:
        raise ValidationError(
            {
                "starts_on": _(
                    "A plan prepares what is still to come: start it today (%(today)s) or later."
                )
                % {"today": date_format(today, "DATE_FORMAT")}
            }
        )
    latest = fiscal_year_of(organisation, today) + MAX_YEARS_AHEAD
    if fiscal_year_of(organisation, starts_on) > latest:
        raise ValidationError(
            {
                "starts_on": _("A plan can be prepared up to %(year)s.")
                % {"year": fiscal_year_label(organisation, latest)}
            }
        )


def rules_of(plan):
    return Rules(**{field: getattr(plan, field) for field in RULE_FIELDS})


def create_plan(program, *, actor, starts_on, ends_on, form_token="", today=None, **rules):
    """Create a plan for `program` and start computing it; returns the plan.

    `rules`: min_per_mentor, max_per_mentor, one_per_moment, no_repeat_months. Sent twice with
    the same `form_token`, it creates one plan and returns it both times. `today`: the
    organisation's today by default (the demo, built for a given day, passes its own).
    """
    organisation = program.organisation
    check_settings(
        organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        min_per_mentor=rules["min_per_mentor"],
        max_per_mentor=rules["max_per_mentor"],
    )
    check_period_ahead(organisation, starts_on=starts_on, ends_on=ends_on, today=today)
    if form_token:
        earlier = Plan.objects.filter(program=program, request_key=form_token).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                organisation=organisation,
                program=program,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=actor,
                request_key=form_token or "",
                status=Plan.Status.COMPUTING,
                progress_at=timezone.now(),
                **{field: rules[field] for field in RULE_FIELDS},
            )
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=plan,
            )
            _schedule(plan)
    except IntegrityError:
        # The same form sent twice at once: the other request created it.
        if not form_token:
            raise
        return Plan.objects.get(program=program, request_key=form_token)
    return plan


def change_rules(plan, *, actor, **rules):
    """Change a draft plan's rules and compute it again (its locked lines are kept)."""
    check_settings(
        plan.organisation,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        min_per_mentor=rules["min_per_mentor"],
        max_per_mentor=rules["max_per_mentor"],
    )
    with transaction.atomic():
        plan = _locked_draft(plan)
        before = snapshot(plan)
        for field in RULE_FIELDS:
            setattr(plan, field, rules[field])
        plan.save(update_fields=list(RULE_FIELDS))
        record_change(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=plan,
            before=before,
        )
    return compute_again(plan, actor=actor)


# --- Computing -------------------------------------------------------------------------------


def is_stale(plan, *, now=None):
    """Whether a computation stopped: no sign of life for STALE_AFTER."""
    if plan.status != Plan.Status.COMPUTING:
        return False
    latest = plan.progress_at or plan.created_at
    return latest < (now or timezone.now()) - STALE_AFTER


def compute_again(plan, *, actor):
    """Compute a draft plan again, keeping its locked lines; returns the plan.

    A plan already being computed is left alone (a double click starts one computation), unless
    its computation stopped (`is_stale`).
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == Plan.Status.COMPUTING and not is_stale(plan):
            return plan
        if plan.status not in (Plan.Status.DRAFT, Plan.Status.FAILED, Plan.Status.COMPUTING):
            raise ValidationError(_("An approved plan no longer changes."))
        plan.status = Plan.Status.COMPUTING
        plan.progress, plan.progress_step, plan.progress_at = 0, "", timezone.now()
        plan.save(update_fields=["status", "progress", "progress_step", "progress_at"])
        record_event(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=plan,
            changes={"computed again": True},
        )
        _schedule(plan)
    return plan


def is_large(program):
    active = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    return active.count() > settings.PLAN_BACKGROUND_THRESHOLD_MENTORS


def _schedule(plan):
    """Compute after the transaction commits: by the worker for a large program, else now."""
    if is_large(plan.program):
        from ..tasks import compute_plan_task

        transaction.on_commit(partial(compute_plan_task.enqueue, plan.pk))
    else:
        transaction.on_commit(partial(compute_plan, plan))


def _report_progress(plan_pk, share, step):
    Plan.objects.filter(pk=plan_pk, status=Plan.Status.COMPUTING).update(
        progress=share, progress_step=step, progress_at=timezone.now()
    )


def _planner_moment_key(moment_key, moment_kind, moment_date):
    """The planner's key of a moment: a mentor's anniversary is its month's."""
    if moment_kind == RecognitionMoment.MENTORING_ANNIVERSARY:
        return anniversary_key(moment_date)
    return moment_key


def _planner_line(line):
    return Line(
        mentor=str(line.mentor_id),
        option=str(line.option_id),
        moment=_planner_moment_key(line.moment_key, line.moment_kind, line.moment_date),
    )


def compute_plan(plan):
    """Run the planner on a plan being computed and write its lines; returns the plan (None
    when it was deleted meanwhile).

    Locked lines are kept as they are (their reasons are refreshed); the others are replaced.
    When the locked lines break a hard rule, or name a mentor, option or moment the program
    no longer has, nothing changes and the plan lists why (`problems_fr`, `problems_en`).
    """
    plan = Plan.objects.select_related("program__organisation", "organisation").get(pk=plan.pk)
    if plan.status != Plan.Status.COMPUTING:
        return plan
    try:
        locked = list(plan.lines.filter(locked=True).select_related("mentor", "option"))
        calendar = plan_moments(plan)
        _follow_calendar(locked, calendar)
        build = partial(_scenario_with, plan, locked)
        scenario = build()
        vanished = _vanished_lines(scenario, locked, calendar)
        if vanished:
            return _refuse(
                plan, in_each_language(lambda: [_vanished_problem(*v) for v in vanished])
            )
        result = run_planner(
            scenario,
            time_limit=settings.PLANNER_TIME_LIMIT,
            reasons=reason_languages(),
            progress=partial(_report_progress, plan.pk),
        )
        if result.status == INFEASIBLE:
            # Rebuilt in each language: the problems name options and moments.
            return _refuse(plan, in_each_language(lambda: list(Problem(build()).problems)))
        return _write_lines(plan, scenario, result, calendar)
    except Plan.DoesNotExist:
        # Deleted while it was computed: nothing is left to write.
        return None
    except Exception:
        logger.exception("Plan %s could not be computed", plan.pk)
        Plan.objects.filter(pk=plan.pk, status=Plan.Status.COMPUTING).update(
            status=Plan.Status.FAILED, progress_at=timezone.now()
        )
        return Plan.objects.filter(pk=plan.pk).first()


def _scenario_with(plan, lines, **changes):
    """The plan's scenario with `lines` locked."""
    return planning_scenario(
        plan.program,
        start=plan.starts_on,
        end=plan.ends_on,
        rules=rules_of(plan),
        locked=[_planner_line(line) for line in lines],
        **changes,
    )


def _vanished_lines(scenario, lines, calendar):
    """(line, why) for the lines whose mentor or option the scenario lacks, or whose moment
    the calendar (`plan_moments`) no longer has for their mentor."""
    mentors = {mentor.key for mentor in scenario.mentors}
    options = {option.family_key for option in scenario.options}
    vanished = []
    for line in lines:
        moment = calendar.get(line.moment_key)
        if str(line.mentor_id) not in mentors:
            vanished.append((line, "mentor"))
        elif str(line.option_id) not in options:
            vanished.append((line, "option"))
        elif moment is None or (moment.mentor is not None and moment.mentor.pk != line.mentor_id):
            vanished.append((line, "moment"))
    return vanished


def _follow_calendar(lines, calendar):
    """Date each line as its moment is now (a cycle moved, an enrolment corrected); returns
    the lines that changed."""
    moved = []
    for line in lines:
        moment = calendar.get(line.moment_key)
        if moment is None:
            continue  # gone: `_vanished_lines` says so
        if (line.moment_date, line.moment_kind) != (moment.date, moment.kind):
            line.moment_date, line.moment_kind = moment.date, moment.kind
            moved.append(line)
    return moved


def _vanished_problem(line, why):
    names = {
        "mentor": line.mentor.full_name,
        "option": in_reader_language(line.option, "name"),
    }
    if why == "mentor":
        return (
            _("%(mentor)s is no longer an active mentor of the program (locked “%(option)s”).")
            % names
        )
    if why == "option":
        return _("“%(option)s” is no longer offered (locked for %(mentor)s).") % names
    return (
        _("The moment of the locked “%(option)s” for %(mentor)s is no longer in the calendar.")
        % names
    )


def _refuse(plan, problems):
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.COMPUTING:
            return plan
        plan.status = Plan.Status.DRAFT
        plan.solver_status = INFEASIBLE
        plan.problems_fr, plan.problems_en = problems["fr"], problems["en"]
        plan.progress, plan.progress_step = 1, "done"
        plan.computed_at = plan.progress_at = timezone.now()
        plan.save()
    return plan


def _write_lines(plan, scenario, result, calendar):
    moments = {moment.key: moment for moment in scenario.moments}
    anniversaries = anniversary_of(calendar.values())
    # A copy of an option (one per capacity period) is the option itself.
    option_of = {option.key: option.family_key for option in scenario.options}
    options = {
        str(option.pk): option
        for option in RecognitionOption.objects.filter(pk__in=set(option_of.values()))
    }
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.COMPUTING:
            return plan
        plan.lines.filter(locked=False).delete()
        remaining = list(plan.lines.all())
        _follow_calendar(remaining, calendar)
        kept = {_planner_line(line): line for line in remaining}
        new = []
        for assignment in result.assignments:
            reasons = _reasons(assignment)
            option = option_of[assignment.option]
            line = kept.get(Line(assignment.mentor, option, assignment.moment))
            if line is not None:
                line.fit = assignment.fit
                if line.source == PlanLine.Source.PLANNER:
                    # A manager's own line keeps saying they chose it (check_line's reason).
                    line.reason_fr, line.reason_en = reasons["fr"], reasons["en"]
                continue
            moment = moments[assignment.moment]
            if moment.kind == RecognitionMoment.MENTORING_ANNIVERSARY:
                moment = anniversaries[int(assignment.mentor)]
            new.append(
                PlanLine(
                    plan=plan,
                    mentor_id=int(assignment.mentor),
                    option=options[option],
                    moment_key=moment.key,
                    moment_date=moment.date,
                    moment_kind=moment.kind,
                    reason_fr=reasons["fr"],
                    reason_en=reasons["en"],
                    fit=assignment.fit,
                )
            )
        suggest_givers(new, kept.values())
        PlanLine.objects.bulk_update(
            kept.values(),
            ["reason_fr", "reason_en", "fit", "moment_date", "moment_kind"],
            batch_size=500,
        )
        PlanLine.objects.bulk_create(new, batch_size=500)
        _store_result(plan, result)
        plan.save()
    return plan


def _reasons(assignment):
    texts = {_field_suffix(code): text for code, text in assignment.reasons.items()}
    return {"fr": texts.get("fr", assignment.reason), "en": texts.get("en", assignment.reason)}


def _store_result(plan, result):
    shortfall = result.shortfall
    plan.status = Plan.Status.DRAFT
    plan.solver_status = result.status
    plan.objective = result.objective
    plan.upper_bound = result.upper_bound
    plan.gap = result.gap
    plan.solve_seconds = result.seconds
    plan.mentor_count = result.covered_mentors + len(result.uncovered)
    plan.uncovered_count = len(result.uncovered)
    plan.without_option_count = len(shortfall.without_option) if shortfall else 0
    plan.shortfall_money = _hundredths(shortfall.money) if shortfall else ZERO
    plan.shortfall_staff_hours = _hundredths(shortfall.staff_hours) if shortfall else ZERO
    plan.shortfall_material_items = round(shortfall.material_items) if shortfall else 0
    plan.problems_fr = plan.problems_en = []
    plan.progress, plan.progress_step = 1, "done"
    plan.computed_at = plan.progress_at = timezone.now()


def _hundredths(value):
    return to_cents(Decimal(str(value)))


def suggest_givers(lines, existing=()):
    """Name who gives each new line: one of its option's usual givers, so that recognition
    comes from several people: a giver the mentor has not had yet in the plan if there is one,
    and among those the one the plan has used least so far (the catalog's order breaks ties).

    `existing`: the plan's lines already there, whose givers count as already used.
    """
    used = {}
    overall = Counter()
    for line in existing:
        used.setdefault(line.mentor_id, set()).update(line.givers)
        overall.update(line.givers)
    for line in sorted(lines, key=lambda line: (line.moment_date, line.mentor_id, line.option_id)):
        usual = [giver for giver in (line.option.usual_givers or []) if giver in Giver.values]
        usual = usual or [Giver.MANAGER.value]
        mentor_used = used.setdefault(line.mentor_id, set())
        fresh = [giver for giver in usual if giver not in mentor_used] or usual
        giver = min(fresh, key=lambda giver: (overall[giver], fresh.index(giver)))
        line.givers = [giver]
        mentor_used.add(giver)
        overall[giver] += 1


# --- Editing ---------------------------------------------------------------------------------


def _locked(plan):
    """The plan's row and its program's, locked: the program's plans change one at a time, so
    two of them cannot both give a mentor what the other gives (`plan_problems`)."""
    return (
        Plan.objects.select_for_update(of=("self", "program"))
        .select_related("organisation", "program")
        .get(pk=plan.pk)
    )


def _locked_draft(plan):
    plan = _locked(plan)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_refusal(plan))
    return plan


def _refusal(plan):
    if plan.status == Plan.Status.APPROVED:
        return _("An approved plan no longer changes.")
    if plan.status == Plan.Status.FAILED:
        return _("The plan could not be computed: compute it again first.")
    return _("Wait until the plan is computed.")


def plan_moments(plan):
    """{moment key: CalendarMoment} of the plan's period, in the active language."""
    return {
        moment.key: moment for moment in program_moments(plan.program, plan.starts_on, plan.ends_on)
    }


def check_line(plan, *, mentor, option, moment_key, replacing=None):
    """Refuse a line that would break a hard rule for its mentor; returns its calendar moment
    and why it suits the mentor ({"fr": ..., "en": ...}, the planner's reason for a locked
    line).

    The mentor's other lines count as they are; the rules are the planner's for a locked line
    (eligibility, consent — "ask" counts as asked —, moment the option is offered at, one per
    moment, the maximum, no repeat). The budget and capacities are checked at approval.
    """
    errors = {}
    enrolled = MentorEnrolment.objects.filter(
        program=plan.program, person=mentor, status=EnrolmentStatus.ACTIVE
    ).exists()
    if mentor.organisation_id != plan.organisation_id or not enrolled:
        errors["mentor"] = _("Choose an active mentor of the program.")
    if not plannable_options(plan.program).filter(pk=option.pk).exists():
        errors["option"] = _(
            "Choose an option your catalog offers to mentors (a stipend only in a program "
            "that decided to pay its mentors)."
        )
    moment = plan_moments(plan).get(moment_key)
    if moment is None:
        errors["moment"] = _("Choose a moment of the plan's period.")
    elif moment.mentor is not None and moment.mentor.pk != mentor.pk:
        errors["moment"] = _("This anniversary is another mentor's.")
    if errors:
        raise ValidationError(errors)
    others = plan.lines.filter(mentor=mentor)
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    candidate = PlanLine(
        mentor=mentor,
        option=option,
        moment_key=moment.key,
        moment_kind=moment.kind,
        moment_date=moment.date,
    )
    scenario = _scenario_with(plan, [*others, candidate], people=[mentor.pk])
    keys = (
        {m.key for m in scenario.mentors},
        {o.key for o in scenario.options},
        {t.key for t in scenario.moments},
    )
    # The mentor's other lines that no longer can be are the plan's problems, not this line's.
    locked = tuple(
        line
        for line in scenario.locked
        if line.mentor in keys[0] and line.option in keys[1] and line.moment in keys[2]
    )
    unlimited = PlannerBudget(money=None, staff_hours=None)
    problem = Problem(replace(scenario, locked=locked, budget=unlimited))
    if problem.problems:
        raise ValidationError(problem.problems)
    # The candidate, as the scenario names it (a copy of its option, maybe).
    line = scenario.locked[-1]
    at = (
        problem.mentor_index[line.mentor],
        problem.option_index[line.option],
        problem.moment_index[line.moment],
    )
    return moment, in_each_language(
        lambda: ReasonWriter(problem).reason(*at, locked=True, chosen=True)
    )


def _clean_givers(givers):
    givers = [giver for giver in dict.fromkeys(givers or []) if giver in Giver.values]
    if not givers:
        raise ValidationError({"givers": _("Say who gives it.")})
    return givers


def add_line(plan, *, actor, mentor, option, moment_key, givers):
    """Add a line by hand (locked); returns it."""
    givers = _clean_givers(givers)
    with transaction.atomic():
        plan = _locked_draft(plan)
        moment, reasons = check_line(plan, mentor=mentor, option=option, moment_key=moment_key)
        line = PlanLine.objects.create(
            reason_fr=reasons["fr"],
            reason_en=reasons["en"],
            plan=plan,
            mentor=mentor,
            option=option,
            moment_key=moment.key,
            moment_date=moment.date,
            moment_kind=moment.kind,
            givers=givers,
            locked=True,
            source=PlanLine.Source.MANAGER,
        )
        record_change(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=line,
        )
    return line


def edit_line(line, *, actor, option, moment_key, givers):
    """Change a line's option, moment or givers; an edited line is locked. Returns it."""
    givers = _clean_givers(givers)
    with transaction.atomic():
        plan = _locked_draft(line.plan)
        line = PlanLine.objects.select_related("mentor", "option").get(pk=line.pk, plan=plan)
        before, givers_before = snapshot(line), list(line.givers)
        if line.option_id != option.pk or line.moment_key != moment_key:
            moment, reasons = check_line(
                plan, mentor=line.mentor, option=option, moment_key=moment_key, replacing=line
            )
            line.option = option
            line.moment_key, line.moment_date, line.moment_kind = (
                moment.key,
                moment.date,
                moment.kind,
            )
            line.reason_fr, line.reason_en = reasons["fr"], reasons["en"]
            line.source = PlanLine.Source.MANAGER
        line.givers = givers
        line.locked = True
        line.save()
        # snapshot() leaves list fields out: the givers are compared here.
        changes = {
            field: [before.get(field), value]
            for field, value in snapshot(line).items()
            if before.get(field) != value
        }
        if givers_before != line.givers:
            changes["givers"] = [givers_before, line.givers]
        if changes:
            record_event(
                organisation=plan.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=line,
                changes=changes,
            )
    return line


def remove_line(line, *, actor):
    with transaction.atomic():
        plan = _locked_draft(line.plan)
        line = PlanLine.objects.filter(pk=line.pk, plan=plan).first()
        if line is None:
            # Removed already (a double click).
            return
        record_change(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=line,
        )
        line.delete()


def set_locked(line, *, actor, locked):
    with transaction.atomic():
        plan = _locked_draft(line.plan)
        # Only a change is written and audited: a double click locks once.
        updated = (
            PlanLine.objects.filter(pk=line.pk, plan=plan)
            .exclude(locked=locked)
            .update(locked=locked)
        )
        if updated:
            line.locked = locked
            record_event(
                organisation=plan.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=line,
                changes={"locked": [not locked, locked]},
            )
    return line


def delete_plan(plan, *, actor):
    """Delete a plan that is not approved (an approved one holds budget commitments)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == Plan.Status.APPROVED:
            raise ValidationError(_("An approved plan cannot be deleted."))
        record_change(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=plan,
        )
        plan.delete()


# --- Approving -------------------------------------------------------------------------------


def plan_budget(plan):
    """The budget an approval commits to: the program's for the period's fiscal year."""
    year = fiscal_year_of(plan.organisation, plan.starts_on)
    return Budget.objects.filter(program=plan.program, fiscal_year=year).first()


def plan_problems(plan, lines, calendar):
    """Why `lines` can no longer be given as they are (a mentor who left, an option retired or
    no longer open to them, a moment gone, consent withdrawn, a capacity passed...), in the
    active language. `calendar`: `plan_moments(plan)`.

    The planner's own checks of locked lines, on every line; the budget is left to the
    ledger, which words its refusal with the amounts.
    """
    _follow_calendar(lines, calendar)
    scenario = _scenario_with(plan, lines)
    vanished = _vanished_lines(scenario, lines, calendar)
    if vanished:
        return [_vanished_problem(*gone) for gone in vanished]
    unlimited = PlannerBudget(money=None, staff_hours=None)
    return list(Problem(replace(scenario, budget=unlimited)).problems)


def approve_plan(plan, *, actor):
    """Commit every line to the program's budget, all or nothing, and freeze the plan; each
    line becomes an approved award, to be given when its moment comes.

    Refused (ValidationError, nothing written) without lines, without a budget for the
    period's fiscal year, or when the lines pass what is left of it or of an option's capacity.
    Approving twice (a double click) approves once.
    """
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status == Plan.Status.APPROVED:
            return plan
        if plan.status != Plan.Status.DRAFT:
            raise ValidationError(_refusal(plan))
        lines = list(plan.lines.select_related("mentor", "option").order_by("moment_date", "pk"))
        if not lines:
            raise ValidationError(_("The plan has no lines to approve."))
        calendar = plan_moments(plan)
        moved = _follow_calendar(lines, calendar)
        problems = plan_problems(plan, lines, calendar)
        if problems:
            raise ValidationError(problems)
        PlanLine.objects.bulk_update(moved, ["moment_date", "moment_kind"], batch_size=500)
        budget = plan_budget(plan)
        if budget is None:
            year = fiscal_year_of(plan.organisation, plan.starts_on)
            raise ValidationError(
                _("%(program)s has no budget for %(year)s: create it before approving.")
                % {
                    "program": plan.program.name,
                    "year": fiscal_year_label(plan.organisation, year),
                }
            )
        prefix = f"plan-{plan.pk}-line-"
        commit_many(
            budget,
            actor=actor,
            commitments=[
                Commitment(
                    option=line.option,
                    occurred_on=line.moment_date,
                    person=line.mentor,
                    request_key=f"{prefix}{line.pk}",
                )
                for line in lines
            ],
        )
        # Each line finds its commitment by the key it was written with: one UPDATE, where
        # saving 30,000 lines one by one would take the request's time.
        key = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
        commitment = LedgerEntry.objects.filter(budget=budget, request_key=key).values("pk")[:1]
        plan.lines.update(commitment=Subquery(commitment))
        awards_from_plan(plan, lines, actor)
        plan.status = Plan.Status.APPROVED
        plan.approved_by = actor
        plan.approved_at = timezone.now()
        plan.budget = budget
        plan.save(update_fields=["status", "approved_by", "approved_at", "budget"])
        record_event(
            organisation=plan.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=plan,
            changes={"approved": True, "lines": len(lines), "budget": str(budget)},
        )
    return plan
