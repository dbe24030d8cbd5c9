"""The managers' badge pages: the badges, creating and editing one with a live preview of its
design, its holders, awarding it by hand to one or many, and the progress of a bulk award."""

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from .. import selectors
from ..forms import (
    BadgeAwardForm,
    BadgeClassForm,
    BadgeDesignForm,
    HolderSearchForm,
    PeopleSearchForm,
    new_form_token,
)
from ..images import BadgeDesign, render_svg
from ..services import awarding, bulk
from ..services import badges as services
from ..services.bulk import start_issuance_job
from ..tasks import apply_badge_rules

HOLDERS_PER_PAGE = 25
# Mentors a search shows at once: enough to spot the right ones, few enough to read.
PEOPLE_FOUND = 20
# A picture drawn in the page: nothing in it may load or run anything.
IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def preview_url(organisation, design_source):
    """The address of the preview of a badge (or a form's initial design)."""
    query = urlencode(
        {
            "shape": design_source.shape,
            "palette": design_source.palette,
            "emblem": design_source.emblem,
            "label": design_source.label,
        }
    )
    return reverse("credentials:badge_preview", args=[organisation.slug]) + "?" + query


def _badge_detail(badge):
    return redirect("credentials:badge_detail", badge.organisation.slug, badge.pk)


# --- The badges ---------------------------------------------------------------------------------


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def badge_list(request):
    organisation = request.organisation
    badges = list(
        selectors.badge_classes_of(request.membership).order_by("-active", "name_fr", "pk")
    )
    for badge in badges:
        badge.preview = preview_url(organisation, badge)
    return render(
        request,
        "credentials/badges/list.html",
        {"badges": badges, "jobs": selectors.recent_jobs(organisation)},
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def badge_preview(request):
    design = BadgeDesignForm(request.GET).design()
    if design is None:
        return HttpResponseBadRequest(
            _("Unknown shape, colours, emblem or text."), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(render_svg(design), content_type="image/svg+xml")
    response["Content-Security-Policy"] = IMAGE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def run_rules(request):
    # A rule never awards the same badge twice for the same reason: a second click is harmless.
    apply_badge_rules.enqueue(request.organisation.pk)
    messages.success(
        request,
        _(
            "Laurier is checking every badge's rule now. The badges earned appear in the "
            "credentials issued within a few minutes."
        ),
    )
    return redirect("credentials:badges", request.organisation.slug)


# --- Creating and editing -----------------------------------------------------------------------


def _render_form(request, form, badge=None):
    organisation = request.organisation
    source = badge
    if form.is_bound and form.is_valid():
        source = BadgeDesign(
            shape=form.cleaned_data["shape"],
            palette=form.cleaned_data["palette"],
            emblem=form.cleaned_data["emblem"],
            label=form.cleaned_data["label"],
        )
    elif source is None or form.is_bound:
        source = _design_of_data(form)
    return render(
        request,
        "credentials/badges/form.html",
        {"form": form, "badge": badge, "preview": preview_url(organisation, source)},
    )


def _design_of_data(form):
    """The design the form shows, or the default one when what was sent is not valid: the
    preview shows the last choice that can be drawn."""
    data = form.data if form.is_bound else form.initial
    preview = BadgeDesignForm(
        {name: data.get(name) or "" for name in ("shape", "palette", "emblem", "label")}
    ).design()
    return preview or BadgeDesign()


@organisation_view(roles=MANAGER_ROLES)
def badge_create(request):
    organisation = request.organisation
    initial = {**BadgeDesign().as_dict(), "rule": "manual", "active": True}
    form = BadgeClassForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "form_token": new_form_token()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            badge, created = services.create_badge_class(
                organisation,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("The badge is created."))
            else:
                messages.info(request, _("This badge was already created."))
            badge.organisation = organisation
            return _badge_detail(badge)
    return _render_form(request, form)


@organisation_view(roles=MANAGER_ROLES)
def badge_edit(request, pk):
    badge = selectors.badge_class_for(request.membership, pk)
    # The form writes what was sent on its instance: the page's title keeps the saved name.
    form = BadgeClassForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(badge)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_badge_class(badge, actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The badge is saved. The credentials issued from now on carry it.")
            )
            return _badge_detail(badge)
    return _render_form(request, form, badge=badge)


# --- A badge, its holders, awarding it ----------------------------------------------------------


def _people_search(request):
    # A refused award form carries its search (a hidden field): the page it answers with shows
    # the same mentors, ticked as they were.
    data = request.POST if request.method == "POST" else request.GET
    search = PeopleSearchForm({"find": data["find"]} if "find" in data else None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    if not words:  # nobody is listed before a search: a list of strangers helps no one
        return {"people_search": search, "found": [], "more": False, "searched": ""}
    found, more = selectors.find_people(request.membership, words, PEOPLE_FOUND)
    return {"people_search": search, "found": found, "more": more, "searched": words}


def _award_form(request, data=None):
    return BadgeAwardForm(
        data,
        initial={"form_token": new_form_token()},
        people=selectors.awardable_people(request.membership),
        programs=selectors.awardable_programs(request.membership),
    )


def _render_detail(request, badge, award_form):
    holder_search = HolderSearchForm(request.GET or None)
    words = holder_search.cleaned_data["q"].strip() if holder_search.is_valid() else ""
    page = paginate(
        request, selectors.holders_of(request.membership, badge, words), HOLDERS_PER_PAGE
    )
    page.object_list = selectors.with_status(page.object_list)
    return render(
        request,
        "credentials/badges/detail.html",
        {
            "badge": badge,
            "preview": preview_url(request.organisation, badge),
            "holder_search": holder_search,
            "holder_words": words,
            "page": page,
            "award_form": award_form,
            "ticked": award_form.data.getlist("people") if award_form.is_bound else [],
            "job_under_way": selectors.job_under_way(badge) if badge.active else None,
            **_people_search(request),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def badge_detail(request, pk):
    badge = selectors.badge_class_for(request.membership, pk)
    return _render_detail(request, badge, _award_form(request))


@organisation_view(roles=MANAGER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def badge_award(request, pk):
    organisation = request.organisation
    badge = selectors.badge_class_for(request.membership, pk)
    if request.method != "POST":
        # A link or a search from the page a refused award answered with, which has this
        # address: the badge's page, with the same query.
        query = request.GET.urlencode()
        address = reverse("credentials:badge_detail", args=[organisation.slug, badge.pk])
        return redirect(address + (f"?{query}" if query else ""))
    if _names_someone_out_of_reach(request):
        raise Http404
    form = _award_form(request, request.POST)
    if not badge.active:
        form.add_error(None, _("This badge is retired: it can no longer be awarded."))
    if not form.is_valid():
        return _render_detail(request, badge, form)
    if form.cleaned_data["program"]:
        person_ids = selectors.active_mentor_ids(form.cleaned_data["program"])
    else:
        person_ids = sorted(person.pk for person in form.cleaned_data["people"])
    if not person_ids:
        form.add_error("program", _("This program has no active mentor."))
        return _render_detail(request, badge, form)
    if len(person_ids) == 1:
        return _award_one(request, badge, form, person_ids[0])
    try:
        job = start_issuance_job(
            badge, person_ids, actor=request.user, request_key=form.cleaned_data["form_token"]
        )
    except awarding.CredentialRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_detail(request, badge, form)
    return redirect("credentials:issuance_job", organisation.slug, job.pk)


def _ids(values):
    # Anything that is not a plausible id is left to the form, which refuses it.
    return {int(value) for value in values if value.isdigit() and len(value) <= 18}


def _names_someone_out_of_reach(request):
    """Whether the award form names a person, or a program, the member may not see: such a
    person does not exist for them, as their credentials do not."""
    membership = request.membership
    people = _ids(request.POST.getlist("people"))
    if people and selectors.people_visible_to(membership).filter(pk__in=people).count() < len(
        people
    ):
        return True
    programs = _ids([request.POST.get("program", "")])
    return (
        bool(programs)
        and not selectors.awardable_programs(membership).filter(pk__in=programs).exists()
    )


def _award_one(request, badge, form, person_id):
    person = selectors.awardable_people(request.membership).get(pk=person_id)
    try:
        credential, created = awarding.award_badge(badge, person, actor=request.user)
    except awarding.CredentialRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_detail(request, badge, form)
    if created:
        messages.success(
            request, _("%(person)s is awarded the badge.") % {"person": person.full_name}
        )
    else:
        messages.info(
            request, _("%(person)s already holds this badge.") % {"person": person.full_name}
        )
    return _badge_detail(badge)


# --- A bulk award's progress --------------------------------------------------------------------


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def issuance_job(request, job_pk):
    job = selectors.issuance_job_for(request.organisation, job_pk)
    if bulk.is_stalled(job):  # its worker stopped: the manager waiting here sees it go on
        bulk.resume_job(job)
    in_progress = job.status in (job.Status.QUEUED, job.Status.RUNNING)
    if request.htmx and in_progress:
        response = render(request, "credentials/badges/includes/job_progress.html", {"job": job})
    elif request.htmx:
        # Over: the whole page shows the result.
        from django_htmx.http import HttpResponseClientRefresh

        response = HttpResponseClientRefresh()
    else:
        response = render(
            request,
            "credentials/badges/job.html",
            {
                "job": job,
                "in_progress": in_progress,
                "skipped": max(job.done - job.issued, 0),
            },
        )
    patch_vary_headers(response, ["HX-Request"])
    return response
