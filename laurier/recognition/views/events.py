"""Events: the managers' pages (the list, planning, the event's page, inviting, attendance,
cancelling, its calendar file), a person's own invitations, and the RSVP page at the personal
link of each invitation (no account needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from laurier.core.bilingual import in_reader_language
from laurier.core.forms import add_service_errors
from laurier.core.link_renewal import fingerprint, renew_link_from_form
from laurier.core.listing import export_response, paginate, requested_export
from laurier.core.personal_links import PersonalLink, serve
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view, program_view

from ..forms.events import (
    AttendanceForm,
    CancelEventForm,
    EventFilterForm,
    EventForm,
    InviteForm,
    PeopleSearchForm,
    RsvpForm,
    new_form_token,
)
from ..models import PROFESSIONAL_DEVELOPMENT_KINDS, EventInvitation, RecognitionOption
from ..selectors import events as selectors
from ..services import events as services

Answer = EventInvitation.Answer
EVENTS_PER_PAGE = 25
INVITATIONS_PER_PAGE = 50
# People a search shows at once: enough to spot the right ones, few enough to read.
PEOPLE_FOUND = 20


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


def _event(request, pk):
    return selectors.event_for(_program(request), pk)


def _detail(event, anchor=""):
    address = reverse(
        "recognition:event_detail", args=[event.organisation.slug, event.program.slug, event.pk]
    )
    return redirect(address + anchor)


def _refuse_cancelled(request, event):
    if event.cancelled_at is None:
        return None
    messages.info(request, _("This event was cancelled: it no longer changes."))
    return _detail(event)


def _begun(event):
    return event.starts_at <= timezone.now()


# --- The list ------------------------------------------------------------------------------------


@program_view
@require_safe
def event_list(request):
    program = _program(request)
    filters = EventFilterForm(request.GET or None)
    kind = filters.value("kind")
    events = selectors.events_of(program, kind=kind)
    if export_format := requested_export(request):
        return _export_events(program, events, export_format)
    page = paginate(request, events, EVENTS_PER_PAGE)
    return render(
        request,
        "recognition/events/event_list.html",
        {
            "program": program,
            "filters": filters,
            "kind": kind,
            "page": page,
            "has_events": bool(page.object_list) or program.events.exists(),
        },
    )


def _export_events(program, events, export_format):
    headers = [
        _("starts"),
        _("ends"),
        _("kind of event"),
        _("name"),
        _("place"),
        _("online link"),
        _("places"),
        _("reserved for mentors"),
        _("invited"),
        _("coming"),
        _("on the waiting list"),
        _("not coming"),
        _("not answered"),
        _("came"),
        _("training hours for attending"),
        _("cancelled"),
    ]
    rows = (
        [
            timezone.localtime(event.starts_at).replace(tzinfo=None),
            timezone.localtime(event.ends_at).replace(tzinfo=None),
            event.get_kind_display(),
            event.name,
            event.place,
            event.online_url,
            event.capacity,
            event.mentors_only,
            event.invited_count,
            event.going_count,
            event.waiting_count,
            event.declined_count,
            event.pending_count,
            event.attended_count,
            event.training_hours if event.is_professional_development else None,
            event.cancelled_at is not None,
        ]
        for event in events.iterator(chunk_size=500)
    )
    return export_response(f"{program.slug}-{_('events')}", headers, rows, export_format)


# --- Planning and editing ------------------------------------------------------------------------


def _options(organisation, keep=None):
    offered = RecognitionOption.objects.filter(organisation=organisation, active=True)
    if keep is not None:
        offered = offered | RecognitionOption.objects.filter(pk=keep, organisation=organisation)
    return offered.order_by("category", "name_fr", "pk")


def _service_errors(form, error):
    """The service's errors on the form's fields: the start and end are typed in parts."""
    if hasattr(error, "error_dict"):
        renamed = {"starts_at": "start_time", "ends_at": "end_time"}
        error = ValidationError(
            {renamed.get(field, field): errors for field, errors in error.error_dict.items()}
        )
    add_service_errors(form, error)


def _render_form(request, program, form, event=None):
    return render(
        request,
        "recognition/events/event_form.html",
        {
            "program": program,
            "form": form,
            "event": event,
            "professional_kinds": [str(kind) for kind in PROFESSIONAL_DEVELOPMENT_KINDS],
        },
    )


@program_view
def event_create(request):
    program = _program(request)
    organisation = request.organisation
    initial = {"remind_days_before": 2}
    source_pk = request.GET.get("like", "")
    if source_pk.isascii() and source_pk.isdigit():
        # "Plan another like it": the same event on another day (a monthly meetup).
        source = selectors.event_for(program, int(source_pk))
        initial = EventForm.initial_of(source, organisation.time_zone)
        initial.update(start_date=None, end_date=None)
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "form_token": new_form_token()},
        options=_options(organisation),
        time_zone=organisation.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event, created = services.create_event(
                program=program,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                **form.service_fields(),
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            if created:
                messages.success(request, _("The event is planned. Now invite people to it."))
            else:
                messages.info(request, _("This event was already planned."))
            return _detail(event)
    return _render_form(request, program, form)


@program_view
def event_edit(request, pk):
    event = _event(request, pk)
    if refused := _refuse_cancelled(request, event):
        return refused
    organisation = request.organisation
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=EventForm.initial_of(event, organisation.time_zone),
        options=_options(organisation, keep=event.option_id),
        time_zone=organisation.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_event(event, actor=request.user, **form.service_fields())
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return _detail(event)
    return _render_form(request, event.program, form, event)


# --- The event's page ----------------------------------------------------------------------------


def _needs(person):
    profile = getattr(person, "mentor_profile", None)
    if profile is None:
        return ""
    return " · ".join(part for part in (profile.diet, profile.accessibility) if part)


@program_view
@require_safe
def event_detail(request, pk):
    event = _event(request, pk)
    answer = request.GET.get("answer", "")
    if answer not in Answer.values:
        answer = ""
    invitations = selectors.invitations_of(event, answer=answer).select_related(
        "person__mentor_profile"
    )
    if export_format := requested_export(request):
        return _export_invitations(event, invitations, export_format)
    counts = selectors.figures(event)
    begun = _begun(event)
    page = paginate(request, invitations, INVITATIONS_PER_PAGE)
    return render(
        request,
        "recognition/events/event_detail.html",
        {
            "event": event,
            "program": event.program,
            "figures": counts,
            "answer": answer,
            "answers": Answer.choices,
            "page": page,
            "rows": [
                (invitation, fingerprint(invitation.token)) for invitation in page.object_list
            ],
            "begun": begun,
            "closed": services.answers_closed(event),
            "option_name": in_reader_language(event.option, "name") if event.option else "",
            "places_left": (
                max(event.capacity - counts["going_count"], 0)
                if event.capacity is not None
                else None
            ),
        },
    )


def _export_invitations(event, invitations, export_format):
    headers = [
        _("first name"),
        _("last name"),
        _("e-mail address"),
        _("answer"),
        _("place on the waiting list"),
        _("answered"),
        _("came"),
        _("dietary and accessibility needs"),
    ]
    rows = (
        [
            invitation.person.first_name,
            invitation.person.last_name,
            invitation.person.email,
            invitation.get_answer_display(),
            invitation.waiting_position,
            timezone.localtime(invitation.answered_at).replace(tzinfo=None)
            if invitation.answered_at
            else None,
            invitation.attended,
            _needs(invitation.person),
        ]
        for invitation in invitations.iterator(chunk_size=1000)
    )
    name = slugify(event.name) or str(event.pk)
    return export_response(f"{name}-{_('invitations')}", headers, rows, export_format)


@program_view
@require_safe
def event_calendar(request, pk):
    event = _event(request, pk)
    response = HttpResponse(
        services.event_ics(event, translation.get_language()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_ics_name(event)}"'
    return response


def _ics_name(event):
    return f"{slugify(event.name) or 'event'}.ics"


# --- Inviting ------------------------------------------------------------------------------------


@program_view
def event_invite(request, pk):
    event = _event(request, pk)
    if refused := _refuse_cancelled(request, event):
        return refused
    if _begun(event):
        messages.info(request, _("This event has begun: it is too late to invite anyone."))
        return _detail(event)
    search = PeopleSearchForm(request.GET or None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    found, more = selectors.find_invitable(event, words, PEOPLE_FOUND)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        mentors_only=event.mentors_only,
        found=found,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.invite(
                event, actor=request.user, audience=data["audience"], people=data["people"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person invited: the invitation leaves by e-mail, with its "
                        "calendar file.",
                        "%(count)d people invited: the invitations leave by e-mail, each with "
                        "its calendar file.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Everyone chosen was already invited."))
            return _detail(event, "#invitations")
    return render(
        request,
        "recognition/events/event_invite.html",
        {
            "event": event,
            "program": event.program,
            "form": form,
            "search": search,
            "found": found,
            "more": more,
            "searched": words,
            "audience_counts": selectors.audience_counts(event),
        },
    )


@program_view
@require_POST
def event_invitation_new_link(request, pk, invitation_pk):
    event = _event(request, pk)
    invitation = get_object_or_404(EventInvitation, event=event, pk=invitation_pk)
    renew_link_from_form(
        request,
        invitation,
        services.send_new_rsvp_link,
        holder=lambda row: (row.person.full_name, row.person.email),
    )
    return _detail(event, "#invitations")


# --- Attendance ----------------------------------------------------------------------------------


@program_view
def event_attendance(request, pk):
    event = _event(request, pk)
    if refused := _refuse_cancelled(request, event):
        return refused
    if not _begun(event):
        messages.info(request, _("Attendance is taken once the event has begun."))
        return _detail(event)
    invitations = list(selectors.attendance_list(event))
    taken = any(invitation.attended is not None for invitation in invitations)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        invitations=invitations,
        initial={
            "attended": [
                invitation.pk
                for invitation in invitations
                if invitation.attended or (not taken and invitation.answer == Answer.GOING)
            ]
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            came = services.take_attendance(
                event, actor=request.user, attended_ids=form.cleaned_data["attended"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: %(count)d person came.",
                    "Attendance saved: %(count)d people came.",
                    came,
                )
                % {"count": came},
            )
            return _detail(event)
    checked = {str(value) for value in (form["attended"].value() or [])}
    rows = [(invitation, str(invitation.pk) in checked) for invitation in invitations]
    return render(
        request,
        "recognition/events/event_attendance.html",
        {
            "event": event,
            "program": event.program,
            "form": form,
            "expected": [row for row in rows if row[0].expected],
            "others": [row for row in rows if not row[0].expected],
            "taken": taken,
        },
    )


# --- Cancelling ----------------------------------------------------------------------------------


@program_view
def event_cancel(request, pk):
    event = _event(request, pk)
    if event.cancelled_at is not None:
        messages.info(request, _("This event is already cancelled."))
        return _detail(event)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(event, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is cancelled: the people invited are told."))
            return _detail(event)
    counts = selectors.figures(event)
    return render(
        request,
        "recognition/events/event_cancel.html",
        {
            "event": event,
            "program": event.program,
            "form": form,
            "told": services.told_of_news(event).count(),
            "figures": counts,
        },
    )


# --- A person's own invitations ------------------------------------------------------------------


@organisation_view()
@require_safe
def my_events(request):
    person = person_of_user(request.organisation, request.user)
    page, groups = None, []
    if person is not None:
        page = paginate(request, selectors.invitations_of_person(person), EVENTS_PER_PAGE)
        for invitation in page.object_list:
            if not groups or groups[-1][0] != invitation.is_past:
                groups.append((invitation.is_past, []))
            groups[-1][1].append(invitation)
    return render(
        request,
        "recognition/events/my_events.html",
        {"person": person, "page": page, "groups": groups},
    )


# --- The RSVP page, at the personal link ---------------------------------------------------------


EVENT_LINK = PersonalLink(
    scope="event",
    find=selectors.invitation_by_token,
    language_of=lambda invitation: invitation.person.language,
    organisation_of=lambda invitation: invitation.event.organisation,
    invalid_template="recognition/events/rsvp/invalid_link.html",
    rate_limited_template="recognition/events/rsvp/rate_limited.html",
)


def rsvp_page(request, token):
    return serve(request, token, EVENT_LINK, _rsvp_or_calendar)


def _rsvp_or_calendar(request, invitation):
    if services.rsvp_link_expired(invitation.event):
        return render(request, "recognition/events/rsvp/expired.html", status=410)
    if request.method == "GET" and request.GET.get("download") == "ics":
        return _person_ics(invitation, translation.get_language())
    return _rsvp(request, invitation)


def _person_ics(invitation, language):
    event = invitation.event
    response = HttpResponse(
        services.event_ics(event, language, services.rsvp_link(invitation)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_ics_name(event)}"'
    return response


def _rsvp(request, invitation):
    event = invitation.event
    closed = services.answers_closed(event)
    form = RsvpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if closed:
            messages.info(request, closed)
            return redirect(request.path)
        if form.is_valid():
            try:
                answered = services.respond(invitation, going=form.cleaned_data["answer"] == "yes")
            except ValidationError as error:
                for message in error.messages:
                    messages.info(request, message)
            else:
                _thank(request, answered)
            return redirect(request.path)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    going = EventInvitation.objects.filter(event=event, answer=Answer.GOING).count()
    context = {
        "invitation": invitation,
        "event": event,
        "program": event.program,
        "organisation": event.organisation,
        "person": invitation.person,
        "description": in_reader_language(event, "description"),
        "closed": closed,
        "form": form,
        "places_left": max(event.capacity - going, 0) if event.capacity is not None else None,
    }
    return render(request, "recognition/events/rsvp/rsvp.html", context)


def _thank(request, invitation):
    # Short: the page says the answer in full, with the place on the waiting list.
    if invitation.answer == Answer.GOING:
        messages.success(request, _("Thank you! Your answer is saved: see you there."))
    elif invitation.answer == Answer.WAITING:
        messages.warning(request, _("The event is full: you are on the waiting list."))
    else:
        messages.success(request, _("Thank you for telling us. We will miss you!"))
