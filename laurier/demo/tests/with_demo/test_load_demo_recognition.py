"""The demo's recognition resources: culture profile, catalog and decisions on paying mentors."""

import datetime
from decimal import Decimal

from django.urls import reverse

from laurier.accounts.models import User
from laurier.demo.demo_organisation import MANAGER, load_demo_organisation
from laurier.recognition.catalog import STANDARD_KEYS
from laurier.recognition.culture import culture_fit
from laurier.recognition.models import (
    Budget,
    BudgetAlert,
    CompensationDecision,
    CultureProfile,
    LedgerEntry,
    Plan,
    RecognitionOption,
)
from laurier.recognition.selectors.compensation import decision_in_force, stipend_tracking

TODAY = datetime.date(2026, 11, 24)
Decision = CompensationDecision.Decision


def program(demo, slug):
    return demo.programs.get(slug=slug)


def test_the_cooperative_has_a_bilingual_culture_profile(demo):
    profile = CultureProfile.objects.get(organisation=demo)
    assert "Coopération" in profile.values_fr and "Cooperation" in profile.values_en
    assert profile.norms_fr and profile.norms_en
    assert (profile.public_or_private, profile.individual_or_collective) == (-1, 1)


def test_a_good_share_of_the_ready_made_catalog_fits_the_demo_culture(demo):
    profile = CultureProfile.objects.get(organisation=demo)
    levels = [
        culture_fit(profile, option).level
        for option in RecognitionOption.objects.filter(organisation=demo)
    ]
    assert levels.count("fit") >= len(levels) / 2
    assert "clash" not in levels


def test_the_ready_made_catalog_is_installed(demo):
    options = RecognitionOption.objects.filter(organisation=demo)
    assert set(options.values_list("standard_key", flat=True)) == set(STANDARD_KEYS)


def test_the_executive_program_pays_a_stipend_with_its_risks(demo):
    decision = decision_in_force(program(demo, "releve-des-cadres"))
    assert decision.decision == Decision.STIPEND
    assert decision.amount_per_mentor > 0
    assert "intrinsèque" in decision.risks
    assert decision.decided_on <= TODAY < decision.review_on


def test_the_welcome_program_stopped_paying_and_keeps_its_history(demo):
    decisions = program(demo, "accueil").compensation_decisions.all()
    assert [decision.decision for decision in decisions] == [
        Decision.VOLUNTEER,
        Decision.HONORARIUM,
    ]


def test_one_program_is_overdue_for_its_review(demo):
    decision = decision_in_force(program(demo, "femmes-en-stim"))
    assert decision.decision == Decision.VOLUNTEER
    assert decision.review_on < TODAY


def test_loading_again_adds_no_decision(demo):
    load_demo_organisation(today=TODAY)
    assert CompensationDecision.objects.count() == 4


def test_every_program_and_the_organisation_have_a_budget_this_fiscal_year(demo):
    budgets = Budget.objects.filter(organisation=demo, fiscal_year=2026)
    assert budgets.count() == 4
    assert budgets.filter(program=None).count() == 1
    kinds = set(
        LedgerEntry.objects.filter(budget__organisation=demo).values_list("kind", flat=True)
    )
    assert kinds == {"commitment", "release", "spending"}


def test_the_budgets_stay_under_their_alerts(demo):
    assert not BudgetAlert.objects.filter(budget__organisation=demo).exists()


def test_the_stipends_paid_show_against_the_executive_budget(demo):
    releve = program(demo, "releve-des-cadres")
    tracking = stipend_tracking(releve, decision_in_force(releve), TODAY)
    assert tracking.spent == Decimal(300 * tracking.active_mentors)
    assert tracking.covered


def test_the_manager_sees_the_stipends_on_the_compensation_page(demo, client):
    client.force_login(User.objects.get(email=MANAGER.email))
    response = client.get(
        reverse(
            "recognition:compensation",
            kwargs={"organisation_slug": "demo", "program_slug": "releve-des-cadres"},
        )
    )
    assert response.status_code == 200
    assert response.context["tracking"].budget is not None


def test_the_demo_loads_in_the_first_days_of_a_fiscal_year(db, monkeypatch):
    # The services date things by the clock, so the clock is set to the demo's day as well.
    first_days = datetime.datetime(2027, 4, 5, 15, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: first_days)

    load_demo_organisation(today=first_days.date())

    decisions = CompensationDecision.objects.filter(program__organisation__slug="demo")
    assert max(decisions.values_list("decided_on", flat=True)) <= first_days.date()


def test_the_calendar_shows_mentoring_anniversaries(demo):
    from laurier.core.dates import fiscal_year_bounds, fiscal_year_of
    from laurier.recognition.categories import RecognitionMoment
    from laurier.recognition.selectors.calendar import program_moments

    year = fiscal_year_of(demo, TODAY)
    moments = [
        moment
        for program in demo.programs.all()
        for moment in program_moments(program, *fiscal_year_bounds(demo, year))
    ]

    kinds = {moment.kind for moment in moments}
    assert RecognitionMoment.MENTORING_ANNIVERSARY in kinds


def test_the_executive_program_has_a_draft_plan_for_the_rest_of_its_year(demo):
    plan = Plan.objects.get(program=program(demo, "releve-des-cadres"))
    assert plan.status == Plan.Status.DRAFT
    assert (plan.starts_on, plan.ends_on) == (TODAY, datetime.date(2027, 3, 31))
    assert plan.lines.count() >= plan.mentor_count > 0
    assert plan.uncovered_count == 0
    assert all(line.reason_fr and line.reason_en and line.givers for line in plan.lines.all())
