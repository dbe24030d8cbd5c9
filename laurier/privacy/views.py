"""Pages of a person's data: export, erasure, consents, and the retention of inactive people."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view
from laurier.programs.models import Person

from . import selectors
from .forms import ErasureForm, RetentionForm
from .models import Erasure, RetentionPolicy
from .services.erasure import admin_account, erase_person
from .services.exports import record_export
from .services.retention import set_retention

# Person ids beyond a database integer do not exist (PostgreSQL would refuse the query).
LARGEST_PK = 2**31 - 1


def _person(request, pk):
    if pk > LARGEST_PK:
        raise Http404
    return get_object_or_404(
        Person.objects.select_related("user", "erasure"), organisation=request.organisation, pk=pk
    )


def _json_response(data, filename):
    response = HttpResponse(
        json.dumps(data.as_json(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(organisation, data):
    day = timezone.localdate(data.generated_at).isoformat()
    who = f"person-{data.person.pk}" if data.person is not None else "account"
    return f"{organisation.slug}-{who}-data-{day}.json"


def _export_page(request, data, *, json_url, own):
    response = render(
        request,
        "privacy/export.html",
        {"data": data, "json_url": json_url, "own": own},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(roles=ADMIN_ROLES)
@require_safe
def person_privacy(request, pk):
    person = _person(request, pk)
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "erasure": getattr(person, "erasure", None),
            "consents": selectors.consents_of(person),
            "is_admin": admin_account(person),
        },
    )


@organisation_view(roles=ADMIN_ROLES)
@require_safe
def person_export(request, pk):
    person = _person(request, pk)
    # Recorded first: the export itself shows who looked, this time included.
    record_export(request.organisation, person, actor=request.user, data_format="html", own=False)
    data = selectors.person_data(request.organisation, person=person)
    return _export_page(request, data, json_url="privacy:person_export_json", own=False)


@organisation_view(roles=ADMIN_ROLES)
@require_safe
def person_export_json(request, pk):
    person = _person(request, pk)
    record_export(request.organisation, person, actor=request.user, data_format="json", own=False)
    data = selectors.person_data(request.organisation, person=person)
    return _json_response(data, _filename(request.organisation, data))


def _own_subject(request):
    person = selectors.person_of_user(request.organisation, request.user)
    return person, person if person is not None else request.membership


@organisation_view()
@require_safe
def my_data(request):
    person, subject = _own_subject(request)
    record_export(request.organisation, subject, actor=request.user, data_format="html", own=True)
    data = selectors.person_data(request.organisation, person=person, user=request.user)
    return _export_page(request, data, json_url="privacy:my_data_json", own=True)


@organisation_view()
@require_safe
def my_data_json(request):
    person, subject = _own_subject(request)
    record_export(request.organisation, subject, actor=request.user, data_format="json", own=True)
    data = selectors.person_data(request.organisation, person=person, user=request.user)
    return _json_response(data, _filename(request.organisation, data))


@organisation_view(roles=ADMIN_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def person_erase(request, pk):
    person = _person(request, pk)
    erasure = getattr(person, "erasure", None)
    if erasure is not None:
        messages.info(request, _("This person's data were already erased."))
        return redirect("privacy:person", request.organisation.slug, person.pk)
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            erase_person(person, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person's data are erased."))
            return redirect("privacy:person", request.organisation.slug, person.pk)
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "form": form, "is_admin": admin_account(person)},
    )


@organisation_view(roles=ADMIN_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def retention(request):
    organisation = request.organisation
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    form = RetentionForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        set_retention(
            organisation,
            months=form.cleaned_data["erase_inactive_after_months"],
            actor=request.user,
        )
        messages.success(request, _("The retention rule is saved."))
        return redirect("privacy:retention", organisation.slug)
    months = policy.erase_inactive_after_months if policy else None
    page = None
    cutoff = None
    if months:
        today = organisation_today(organisation)
        cutoff = selectors.retention_cutoff(today, months)
        page = paginate(
            request, selectors.inactive_people(organisation, today=today, months=months)
        )
    erased = Erasure.objects.filter(organisation=organisation).count()
    return render(
        request,
        "privacy/retention.html",
        {"form": form, "months": months, "page": page, "cutoff": cutoff, "erased": erased},
    )
