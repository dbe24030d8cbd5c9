"""Thank-you note campaigns: the managers' pages (the list, inviting writers, reading and
approving the notes, closing), the writers' page at their personal link (no account), the
mentor's own notes, and each mentor's card as a PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.link_renewal import fingerprint, renew_link_from_form
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.pdf import render_pdf
from laurier.core.personal_links import PersonalLink, serve
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view, program_view

from ..forms.awards import MentorSearchForm
from ..forms.notes import CampaignForm, NoteForm, default_last_day, new_form_token
from ..models import NOTE_MAX_LENGTH, NoteWriter, ThankYouNote
from ..selectors import awards as award_selectors
from ..selectors import notes as selectors
from ..services import notes as services

CAMPAIGNS_PER_PAGE = 25
WRITERS_PER_PAGE = 50
NOTES_PER_PAGE = 25
# Notes waiting to be read shown at once: a manager reads them in sittings of this size, and
# "Approve all waiting" approves exactly the ones on screen, never one not yet read.
WAITING_SHOWN = 50
MENTORS_FOUND = 20


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


def _campaign(request, pk):
    campaign = selectors.campaign_for(_program(request), pk)
    campaign.organisation = request.organisation
    return campaign


def _detail(campaign, anchor=""):
    url = reverse(
        "recognition:note_campaign_detail",
        args=[campaign.organisation.slug, campaign.program.slug, campaign.pk],
    )
    return redirect(url + anchor)


def _pk(value):
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() else None


# --- The list -------------------------------------------------------------------------------


@program_view
@require_safe
def note_campaigns(request):
    program = _program(request)
    campaigns, sort = sort_queryset(
        request,
        selectors.campaigns_of(program),
        {
            "created": "created_at",
            "last_day": "closes_on",
            "writers": "writer_count",
            "notes": "note_count",
            "waiting": "pending_count",
        },
        "-created",
    )
    page = paginate(request, campaigns, CAMPAIGNS_PER_PAGE)
    return render(
        request,
        "recognition/notes/campaign_list.html",
        {"program": program, "page": page, "sort": sort},
    )


# --- Inviting -------------------------------------------------------------------------------


@program_view
def note_campaign_create(request):
    program = _program(request)
    today = organisation_today(request.organisation)
    mentor_pk = _pk(request.POST.get("mentor") if request.method == "POST" else None) or _pk(
        request.GET.get("mentor")
    )
    mentor = award_selectors.mentor_for(program, mentor_pk)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        mentors=award_selectors.active_mentors(program),
        initial={
            "mentor": mentor.pk if mentor else None,
            "mentees": True,
            "closes_on": default_last_day(today),
            "form_token": new_form_token(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign, created = services.create_note_campaign(
                program=program,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                invited = campaign.writers.count()
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person is invited to write: their invitation is on its way.",
                        "%(count)d people are invited to write: their invitations are on their "
                        "way.",
                        invited,
                    )
                    % {"count": invited},
                )
            else:
                messages.info(request, _("These invitations were already sent."))
            return _detail(campaign)
    search = MentorSearchForm(request.GET or None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    searching = mentor is None and request.GET.get("find") is not None
    found, more = (
        award_selectors.find_mentors(program, words, MENTORS_FOUND) if searching else ([], False)
    )
    return render(
        request,
        "recognition/notes/campaign_form.html",
        {
            "program": program,
            "form": form,
            "mentor": mentor,
            "mentor_count": award_selectors.active_mentors(program).count() if not mentor else 0,
            "search": search,
            "searching": searching,
            "searched": words,
            "found": found,
            "more": more,
        },
    )


# --- The campaign's page --------------------------------------------------------------------

READ_TABS = {"approved": ThankYouNote.Status.APPROVED, "set-aside": ThankYouNote.Status.REJECTED}


@program_view
@require_safe
def note_campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    if export_format := requested_export(request):
        return _export(campaign, export_format)
    tab = request.GET.get("notes", "approved")
    if tab not in READ_TABS:
        tab = "approved"
    waiting = list(selectors.notes_of(campaign, [ThankYouNote.Status.PENDING])[: WAITING_SHOWN + 1])
    writers = paginate(request, selectors.writers_of(campaign), WRITERS_PER_PAGE)
    return render(
        request,
        "recognition/notes/campaign_detail.html",
        {
            "campaign": campaign,
            "program": campaign.program,
            "summary": selectors.summary(campaign),
            "waiting": waiting[:WAITING_SHOWN],
            "more_waiting": len(waiting) > WAITING_SHOWN,
            "tab": tab,
            "read": paginate(
                request,
                selectors.notes_of(campaign, [READ_TABS[tab]]),
                NOTES_PER_PAGE,
                parameter="notes_page",
            ),
            "writers": writers,
            "writer_rows": [(writer, fingerprint(writer.token)) for writer in writers.object_list],
            "cards": list(selectors.mentors_with_cards(campaign)),
            "is_open": campaign.is_open,
        },
    )


def _export(campaign, export_format):
    """Every note of the campaign, for a manager who prints them or thanks the writers."""
    headers = [
        _("mentor"),
        _("note"),
        _("signed"),
        _("writer"),
        _("e-mail address"),
        _("relation to the mentor"),
        _("status"),
        _("written on"),
    ]
    rows = (
        [
            note.mentor.full_name,
            note.text,
            note.signature,
            note.writer.name,
            note.writer.email,
            note.writer.get_relation_display(),
            note.get_status_display(),
            note.created_at,
        ]
        for note in selectors.notes_of(campaign, list(ThankYouNote.Status)).iterator(
            chunk_size=1000
        )
    )
    name = campaign.mentor.full_name if campaign.mentor else campaign.program.slug
    return export_response(f"{slugify(name)}-{_('thank-you-notes')}", headers, rows, export_format)


@program_view
@require_POST
def note_moderate(request, pk):
    campaign = _campaign(request, pk)
    action = request.POST.get("action")
    note_ids = [pk for pk in map(_pk, request.POST.getlist("note")) if pk is not None]
    if action not in ("approve", "reject") or not note_ids:
        messages.error(request, _("Choose the notes to approve or to set aside."))
        return _detail(campaign, "#waiting")
    changed = services.moderate_notes(
        campaign, actor=request.user, note_ids=note_ids, approve=action == "approve"
    )
    if action == "approve":
        message = ngettext(
            "%(count)d note approved: the mentor will receive it.",
            "%(count)d notes approved: the mentors will receive them.",
            changed,
        )
    else:
        message = ngettext(
            "%(count)d note set aside: the mentor will not see it.",
            "%(count)d notes set aside: the mentors will not see them.",
            changed,
        )
    if changed:
        messages.success(request, message % {"count": changed})
    else:
        messages.info(request, _("Nothing changed: these notes were already so."))
    return _detail(campaign, "#waiting")


@program_view
@require_POST
def note_campaign_close(request, pk):
    campaign = _campaign(request, pk)
    if campaign.closed_at is not None:
        messages.info(request, _("This campaign is already closed."))
        return _detail(campaign)
    services.close_note_campaign(campaign, actor=request.user)
    messages.success(
        request,
        _("Closed: each mentor receives their approved notes by e-mail, with their card."),
    )
    return _detail(campaign)


@program_view
@require_POST
def note_writer_new_link(request, pk, writer_pk):
    campaign = _campaign(request, pk)
    writer = get_object_or_404(NoteWriter, campaign=campaign, pk=writer_pk)
    renew_link_from_form(
        request, writer, services.send_new_writer_link, holder=lambda row: (row.name, row.email)
    )
    return _detail(campaign, "#writers-heading")


# --- Cards ------------------------------------------------------------------------------------


def _card_response(request, campaign, mentor, notes):
    """The mentor's card as a PDF, in the mentor's language."""
    organisation = campaign.organisation
    language = mentor.language or organisation.language
    with translation.override(language), timezone.override(organisation.time_zone):
        html = render_to_string(
            "recognition/notes/card.html",
            {
                "campaign": campaign,
                "program": campaign.program,
                "organisation": organisation,
                "mentor": mentor,
                "notes": notes,
                "language": language,
                "day": campaign.closed_at or timezone.now(),
            },
        )
    pdf = render_pdf(html, tagged=False)
    prefix = "merci" if language.startswith("fr") else "thank-you"
    day = timezone.localdate(campaign.closed_at or timezone.now(), timezone.get_current_timezone())
    filename = f"{prefix}-{slugify(mentor.full_name) or mentor.pk}-{day.isoformat()}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@program_view
@require_safe
def note_card(request, pk, mentor_pk):
    campaign = _campaign(request, pk)
    mentor = selectors.campaign_mentor(campaign, mentor_pk)
    notes = selectors.card_notes(campaign, mentor)
    if not notes:
        raise Http404
    return _card_response(request, campaign, mentor, notes)


# --- The mentor's own notes -------------------------------------------------------------------


@organisation_view()
@require_safe
def my_notes(request):
    person = person_of_user(request.organisation, request.user)
    campaigns = selectors.received_campaigns(person) if person is not None else []
    return render(
        request,
        "recognition/notes/my_notes.html",
        {"person": person, "campaigns": campaigns},
    )


@organisation_view()
@require_safe
def my_note_card(request, pk):
    person = person_of_user(request.organisation, request.user)
    campaign = selectors.received_campaign(person, pk) if person is not None else None
    if campaign is None:
        raise Http404
    return _card_response(request, campaign, person, selectors.card_notes(campaign, person))


# --- The writers' page, at their personal link --------------------------------------------------


NOTE_LINK = PersonalLink(
    scope="note",
    find=selectors.writer_by_token,
    language_of=lambda writer: writer.language,
    organisation_of=lambda writer: writer.campaign.organisation,
    invalid_template="recognition/notes/write/invalid_link.html",
    rate_limited_template="recognition/notes/write/rate_limited.html",
)


def write_note_page(request, token):
    return serve(request, token, NOTE_LINK, _write_page)


def _write_page(request, writer):
    campaign = writer.campaign
    context = {
        "writer": writer,
        "campaign": campaign,
        "organisation": campaign.organisation,
        "program": campaign.program,
        "asker": _asker(campaign),
    }
    if not campaign.is_open:
        context["closed_message"] = services.closed_message(campaign)
        return render(request, "recognition/notes/write/closed.html", context, status=410)
    mentors = list(services.mentors_for_writer(writer))
    notes = selectors.notes_by_writer(writer)
    writable = [
        mentor
        for mentor in mentors
        if mentor.pk not in notes or notes[mentor.pk].status == ThankYouNote.Status.PENDING
    ]
    asked = _pk(
        request.POST.get("mentor") if request.method == "POST" else request.GET.get("mentor")
    )
    chosen = next((m for m in writable if m.pk == asked), None)
    if chosen is None and request.method != "POST":
        # Open on the first mentor still without a note; once each has one, the form waits
        # for the writer to ask to change one.
        chosen = next((m for m in writable if m.pk not in notes), None)
    form = None
    if writable and (chosen is not None or request.method == "POST"):
        note = notes.get(chosen.pk) if chosen else None
        form = NoteForm(
            request.POST if request.method == "POST" else None,
            # A crafted POST for a note already read gets the service's reason, not "choose
            # one of the mentors listed".
            mentors=selectors.people_by_ids(
                [mentor.pk for mentor in (mentors if request.method == "POST" else writable)]
            ),
            initial={
                "mentor": chosen.pk if chosen else None,
                "text": note.text if note else "",
                "signature": note.signature if note else writer.name,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                note, created = services.write_note(
                    writer, mentor=data["mentor"], text=data["text"], signature=data["signature"]
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "closed":
                    return redirect(request.path)
                add_service_errors(form, error)
            else:
                _thank(request, data["mentor"], created)
                return redirect(request.path)
        context["editing"] = note
    context.update(
        form=form,
        entries=[(mentor, notes.get(mentor.pk)) for mentor in mentors],
        several=len(writable) > 1,
        limit=NOTE_MAX_LENGTH,
    )
    return render(request, "recognition/notes/write/write.html", context)


def _asker(campaign):
    user = campaign.created_by
    return (user.get_full_name() or user.email) if user else ""


def _thank(request, mentor, created):
    if created:
        message = _(
            "Thank you! Your note to %(mentor)s is sent. The program's team reads it, then "
            "%(first_name)s receives it with the others, on a card."
        )
    else:
        message = _(
            "Your note to %(mentor)s is changed. Thank you! You can change it until the "
            "program's team reads it."
        )
    messages.success(
        request, message % {"mentor": mentor.full_name, "first_name": mentor.first_name}
    )
