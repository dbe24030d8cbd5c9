"""The managers' pages of every credential the organisation issued: the list, one credential
with what it attests and how it is signed, revoking it, and certifying a recognition given."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.ordering import natural
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view, program_view
from laurier.recognition.models import Award

from .. import selectors
from ..certificates import design_of
from ..forms import CredentialFilterForm, RevokeForm
from ..models import CredentialKind
from ..services import awarding
from .badges import preview_url

CREDENTIALS_PER_PAGE = 50


def _sorts():
    return {
        "issued": "issued_at",
        "name": natural("name"),
        "person": (natural("person__last_name"), natural("person__first_name")),
        "kind": "kind",
        "valid_until": "valid_until",
    }


def _detail(credential):
    return redirect("credentials:issued_detail", credential.organisation.slug, credential.pk)


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def credential_list(request):
    filters = CredentialFilterForm(request.GET or None)
    kind, status, search = filters.value("kind"), filters.value("status"), filters.value("q")
    credentials = selectors.credentials_of(
        request.membership, kind=kind, status=status, search=search
    )
    credentials, sort = sort_queryset(request, credentials, _sorts(), "-issued")
    if export_format := requested_export(request):
        return _export(credentials, export_format)
    page = paginate(request, credentials, CREDENTIALS_PER_PAGE)
    page.object_list = selectors.with_status(page.object_list)
    return render(
        request,
        "credentials/issued/list.html",
        {
            "filters": filters,
            "kind": kind,
            "kinds": CredentialKind.choices,
            "searching": bool(status or search),
            "page": page,
            "sort": sort,
        },
    )


def _status_label(status):
    return {
        selectors.CredentialStatus.VALID: _("Valid"),
        selectors.CredentialStatus.REVOKED: _("Revoked"),
        selectors.CredentialStatus.EXPIRED: _("Expired"),
    }[status]


def _export(credentials, export_format):
    headers = [
        _("kind"),
        _("name"),
        _("holder"),
        _("e-mail address"),
        _("issued"),
        _("valid until"),
        _("status"),
        _("revoked on"),
        _("reason"),
        _("verification address"),
    ]
    rows = (
        [
            credential.get_kind_display(),
            credential.name,
            credential.person.full_name,
            credential.person.email,
            credential.issued_at,
            credential.valid_until,
            _status_label(selectors.credential_status(credential)),
            credential.revoked_at,
            credential.revocation_reason,
            credential.url,
        ]
        for credential in credentials.iterator(chunk_size=1000)
    )
    return export_response(_("credentials"), headers, rows, export_format)


def _render_detail(request, credential, revoke_form):
    achievement = credential.document.get("credentialSubject", {}).get("achievement", {})
    return render(
        request,
        "credentials/issued/detail.html",
        {
            "credential": credential,
            "achievement": achievement,
            "criteria": (achievement.get("criteria") or {}).get("narrative", ""),
            "revoke_form": revoke_form,
            # A badge by its name in the reader's language; the signed name is shown below.
            "display_name": credential.badge_class.name
            if credential.badge_class_id
            else credential.name,
            # The picture the credential's files carry, drawn by the managers' preview: the page
            # needs no signed document baked into it.
            "image": preview_url(request.organisation, design_of(credential)),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def credential_detail(request, pk):
    credential = selectors.credential_for(request.membership, pk)
    return _render_detail(request, credential, RevokeForm())


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def credential_revoke(request, pk):
    credential = selectors.credential_for(request.membership, pk)
    if credential.is_revoked:
        messages.info(request, _("This credential is already revoked."))
        return _detail(credential)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, credential, form)
    try:
        awarding.revoke(credential, reason=form.cleaned_data["reason"], actor=request.user)
    except awarding.CredentialRefused as refusal:
        form.add_error("reason", str(refusal))
        return _render_detail(request, credential, form)
    messages.success(
        request,
        _("Revoked: from now on, whoever verifies it reads that it is revoked, and why."),
    )
    return _detail(credential)


@program_view
@require_POST
def award_certificate(request, pk):
    award = get_object_or_404(Award, program=request.program, pk=pk)
    try:
        credential, created = awarding.certify_award(award, actor=request.user)
    except awarding.CredentialRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(
            "recognition:award_detail", request.organisation.slug, request.program.slug, award.pk
        )
    if created:
        messages.success(request, _("The certificate is issued: its holder can share it."))
    else:
        # Usually the same button clicked twice: the first click issued it a moment ago.
        messages.info(
            request,
            _("The certificate was already issued on %(day)s: here it is.")
            % {"day": date_format(localtime(credential.issued_at), "DATE_FORMAT")},
        )
    credential.organisation = request.organisation
    return _detail(credential)
