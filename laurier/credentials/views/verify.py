"""The verification page: anyone pastes or uploads a credential and learns whether it holds."""

from django import forms
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from laurier.core.ratelimit import is_rate_limited

from .. import certificates
from ..baking import MAX_UPLOAD_BYTES, BakingError, extract_credential
from ..verification import MAX_INPUT_LENGTH, Outcome, verify_text

# Verifying is cheap but not free: a person checks a few credentials, a script hundreds.
VERIFICATIONS_PER_MINUTE = 30
# The outcomes of a document whose signature holds and that Laurier issued as it stands.
SIGNED_OUTCOMES = {Outcome.VALID, Outcome.REVOKED, Outcome.EXPIRED, Outcome.NOT_YET_VALID}


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Paste the credential"),
        help_text=gettext_lazy("Its JSON text, or the signed token (JWT) that starts with “eyJ”."),
        required=False,
        max_length=MAX_INPUT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload it"),
        help_text=gettext_lazy(
            "A badge image (PNG or SVG) with its credential inside, or a .json or .jwt file."
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is too large: at most %(size)s.")
                % {"size": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste a credential or choose a file."))
        return data


@require_http_methods(["GET", "POST"])
def verify_page(request):
    # Bound on every POST, even an empty one: an unbound form would show no message.
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    result = None
    limited = False
    if request.method == "POST" and form.is_valid():
        limited = is_rate_limited(
            request, "verify", limit=VERIFICATIONS_PER_MINUTE, period_seconds=60
        )
        if limited:
            form.add_error(None, _("Too many verifications in a minute: wait a moment."))
        else:
            result = _verify(form)
    # Like every form of the site, a refused one answers 200 with its messages.
    return render(
        request,
        "credentials/public/verify.html",
        {"form": form, "result": result, "signed": signed_claims(result)},
        status=429 if limited else 200,
    )


def signed_claims(result):
    """What the credential claims, once its issuer's signature is known to hold: nothing of a
    forged or altered document is shown as if its issuer had said it."""
    if result is None or result.outcome not in SIGNED_OUTCOMES:
        return None
    return {
        "achievement": result.document["credentialSubject"].get("achievement") or {},
        "holder": certificates.signed_name(result.document),
    }


def _verify(form):
    upload = form.cleaned_data.get("file")
    text = form.cleaned_data.get("text", "")
    if upload:
        try:
            text = extract_credential(upload.name, upload.read())
        except BakingError as error:
            form.add_error("file", str(error))
            return None
        if not text:
            form.add_error("file", _("This image holds no credential."))
            return None
    return verify_text(text)
