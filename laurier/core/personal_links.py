"""Pages at a personal link: no login, a secret token in the address instead.

Survey answers, thank-you notes and event answers all follow the same rules, kept here once:
tokens cannot be guessed by trying (failed lookups are counted per client), submissions are
counted per link (one office behind one address never locks its people out of each other's
pages), the page speaks the person's language in the organisation's time zone, and it stays
out of search engines, caches and other sites' logs.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation

from .ratelimit import count_attempt, has_reached_limit, is_rate_limited

# Per 10 minutes. A client that guessed wrong 30 times (a handful of typos is fewer) is stopped;
# the ceiling per client only stops floods.
LINK_PERIOD_SECONDS = 600
LINK_FAILURE_LIMIT = 30
LINK_SUBMIT_LIMIT = 20
LINK_REQUEST_CEILING = 600


@dataclass(frozen=True)
class PersonalLink:
    """What differs from one kind of personal link to another.

    `scope` names its rate-limit counters; `find(token)` returns the object or None;
    `language_of(obj)` and `organisation_of(obj)` say how to speak; the templates are shown
    for an unknown token (404) and to a client over its limits (429).
    """

    scope: str
    find: object
    language_of: object
    organisation_of: object
    invalid_template: str
    rate_limited_template: str


def private(response):
    """A personal link's page stays out of search engines, caches and other sites' logs.

    "same-origin" rather than "no-referrer": other sites never receive the link, and the
    browser still tells this site where its own forms come from; under "no-referrer" Chromium
    sends `Origin: null` with the form, and the CSRF check refuses every answer.
    """
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def link_language(request, language):
    """`language` (the person's), unless this browser chose one with the language switcher
    (or belongs to someone logged in, whose own language the middleware already speaks)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if request.user.is_authenticated or (chosen and translation.check_for_language(chosen)):
        return translation.get_language()
    return language


def serve(request, token, link, page):
    """Answer a request at a personal link: `page(request, obj)` builds the response once the
    token is found and the client is within its limits."""
    if has_reached_limit(
        request, f"{link.scope}_link_failure", limit=LINK_FAILURE_LIMIT
    ) or is_rate_limited(
        request,
        f"{link.scope}_link",
        limit=LINK_REQUEST_CEILING,
        period_seconds=LINK_PERIOD_SECONDS,
    ):
        return _rate_limited_page(request, link)
    found = link.find(token)
    if found is None:
        count_attempt(request, f"{link.scope}_link_failure", period_seconds=LINK_PERIOD_SECONDS)
        # The same page whatever the reason: never tell whether a token exists.
        return private(render(request, link.invalid_template, status=404))
    if request.method == "POST" and is_rate_limited(
        request,
        f"{link.scope}_link_submit",
        limit=LINK_SUBMIT_LIMIT,
        period_seconds=LINK_PERIOD_SECONDS,
        key=token,
    ):
        return _rate_limited_page(request, link)
    language = link_language(request, link.language_of(found))
    organisation = link.organisation_of(found)
    with translation.override(language), timezone.override(organisation.time_zone):
        response = page(request, found)
    response["Content-Language"] = language
    return private(response)


def _rate_limited_page(request, link):
    response = render(request, link.rate_limited_template, status=429)
    response["Retry-After"] = str(LINK_PERIOD_SECONDS)
    return private(response)


def limited_public_page(scope):
    """Limit a public view found by a secret or an unguessable id in its address (a calendar
    feed, an invitation, a credential's or a profile's public page), like personal links:
    a client that missed (404) LINK_FAILURE_LIMIT times, or asked LINK_REQUEST_CEILING times,
    in LINK_PERIOD_SECONDS is answered 429 until the period ends."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if has_reached_limit(
                request, f"{scope}_failure", limit=LINK_FAILURE_LIMIT
            ) or is_rate_limited(
                request, scope, limit=LINK_REQUEST_CEILING, period_seconds=LINK_PERIOD_SECONDS
            ):
                return _too_many_requests(request)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                _count_failure(request, scope)
                raise
            if response.status_code == 404:
                _count_failure(request, scope)
            return response

        return limited

    return decorator


def _count_failure(request, scope):
    count_attempt(request, f"{scope}_failure", period_seconds=LINK_PERIOD_SECONDS)


def _too_many_requests(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(LINK_PERIOD_SECONDS)
    return private(response)
