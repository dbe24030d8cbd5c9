"""Whether a program pays its mentors: the decision in force, its history, and a new decision."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export
from laurier.organisations.tenancy import program_view

from ..forms.compensation import CompensationDecisionForm
from ..selectors import compensation as selectors
from ..services import compensation as services

HISTORY_PAGE_SIZE = 10
# A decision is usually reviewed a year after it is made.
DEFAULT_REVIEW_AFTER = datetime.timedelta(days=365)


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


@program_view
def compensation(request):
    program = _program(request)
    if export_format := requested_export(request):
        headers, rows = selectors.decisions_export(program)
        # The page's title as a slug: "remunerer-les-mentors-…" on French pages.
        filename = f"{slugify(_('Paying mentors'))}-{program.slug}"
        return export_response(filename, headers, rows, export_format)
    today = organisation_today(request.organisation)
    in_force = selectors.decision_in_force(program)
    context = {
        "program": program,
        "decision": in_force,
        "today": today,
        "history": paginate(
            request, selectors.earlier_decisions(program, in_force), HISTORY_PAGE_SIZE
        ),
        "review_overdue": selectors.review_is_overdue(in_force, today),
    }
    if in_force is not None and in_force.pays_mentors:
        context["tracking"] = selectors.stipend_tracking(program, in_force, today)
    return render(request, "recognition/compensation/compensation.html", context)


def _initial(in_force, today):
    """A new decision starts from the one in force: a review usually changes little."""
    initial = {"decided_on": today, "review_on": today + DEFAULT_REVIEW_AFTER}
    if in_force is not None:
        for name in services.TEXT_FIELDS + ("decision", "amount_per_mentor"):
            initial[name] = getattr(in_force, name)
    return initial


@program_view
def compensation_decide(request):
    program = _program(request)
    today = organisation_today(request.organisation)
    in_force = selectors.decision_in_force(program)
    form_kwargs = {"program": program, "in_force": in_force, "today": today}
    if request.method != "POST":
        form = CompensationDecisionForm(initial=_initial(in_force, today), **form_kwargs)
    else:
        form = CompensationDecisionForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                _decision, created = services.record_decision(
                    program=program, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    messages.success(request, _("The compensation decision is recorded."))
                else:
                    messages.info(request, _("This decision was already recorded."))
                return redirect("recognition:compensation", request.organisation.slug, program.slug)
    return render(
        request,
        "recognition/compensation/decide.html",
        {
            "program": program,
            "form": form,
            "in_force": in_force,
            "suggested_risks": services.SUGGESTED_RISKS,
            "suggested_risks_text": services.suggested_risks_text(),
        },
    )
