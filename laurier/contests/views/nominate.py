"""Nominating a mentor: the public form at the edition's nomination link (no account), the
same form in Laurier for the organisation's members, a member's own nominations, the
nominator's personal page where they change their nomination, and the nominee's personal
page where they read what their nomination means and may decline."""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.personal_links import (
    LINK_FAILURE_LIMIT,
    PersonalLink,
    private,
    serve,
)
from laurier.core.ratelimit import (
    client_address,
    count_attempt,
    has_reached_limit,
    is_rate_limited,
)
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view
from laurier.programs.models import Program

from ..forms.nominations import (
    DeclineForm,
    MentorSearchForm,
    NominationChangeForm,
    NominationForm,
    mentor_select_choices,
)
from ..models import (
    EVIDENCE_MAX_BYTES,
    STORY_MAX_LENGTH,
    Nomination,
    Nominee,
    Phase,
    Relation,
)
from ..services import nominations as services
from ..uploads import EvidenceSizeLimit, accepted_types, oversized_message

# The public form, per client address and edition, per 10 minutes. Accepted nominations are
# counted apart: an office behind one proxy nominating at a kickoff meeting stays well under
# the limit, a script filling the jury's reading with nonsense soon meets it. Refused forms
# (a forgotten field, a file too big) have a ceiling of their own, far above what people do,
# that still stops floods; page views too.
NOMINATE_PERIOD_SECONDS = 600
NOMINATE_ACCEPTED_LIMIT = 30
NOMINATE_REFUSED_CEILING = 100
NOMINATE_VIEW_CEILING = 300
MY_NOMINATIONS_SHOWN = 100


def _rate_limited(request):
    response = render(request, "contests/nominate/rate_limited.html", status=429)
    response["Retry-After"] = str(NOMINATE_PERIOD_SECONDS)
    return private(response)


def _int(value):
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _receive_evidence_only(request):
    """Put the upload limit in place; nothing may have read the body yet."""
    request.upload_handlers.insert(0, EvidenceSizeLimit(request))


def _refused_upload(request):
    """A request our forms never send (a file in another field, or several): refused whole,
    its answers unread."""
    if request.method != "POST":
        return None
    # Reads the body (with the upload limit in place), if the CSRF check has not yet.
    request.FILES  # noqa: B018
    if getattr(request, "refused_upload", False):
        return private(HttpResponseBadRequest())
    return None


def _limit_uploads(view):
    """Let `view` receive one file of at most EVIDENCE_MAX_BYTES. The upload handler must be
    in place before anything reads the body, and the CSRF check reads it: so the check is made
    by the inner view instead of the middleware (Django's documented way), no less strict."""

    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _receive_evidence_only(request)
        return protected(request, *args, **kwargs)

    return wrapped


# --- The public link -------------------------------------------------------------------------


def _submit_key(request, edition):
    return f"{client_address(request)}|{edition.pk}"


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def nominate_by_link(request, token):
    # Every limit is checked before the body is read: a client over them costs no upload.
    if has_reached_limit(
        request, "nominate_link_failure", limit=LINK_FAILURE_LIMIT
    ) or is_rate_limited(
        request,
        "nominate_link",
        limit=NOMINATE_VIEW_CEILING,
        period_seconds=NOMINATE_PERIOD_SECONDS,
    ):
        return _rate_limited(request)
    edition = services.edition_by_nomination_token(token)
    if edition is None:
        count_attempt(request, "nominate_link_failure", period_seconds=NOMINATE_PERIOD_SECONDS)
        # The same page whatever the reason: never tell whether a link existed.
        return private(render(request, "contests/nominate/invalid_link.html", status=404))
    posted = request.method == "POST"
    key = _submit_key(request, edition)
    if posted and (
        has_reached_limit(request, "nominate_accepted", limit=NOMINATE_ACCEPTED_LIMIT, key=key)
        or has_reached_limit(request, "nominate_refused", limit=NOMINATE_REFUSED_CEILING, key=key)
    ):
        return _rate_limited(request)
    _receive_evidence_only(request)
    accepted = []
    with timezone.override(edition.organisation.time_zone):
        response = _public_form(request, edition, on_accepted=lambda: accepted.append(True))
    if posted:
        count_attempt(
            request,
            "nominate_accepted" if accepted else "nominate_refused",
            period_seconds=NOMINATE_PERIOD_SECONDS,
            key=key,
        )
    response["Content-Language"] = translation.get_language()
    return private(response)


@csrf_protect
def _public_form(request, edition, on_accepted):
    return _refused_upload(request) or _nominate_page(request, edition, on_accepted=on_accepted)


# --- In Laurier ------------------------------------------------------------------------------


@_limit_uploads
@organisation_view()
@require_http_methods(["GET", "HEAD", "POST"])
def nominate_in_laurier(request, pk):
    person = person_of_user(request.organisation, request.user)
    edition = services.member_edition(request.membership, person, pk)
    if edition is None:
        raise Http404
    edition.organisation = request.organisation
    return _refused_upload(request) or _nominate_page(
        request, edition, member=(request.membership, person)
    )


@organisation_view()
@require_safe
def my_nominations(request):
    membership = request.membership
    person = person_of_user(request.organisation, request.user)
    today = organisation_today(request.organisation)
    editions = list(services.editions_open_to(membership, person, today))
    open_ids = {edition.pk for edition in editions}
    made = list(services.nominations_by(membership, person)[: MY_NOMINATIONS_SHOWN + 1])
    rows = []
    for nomination in made[:MY_NOMINATIONS_SHOWN]:
        edition = nomination.nominee.category.edition
        rows.append(
            {
                "nomination": nomination,
                "edition": edition,
                "category": nomination.nominee.category,
                "editable": edition.pk in open_ids,
                "close_on": edition.nominations_close_on,
            }
        )
    return render(
        request,
        "contests/nominate/my_nominations.html",
        {
            "editions": editions,
            "rows": rows,
            "more": len(made) > MY_NOMINATIONS_SHOWN,
        },
    )


def _member_identity(membership, person):
    user = membership.user
    if person is not None:
        return person.full_name or user.email, person.email
    return (user.get_full_name() or user.email), user.email


# --- The form, shared ------------------------------------------------------------------------


def _evidence_help():
    return _(
        "A letter, a photo or a document that shows their mentoring: %(types)s, at most "
        "%(size)s. If the form comes back with a message, choose the file again."
    ) % {"types": accepted_types(), "size": filesizeformat(EVIDENCE_MAX_BYTES)}


def _nominate_page(request, edition, member=None, on_accepted=None):
    today = organisation_today(edition.organisation)
    context = {"edition": edition, "organisation": edition.organisation, "member": member}
    closed = services.closed_message(edition, today)
    categories = list(edition.categories.all()) if not closed else []
    if not closed and not categories:
        closed = _("This contest is not ready to take nominations yet: come back later.")
    if closed:
        context.update(
            closed_message=closed,
            upcoming=edition.phase(today) == Phase.UPCOMING,
            timeline=services.timeline(edition),
        )
        return render(request, "contests/nominate/closed.html", context)
    if member is None and request.method == "GET" and request.GET.get("sent"):
        context["again"] = request.path
        return render(request, "contests/nominate/thanks.html", context)

    data = request.POST if request.method == "POST" else request.GET
    search = MentorSearchForm(data)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    mentors, searching = services.mentor_choices(edition, words)
    # Only in Laurier: the public link must not reveal where people mentor.
    programs = (
        dict(Program.objects.filter(organisation=edition.organisation).values_list("pk", "name"))
        if edition.program_id is None and member is not None
        else {}
    )
    initial = {}
    editing = None
    if member is not None:
        membership, person = member
        name, email = _member_identity(membership, person)
        initial["relation"] = services.default_relation(membership, person, edition)
        asked_category, asked_person = (
            _int(request.GET.get("category")),
            _int(request.GET.get("nominee")),
        )
        editing = services.own_nomination(edition, email, asked_category, asked_person)
        if editing is not None:
            initial.update(
                category=asked_category,
                nominee=asked_person,
                relation=editing.relation,
                story=editing.story,
            )
            if all(pk != asked_person for pk, _name, _program, _detail in mentors):
                mentors = [*mentors, (asked_person, editing.nominee.person.full_name, None, "")]
    elif request.user.is_authenticated:
        # Someone signed in who follows the public link: spare them typing who they are.
        initial.update(
            nominator_name=request.user.get_full_name(), nominator_email=request.user.email
        )
    if len(categories) == 1:
        initial["category"] = categories[0].pk
    elif (asked := _int(request.GET.get("category"))) is not None:
        initial.setdefault("category", asked)
    form = NominationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        categories=categories,
        mentor_choices=mentor_select_choices(mentors, programs, grouped=member is not None),
        allow_self_nomination=edition.allow_self_nomination,
        evidence_help=_evidence_help(),
        with_nominator=member is None,
        initial=initial,
    )
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and "evidence" in getattr(request, "oversized_uploads", ()):
        form.add_error("evidence", oversized_message())
        valid = False
    if valid:
        data = form.cleaned_data
        if member is not None:
            membership, person = member
            name, email = _member_identity(membership, person)
            identity = {
                "nominator_name": name,
                "nominator_email": email,
                "nominator_person": person,
                "nominator_user": request.user,
                "source": Nomination.Source.LAURIER,
            }
        else:
            identity = {
                "nominator_name": data["nominator_name"],
                "nominator_email": data["nominator_email"],
                "source": Nomination.Source.LINK,
            }
        category = next((c for c in categories if c.pk == data["category"]), data["category"])
        try:
            nomination, created = services.nominate(
                edition,
                category=category,
                person_pk=data["nominee"],
                relation=data["relation"],
                story=data["story"],
                evidence=data.get("evidence") or None,
                today=today,
                language=translation.get_language(),
                **identity,
            )
        except services.AlreadyNominated as already:
            # Say no more than the nominator typed: never the story, nor when it was sent.
            context["mentor"] = already.nomination.nominee.person.full_name
            context["again"] = request.path
            return render(request, "contests/nominate/already.html", context)
        except ValidationError as error:
            if getattr(error, "code", None) == "closed":
                return redirect(request.path)
            add_service_errors(form, error)
        else:
            if on_accepted is not None:
                on_accepted()
            _thank(request, nomination, created or member is None)
            if member is not None:
                return redirect("contests:my_nominations", edition.organisation.slug)
            return redirect(request.path + "?sent=1")
    context.update(
        form=form,
        categories=categories,
        search=search,
        searching=searching,
        searched=words,
        found_none=searching and bool(words) and not mentors,
        limit=STORY_MAX_LENGTH,
        editing=editing,
        timeline=services.timeline(edition),
    )
    return render(request, "contests/nominate/form.html", context)


def _thank(request, nomination, received):
    mentor = nomination.nominee.person.full_name
    if received:
        message = _(
            "Thank you! Your nomination of %(mentor)s is received: a copy is on its way to "
            "%(email)s."
        )
    else:
        message = _("Your nomination of %(mentor)s is changed. Thank you!")
    messages.success(request, message % {"mentor": mentor, "email": nomination.nominator_email})


# --- The nominator's personal link ------------------------------------------------------------


NOMINATION_LINK = PersonalLink(
    scope="nomination",
    find=services.nomination_by_token,
    language_of=lambda nomination: nomination.language,
    organisation_of=lambda nomination: nomination.nominee.category.edition.organisation,
    invalid_template="contests/nominate/invalid_link.html",
    rate_limited_template="contests/nominate/rate_limited.html",
)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def nomination_change(request, token):
    # `serve` checks the limits before the body is read; the CSRF check, which reads it,
    # comes after, once the upload limit is in place.
    _receive_evidence_only(request)
    return serve(request, token, NOMINATION_LINK, _protected_change_page)


# Once the winners are announced, a nominator's and a nominee's links have nothing left to do:
# they show the outcome for a month, then expire (they carry a story about a person).
LINK_DAYS_AFTER_ANNOUNCEMENT = 30


def link_expired(edition, now=None):
    """True a month after the edition's winners were announced."""
    if edition.announced_at is None:
        return False
    ends = edition.announced_at + datetime.timedelta(days=LINK_DAYS_AFTER_ANNOUNCEMENT)
    return (now or timezone.now()) >= ends


def _expired_link_page(request):
    return render(request, "contests/nominate/expired.html", status=410)


@csrf_protect
def _protected_change_page(request, nomination):
    if link_expired(nomination.nominee.category.edition):
        return _expired_link_page(request)
    return _refused_upload(request) or _nomination_change_page(request, nomination)


def _change_relations(nomination, edition):
    if nomination.relation == Relation.SELF:
        return [(Relation.SELF.value, Relation.SELF.label)]
    return [(value, label) for value, label in Relation.choices if value != Relation.SELF]


def _nomination_change_page(request, nomination):
    edition = nomination.nominee.category.edition
    today = organisation_today(edition.organisation)
    editable = services.can_change(nomination, today)
    posted = request.method == "POST"
    form = NominationChangeForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        relations=_change_relations(nomination, edition),
        evidence_help=_evidence_help(),
        has_evidence=bool(nomination.evidence),
        initial={"relation": nomination.relation, "story": nomination.story},
    )
    if posted:
        valid = form.is_valid()
        if "evidence" in getattr(request, "oversized_uploads", ()):
            form.add_error("evidence", oversized_message())
            valid = False
        if valid or not editable:
            # Once closed, even a crafted answer goes to the service, which refuses it.
            data = form.cleaned_data if valid else {}
            try:
                nomination, changed = services.change_nomination(
                    nomination,
                    relation=data.get("relation", ""),
                    story=data.get("story", ""),
                    evidence=data.get("evidence") or None,
                    remove_evidence=data.get("remove_evidence", False),
                    today=today,
                )
            except ValidationError as error:
                if getattr(error, "code", None) in ("closed", "in_laurier", "not_running"):
                    messages.error(request, " ".join(error.messages))
                    return redirect(request.path)
                add_service_errors(form, error)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Your nomination is changed: a copy is on its way to %(email)s.")
                        % {"email": nomination.nominator_email},
                    )
                return redirect(request.path)
    return render(
        request,
        "contests/nominate/change.html",
        {
            "nomination": nomination,
            "nominee": nomination.nominee,
            "edition": edition,
            "category": nomination.nominee.category,
            "organisation": edition.organisation,
            "form": form,
            "editable": editable,
            "in_laurier": services.made_in_laurier(nomination),
            "closed_message": services.closed_message(edition, today),
            "limit": STORY_MAX_LENGTH,
            "timeline": services.timeline(edition),
        },
    )


# --- The nominee's page ----------------------------------------------------------------------


NOMINEE_LINK = PersonalLink(
    scope="nominee",
    find=services.nominee_by_token,
    language_of=lambda nominee: nominee.person.language,
    organisation_of=lambda nominee: nominee.category.edition.organisation,
    invalid_template="contests/nominate/invalid_link.html",
    rate_limited_template="contests/nominate/rate_limited.html",
)


@require_http_methods(["GET", "HEAD", "POST"])
def nominee_page(request, token):
    return serve(request, token, NOMINEE_LINK, _nominee_page)


def _nominee_page(request, nominee):
    edition = nominee.category.edition
    if link_expired(edition):
        return _expired_link_page(request)
    today = organisation_today(edition.organisation)
    in_time = services.can_decline(nominee, today)
    posted = request.method == "POST"
    keeping = posted and request.POST.get("action") == "keep"
    form = DeclineForm(request.POST if posted and not keeping else None)
    if keeping:
        try:
            nominee, changed = services.undo_decline(nominee, today=today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(
                    request,
                    _("Your nomination is kept: you are back in the running. Thank you!"),
                )
        return redirect(request.path)
    if posted and form.is_valid():
        try:
            nominee, changed = services.decline(
                nominee, reason=form.cleaned_data["reason"], today=today
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request,
                    _(
                        "Your choice is recorded: you are no longer in the running in this "
                        "category. Thank you all the same for your mentoring."
                    ),
                )
            return redirect(request.path)
    declined = nominee.status == Nominee.Status.DECLINED
    return render(
        request,
        "contests/nominate/nominee.html",
        {
            "nominee": nominee,
            "edition": edition,
            "category": nominee.category,
            "organisation": edition.organisation,
            "phase": edition.phase(today),
            "timeline": services.timeline(edition),
            "can_decline": nominee.status == Nominee.Status.NOMINATED and in_time,
            "can_undo": declined and in_time,
            "form": form,
            "declined": declined,
            "withdrawn": nominee.status == Nominee.Status.WITHDRAWN,
            "my_space": _my_space_link(request, edition),
        },
    )


def _my_space_link(request, edition):
    if request.user.is_authenticated:
        return reverse("hours:my_space", args=[edition.organisation.slug])
    return ""
