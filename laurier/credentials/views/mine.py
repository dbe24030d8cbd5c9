"""The holder's side: each credential's downloads (public, at the credential's unguessable
address, so that its holder can share them), their own page of badges and certificates, and
the public page they may publish."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from laurier.core.listing import paginate
from laurier.core.personal_links import limited_public_page
from laurier.core.ratelimit import is_rate_limited
from laurier.core.site_urls import absolute_url
from laurier.hours.certificates import certificate_language
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view

from .. import certificates, holder, selectors
from ..linkedin import add_to_profile_url
from ..services import public_profiles

CREDENTIALS_PER_PAGE = 24
# The credential's own files never change; a revocation shows on its page and in its status
# list, which verifiers read. The PDF does change (it is stamped "Revoked"): never kept.
CACHE_FILES = "private, max-age=3600"
# A person downloads a few files; a script drawing hundreds of PDFs would load the server.
RENDERINGS_PER_MINUTE = 30
# An SVG opened on its own is a document: it may style itself and nothing more.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _too_many_renderings(request):
    # Anyone may download these, and each is drawn anew (a PDF costs about 100 ms): one count
    # for both formats, per client.
    return is_rate_limited(
        request, "credential-files", limit=RENDERINGS_PER_MINUTE, period_seconds=60
    )


def _too_many_response():
    response = HttpResponse(
        _("Too many downloads in a minute: wait a moment, then try again."),
        content_type="text/plain; charset=utf-8",
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def _credential(public_id):
    credential = holder.downloadable_credential(public_id)
    if credential is None:
        raise Http404
    return credential


def _file(content, content_type, filename, *, attachment=True, cache=CACHE_FILES):
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    # Shared by their holder, never listed by search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def credential_json(request, public_id):
    credential = _credential(public_id)
    content = json.dumps(credential.document, ensure_ascii=False, indent=2)
    return _file(
        content.encode("utf-8"),
        "application/ld+json; charset=utf-8",
        certificates.download_name(credential, "json"),
    )


@require_safe
def credential_jwt(request, public_id):
    credential = _credential(public_id)
    return _file(
        credential.jwt.encode("ascii"),
        "text/plain; charset=utf-8",
        certificates.download_name(credential, "jwt"),
    )


@require_safe
def credential_png(request, public_id):
    if _too_many_renderings(request):
        return _too_many_response()
    credential = _credential(public_id)
    return _file(
        certificates.baked_png(credential),
        "image/png",
        certificates.download_name(credential, "png"),
        attachment=False,
    )


@require_safe
def credential_svg(request, public_id):
    # Not limited: the cards of a page of badges show these, and an SVG is text put together
    # from a cached drawing, nothing like a PNG or a PDF to render.
    credential = _credential(public_id)
    response = _file(
        certificates.baked_svg(credential).encode("utf-8"),
        "image/svg+xml",
        certificates.download_name(credential, "svg"),
        attachment=False,
    )
    response["Content-Security-Policy"] = SVG_POLICY
    return response


@require_safe
def credential_pdf(request, public_id):
    if _too_many_renderings(request):
        return _too_many_response()
    credential = _credential(public_id)
    language = certificates.credential_language(credential, request.GET.get("lang", ""))
    pdf = certificates.certificate_pdf(credential, language)
    return _file(
        pdf,
        "application/pdf",
        certificates.certificate_filename(credential, language),
        cache="private, no-store",
    )


@organisation_view()
@require_safe
def my_credentials(request):
    person = person_of_user(request.organisation, request.user)
    page = profile = None
    other_lang = ""
    if person is not None:
        # The certificates come in the person's language; one link offers the other one.
        other_lang = "en" if certificate_language(person).startswith("fr") else "fr"
        page = paginate(request, selectors.credentials_of_person(person), CREDENTIALS_PER_PAGE)
        if page.object_list:
            issuer = selectors.issuer_of(request.organisation)
            for credential in page.object_list:
                credential.linkedin_url = add_to_profile_url(credential, issuer)
        profile = holder.profile_of(person)
    return render(
        request,
        "credentials/mine/my_credentials.html",
        {"person": person, "page": page, "profile": profile, "other_lang": other_lang},
    )


@organisation_view()
@require_http_methods(["GET", "HEAD", "POST"])
def my_public_profile(request):
    person = person_of_user(request.organisation, request.user)
    if request.method == "POST":
        if person is None:
            raise Http404
        action = request.POST.get("action")
        if action == "publish":
            public_profiles.publish(person, actor=request.user)
            messages.success(
                request,
                _("Your page is public: anyone with its address can see it."),
            )
        elif action == "unpublish":
            public_profiles.unpublish(person, actor=request.user)
            messages.success(
                request, _("Your page is no longer public: its address now leads nowhere.")
            )
        else:
            messages.error(request, _("Choose to publish your page or to take it down."))
        return redirect("credentials:my_public_profile", request.organisation.slug)
    profile = holder.profile_of(person) if person is not None else None
    shown = holder.shown_on_profile(person) if person is not None else []
    public_url = ""
    if profile is not None and profile.is_published:
        public_url = absolute_url("credentials:public_profile", profile.public_id)
    return render(
        request,
        "credentials/mine/my_public_profile.html",
        {"person": person, "profile": profile, "shown": shown, "public_url": public_url},
    )


@limited_public_page("public_profile")
@require_safe
def public_profile(request, public_id):
    profile = holder.published_profile(public_id)
    if profile is None:
        raise Http404
    person = profile.person
    response = render(
        request,
        "credentials/mine/public_profile.html",
        {
            "profile": profile,
            "person": person,
            "organisation": person.organisation,
            "credentials": holder.shown_on_profile(person),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    # Taking the page down must take effect at once, in every cache on the way.
    response["Cache-Control"] = "no-store"
    return response
