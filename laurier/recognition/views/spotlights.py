"""Spotlights: a mentor's portrait for the newsletter or the intranet, drafted from their
record, edited by the manager, previewed, downloaded as Markdown or HTML in either language,
and posted to the team chat."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.bilingual import in_reader_language
from laurier.core.downloads import as_inert_download
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.ordering import natural
from laurier.organisations.tenancy import program_view

from ..categories import PublicConsent
from ..forms.spotlights import MentorSearchForm, SpotlightFilterForm, SpotlightForm
from ..selectors import spotlights as selectors
from ..services import chat
from ..services import spotlights as services

SPOTLIGHTS_PER_PAGE = 25
# Mentors a search shows at once: enough to spot the right one, few enough to read.
MENTORS_FOUND = 20
SORTS = {
    "mentor": (natural("mentor__last_name"), natural("mentor__first_name")),
    "updated": "updated_at",
    "created": "created_at",
}
EXPORT_LANGUAGES = {"fr-ca": "fr", "en": "en"}


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


def _spotlight(request, pk):
    program = _program(request)
    spotlight = selectors.spotlight_for(program, pk)
    spotlight.organisation, spotlight.program = request.organisation, program
    return spotlight


def _detail(spotlight, language=None):
    url = reverse(
        "recognition:spotlight_detail",
        args=[spotlight.organisation.slug, spotlight.program.slug, spotlight.pk],
    )
    return redirect(f"{url}?lang={language}" if language else url)


def _language(request):
    """The language asked for with `?lang=` (fr-ca or en), else the reader's."""
    asked = request.GET.get("lang", "")
    if asked in EXPORT_LANGUAGES:
        return asked
    return "fr-ca" if (translation.get_language() or "fr").startswith("fr") else "en"


def _in_language(spotlight, language):
    with translation.override(language):
        return in_reader_language(spotlight, "title"), in_reader_language(spotlight, "body")


# --- The list --------------------------------------------------------------------------------


@program_view
@require_safe
def spotlight_list(request):
    program = _program(request)
    filters = SpotlightFilterForm(request.GET or None)
    search = filters.value("q")
    spotlights, sort = sort_queryset(
        request, selectors.spotlights_of(program, search), SORTS, "-updated"
    )
    export = requested_export(request)
    if export:
        return export_response(
            f"{program.slug}-{_('spotlights')}",
            [
                _("Mentor"),
                _("Title (French)"),
                _("Title (English)"),
                _("Public recognition"),
                _("Agreed on"),
                _("Created"),
                _("Changed"),
            ],
            (
                [
                    spotlight.mentor.full_name,
                    spotlight.title_fr,
                    spotlight.title_en,
                    _consent_label(spotlight.mentor),
                    spotlight.consent_given_on,
                    spotlight.created_at,
                    spotlight.updated_at,
                ]
                for spotlight in spotlights
            ),
            export,
        )
    page = paginate(request, spotlights, SPOTLIGHTS_PER_PAGE)
    for spotlight in page.object_list:
        spotlight.consent_problem = selectors.consent_problem(
            spotlight.mentor, spotlight.consent_given_on
        )
    return render(
        request,
        "recognition/spotlights/spotlight_list.html",
        {
            "program": program,
            "page": page,
            "sort": sort,
            "filters": filters,
            "searching": bool(search),
            "has_spotlights": bool(search) or page.paginator.count > 0,
        },
    )


def _consent_label(person):
    consent = selectors.public_consent_of(person)
    return PublicConsent(consent).label if consent else _("No answer")


# --- Writing one -----------------------------------------------------------------------------


def _pk(value):
    return int(value) if value and str(value).isdigit() else None


@program_view
def spotlight_create(request):
    program = _program(request)
    mentor_pk = _pk(request.GET.get("mentor"))
    if mentor_pk is None:
        return _choose_mentor(request, program)
    mentor = selectors.spotlight_mentor(program, mentor_pk)
    consent = selectors.public_consent_of(mentor)
    if consent not in (PublicConsent.YES, PublicConsent.ASK):
        # Nothing to write: say why instead of offering a form that would be refused.
        return render(
            request,
            "recognition/spotlights/spotlight_form.html",
            {
                "program": program,
                "mentor": mentor,
                "refusal": selectors.consent_problem(mentor),
            },
        )
    ask = consent == PublicConsent.ASK
    if request.method == "POST":
        form = SpotlightForm(request.POST, ask_consent=ask)
    else:
        form = SpotlightForm(initial=services.draft_spotlight(program, mentor), ask_consent=ask)
    if request.method == "POST" and form.is_valid():
        try:
            spotlight, created = services.create_spotlight(
                program=program, mentor=mentor, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("The spotlight on %(name)s is saved: check the preview, then download it.")
                    % {"name": mentor.full_name},
                )
            else:
                messages.info(request, _("This spotlight was already saved."))
            return _detail(spotlight)
    return render(
        request,
        "recognition/spotlights/spotlight_form.html",
        {"program": program, "mentor": mentor, "form": form, "ask": ask},
    )


def _choose_mentor(request, program):
    search = MentorSearchForm(request.GET or None)
    terms = search.cleaned_data.get("find", "") if search.is_valid() else ""
    found = selectors.mentors_to_spotlight(program, terms, MENTORS_FOUND + 1)
    for person in found:
        person.consent_problem = selectors.consent_problem(person)
        person.consent = selectors.public_consent_of(person)
    return render(
        request,
        "recognition/spotlights/spotlight_choose.html",
        {
            "program": program,
            "search": search,
            "found": found[:MENTORS_FOUND],
            "more": len(found) > MENTORS_FOUND,
            "searched": bool(terms),
        },
    )


@program_view
def spotlight_edit(request, pk):
    spotlight = _spotlight(request, pk)
    program = spotlight.program
    mentor = spotlight.mentor
    ask = selectors.public_consent_of(mentor) == PublicConsent.ASK
    if request.method == "POST":
        form = SpotlightForm(request.POST, instance=spotlight, ask_consent=ask)
    else:
        # "Start again from the record": a fresh draft in the form, saved only when sent.
        initial = services.draft_spotlight(program, mentor) if request.GET.get("redraft") else {}
        form = SpotlightForm(instance=spotlight, initial=initial, ask_consent=ask)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_spotlight(spotlight, actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The spotlight is saved."))
            return _detail(spotlight)
    refusal = "" if ask else selectors.consent_problem(mentor, spotlight.consent_given_on)
    return render(
        request,
        "recognition/spotlights/spotlight_form.html",
        {
            "program": program,
            "mentor": mentor,
            "spotlight": spotlight,
            "form": form,
            "ask": ask,
            "withdrawn": refusal,
            "redraft": bool(request.GET.get("redraft")),
        },
    )


@program_view
def spotlight_delete(request, pk):
    spotlight = _spotlight(request, pk)
    if request.method == "POST":
        services.delete_spotlight(spotlight, actor=request.user)
        messages.success(
            request,
            _("The spotlight on %(name)s is deleted.") % {"name": spotlight.mentor.full_name},
        )
        return redirect("recognition:spotlights", request.organisation.slug, request.program.slug)
    return render(
        request,
        "recognition/spotlights/spotlight_delete.html",
        {"program": spotlight.program, "spotlight": spotlight},
    )


# --- Its page and its exports ----------------------------------------------------------------


@program_view
@require_safe
def spotlight_detail(request, pk):
    spotlight = _spotlight(request, pk)
    language = _language(request)
    title, body = _in_language(spotlight, language)
    chat_post = selectors.latest_chat_post(spotlight)
    return render(
        request,
        "recognition/spotlights/spotlight_detail.html",
        {
            "program": spotlight.program,
            "spotlight": spotlight,
            "language": language,
            "preview_title": title,
            "preview": mark_safe(selectors.markdown_to_html(body, heading_offset=2)),  # noqa: S308 — sanitised by nh3
            "withdrawn": selectors.consent_problem(spotlight.mentor, spotlight.consent_given_on),
            "chat_ready": bool(request.organisation.chat_webhook_url),
            "chat_post": chat_post,
        },
    )


def _refused_export(request, spotlight):
    """A redirect to the spotlight with why it may not leave, or None when it may."""
    try:
        services.check_publishable(spotlight)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _detail(spotlight)
    return None


def _download(spotlight, language, extension, content, content_type):
    name = slugify(spotlight.mentor.full_name) or str(spotlight.pk)
    filename = f"{_('spotlight')}-{name}-{EXPORT_LANGUAGES[language]}.{extension}"
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # The HTML export is a page: saved, never shown from Laurier's origin.
    return as_inert_download(response)


@program_view
@require_safe
def spotlight_markdown(request, pk):
    spotlight = _spotlight(request, pk)
    if refused := _refused_export(request, spotlight):
        return refused
    language = _language(request)
    title, body = _in_language(spotlight, language)
    return _download(spotlight, language, "md", f"# {title}\n\n{body}", "text/markdown")


@program_view
@require_safe
def spotlight_html(request, pk):
    spotlight = _spotlight(request, pk)
    if refused := _refused_export(request, spotlight):
        return refused
    language = _language(request)
    title, body = _in_language(spotlight, language)
    with translation.override(language):
        page = render_to_string(
            "recognition/spotlights/export.html",
            {
                "language": "fr" if language.startswith("fr") else "en",
                "title": title,
                "body": mark_safe(selectors.markdown_to_html(body)),  # noqa: S308 — sanitised
                "organisation": request.organisation,
            },
        )
    return _download(spotlight, language, "html", page, "text/html")


@program_view
@require_POST
def spotlight_chat(request, pk):
    spotlight = _spotlight(request, pk)
    try:
        post = chat.post_spotlight_to_chat(spotlight)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if post is None:
            messages.info(request, _("This spotlight was just posted: look for it in the chat."))
        else:
            messages.success(
                request,
                _("The spotlight is on its way to the team chat: it appears within a minute."),
            )
    return _detail(spotlight)
