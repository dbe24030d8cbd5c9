"""What the plan pages' tests share: a program with mentors, options, a budget and a plan."""

import datetime

from django.urls import reverse

from laurier.recognition.categories import Visibility
from laurier.recognition.models import Plan
from laurier.recognition.services import plans as services
from laurier.testing import factories

D = datetime.date
# The organisation's fiscal year starts in April: fiscal year 2026 runs to March 31, 2027.
START, END = D(2026, 4, 1), D(2027, 3, 31)
RULES = {"min_per_mentor": 1, "max_per_mentor": 2, "one_per_moment": True, "no_repeat_months": 12}


SINCE = D(2025, 1, 10)


def enrol(program, first_name, last_name="Tremblay", since=SINCE):
    person = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name=last_name
    )
    factories.MentorEnrolmentFactory(program=program, person=person, since=since)
    return person


def enrol_many(program, count, prefix="Mentor"):
    return [
        enrol(program, f"{prefix}{index:03d}", last_name=f"Nom{index:03d}")
        for index in range(count)
    ]


def offer(organisation, name_en="Thank-you card", name_fr="Carte de remerciement", **fields):
    fields.setdefault("moments", [])
    fields.setdefault("usual_givers", ["mentee", "manager"])
    fields.setdefault("visibility", Visibility.PRIVATE)
    return factories.RecognitionOptionFactory(
        organisation=organisation, name_en=name_en, name_fr=name_fr, **fields
    )


def fund(program, money="1000.00", staff_hours="100.00", material_items=500):
    return factories.BudgetFactory(
        program=program,
        fiscal_year=2026,
        money=money,
        staff_hours=staff_hours,
        material_items=material_items,
    )


def make_plan(program, actor, capture, **rules):
    """A computed plan for fiscal year 2026 (the computation runs when the creation commits)."""
    with capture(execute=True):
        plan = services.create_plan(
            program, actor=actor, starts_on=START, ends_on=END, **{**RULES, **rules}
        )
    return Plan.objects.get(pk=plan.pk)


def plan_url(name, plan, **kwargs):
    return reverse(
        f"recognition:{name}",
        kwargs={
            "organisation_slug": plan.program.organisation.slug,
            "program_slug": plan.program.slug,
            "pk": plan.pk,
            **kwargs,
        },
    )


def program_url(name, program):
    return reverse(
        f"recognition:{name}",
        kwargs={"organisation_slug": program.organisation.slug, "program_slug": program.slug},
    )
