"""`generate_org --budgets`: the generated budgets and ledgers follow the ledger's rules."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from laurier.core.dates import fiscal_year_of as current_fiscal_year
from laurier.core.dates import organisation_today
from laurier.organisations.models import Organisation
from laurier.recognition.models import (
    Budget,
    BudgetAlert,
    CompensationDecision,
    CultureProfile,
    LedgerEntry,
    RecognitionOption,
)
from laurier.recognition.selectors.budgets import (
    RESOURCES,
    budget_usage,
    capacity_period_bounds,
    capacity_used,
)
from laurier.recognition.selectors.compensation import decision_in_force

SMALL = ["--mentors", "60", "--mentees", "200", "--sessions", "1000", "--programs", "5"]
Kind = LedgerEntry.Kind


@pytest.fixture
def organisation(db):
    call_command(
        "generate_org", *SMALL, "--budgets", "--ledger-lines", "400", "--slug", "big",
        stdout=StringIO(),
    )  # fmt: skip
    return Organisation.objects.get(slug="big")


def test_has_the_catalog_and_a_culture_profile(organisation):
    assert RecognitionOption.objects.filter(organisation=organisation).count() >= 12
    assert CultureProfile.objects.get(organisation=organisation).values


def test_each_program_and_the_organisation_has_a_budget_last_and_this_fiscal_year(organisation):
    this_year = current_fiscal_year(organisation, organisation_today(organisation))
    for year in (this_year - 1, this_year):
        budgets = Budget.objects.filter(organisation=organisation, fiscal_year=year)
        assert budgets.filter(program__isnull=False).count() == 5
        assert budgets.filter(program__isnull=True).count() == 1


def test_the_biggest_program_has_the_ledger_lines_asked_this_year(organisation):
    this_year = current_fiscal_year(organisation, organisation_today(organisation))
    budget = (
        Budget.objects.filter(organisation=organisation, fiscal_year=this_year)
        .exclude(program=None)
        .annotate(mentors=Count("program__mentor_enrolments"))
        .order_by("-mentors")
        .first()
    )
    entries = LedgerEntry.objects.filter(budget=budget)
    assert entries.count() == 400
    assert {Kind.COMMITMENT, Kind.RELEASE, Kind.SPENDING} <= set(
        entries.values_list("kind", flat=True)
    )


def test_no_budget_uses_more_than_its_allocation(organisation):
    for budget in Budget.objects.filter(organisation=organisation):
        usage = budget_usage(budget)
        for resource in RESOURCES:
            assert usage.committed(resource) >= 0
            assert usage.used(resource) <= getattr(budget, resource), (budget, resource)


def test_each_commitment_is_settled_at_most_once_and_only_by_its_own_budget(organisation):
    entries = LedgerEntry.objects.filter(budget__organisation=organisation)
    commitments = entries.filter(kind=Kind.COMMITMENT).annotate(
        releases=Count("settled_by", filter=Q(settled_by__kind=Kind.RELEASE)),
        spendings=Count("settled_by", filter=Q(settled_by__kind=Kind.SPENDING)),
    )
    assert not commitments.filter(releases__gt=1).exists()
    assert not commitments.filter(spendings__gt=1).exists()
    # A spending settling a commitment comes with the release of that commitment.
    assert not commitments.filter(spendings=1, releases=0).exists()
    settling = entries.filter(settles__isnull=False).select_related("settles")
    for entry in settling:
        assert entry.kind != Kind.COMMITMENT
        assert entry.settles.kind == Kind.COMMITMENT
        assert entry.settles.budget_id == entry.budget_id
        assert entry.occurred_on >= entry.settles.occurred_on
    assert not entries.filter(kind=Kind.RELEASE, settles__isnull=True).exists()
    assert not entries.filter(kind=Kind.COMMITMENT, settles__isnull=False).exists()


def test_the_ledger_never_runs_past_today_and_options_stay_within_capacity(organisation):
    today = organisation_today(organisation)
    entries = LedgerEntry.objects.filter(budget__organisation=organisation)
    assert not entries.filter(occurred_on__gt=today).exists()
    for option in RecognitionOption.objects.filter(
        organisation=organisation, capacity__isnull=False
    ):
        first, last = capacity_period_bounds(organisation, option, today)
        assert capacity_used(option, first, last) <= option.capacity


def test_alerts_match_the_use_of_each_budget(organisation):
    for budget in Budget.objects.filter(organisation=organisation):
        usage = budget_usage(budget)
        expected = {
            (resource, threshold)
            for resource in RESOURCES
            for threshold in (80, 100)
            if getattr(budget, resource)
            and usage.used(resource) * 100 >= getattr(budget, resource) * threshold
        }
        recorded = set(
            BudgetAlert.objects.filter(budget=budget).values_list("resource", "threshold")
        )
        assert recorded == expected


def test_the_biggest_program_pays_a_stipend_and_other_programs_decided_too(organisation):
    biggest = organisation.programs.get(slug="programme-1")
    assert decision_in_force(biggest).decision == CompensationDecision.Decision.STIPEND
    assert CompensationDecision.objects.filter(program__organisation=organisation).count() >= 4
    paid = LedgerEntry.objects.filter(
        budget__program=biggest, kind=Kind.SPENDING, option__standard_key="stipend"
    )
    assert paid.exists()


def test_same_seed_gives_the_same_ledger(db):
    def ledger(slug):
        call_command(
            "generate_org", *SMALL, "--budgets", "--ledger-lines", "50", "--slug", slug,
            "--seed", "3", stdout=StringIO(),
        )  # fmt: skip
        return list(
            LedgerEntry.objects.filter(budget__organisation__slug=slug)
            .order_by("pk")
            .values_list("kind", "money", "staff_hours", "occurred_on", "description")
        )

    assert ledger("one") == ledger("two")


def test_replacing_deletes_the_ledger_too(organisation):
    call_command(
        "generate_org", *SMALL, "--budgets", "--ledger-lines", "60", "--slug", "big",
        "--replace", stdout=StringIO(),
    )  # fmt: skip
    organisation = Organisation.objects.get(slug="big")
    assert LedgerEntry.objects.filter(budget__organisation=organisation).count() > 60
    assert not LedgerEntry.objects.exclude(budget__organisation=organisation).exists()
