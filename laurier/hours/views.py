"""Sessions and training hours: managers' lists and entry, and each person's own space."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from laurier.contests.services.nominations import has_open_edition
from laurier.core.durations import minutes_to_hours
from laurier.core.forms import add_service_errors
from laurier.core.listing import (
    export_response,
    paginate,
    requested_export,
    search_text,
    sort_queryset,
)
from laurier.core.ordering import natural
from laurier.organisations.tenancy import (
    MANAGER_ROLES,
    organisation_view,
    program_view,
    programs_managed_by,
)
from laurier.recognition.selectors.my_awards import latest_given_awards
from laurier.surveys.selectors.answering import open_requests_of_person

from . import certificates, selectors, services
from .forms import (
    BULK_ROWS,
    BulkSessionFormSet,
    SessionFactsForm,
    SessionFilterForm,
    SessionForm,
    TrainingHoursFilterForm,
)
from .models import LoggedBy

SESSION_SORTS = {
    "date": "held_on",
    "mentor": (natural("mentor__last_name"), natural("mentor__first_name")),
    "mentee": (natural("mentee__last_name"), natural("mentee__first_name")),
    "duration": "duration_minutes",
    "format": "format",
    "setting": "setting",
    "logged_by": "logged_by",
    "confirmed": "confirmed_at",
}

TRAINING_HOURS_SORTS = {
    "name": (natural("last_name"), natural("first_name")),
    "mentor": "mentor_minutes",
    "mentee": "mentee_minutes",
    "training": "training_minutes",
    "total": "total_minutes",
    "sessions": "session_count",
}

MY_RECENT_SESSIONS = 20
# Above this many pairings, logging a session starts by finding the pairing by name.
PAIRING_LIST_LIMIT = 300
PAIRING_FINDER_RESULTS = 25


def _session_export(filename, sessions, export_format):
    headers = [
        _("Date"),
        _("Program"),
        _("Mentor"),
        _("Mentee"),
        _("Duration (minutes)"),
        _("Hours"),
        _("Format"),
        _("Where"),
        _("Logged by"),
        _("Confirmed on"),
        _("Notes"),
    ]
    rows = (
        [
            session.held_on,
            session.program.name,
            session.mentor.full_name,
            session.mentee.full_name,
            session.duration_minutes,
            session.hours,
            session.get_format_display(),
            session.get_setting_display(),
            session.get_logged_by_display(),
            session.confirmed_at,
            session.notes,
        ]
        for session in sessions
    )
    return export_response(filename, headers, rows, export_format)


@program_view
def sessions(request):
    program = request.program
    filter_form = SessionFilterForm(
        request.GET or None, pairings=selectors.pairings_of_program(program)
    )
    found = selectors.filter_sessions(
        selectors.sessions_of_program(program).select_related("program"),
        organisation=request.organisation,
        **filter_form.filters(),
    )
    found, sort = sort_queryset(request, found, SESSION_SORTS, "-date")
    if export_format := requested_export(request):
        return _session_export(f"sessions-{program.slug}", found, export_format)
    return render(
        request,
        "hours/sessions.html",
        {"filter_form": filter_form, "page": paginate(request, found), "sort": sort},
    )


def _pairing_or_404(pairings, pairing_id):
    try:
        pk = int(pairing_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(pairings, pk=pk)


@program_view
def session_create(request):
    program = request.program
    pairings = selectors.pairings_of_program(program)
    chosen = request.POST.get("pairing") or request.GET.get("pairing")
    if chosen:
        # A pairing outside this program is answered as if it did not exist.
        pairings = pairings.filter(pk=_pairing_or_404(pairings, chosen).pk)
    elif pairings.count() > PAIRING_LIST_LIMIT:
        return _pairing_finder(request, program)
    form = SessionForm(
        request.POST or None,
        pairings=pairings,
        initial={"held_on": timezone.localdate(), "pairing": chosen},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_session(
                pairing=data["pairing"],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                setting=data["setting"],
                notes=data["notes"],
                logged_by=LoggedBy.MANAGER,
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session logged."))
            return redirect("hours:sessions", request.organisation.slug, program.slug)
    return render(request, "hours/session_form.html", {"form": form})


def _pairing_finder(request, program):
    """In a large program, the manager first finds the pairing by name: a list of
    thousands of pairings is neither usable nor fast."""
    search = search_text(request)
    found = (
        selectors.find_active_pairings(program, search, PAIRING_FINDER_RESULTS) if search else []
    )
    return render(
        request,
        "hours/pairing_finder.html",
        {"search": search, "found": found, "limit": PAIRING_FINDER_RESULTS},
    )


def _with_more_rows(data):
    """The submitted bulk rows plus BULK_ROWS blank ones, keeping what was typed."""
    data = data.copy()
    try:
        total = int(data.get("form-TOTAL_FORMS", BULK_ROWS))
    except ValueError:
        total = BULK_ROWS
    data["form-TOTAL_FORMS"] = str(min(max(total, 0) + BULK_ROWS, BulkSessionFormSet.max_num))
    return data


@program_view
def sessions_bulk(request):
    program = request.program
    # One query, never more than the limit plus one row, whatever the program's size.
    pairings = list(selectors.pairings_of_program(program)[: PAIRING_LIST_LIMIT + 1])
    if len(pairings) > PAIRING_LIST_LIMIT:
        # Every row would list thousands of pairings: a file import serves this program better.
        return render(request, "hours/sessions_bulk_use_import.html", {"limit": PAIRING_LIST_LIMIT})
    pairings_by_id = {pairing.pk: pairing for pairing in pairings}
    problem = None
    show_errors = True
    if request.method != "POST":
        formset = BulkSessionFormSet(pairings_by_id=pairings_by_id)
    elif "add_rows" in request.POST:
        formset = BulkSessionFormSet(_with_more_rows(request.POST), pairings_by_id=pairings_by_id)
        show_errors = False
    else:
        formset = BulkSessionFormSet(request.POST, pairings_by_id=pairings_by_id)
        if not formset.is_valid():
            problem = _("Nothing was saved: correct the rows marked below.")
        elif not (filled := formset.filled_rows()):
            problem = _("Fill in at least one row.")
        else:
            try:
                logged = services.log_sessions_in_bulk(
                    program, [row for _form, row in filled], request.user
                )
            except services.BulkSessionsError as error:
                for index, row_messages in error.row_errors.items():
                    filled[index][0].add_error(None, row_messages)
                problem = error.message
            else:
                messages.success(
                    request,
                    ngettext("%(count)d session logged.", "%(count)d sessions logged.", len(logged))
                    % {"count": len(logged)},
                )
                return redirect("hours:sessions", request.organisation.slug, program.slug)
    return render(
        request,
        "hours/sessions_bulk.html",
        {
            "formset": formset,
            "problem": problem,
            "show_errors": show_errors,
            "has_pairings": bool(pairings_by_id),
        },
    )


@program_view
def session_edit(request, pk):
    program = request.program
    session = get_object_or_404(
        selectors.sessions_of_program(program).select_related("pairing", "program"), pk=pk
    )
    back = redirect("hours:sessions", request.organisation.slug, program.slug)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_session(session, request.user)
        messages.success(request, _("Session deleted."))
        return back
    form = SessionFactsForm(
        request.POST or None,
        initial={
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "format": session.format,
            "setting": session.setting,
            "notes": session.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        was_confirmed = session.confirmed_at is not None
        try:
            session = services.update_session(session, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if was_confirmed and session.confirmed_at is None:
                messages.success(
                    request,
                    _("Session saved. Its date or length changed: it awaits confirmation again."),
                )
            else:
                messages.success(request, _("Session saved."))
            return back
    return render(request, "hours/session_edit.html", {"form": form, "session": session})


@organisation_view(roles=MANAGER_ROLES)
def training_hours(request):
    membership = request.membership
    managed = programs_managed_by(membership)
    this_year = timezone.localdate().year
    query = request.GET.copy()
    query.setdefault("year", str(this_year))
    form = TrainingHoursFilterForm(query, programs=managed)
    form.is_valid()
    year = form.cleaned_data.get("year") or this_year
    programs = None if membership.is_admin else managed
    if program := form.cleaned_data.get("program"):
        programs = [program]
    people = selectors.training_hours(request.organisation, year, programs)
    if search := form.cleaned_data.get("q", "").strip():
        people = selectors.search_people(people, search)
    if form.cleaned_data.get("with_hours"):
        people = people.filter(total_minutes__gt=0)
    people, sort = sort_queryset(request, people, TRAINING_HOURS_SORTS, "name")
    if export_format := requested_export(request):
        headers = [
            _("Last name"),
            _("First name"),
            _("E-mail address"),
            _("Department"),
            _("Year"),
            _("Hours as mentor"),
            _("Hours as mentee"),
            _("Training attended (hours)"),
            _("Total hours"),
            _("Sessions"),
            _("Events attended"),
        ]
        rows = (
            [
                person.last_name,
                person.first_name,
                person.email,
                person.department,
                year,
                minutes_to_hours(person.mentor_minutes),
                minutes_to_hours(person.mentee_minutes),
                minutes_to_hours(person.training_minutes),
                minutes_to_hours(person.total_minutes),
                person.session_count,
                person.training_events,
            ]
            for person in people
        )
        filename = _("training-hours")
        return export_response(f"{filename}-{year}", headers, rows, export_format)
    return render(
        request,
        "hours/training_hours.html",
        {"form": form, "year": year, "page": paginate(request, people), "sort": sort},
    )


# Years a certificate can be asked for: the range the training-hours page accepts.
CERTIFICATE_YEARS = range(2000, 2101)


def _training_credential(request, certificate, programs):
    """The signed credential of the certificate, issued on its first download; None for a
    program manager's partial view, whose total is not the person's."""
    if programs is not None:
        return None
    # Imported here: the credentials app builds on this one.
    from laurier.credentials.services.awarding import certify_training

    credential, _created = certify_training(certificate, actor=request.user)
    return credential


def _certificate_response(request, person, year, programs=None):
    """The person's certificate for `year` as a PDF download, in their language unless the
    link asks for the other one (?lang=en or ?lang=fr); None when they have no hours. With
    `programs`, only what happened in those programs counts and shows."""
    certificate = selectors.training_certificate(person, year, programs)
    if not certificate.has_hours:
        return None
    language = certificates.certificate_language(person, request.GET.get("lang", ""))
    pdf = certificates.certificate_pdf(
        certificate,
        language,
        credential=_training_credential(request, certificate, programs),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = certificates.certificate_filename(certificate, language)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def certificate(request, pk, year):
    """A manager downloads the certificate of someone listed on their training-hours page."""
    if year not in CERTIFICATE_YEARS:
        raise Http404
    membership = request.membership
    programs = None if membership.is_admin else programs_managed_by(membership)
    person = selectors.training_hours_person(request.organisation, year, programs, pk)
    if person is None:
        raise Http404
    if response := _certificate_response(request, person, year, programs):
        return response
    messages.info(
        request,
        _("%(name)s has no training hours recorded in %(year)s, so there is no certificate for it.")
        % {"name": person.full_name, "year": year},
    )
    return redirect(
        f"{reverse('hours:training_hours', args=[request.organisation.slug])}?year={year}"
    )


@organisation_view()
@require_safe
def my_certificate(request, year):
    """A mentor or a mentee downloads their own certificate."""
    person = selectors.person_of_user(request.organisation, request.user)
    if person is None or year not in CERTIFICATE_YEARS:
        raise Http404
    if response := _certificate_response(request, person, year):
        return response
    messages.info(
        request,
        _("You have no training hours recorded in %(year)s, so there is no certificate for it.")
        % {"year": year},
    )
    return redirect("hours:my_space", request.organisation.slug)


@organisation_view()
def my_space(request):
    person = selectors.person_of_user(request.organisation, request.user)
    if person is None:
        return render(
            request,
            "hours/my_space.html",
            {"person": None, "nominating": has_open_edition(request.membership, None)},
        )
    sessions = selectors.sessions_of_person(person)
    if export_format := requested_export(request):
        return _session_export(_("my-sessions"), sessions.order_by("held_on", "pk"), export_format)
    this_year = timezone.localdate().year
    hours = selectors.hours_of_person(person, [this_year - 1, this_year])
    pairings = list(selectors.pairings_of_person(person))
    return render(
        request,
        "hours/my_space.html",
        {
            "person": person,
            "pairings_as_mentor": [p for p in pairings if p.mentor_id == person.pk],
            "pairings_as_mentee": [p for p in pairings if p.mentee_id == person.pk],
            "can_log": any(p.status == p.Status.ACTIVE for p in pairings),
            "is_mentor": person.mentor_enrolments.exists(),
            "survey_requests": open_requests_of_person(person),
            "awards": latest_given_awards(person),
            "nominating": has_open_edition(request.membership, person),
            "awaiting": sessions.filter(awaiting_my_confirmation=True).order_by("-held_on", "-pk"),
            "recent": sessions.order_by("-held_on", "-pk")[:MY_RECENT_SESSIONS],
            "hours": [
                {"year": year, **{side: minutes_to_hours(m) for side, m in figures.items()}}
                for year, figures in sorted(hours.items(), reverse=True)
            ],
            "has_training": any(figures["training"] for figures in hours.values()),
            "has_hours": any(figures["total"] for figures in hours.values()),
        },
    )


@organisation_view()
def my_session_create(request):
    person = selectors.person_of_user(request.organisation, request.user)
    if person is None:
        messages.info(request, _("You are not a mentor or mentee in this organisation."))
        return redirect("hours:my_space", request.organisation.slug)
    chosen = request.POST.get("pairing") or request.GET.get("pairing")
    if chosen:
        # Someone else's pairing must not even be acknowledged as existing.
        _pairing_or_404(selectors.pairings_of_person(person), chosen)
    form = SessionForm(
        request.POST or None,
        pairings=selectors.active_pairings_of_person(person),
        initial={"held_on": timezone.localdate(), "pairing": chosen},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pairing = data["pairing"]
        try:
            services.log_session(
                pairing=pairing,
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                setting=data["setting"],
                notes=data["notes"],
                logged_by=LoggedBy.MENTOR if pairing.mentor_id == person.pk else LoggedBy.MENTEE,
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Session logged. It waits in the other person's space for their confirmation."),
            )
            return redirect("hours:my_space", request.organisation.slug)
    return render(request, "hours/my_session_form.html", {"form": form})


@organisation_view()
@require_POST
def my_session_confirm(request, pk):
    person = selectors.person_of_user(request.organisation, request.user)
    if person is None:
        raise Http404
    session = get_object_or_404(selectors.sessions_of_person(person), pk=pk)
    try:
        services.confirm_session(session, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Session confirmed."))
    return redirect("hours:my_space", request.organisation.slug)
