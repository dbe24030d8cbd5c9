"""The public addresses a credential names: its issuer, its keys, its status list, its badge and
itself. No login: anyone, anywhere, must be able to check a credential."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_GET

from laurier.core.personal_links import limited_public_page

from .. import builder, certificates
from ..erasure import is_redacted
from ..images import BadgeDesign, render_svg
from ..keys import public_jwk
from ..models import BadgeClass, Credential, Issuer, StatusList
from ..services.awarding import badge_achievement
from ..verification import verify_document

JSON_LD = "application/ld+json"
# Verifiers read these documents many times; a minute is short enough for a revocation to show.
DOCUMENT_MAX_AGE = 60


JSON_TYPES = (JSON_LD, "application/json")


def wants_json(request):
    if request.GET.get("format") == "json":
        return True
    # By the client's preferences (q-values, then the most specific type): a verifier that also
    # takes HTML at a lower quality, or names a JSON-LD profile, still gets the document; a
    # browser, or a client with no preference, gets the page.
    for accepted in request.accepted_types:
        media_type = f"{accepted.main_type}/{accepted.sub_type}"
        if media_type in JSON_TYPES:
            return True
        if media_type in ("text/html", "text/*", "*/*"):
            return False
    return False


def json_document(document, *, max_age=DOCUMENT_MAX_AGE, filename=None):
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=JSON_LD
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _negotiated(response):
    response["Vary"] = "Accept"
    return response


def svg_response(svg):
    response = HttpResponse(svg, content_type="image/svg+xml")
    # An SVG opened on its own is a page of this site: it may not run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _issuer(public_id):
    return get_object_or_404(Issuer.objects.select_related("organisation"), public_id=public_id)


@require_GET
def issuer_document(request, public_id):
    issuer = _issuer(public_id)
    keys = list(issuer.keys.all())
    for key in keys:
        key.issuer = issuer
    if wants_json(request):
        return _negotiated(json_document(builder.issuer_document(issuer, keys)))
    badges = issuer.organisation.badge_classes.filter(active=True)
    return _negotiated(
        render(
            request,
            "credentials/public/issuer.html",
            {"issuer": issuer, "keys": keys, "badges": badges},
        )
    )


@require_GET
def issuer_keys(request, public_id):
    """The issuer's keys as a JSON Web Key Set, for verifiers of the JWT form."""
    issuer = _issuer(public_id)
    keys = [
        public_jwk(key.public_multikey, f"{issuer.url}#{key.name}") for key in issuer.keys.all()
    ]
    response = json_document({"keys": keys})
    response["Content-Type"] = "application/jwk-set+json"
    return response


@require_GET
def status_list(request, public_id, number):
    status = get_object_or_404(StatusList, issuer__public_id=public_id, number=number)
    if status.document is None:
        raise Http404
    return json_document(status.document)


def _badge_class(public_id, badge_id):
    return get_object_or_404(
        BadgeClass.objects.select_related("organisation__issuer"),
        organisation__issuer__public_id=public_id,
        public_id=badge_id,
    )


@require_GET
def achievement(request, public_id, badge_id):
    badge_class = _badge_class(public_id, badge_id)
    if wants_json(request):
        language = translation.get_language()
        document = {
            "@context": list(builder.CREDENTIAL_CONTEXT),
            **badge_achievement(badge_class, language).as_json(),
        }
        return _negotiated(json_document(document))
    return _negotiated(
        render(
            request,
            "credentials/public/achievement.html",
            {"badge": badge_class, "issuer": badge_class.organisation.issuer},
        )
    )


def badge_design(badge_class) -> BadgeDesign:
    return BadgeDesign(
        shape=badge_class.shape,
        palette=badge_class.palette,
        emblem=badge_class.emblem,
        label=badge_class.label,
    )


@require_GET
def achievement_image(request, public_id, badge_id):
    response = svg_response(render_svg(badge_design(_badge_class(public_id, badge_id))))
    response["Cache-Control"] = "public, max-age=3600"
    return response


def public_credential(public_id):
    return get_object_or_404(
        Credential.objects.select_related(
            "organisation__issuer", "person", "badge_class", "status_list", "signing_key"
        ),
        public_id=public_id,
    )


@limited_public_page("credential_page")
@require_GET
def credential_page(request, public_id):
    credential = public_credential(public_id)
    if is_redacted(credential.document):
        # Its holder's data were erased: the page no longer names them (see erasure.py).
        if wants_json(request):
            raise Http404
        return render(
            request,
            "credentials/public/credential_erased.html",
            {
                "credential": credential,
                "achievement": credential.document["credentialSubject"]["achievement"],
            },
        )
    if wants_json(request):
        return _negotiated(json_document(credential.document, max_age=3600))
    return _negotiated(
        render(
            request,
            "credentials/public/credential.html",
            {
                "credential": credential,
                "result": verify_document(credential.document),
                "achievement": credential.document["credentialSubject"]["achievement"],
                "holder": certificates.holder_name(credential),
            },
        )
    )
