from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.listing import (
    export_response,
    paginate,
    requested_export,
    search_text,
    sort_queryset,
)
from laurier.core.personal_links import limited_public_page
from laurier.outbox.selectors import latest_webhook
from laurier.programs.selectors import program_rows

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    AuditFilterForm,
    InvitationForm,
    MembershipForm,
    OrganisationSettingsForm,
)
from .models import Invitation, Membership, Role
from .tenancy import ADMIN_ROLES, organisation_view

# --- Home and settings -----------------------------------------------------------------------


@organisation_view()
def organisation_home(request):
    """Managers see the programs they manage; everyone else works in their own space."""
    if not request.membership.is_manager:
        return redirect("hours:my_space", request.organisation.slug)
    programs = list(program_rows(request.membership))
    return render(request, "organisations/home.html", {"programs": programs})


@organisation_view(roles=ADMIN_ROLES)
def organisation_settings(request):
    organisation = request.organisation
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(
            organisation=organisation,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in services.ORGANISATION_SETTINGS_FIELDS},
        )
        messages.success(request, _("The organisation's settings are saved."))
        return redirect("organisations:settings", organisation.slug)
    return render(
        request,
        "organisations/settings.html",
        {"form": form, "latest_chat_post": latest_webhook(organisation)},
    )


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def chat_test(request):
    """Send a test post to the team chat, so the admin sees the address works."""
    try:
        sent = services.send_chat_test_message(organisation=request.organisation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if sent is None:
            messages.info(request, _("A test message just left: look for it in your team chat."))
        elif sent.status == sent.Status.FAILED:
            messages.error(
                request,
                _(
                    "Your team chat refused the test message: check the address. "
                    "It answered: %(error)s"
                )
                % {"error": sent.last_error},
            )
        elif sent.attempts and sent.status == sent.Status.PENDING:
            messages.warning(
                request,
                _(
                    "Your team chat did not answer; Laurier tries again in a few minutes. "
                    "The error: %(error)s"
                )
                % {"error": sent.last_error},
            )
        else:
            messages.success(
                request,
                _("The test message has left: it appears in your team chat within a minute."),
            )
    return redirect(reverse("organisations:settings", args=[request.organisation.slug]) + "#chat")


# --- Members and invitations -----------------------------------------------------------------

MEMBER_SORTS = {
    "name": ("user__last_name", "user__first_name", "user__email"),
    "email": "user__email",
    "role": "role",
    "since": "created_at",
}


def _member_rows(memberships):
    for membership in memberships:
        user = membership.user
        yield [
            user.get_full_name(),
            user.email,
            membership.get_role_display(),
            ", ".join(program.name for program in user.programs_managed_here),
            membership.created_at,
        ]


@organisation_view(roles=ADMIN_ROLES)
def members(request):
    organisation = request.organisation
    invitation_form = InvitationForm(
        request.POST or None, organisation=organisation, prefix="invite"
    )
    if request.method == "POST" and invitation_form.is_valid():
        try:
            invitation = services.invite(
                organisation=organisation,
                actor=request.user,
                email=invitation_form.cleaned_data["email"],
                role=invitation_form.cleaned_data["role"],
                programs=invitation_form.cleaned_data["programs"],
            )
        except ValidationError as error:
            invitation_form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organisations:members", organisation.slug)

    search = search_text(request)
    memberships, sort = sort_queryset(
        request, selectors.members_of(organisation, search), MEMBER_SORTS, "name"
    )
    export = requested_export(request)
    if export:
        return export_response(
            f"{organisation.slug}-members",
            [_("Name"), _("E-mail address"), _("Role"), _("Programs managed"), _("Member since")],
            _member_rows(memberships),
            export,
        )
    invitations = list(selectors.pending_invitations(organisation))
    for invitation in invitations:
        invitation.link = services.invitation_link(invitation)
    return render(
        request,
        "organisations/members.html",
        {
            "page": paginate(request, memberships),
            "sort": sort,
            "search": search,
            "invitation_form": invitation_form,
            "invitations": invitations,
            "manager_role": Role.MANAGER,
            "invitation_valid_days": settings.INVITATION_VALID_DAYS,
        },
        status=400 if invitation_form.errors else 200,
    )


@organisation_view(roles=ADMIN_ROLES)
def member_edit(request, pk):
    organisation = request.organisation
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organisation=organisation, pk=pk
    )
    form = MembershipForm(request.POST or None, membership=membership)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.remove_membership(membership=membership, actor=request.user)
                messages.success(
                    request,
                    _("%(name)s is no longer a member of the organisation.")
                    % {"name": membership.user},
                )
                if membership.user_id == request.user.pk:
                    return redirect("home")
                return redirect("organisations:members", organisation.slug)
            if form.is_valid():
                services.change_membership(
                    membership=membership,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    programs=form.cleaned_data["programs"],
                )
                messages.success(
                    request, _("%(name)s's membership is saved.") % {"name": membership.user}
                )
                return redirect("organisations:members", organisation.slug)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "organisations/member_edit.html",
        {"membership": membership, "form": form, "manager_role": Role.MANAGER},
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_view(roles=ADMIN_ROLES)
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, organisation=request.organisation, pk=pk)
    try:
        services.revoke_invitation(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("organisations:members", request.organisation.slug)


# --- Accepting an invitation (public) --------------------------------------------------------


def _unusable_invitation(request, invitation):
    if invitation is None:
        reason, status = "unknown", 404
    elif invitation.accepted_at is not None:
        reason, status = "accepted", 410
    elif invitation.revoked_at is not None:
        reason, status = "revoked", 410
    else:
        reason, status = "expired", 410
    return render(
        request,
        "organisations/invitation_unusable.html",
        {"invitation": invitation, "reason": reason},
        status=status,
    )


@limited_public_page("invitation")
def invitation_accept(request, token):
    """Where an invitation link lands: create an account, or join with the existing one."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return _unusable_invitation(request, invitation)
    # Dates on these pages are the organisation's; override, not activate, so that the
    # time zone does not leak into the next request served by this thread.
    with timezone.override(invitation.organisation.time_zone):
        return _invitation_page(request, invitation)


def _invitation_page(request, invitation):
    token = invitation.token
    if not invitation.is_usable:
        return _unusable_invitation(request, invitation)
    organisation = invitation.organisation
    if not request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Someone who never chose a language reads the page in the e-mail's language.
        translation.activate(selectors.invitee_language(organisation, invitation.email))
        request.LANGUAGE_CODE = translation.get_language()

    existing_user = get_user_model().objects.filter(email__iexact=invitation.email).first()
    context = {"invitation": invitation, "organisation": organisation}
    if request.user.is_authenticated and request.user.email.lower() != invitation.email.lower():
        context["login_url"] = _login_url(request)
        return render(request, "organisations/invitation_wrong_user.html", context)

    if existing_user is not None:
        if not request.user.is_authenticated:
            context["login_url"] = _login_url(request)
            return render(request, "organisations/invitation_login.html", context)
        if request.method == "POST":
            return _accept(
                request,
                invitation,
                lambda: services.accept_invitation_as_user(token=token, user=request.user),
            )
        return render(request, "organisations/invitation_join.html", context)

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            invitation,
            lambda: services.accept_invitation_with_new_account(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            ),
            log_in=True,
        )
    context["form"] = form
    return render(
        request,
        "organisations/invitation_signup.html",
        context,
        status=400 if form.errors else 200,
    )


def _login_url(request):
    return reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})


def _accept(request, invitation, accept, log_in=False):
    organisation = invitation.organisation
    try:
        membership = accept()
    except services.AlreadyMember:
        messages.info(
            request,
            _("You are already a member of %(organisation)s.") % {"organisation": organisation},
        )
        if request.user.is_authenticated:
            return redirect("organisations:home", organisation.slug)
        return redirect("account_login")
    except services.InvitationUnusable:
        return _unusable_invitation(request, selectors.invitation_by_token(invitation.token))
    if log_in:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        translation.activate(membership.user.language)
    messages.success(request, _("Welcome to %(organisation)s!") % {"organisation": organisation})
    return redirect("organisations:home", organisation.slug)


# --- Audit trail -----------------------------------------------------------------------------

AUDIT_SORTS = {"at": "at", "action": "action", "kind": "object_type", "object": "object_repr"}


def _audit_rows(events):
    events = list(events)
    names = selectors.names_of_related_objects(events)
    for event in events:
        yield [
            event.at,
            str(event.actor) if event.actor else "",
            event.get_action_display(),
            event.object_type_display,
            event.object_repr,
            selectors.changes_as_text(event, names),
        ]


@organisation_view(roles=ADMIN_ROLES)
def audit_trail(request):
    organisation = request.organisation
    form = AuditFilterForm(request.GET or None, kinds=selectors.audit_kinds(organisation))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        organisation,
        action=filters.get("action", ""),
        kind=filters.get("kind", ""),
        search=filters.get("q", "").strip(),
    )
    events, sort = sort_queryset(request, events, AUDIT_SORTS, "-at")
    export = requested_export(request)
    if export:
        return export_response(
            f"{organisation.slug}-audit-trail",
            [_("When"), _("By"), _("Action"), _("Kind"), _("Object"), _("Changes")],
            _audit_rows(events),
            export,
        )
    page = paginate(request, events)
    names = selectors.names_of_related_objects(page)
    for event in page:
        event.readable_changes = selectors.describe_changes(event, names)
    return render(
        request,
        "organisations/audit_trail.html",
        {"page": page, "sort": sort, "form": form},
    )
