"""Replacing one person's personal link: the old address stops working, a new one is sent.

A manager replaces a link when an invitation went to a wrong or shared address, or when a
person says someone else used theirs. The page that offers it carries, in each form, a short
fingerprint of the token it showed (`NewLinkForm`): the service replaces the token only if it
is still that one, so a double click, or a second manager on the same page, replaces it once
and sends one e-mail. The fingerprint is a digest: the page never holds the secret itself.
"""

import hashlib
import hmac

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from laurier.outbox.models import OutgoingEmail

FINGERPRINT_LENGTH = 16


def fingerprint(token):
    """A short digest naming a token without revealing it (sha-256, 64 bits shown)."""
    return hashlib.sha256(token.encode()).hexdigest()[:FINGERPRINT_LENGTH]


def is_current(token, seen):
    """Whether `seen`, the fingerprint a form carried, is still that of `token`."""
    return bool(seen) and hmac.compare_digest(fingerprint(token), str(seen))


class NewLinkForm(forms.Form):
    """The "New link" button's form: the fingerprint of the link the page showed."""

    link = forms.CharField(
        max_length=FINGERPRINT_LENGTH, min_length=FINGERPRINT_LENGTH, widget=forms.HiddenInput
    )


def replace_token(model, row, new_token):
    """Give `row` `new_token` if it still has the token it was read with; True when it did.

    A conditional UPDATE, so that two requests racing on either database replace it once.
    """
    return bool(model.objects.filter(pk=row.pk, token=row.token).update(token=new_token))


def withdraw_unsent_emails(organisation, reasons):
    """Withdraw the e-mails about `reasons` (exact, or followed by ":…") that have not left:
    waiting or given up. They carry a link that no longer works, perhaps to a wrong address;
    "send the failed e-mails again" must not send them. Returns how many."""
    about = Q()
    for reason in reasons:
        about |= Q(reason=reason) | Q(reason__startswith=f"{reason}:")
    return (
        OutgoingEmail.objects.filter(about, organisation=organisation)
        .filter(status__in=(OutgoingEmail.Status.PENDING, OutgoingEmail.Status.FAILED))
        .update(status=OutgoingEmail.Status.CANCELLED, next_attempt_at=None)
    )


def renew_link_from_form(request, row, send, *, holder):
    """Carry out a "New link" form posted for `row`, telling the manager what happened.

    `send(row, actor=, seen=)` is the service that replaces the token and sends the new link;
    it returns the row as saved and whether it replaced it. `holder(row)` gives the name and the
    e-mail address the link goes to.
    """
    form = NewLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the person to send a new link to."))
        return
    try:
        row, replaced = send(row, actor=request.user, seen=form.cleaned_data["link"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    name, email = holder(row)
    tell_new_link(request, replaced=replaced, name=name, email=email)


def tell_new_link(request, *, replaced, name, email):
    """The message after a "New link" button: sent, or already sent (a double submit)."""
    values = {"name": name, "email": email}
    if replaced:
        messages.success(
            request,
            _("%(name)s's old link no longer works: a new one is on its way to %(email)s.")
            % values,
        )
    else:
        messages.info(
            request,
            _("%(name)s's link was already replaced: the new one is on its way to %(email)s.")
            % values,
        )
