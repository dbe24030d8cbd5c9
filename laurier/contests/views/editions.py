"""The managers' pages to set up and run a contest edition: the list, creating and editing an
edition, its home page (timeline, nomination link, what is set up), its categories and rubric,
its jury with their conflicts of interest, and its nominees with their stories."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.core.search import matches_every_word
from laurier.core.site_urls import absolute_url
from laurier.credentials.models import BadgeClass, BadgeRule
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view, programs_managed_by
from laurier.programs.models import Person

from ..forms.editions import (
    CategoryForm,
    ConflictForm,
    CriterionForm,
    EditionForm,
    JurorForm,
    NomineeSearchForm,
    PersonSearchForm,
    WithdrawForm,
    new_form_token,
)
from ..models import (
    Category,
    Criterion,
    DeclaredConflict,
    Juror,
    Nomination,
    Nominee,
    Phase,
    Score,
)
from ..selectors import (
    conflicts,
    edition_for,
    editions_managed_by,
    eligible_mentors,
    juror_seat,
    nominees_in_the_running,
)
from ..services import editions as services
from ..services import jury as jury_services
from .evidence import evidence_response

EDITIONS_PER_PAGE = 25
NOMINEES_PER_PAGE = 50
PEOPLE_FOUND = 20


def _edition(request, pk):
    return edition_for(request.membership, pk)


def _detail(edition, anchor=""):
    url = reverse("contests:edition_detail", args=[edition.organisation.slug, edition.pk])
    return redirect(url + anchor)


def _to(name, edition, *args):
    return redirect(name, edition.organisation.slug, edition.pk, *args)


def _pk(value):
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() else None


def _refuse_announced(request, edition):
    if edition.announced_at is None:
        return None
    messages.info(request, services.ANNOUNCED)
    return _detail(edition)


def _errors_as_messages(request, error):
    """A service's refusal, or a small form's errors, as messages on the page it returns to."""
    if isinstance(error, ValidationError):
        found = error.messages
    else:
        found = [message for messages_of_field in error.values() for message in messages_of_field]
    for message in found:
        messages.error(request, message)


def _refuse_closed_field(request, edition, back):
    """After scoring closes, nothing changes who is in the running nor which scores count."""
    refusal = services.field_refusal(edition, organisation_today(edition.organisation))
    if not refusal:
        return None
    messages.info(request, refusal)
    return back


# --- The list -------------------------------------------------------------------------------


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def edition_list(request):
    editions = (
        editions_managed_by(request.membership)
        .select_related("program")
        .annotate(
            nominee_count=Count(
                "categories__nominees",
                filter=Q(categories__nominees__status=Nominee.Status.NOMINATED),
                distinct=True,
            ),
            juror_count=Count("jurors", distinct=True),
        )
        .order_by("-year", "-nominations_open_on", "-pk")
    )
    page = paginate(request, editions, EDITIONS_PER_PAGE)
    today = organisation_today(request.organisation)
    for edition in page.object_list:
        edition.organisation = request.organisation
        edition.current_phase = edition.phase(today)
    return render(request, "contests/editions/edition_list.html", {"page": page})


# --- Creating and editing -------------------------------------------------------------------


def _edition_form(request, data, initial, edition=None):
    membership = request.membership
    return EditionForm(
        data,
        initial=initial,
        programs=programs_managed_by(membership).order_by("name"),
        options=services.award_options(
            request.organisation, keep=edition.option_id if edition else None
        ),
        organisation_wide_allowed=services.may_run_organisation_wide(membership),
        edition=edition,
        today=organisation_today(request.organisation),
        organisation=request.organisation,
    )


@organisation_view(roles=MANAGER_ROLES)
def edition_create(request):
    today = organisation_today(request.organisation)
    opens, closes, scoring, announce = services.default_dates(today)
    programs = programs_managed_by(request.membership)
    program_pk = _pk(request.GET.get("program"))
    if program_pk is None and not services.may_run_organisation_wide(request.membership):
        # A manager of a single program has nothing to choose.
        only = list(programs.values_list("pk", flat=True)[:2])
        program_pk = only[0] if len(only) == 1 else None
    form = _edition_form(
        request,
        request.POST if request.method == "POST" else None,
        initial={
            "program": program_pk,
            "year": today.year,
            **services.default_names(today.year),
            "nominations_open_on": opens,
            "nominations_close_on": closes,
            "scoring_close_on": scoring,
            "announce_on": announce,
            "active_mentors_only": True,
            "past_winners_excluded_years": 0,
            "form_token": new_form_token(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            edition, created = services.create_edition(
                request.membership,
                form_token=form.cleaned_data["form_token"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            edition.organisation = request.organisation
            if created:
                messages.success(
                    request,
                    _(
                        "The edition is created, with a first category and a rubric to adjust. "
                        "Then add the jury and share the nomination link."
                    ),
                )
            else:
                messages.info(request, _("This edition was already created."))
            return _detail(edition)
    return render(
        request,
        "contests/editions/edition_form.html",
        {"form": form, "edition": None},
    )


@organisation_view(roles=MANAGER_ROLES)
def edition_edit(request, pk):
    edition = _edition(request, pk)
    if refused := _refuse_announced(request, edition):
        return refused
    initial = {name: getattr(edition, name) for name in services.EDITION_FIELDS}
    initial["option"] = edition.option_id
    initial["program"] = edition.program_id
    form = _edition_form(
        request,
        request.POST if request.method == "POST" else None,
        initial=initial,
        edition=edition,
    )
    nominated = services.has_nominations(edition)
    if nominated:
        # The program of an edition with nominees is fixed: keep it listed even when this
        # manager (an admin, then) could choose otherwise.
        form.fields["program"].disabled = True
        form.fields["program"].help_text = _(
            "People were already nominated: the edition's scope no longer changes."
        )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.edit_edition(
                edition, request.membership, today=form.today, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The edition is saved."))
            if changed:
                messages.warning(
                    request,
                    _(
                        "People were already nominated under the former dates or eligibility: "
                        "their nominations stay. The nominees' list shows who no longer meets "
                        "the rules; withdraw them if need be."
                    ),
                )
            return _detail(edition)
    return render(
        request,
        "contests/editions/edition_form.html",
        {"form": form, "edition": edition, "nominated": nominated},
    )


# --- The edition's home ---------------------------------------------------------------------


def _timeline(edition, phase):
    """The edition's steps, each done, current or to come."""
    order = [Phase.NOMINATIONS, Phase.SCORING, Phase.DELIBERATION, Phase.ANNOUNCED]
    reached = -1 if phase == Phase.UPCOMING else order.index(phase)
    day = datetime.timedelta(days=1)
    steps = [
        {
            "label": _("Nominations"),
            "start": edition.nominations_open_on,
            "end": edition.nominations_close_on,
        },
        {
            "label": _("Jury scoring"),
            "start": edition.nominations_close_on + day,
            "end": edition.scoring_close_on,
        },
        {
            "label": _("Results and announcement"),
            "start": edition.scoring_close_on + day,
            "end": edition.announce_on,
        },
        {"label": _("Announced"), "start": None, "end": None, "at": edition.announced_at},
    ]
    for index, step in enumerate(steps):
        step["state"] = "done" if index < reached else "current" if index == reached else "upcoming"
    return steps


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def edition_detail(request, pk):
    edition = _edition(request, pk)
    today = organisation_today(request.organisation)
    phase = edition.phase(today)
    categories = list(
        edition.categories.select_related("badge_class").annotate(
            nominee_count=Count("nominees", filter=Q(nominees__status=Nominee.Status.NOMINATED))
        )
    )
    criteria = list(edition.criteria.all())
    total_weight = sum(criterion.weight for criterion in criteria)
    for criterion in criteria:
        criterion.share = round(100 * criterion.weight / total_weight) if total_weight else 0
    jurors = Juror.objects.filter(edition=edition).aggregate(
        total=Count("pk"),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        confirmed=Count("pk", filter=Q(conflicts_confirmed_at__isnull=False)),
    )
    nominations = Nomination.objects.filter(nominee__category__edition=edition).count()
    return render(
        request,
        "contests/editions/edition_detail.html",
        {
            "edition": edition,
            "phase": phase,
            "phase_label": Phase(phase).label,
            "today": today,
            "days_to_open": (edition.nominations_open_on - today).days,
            "timeline": _timeline(edition, phase),
            "nomination_link": absolute_url("contests:nominate_by_link", edition.nomination_token),
            "categories": categories,
            "criteria": criteria,
            "total_weight": total_weight,
            "rubric_locked": services.rubric_locked(edition),
            "nominee_count": sum(category.nominee_count for category in categories),
            "nomination_count": nominations,
            "jurors": jurors,
            "todo": _left_to_set_up(edition, categories, criteria, jurors),
        },
    )


def _left_to_set_up(edition, categories, criteria, jurors):
    """What the edition still lacks for a fair contest, each with where to fix it."""
    slug, pk = edition.organisation.slug, edition.pk
    todo = []
    if not categories:
        todo.append(
            {
                "label": _("Add a category: nominations need one."),
                "url": reverse("contests:category_create", args=[slug, pk]),
            }
        )
    elif any(category.badge_class_id is None for category in categories):
        todo.append(
            {
                "label": _("Give each category a badge, so its winners receive one."),
                "url": reverse("contests:edition_detail", args=[slug, pk]) + "#categories-heading",
            }
        )
    if not criteria:
        todo.append(
            {
                "label": _("Add the rubric's criteria: the jury scores on them."),
                "url": reverse("contests:criterion_create", args=[slug, pk]),
            }
        )
    if not jurors["total"]:
        todo.append(
            {
                "label": _("Form the jury."),
                "url": reverse("contests:jury", args=[slug, pk]),
            }
        )
    elif jurors["invited"] < jurors["total"]:
        todo.append(
            {
                "label": _("Invite every juror: they receive their personal link by e-mail."),
                "url": reverse("contests:jury", args=[slug, pk]),
            }
        )
    if edition.option_id is None:
        todo.append(
            {
                "label": _("Choose the award the winners receive (optional)."),
                "url": reverse("contests:edition_edit", args=[slug, pk]),
            }
        )
    return todo


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def nomination_link_renew(request, pk):
    edition = _edition(request, pk)
    try:
        services.renew_nomination_link(edition, actor=request.user)
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(
            request,
            _("The nomination link is new: the former one no longer works. Share this one."),
        )
    return _detail(edition, "#link-heading")


# --- Categories -----------------------------------------------------------------------------


def _contest_badges(organisation, keep=None):
    badges = Q(active=True)
    if keep:
        badges |= Q(pk=keep)
    return BadgeClass.objects.filter(
        badges, organisation=organisation, rule=BadgeRule.CONTEST
    ).order_by("name_fr", "pk")


def _row(model, edition, row_pk):
    """The edition's category or criterion `row_pk`; 404 for any other edition's."""
    row = model.objects.filter(edition=edition, pk=row_pk).first()
    if row is None:
        raise Http404
    row.edition = edition
    return row


def _row_page(request, edition, form, save, *, template, context, saved, anchor):
    """Adding or editing one of the edition's bilingual named rows (a category, a criterion):
    the service's refusals beside the fields, back to the edition once saved."""
    if request.method == "POST" and form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return _detail(edition, anchor)
    return render(request, template, {"edition": edition, "form": form, **context})


def _delete_page(request, edition, delete, *, title, refusal, explanation, deleted, anchor):
    """Confirming, then deleting, one of the edition's rows."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            _errors_as_messages(request, error)
        else:
            messages.success(request, deleted)
        return _detail(edition, anchor)
    return render(
        request,
        "contests/editions/confirm_delete.html",
        {
            "edition": edition,
            "title": title,
            "refusal": refusal,
            "explanation": explanation,
            "action": request.path,
        },
    )


def _category_page(request, edition, category=None):
    if refused := _refuse_announced(request, edition):
        return refused
    initial = {"winners": 1}
    if category is not None:
        initial = {name: getattr(category, name) for name in services.CATEGORY_FIELDS}
        initial["badge_class"] = category.badge_class_id
    form = CategoryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        badges=_contest_badges(
            request.organisation, keep=category.badge_class_id if category else None
        ),
    )
    if category is not None and (
        refusal := services.winners_refusal(edition, organisation_today(request.organisation))
    ):
        form.fields["winners"].disabled = True
        form.fields["winners"].help_text = refusal

    def save(data):
        create_badge = data.pop("create_badge")
        if category is None:
            services.create_category(edition, actor=request.user, create_badge=create_badge, **data)
        else:
            services.edit_category(category, actor=request.user, create_badge=create_badge, **data)

    return _row_page(
        request,
        edition,
        form,
        save,
        template="contests/editions/category_form.html",
        context={"category": category},
        saved=_("The category is saved."),
        anchor="#categories-heading",
    )


@organisation_view(roles=MANAGER_ROLES)
def category_create(request, pk):
    return _category_page(request, _edition(request, pk))


@organisation_view(roles=MANAGER_ROLES)
def category_edit(request, pk, category_pk):
    edition = _edition(request, pk)
    return _category_page(request, edition, _row(Category, edition, category_pk))


@organisation_view(roles=MANAGER_ROLES)
def category_delete(request, pk, category_pk):
    edition = _edition(request, pk)
    category = _row(Category, edition, category_pk)
    if refused := _refuse_announced(request, edition):
        return refused
    return _delete_page(
        request,
        edition,
        lambda: services.delete_category(category, actor=request.user),
        title=_("Delete the category %(name)s?") % {"name": category.name},
        refusal=services.CATEGORY_IN_USE if category.nominees.exists() else "",
        explanation=_("Its badge stays among your organisation's badges."),
        deleted=_("The category is deleted."),
        anchor="#categories-heading",
    )


# --- The rubric -----------------------------------------------------------------------------


def _refuse_locked(request, edition):
    if refused := _refuse_announced(request, edition):
        return refused
    if services.rubric_locked(edition):
        messages.info(request, services.RUBRIC_LOCKED)
        return _detail(edition, "#rubric-heading")
    return None


def _criterion_page(request, edition, criterion=None):
    if refused := _refuse_locked(request, edition):
        return refused
    initial = {"weight": 1}
    if criterion is not None:
        initial = {name: getattr(criterion, name) for name in services.CRITERION_FIELDS}
    form = CriterionForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(data):
        if criterion is None:
            services.create_criterion(edition, actor=request.user, **data)
        else:
            services.edit_criterion(criterion, actor=request.user, **data)

    return _row_page(
        request,
        edition,
        form,
        save,
        template="contests/editions/criterion_form.html",
        context={"criterion": criterion},
        saved=_("The rubric is saved."),
        anchor="#rubric-heading",
    )


@organisation_view(roles=MANAGER_ROLES)
def criterion_create(request, pk):
    return _criterion_page(request, _edition(request, pk))


@organisation_view(roles=MANAGER_ROLES)
def criterion_edit(request, pk, criterion_pk):
    edition = _edition(request, pk)
    return _criterion_page(request, edition, _row(Criterion, edition, criterion_pk))


@organisation_view(roles=MANAGER_ROLES)
def criterion_delete(request, pk, criterion_pk):
    edition = _edition(request, pk)
    criterion = _row(Criterion, edition, criterion_pk)
    if refused := _refuse_locked(request, edition):
        return refused
    return _delete_page(
        request,
        edition,
        lambda: services.delete_criterion(criterion, actor=request.user),
        title=_("Delete the criterion %(name)s?") % {"name": criterion.name},
        refusal="",
        explanation=_("The other criteria's shares of the total change accordingly."),
        deleted=_("The criterion is deleted."),
        anchor="#rubric-heading",
    )


# --- The jury -------------------------------------------------------------------------------


def _juror(edition, juror_pk):
    juror = Juror.objects.filter(edition=edition, pk=juror_pk).select_related("person").first()
    if juror is None:
        raise Http404
    juror.edition = edition
    return juror


def _jury_rows(edition):
    """Each juror with the nominees they scored and those they may score: constant queries."""
    jurors = list(Juror.objects.filter(edition=edition).order_by("name", "pk"))
    running = set(nominees_in_the_running(edition).values_list("pk", flat=True))
    found = conflicts(edition, jurors)
    scored = dict(
        Score.objects.filter(juror__edition=edition, nominee__in=running)
        .order_by()
        .values("juror")
        .annotate(count=Count("nominee", distinct=True))
        .values_list("juror", "count")
    )
    for juror in jurors:
        conflicted = {nominee for (juror_id, nominee) in found if juror_id == juror.pk}
        juror.scorable_count = len(running - conflicted)
        juror.conflict_count = len(conflicted)
        juror.scored_count = scored.get(juror.pk, 0)
    return jurors


def _people_search(request, organisation):
    search = PersonSearchForm(request.GET or None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    found, more = [], False
    if words:
        people = (
            Person.objects.filter(organisation=organisation)
            .filter(matches_every_word(words, ["first_name", "last_name", "email"]))
            .only("pk", "first_name", "last_name", "email")
            .order_by("last_name", "first_name", "pk")
        )
        found = list(people[: PEOPLE_FOUND + 1])
        more = len(found) > PEOPLE_FOUND
        found = found[:PEOPLE_FOUND]
    return {"search": search, "found": found, "more": more, "searched": words}


@organisation_view(roles=MANAGER_ROLES)
def jury(request, pk):
    edition = _edition(request, pk)
    organisation = request.organisation
    chosen_pk = _pk(request.POST.get("person") if request.method == "POST" else None) or _pk(
        request.GET.get("person")
    )
    chosen = (
        Person.objects.filter(organisation=organisation, pk=chosen_pk).first()
        if chosen_pk
        else None
    )
    form = JurorForm(
        request.POST if request.method == "POST" else None,
        initial={"person": chosen.pk if chosen else None, "language": "fr-ca"},
    )
    if request.method == "POST":
        if edition.announced_at is not None:
            return _refuse_announced(request, edition)
        if form.is_valid():
            data = form.cleaned_data
            try:
                juror = services.add_juror(
                    edition,
                    actor=request.user,
                    kind=data["kind"],
                    person=chosen,
                    name=data["name"],
                    email=data["email"],
                    language=data["language"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is on the jury. Invite them when the rubric is ready: they "
                        "receive their personal link by e-mail."
                    )
                    % {"name": juror.name},
                )
                return _to("contests:jury", edition)
    return render(
        request,
        "contests/editions/jury.html",
        {
            "edition": edition,
            "jurors": _jury_rows(edition),
            "form": form,
            "chosen": chosen,
            **_people_search(request, organisation),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def juror_detail(request, pk, juror_pk):
    edition = _edition(request, pk)
    juror = _juror(edition, juror_pk)
    nominees = list(
        Nominee.objects.filter(category__edition=edition)
        .select_related("person", "category")
        .order_by("category__position", "person__last_name", "person__first_name", "pk")
    )
    by_pk = {nominee.pk: nominee for nominee in nominees}
    found = conflicts(edition, [juror])
    declared = {
        conflict.nominee_id: conflict
        for conflict in DeclaredConflict.objects.filter(juror=juror).select_related("recorded_by")
    }
    rows = []
    for (_juror_id, nominee_pk), reasons in found.items():
        nominee = by_pk.get(nominee_pk)
        if nominee is None:
            continue
        rows.append(
            {
                "nominee": nominee,
                "found": [reason for reason in reasons if not reason.declared],
                "declared": declared.get(nominee_pk),
            }
        )
    rows.sort(key=lambda row: (row["nominee"].person.last_name, row["nominee"].pk))
    # Found or declared, a conflict already keeps them apart: nothing more to record.
    in_conflict = {nominee_pk for (_juror_id, nominee_pk) in found}
    form = ConflictForm(
        nominees=[
            nominee
            for nominee in nominees
            if nominee.pk not in declared and nominee.pk not in in_conflict
        ]
    )
    scored = Score.objects.filter(juror=juror).values("nominee").distinct().count()
    return render(
        request,
        "contests/editions/juror_detail.html",
        {
            "edition": edition,
            "juror": juror,
            "rows": rows,
            "form": form,
            "scored_count": scored,
            "closed": services.field_refusal(edition, organisation_today(request.organisation)),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def juror_invite(request, pk, juror_pk):
    edition = _edition(request, pk)
    juror = _juror(edition, juror_pk)
    try:
        sent = services.invite_juror(juror, actor=request.user)
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        if sent:
            messages.success(
                request,
                _("The invitation is on its way to %(email)s, in their language.")
                % {"email": juror.email},
            )
        else:
            messages.info(request, _("The invitation was just sent."))
    if request.POST.get("next") == "juror":
        return _to("contests:juror_detail", edition, juror.pk)
    return _to("contests:jury", edition)


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def juror_remove(request, pk, juror_pk):
    edition = _edition(request, pk)
    juror = _juror(edition, juror_pk)
    try:
        services.remove_juror(juror, actor=request.user)
    except ValidationError as error:
        _errors_as_messages(request, error)
        return _to("contests:juror_detail", edition, juror.pk)
    messages.success(request, _("%(name)s is no longer on the jury.") % {"name": juror.name})
    return _to("contests:jury", edition)


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def juror_conflicts(request, pk, juror_pk):
    edition = _edition(request, pk)
    juror = _juror(edition, juror_pk)
    back = _to("contests:juror_detail", edition, juror.pk)
    if refused := _refuse_closed_field(request, edition, back):
        return refused
    if remove_pk := _pk(request.POST.get("remove")):
        conflict = DeclaredConflict.objects.filter(juror=juror, pk=remove_pk).first()
        if conflict is None:
            messages.info(request, _("This conflict of interest was already removed."))
            return back
        try:
            jury_services.remove_conflict(conflict, actor=request.user)
        except ValidationError as error:
            _errors_as_messages(request, error)
        else:
            messages.success(request, _("The conflict of interest is removed."))
        return back
    in_conflict = {nominee_pk for (_juror_id, nominee_pk) in conflicts(edition, [juror])}
    nominees = [
        nominee
        for nominee in Nominee.objects.filter(category__edition=edition).select_related(
            "person", "category"
        )
        if nominee.pk not in in_conflict
    ]
    form = ConflictForm(request.POST, nominees=nominees)
    if not form.is_valid():
        _errors_as_messages(request, form.errors)
        return back
    nominee = next(n for n in nominees if str(n.pk) == form.cleaned_data["nominee"])
    try:
        jury_services.declare_conflict(
            juror,
            nominee,
            form.cleaned_data["reason"],
            form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Recorded: %(juror)s no longer sees %(nominee)s, and any score they gave them is "
                "set aside."
            )
            % {"juror": juror.name, "nominee": nominee.person.full_name},
        )
    return back


# --- Nominees -------------------------------------------------------------------------------


def _nominee(edition, nominee_pk):
    nominee = (
        Nominee.objects.filter(category__edition=edition, pk=nominee_pk)
        .select_related("person", "category", "program")
        .first()
    )
    if nominee is None:
        raise Http404
    nominee.category.edition = edition
    return nominee


def _still_eligible(edition, person_ids):
    return set(eligible_mentors(edition).filter(pk__in=person_ids).values_list("pk", flat=True))


def _in_conflict_with(request, edition, nominee_pk):
    """Whether the signed-in manager also sits on the jury in conflict with this nominee: then
    their stories and files stay hidden here too, as on the juror's own pages."""
    seat = juror_seat(edition, request.user)
    return seat is not None and (seat.pk, nominee_pk) in conflicts(edition, [seat])


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def nominee_list(request, pk):
    edition = _edition(request, pk)
    filters = NomineeSearchForm(request.GET or None)
    words, status = "", ""
    if filters.is_valid():
        words = filters.cleaned_data["q"].strip()
        status = filters.cleaned_data["status"]
    nominees = (
        Nominee.objects.filter(category__edition=edition)
        .select_related("person", "category", "program")
        .annotate(nomination_count=Count("nominations"))
        .order_by(
            "category__position", "category__pk", "person__last_name", "person__first_name", "pk"
        )
    )
    if words:
        nominees = nominees.filter(
            matches_every_word(words, ["person__first_name", "person__last_name", "person__email"])
        )
    if status:
        nominees = nominees.filter(status=status)
    page = paginate(request, nominees, NOMINEES_PER_PAGE)
    eligible = _still_eligible(edition, [nominee.person_id for nominee in page.object_list])
    for nominee in page.object_list:
        nominee.still_eligible = nominee.person_id in eligible
    return render(
        request,
        "contests/editions/nominee_list.html",
        {
            "edition": edition,
            "page": page,
            "filters": filters,
            "searching": bool(words or status),
            "has_nominees": bool(page.object_list) or services.has_nominations(edition),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def nominee_detail(request, pk, nominee_pk):
    edition = _edition(request, pk)
    nominee = _nominee(edition, nominee_pk)
    today = organisation_today(request.organisation)
    hidden = _in_conflict_with(request, edition, nominee.pk)
    nominations = list(
        nominee.nominations.select_related("nominator_person").order_by("submitted_at", "pk")
    )
    return render(
        request,
        "contests/editions/nominee_detail.html",
        {
            "edition": edition,
            "nominee": nominee,
            "nominations": [] if hidden else nominations,
            "nomination_count": len(nominations),
            "hidden_from_juror": hidden,
            "still_eligible": bool(_still_eligible(edition, [nominee.person_id])),
            "withdraw_form": WithdrawForm(),
            "may_restore": services.may_restore(nominee, today),
            "closed": services.field_refusal(edition, today),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def nominee_withdraw(request, pk, nominee_pk):
    edition = _edition(request, pk)
    nominee = _nominee(edition, nominee_pk)
    back = _to("contests:nominee_detail", edition, nominee.pk)
    if refused := _refuse_closed_field(request, edition, back):
        return refused
    if request.POST.get("restore"):
        try:
            services.restore_nominee(nominee, actor=request.user)
        except ValidationError as error:
            _errors_as_messages(request, error)
        else:
            messages.success(request, _("The nominee is back in the running."))
        return back
    if nominee.status == Nominee.Status.WITHDRAWN:
        messages.info(request, _("This nominee is already withdrawn."))
        return back
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        _errors_as_messages(request, form.errors)
        return back
    try:
        services.withdraw_nominee(nominee, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(request, _("The nominee is withdrawn: the jury no longer sees them."))
    return back


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def evidence_download(request, pk, nomination_pk):
    edition = _edition(request, pk)
    nomination = Nomination.objects.filter(
        nominee__category__edition=edition, pk=nomination_pk
    ).first()
    if nomination is None or _in_conflict_with(request, edition, nomination.nominee_id):
        raise Http404
    return evidence_response(nomination)
