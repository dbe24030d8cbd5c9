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
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view
from laurier.programs.models import Person

from . import selectors
from .forms import ErasureForm, RetentionForm
from .models import Erasure, RetentionPolicy
from .services.erasure import admin_account, erase_person
from .services.exports import record_export
from .services.retention import set_retention

# Person ids beyond the largest big integer do not exist (PostgreSQL would refuse the query).
LARGEST_PK = 2**63 - 1


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
    # Personal data: never kept by a shared cache or the browser's, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
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
    response = render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "erasure": getattr(person, "erasure", None),
            "consents": selectors.consents_of(person),
            "is_admin": admin_account(person),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _record(request, subject, *, data_format, own):
    """Record the export in the trail, for a GET: a HEAD request reads no data."""
    if request.method == "GET":
        record_export(
            request.organisation, subject, actor=request.user, data_format=data_format, own=own
        )


@organisation_view(roles=ADMIN_ROLES)
@require_safe
def person_export(request, pk):
    person = _person(request, pk)
    # Recorded first: the export itself shows who looked, this time included.
    _record(request, person, data_format="html", own=False)
    data = selectors.person_data(request.organisation, person=person)
    return _export_page(request, data, json_url="privacy:person_export_json", own=False)


@organisation_view(roles=ADMIN_ROLES)
@require_safe
def person_export_json(request, pk):
    person = _person(request, pk)
    _record(request, person, data_format="json", own=False)
    data = selectors.person_data(request.organisation, person=person)
    return _json_response(data, _filename(request.organisation, data))


def _own_subject(request):
    person = person_of_user(request.organisation, request.user)
    return person, person if person is not None else request.membership


@organisation_view()
@require_safe
def my_data(request):
    person, subject = _own_subject(request)
    _record(request, subject, data_format="html", own=True)
    data = selectors.person_data(request.organisation, person=person, user=request.user, own=True)
    return _export_page(request, data, json_url="privacy:my_data_json", own=True)


@organisation_view()
@require_safe
def my_data_json(request):
    person, subject = _own_subject(request)
    _record(request, subject, data_format="json", own=True)
    data = selectors.person_data(request.organisation, person=person, user=request.user, own=True)
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


# How many of the people a new rule would erase the confirmation lists by name.
PREVIEW_SIZE = 100


def _due_today(organisation, months):
    today = organisation_today(organisation)
    cutoff = selectors.retention_cutoff(today, months)
    return cutoff, selectors.inactive_people(organisation, today=today, months=months)


def _preview(organisation, months):
    """Who `months` would erase at the next daily run, before the rule is saved: the count
    and the first names, or None when it would erase nobody."""
    if not months:
        return None
    cutoff, due = _due_today(organisation, months)
    count = due.count()
    if not count:
        return None
    return {"months": months, "cutoff": cutoff, "count": count, "people": due[:PREVIEW_SIZE]}


@organisation_view(roles=ADMIN_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def retention(request):
    organisation = request.organisation
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    form = RetentionForm(request.POST or None, instance=policy)
    preview = None
    if request.method == "POST" and form.is_valid():
        months = form.cleaned_data["erase_inactive_after_months"]
        # A rule that would erase someone is shown with their names first and saved only when
        # the admin confirms it: the daily run erases them for good.
        preview = None if "confirm" in request.POST else _preview(organisation, months)
        if preview is None:
            set_retention(organisation, months=months, actor=request.user)
            messages.success(request, _("The retention rule is saved."))
            return redirect("privacy:retention", organisation.slug)
    months = policy.erase_inactive_after_months if policy else None
    page = None
    cutoff = None
    if months:
        cutoff, due = _due_today(organisation, months)
        page = paginate(request, due)
    erased = Erasure.objects.filter(organisation=organisation).count()
    return render(
        request,
        "privacy/retention.html",
        {
            "form": form,
            "months": months,
            "page": page,
            "cutoff": cutoff,
            "erased": erased,
            "preview": preview,
        },
    )
