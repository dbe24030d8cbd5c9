"""Pages where managers run their programs: settings, cycles, people, mentors, mentees, pairings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.core.dates import organisation_today
from laurier.core.durations import minutes_to_hours
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.ordering import natural
from laurier.credentials.selectors import credentials_of_person
from laurier.organisations.tenancy import (
    ADMIN_ROLES,
    MANAGER_ROLES,
    organisation_view,
    program_view,
    programs_managed_by,
)
from laurier.profiles.selectors import current_profile, readable_profile
from laurier.recognition.selectors.awards import awards_of_mentor
from laurier.recognition.selectors.kudos import kudos_counts
from laurier.recognition.selectors.notes import mentor_notes

from . import selectors, services
from .forms import (
    CycleForm,
    EnrolmentFilterForm,
    EnrolmentForm,
    EnrolmentStatusForm,
    MentorFilterForm,
    PairingEditForm,
    PairingFilterForm,
    PairingForm,
    PeopleFilterForm,
    PersonForm,
    ProgramForm,
)
from .models import Cycle, MenteeEnrolment, MentorEnrolment, Pairing, Person, Program


def _render_list(request, template, partial, context):
    """The whole page, or only its results when htmx refreshes them after a filter change."""
    response = render(request, partial if request.htmx else template, context)
    # Same URL, two bodies: caches and browser history must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _program_url(request, name, *args):
    return redirect(f"programs:{name}", request.organisation.slug, request.program.slug, *args)


# Programs


@organisation_view(roles=MANAGER_ROLES)
def program_list(request):
    programs = selectors.program_rows(request.membership)
    return render(request, "programs/program_list.html", {"programs": programs})


@organisation_view(roles=ADMIN_ROLES)
def program_create(request):
    form = ProgramForm(
        request.POST or None, organisation=request.organisation, can_choose_managers=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        managers = data.pop("managers")
        try:
            program = services.create_program(
                organisation=request.organisation, actor=request.user, managers=managers, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Program created."))
            return redirect("programs:dashboard", request.organisation.slug, program.slug)
    return render(request, "programs/program_form.html", {"form": form, "creating": True})


@program_view
def program_edit(request):
    program = request.program
    is_admin = request.membership.is_admin
    form = ProgramForm(
        request.POST or None,
        # A copy: the form writes into its instance, and the page header shows request.program.
        instance=Program.objects.get(pk=program.pk),
        organisation=request.organisation,
        can_choose_managers=is_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PROGRAM_FIELDS}
        managers = form.cleaned_data.get("managers") if is_admin else None
        try:
            program = services.update_program(
                Program.objects.select_related("organisation").get(pk=program.pk),
                actor=request.user,
                managers=managers,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Program saved."))
            return redirect("programs:dashboard", request.organisation.slug, program.slug)
    return render(request, "programs/program_form.html", {"form": form, "creating": False})


@program_view
def dashboard(request):
    program = request.program
    today = organisation_today(request.organisation)
    dashboard = selectors.program_dashboard(request.organisation, program, today)
    return render(
        request,
        "programs/dashboard.html",
        {
            "program": program,
            "today": today,
            "dashboard_key": dashboard.key,
            "figures": dashboard.figures,
            "needing_attention": dashboard.needing_attention,
            "attention_days": selectors.ATTENTION_DAYS,
        },
    )


# Cycles


@program_view
def cycles(request):
    program = request.program
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_cycle(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Cycle added."))
            return _program_url(request, "cycles")
    return render(
        request,
        "programs/cycles.html",
        {"cycles": selectors.program_cycles(program), "form": form},
    )


@program_view
def cycle_edit(request, pk):
    cycle = get_object_or_404(
        Cycle.objects.select_related("program"), program=request.program, pk=pk
    )
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle(
                get_object_or_404(Cycle, pk=cycle.pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Cycle saved."))
            return _program_url(request, "cycles")
    return render(request, "programs/cycle_form.html", {"form": form, "cycle": cycle})


# People

PEOPLE_SORTS = {
    "name": (natural("last_name"), natural("first_name")),
    "email": "email",
    "department": "department",
    "job_title": "job_title",
    "hire_date": "hire_date",
}


def _programs_text(enrolments):
    return ", ".join(enrolment.program.name for enrolment in enrolments)


@organisation_view(roles=MANAGER_ROLES)
def people(request):
    filters = PeopleFilterForm(request.GET)
    rows = selectors.people_rows(
        request.organisation,
        programs=programs_managed_by(request.membership),
        search=filters.value("q") or "",
        role=filters.value("role") or "",
        include_left=bool(filters.value("left")),
    )
    rows, sort = sort_queryset(request, rows, PEOPLE_SORTS, "name")
    export = requested_export(request)
    if export:
        return export_response(
            gettext("people"),
            [
                _("last name"),
                _("first name"),
                _("e-mail address"),
                _("language"),
                _("department"),
                _("job title"),
                _("hire date"),
                _("Mentor in"),
                _("Mentee in"),
                _("left the organisation on"),
            ],
            (
                [
                    person.last_name,
                    person.first_name,
                    person.email,
                    person.get_language_display(),
                    person.department,
                    person.job_title,
                    person.hire_date,
                    _programs_text(person.mentor_enrolments.all()),
                    _programs_text(person.mentee_enrolments.all()),
                    person.left_on,
                ]
                for person in rows
            ),
            export,
        )
    return _render_list(
        request,
        "programs/people.html",
        "programs/includes/people_results.html",
        {"page": paginate(request, rows), "sort": sort, "filters": filters},
    )


@organisation_view(roles=MANAGER_ROLES)
def person_create(request):
    form = PersonForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_person(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Person added."))
            return redirect("programs:people", request.organisation.slug)
    return render(request, "programs/person_form.html", {"form": form, "person": None})


@organisation_view(roles=MANAGER_ROLES)
def person_edit(request, pk):
    person = get_object_or_404(Person, organisation=request.organisation, pk=pk)
    form = PersonForm(request.POST or None, instance=person, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                get_object_or_404(Person, pk=person.pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Person saved."))
            return redirect("programs:people", request.organisation.slug)
    enrolments = selectors.enrolments_of_person(
        person, programs=programs_managed_by(request.membership)
    )
    return render(
        request,
        "programs/person_form.html",
        {"form": form, "person": person, "enrolments": enrolments},
    )


# Mentors and mentees

ENROLMENT_SORTS = {
    "name": (natural("person__last_name"), natural("person__first_name")),
    "since": "since",
    "status": "status",
    "hours": "minutes_this_year",
    "pairings": "active_pairings",
    "last_session": "last_session_on",
}


def _enrolment_list(request, role):
    program = request.program
    today = organisation_today(request.organisation)
    if role == "mentor":
        filters = MentorFilterForm(request.GET)
        rows = selectors.mentor_rows(
            program,
            today,
            search=filters.value("q") or "",
            status=filters.value("status") or "",
            inactive=bool(filters.value("inactive")),
        )
        filename = gettext("mentors")
    else:
        filters = EnrolmentFilterForm(request.GET)
        rows = selectors.mentee_rows(
            program, today, search=filters.value("q") or "", status=filters.value("status") or ""
        )
        filename = gettext("mentees")
    rows, sort = sort_queryset(request, rows, ENROLMENT_SORTS, "name")
    export = requested_export(request)
    if export:
        return export_response(
            f"{program.slug}-{filename}",
            [
                _("last name"),
                _("first name"),
                _("e-mail address"),
                _("department"),
                _("since"),
                _("status"),
                _("reason"),
                _("Hours this year"),
                _("Active pairings"),
                _("Last session"),
            ],
            (
                [
                    row.person.last_name,
                    row.person.first_name,
                    row.person.email,
                    row.person.department,
                    row.since,
                    row.get_status_display(),
                    row.status_reason,
                    minutes_to_hours(row.minutes_this_year),
                    row.active_pairings,
                    row.last_session_on,
                ]
                for row in rows
            ),
            export,
        )
    return _render_list(
        request,
        "programs/enrolment_list.html",
        "programs/includes/enrolment_results.html",
        {
            "role": role,
            "page": paginate(request, rows),
            "sort": sort,
            "filters": filters,
            "today": today,
            "attention_cutoff": selectors.attention_cutoff(today),
        },
    )


def _enrolment_add(request, role):
    program = request.program
    model = MentorEnrolment if role == "mentor" else MenteeEnrolment
    enrol = services.enrol_mentor if role == "mentor" else services.enrol_mentee
    form = EnrolmentForm(request.POST or None, program=program, enrolment_model=model)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["person"] is None:
                enrolment = services.enrol_new_person(
                    program=program,
                    role=role,
                    since=data["since"],
                    actor=request.user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
            else:
                enrolment = enrol(
                    program=program, person=data["person"], since=data["since"], actor=request.user
                )
            person = enrolment.person
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if role == "mentor":
                messages.success(
                    request, gettext("%(person)s is now a mentor.") % {"person": person}
                )
            else:
                messages.success(
                    request, gettext("%(person)s is now a mentee.") % {"person": person}
                )
            return _program_url(request, "mentors" if role == "mentor" else "mentees")
    return render(request, "programs/enrolment_add.html", {"form": form, "role": role})


def _enrolment_status(request, role, pk):
    model = MentorEnrolment if role == "mentor" else MenteeEnrolment
    enrolment = get_object_or_404(
        model.objects.select_related("person", "program__organisation"),
        program=request.program,
        pk=pk,
    )
    form = EnrolmentStatusForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_enrolment_status(
                enrolment,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                changed_on=form.cleaned_data["changed_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Status saved."))
            if role == "mentor":
                return _program_url(request, "mentor_detail", enrolment.person_id)
            return _program_url(request, "mentees")
    return render(
        request,
        "programs/enrolment_status.html",
        {"form": form, "role": role, "enrolment": enrolment},
    )


@program_view
def mentors(request):
    return _enrolment_list(request, "mentor")


@program_view
def mentees(request):
    return _enrolment_list(request, "mentee")


@program_view
def mentor_add(request):
    return _enrolment_add(request, "mentor")


@program_view
def mentee_add(request):
    return _enrolment_add(request, "mentee")


@program_view
def mentor_status(request, pk):
    return _enrolment_status(request, "mentor", pk)


@program_view
def mentee_status(request, pk):
    return _enrolment_status(request, "mentee", pk)


@program_view
def mentor_detail(request, pk):
    enrolment = selectors.mentor_enrolment_for_person(request.program, pk)
    today = organisation_today(request.organisation)
    profile = selectors.mentor_profile(enrolment, today)
    kudos = kudos_counts(enrolment.person, request.program)
    return render(
        request,
        "programs/mentor_detail.html",
        {
            "profile": profile,
            "readable": readable_profile(current_profile(enrolment.person)),
            "person": enrolment.person,
            "enrolment": enrolment,
            "status_form": EnrolmentStatusForm(enrolment=enrolment),
            "awards": awards_of_mentor(request.program, enrolment.person),
            "notes": mentor_notes(request.program, enrolment.person),
            "kudos": kudos,
            "kudos_total": sum(count for _behaviour, count in kudos),
            "credentials": credentials_of_person(enrolment.person),
            "today": today,
        },
    )


# Pairings

PAIRING_SORTS = {
    "mentor": (natural("mentor__last_name"), natural("mentor__first_name")),
    "mentee": (natural("mentee__last_name"), natural("mentee__first_name")),
    "cycle": "cycle__starts_on",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "status": "status",
    "hours": "total_minutes",
    "last_session": "last_session_on",
}


@program_view
def pairings(request):
    program = request.program
    filters = PairingFilterForm(request.GET, program=program)
    rows = selectors.pairing_rows(
        program,
        search=filters.value("q") or "",
        status=filters.value("status") or "",
        cycle=filters.value("cycle"),
    )
    rows, sort = sort_queryset(request, rows, PAIRING_SORTS, "-starts_on")
    export = requested_export(request)
    if export:
        return export_response(
            f"{program.slug}-{gettext('pairings')}",
            [
                _("mentor"),
                _("mentee"),
                _("cycle"),
                _("starts on"),
                _("ends on"),
                _("status"),
                _("Hours"),
                _("Last session"),
            ],
            (
                [
                    row.mentor.full_name,
                    row.mentee.full_name,
                    row.cycle.name if row.cycle else "",
                    row.starts_on,
                    row.ends_on,
                    row.get_status_display(),
                    minutes_to_hours(row.total_minutes),
                    row.last_session_on,
                ]
                for row in rows
            ),
            export,
        )
    return _render_list(
        request,
        "programs/pairings.html",
        "programs/includes/pairing_results.html",
        {"page": paginate(request, rows), "sort": sort, "filters": filters},
    )


@program_view
def pairing_create(request):
    program = request.program
    form = PairingForm(
        request.POST or None, program=program, initial={"mentor": request.GET.get("mentor")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_pairing(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Pairing created."))
            return _program_url(request, "pairings")
    return render(request, "programs/pairing_form.html", {"form": form})


@program_view
def pairing_edit(request, pk):
    pairing = get_object_or_404(
        Pairing.objects.select_related("mentor", "mentee", "cycle", "program__organisation"),
        program=request.program,
        pk=pk,
    )
    form = PairingEditForm(request.POST or None, instance=pairing)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pairing(
                get_object_or_404(Pairing.objects.select_related("program"), pk=pairing.pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Pairing saved."))
            return _program_url(request, "pairings")
    return render(request, "programs/pairing_edit.html", {"form": form, "pairing": pairing})
