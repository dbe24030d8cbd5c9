"""Training-hours certificates: one PDF per person and calendar year, in French or English.

The figures come from `selectors.training_certificate`; this module only lays them out, with
WeasyPrint, from the `hours/certificate.html` template.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import ngettext

from laurier.core.dates import organisation_today
from laurier.core.pdf import render_pdf

LANGUAGES = dict(settings.LANGUAGES)
# What people type in a link (?lang=fr) mapped to the languages Laurier writes in.
LANGUAGE_ALIASES = {"fr": "fr-ca", "fr-ca": "fr-ca", "en": "en"}
# The certificate holds on one page whatever the year held: HR files and frames take one sheet.
# Beyond these, programs are counted and activities summed in one line; the total stays exact.
PROGRAMS_NAMED = 3
ACTIVITIES_LISTED = 5


def certificate_language(person, requested=""):
    """The language to write `person`'s certificate in: the one asked for when Laurier writes
    it, else the person's own, else their organisation's."""
    requested = LANGUAGE_ALIASES.get((requested or "").strip().lower())
    if requested:
        return requested
    for language in (person.language, person.organisation.language):
        if language in LANGUAGES:
            return language
    return settings.LANGUAGE_CODE


def other_language(language):
    """The certificate's other language, offered as a second copy."""
    return "en" if language.startswith("fr") else "fr-ca"


def certificate_reference(certificate):
    """A stable reference printed on the certificate, for HR to quote when they ask about it."""
    organisation = certificate.organisation
    return f"{organisation.slug.upper()}-{certificate.year}-{certificate.person.pk:06d}"


def certificate_filename(certificate, language):
    """'attestation-heures-formation-2025-jeanne-tremblay.pdf' or its English counterpart."""
    prefix = "attestation-heures-formation" if language.startswith("fr") else "training-hours"
    name = slugify(certificate.person.full_name) or str(certificate.person.pk)
    return f"{prefix}-{certificate.year}-{name}.pdf"


def named_programs(programs):
    """'Relève, Accueil, STIM and 2 others': the first programs by name, the rest counted."""
    names = [str(program) for program in programs]
    if len(names) <= PROGRAMS_NAMED:
        return ", ".join(names)
    others = len(names) - PROGRAMS_NAMED
    return ngettext("%(names)s and %(count)s other", "%(names)s and %(count)s others", others) % {
        "names": ", ".join(names[:PROGRAMS_NAMED]),
        "count": others,
    }


def listed_activities(attendances):
    """The activities listed one per line, and (count, minutes) of those summed in one line."""
    if len(attendances) <= ACTIVITIES_LISTED:
        return attendances, (0, 0)
    # One line of the table is kept for the sum of the others.
    listed = attendances[: ACTIVITIES_LISTED - 1]
    others = attendances[ACTIVITIES_LISTED - 1 :]
    return listed, (len(others), sum(attendance.minutes for attendance in others))


def certificate_html(certificate, language, issued_on=None, credential=None):
    """The certificate as an HTML page for WeasyPrint, written in `language`. With its signed
    `credential`, it carries the QR code and the address that verify it."""
    organisation = certificate.organisation
    verification = None
    if credential is not None:
        # Imported here: the credentials app builds on this module.
        from laurier.credentials.certificates import qr_svg

        verification = {"url": credential.url, "qr_svg": qr_svg(credential.url)}
    issued_on = issued_on or organisation_today(organisation)
    # A certificate of the year under way covers it up to the day it is issued.
    period_end = min(datetime.date(certificate.year, 12, 31), issued_on)
    listed, (other_activities, other_minutes) = listed_activities(certificate.attendances)
    with translation.override(language), timezone.override(organisation.time_zone):
        return render_to_string(
            "hours/certificate.html",
            {
                "certificate": certificate,
                "organisation": organisation,
                "person": certificate.person,
                "language": language,
                "issued_on": issued_on,
                "period_start": datetime.date(certificate.year, 1, 1),
                "period_end": period_end,
                "reference": certificate_reference(certificate),
                "verification": verification,
                "program_names": named_programs(certificate.programs),
                "listed_attendances": listed,
                "other_activities": other_activities,
                "other_minutes": other_minutes,
            },
        )


def certificate_pdf(certificate, language, issued_on=None, credential=None):
    """The certificate as PDF bytes; it loads nothing from outside."""
    return render_pdf(certificate_html(certificate, language, issued_on, credential))
