"""What a credential looks like to people: its badge image (baked with the credential, PNG or
SVG) and its PDF certificate, with a QR code that leads to its verification page.

A badge shows its class's design; awards and training hours, which have no class, show an emblem
drawn with the same designer, so that every credential has an image to bake and to share.
"""

import functools
import types

import segno
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from laurier.core.pdf import render_pdf
from laurier.hours.certificates import certificate_language

from .baking import bake_png, bake_svg
from .images import BadgeDesign, Emblem, Palette, Shape, render_png, render_svg
from .models import CredentialKind
from .services.awarding import training_year

# Colours of the QR code: the certificate's green on white, dark on light as scanners expect.
QR_DARK = "#1b3a2f"
QR_LIGHT = "#ffffff"

AWARD_DESIGN = BadgeDesign(shape=Shape.ROSETTE, palette=Palette.GOLD, emblem=Emblem.TROPHY)


def design_of(credential) -> BadgeDesign:
    """The image of a credential: its badge's design, or an emblem for its kind."""
    if credential.kind == CredentialKind.BADGE and credential.badge_class is not None:
        badge = credential.badge_class
        return BadgeDesign(
            shape=badge.shape, palette=badge.palette, emblem=badge.emblem, label=badge.label
        )
    if credential.kind == CredentialKind.TRAINING:
        return BadgeDesign(
            shape=Shape.MEDALLION,
            palette=Palette.FOREST,
            emblem=Emblem.CLOCK,
            label=training_year(credential),
        )
    return AWARD_DESIGN


# Designs are few (one per badge class), a rendering costs tens of milliseconds: keep them.
@functools.lru_cache(maxsize=256)
def design_svg(design: BadgeDesign) -> str:
    return render_svg(design)


@functools.lru_cache(maxsize=256)
def design_png(design: BadgeDesign) -> bytes:
    return render_png(design_svg(design))


def image_svg(credential) -> str:
    """The credential's image, unbaked: for pages and certificates."""
    return design_svg(design_of(credential))


def baked_png(credential) -> bytes:
    """The badge image with the signed credential inside (Open Badges 3.0 baking)."""
    return bake_png(design_png(design_of(credential)), credential.document)


def baked_svg(credential) -> str:
    return bake_svg(design_svg(design_of(credential)), credential.document)


def download_name(credential, extension) -> str:
    """'mentor-100-heures-1a2b3c4d.pdf': readable, and two credentials of one name differ."""
    stem = slugify(credential.name)[:60].strip("-") or credential.get_kind_display()
    return f"{slugify(stem) or 'credential'}-{str(credential.public_id)[:8]}.{extension}"


def certificate_filename(credential, language) -> str:
    """'mentor-100-heures-1a2b3c4d-fr.pdf', '100-hour-mentor-1a2b3c4d-en.pdf': the PDF is named
    in its own language, and the two languages of one credential never share a name."""
    name, _ = attestation(credential, language)
    stem = slugify(name)[:60].strip("-") or slugify(credential.get_kind_display()) or "credential"
    suffix = "fr" if language.startswith("fr") else "en"
    return f"{stem}-{str(credential.public_id)[:8]}-{suffix}.pdf"


def issuer_contacts(organisation) -> list[str]:
    """The website and e-mail the organisation gives as its issuer's, printed under its name."""
    try:
        issuer = organisation.issuer
    except ObjectDoesNotExist:
        return []
    return [contact for contact in (issuer.website, issuer.email) if contact]


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, with the quiet zone scanners need."""
    return segno.make(url, error="m").svg_inline(
        scale=4, dark=QR_DARK, light=QR_LIGHT, border=3, omitsize=True
    )


def credential_language(credential, requested="") -> str:
    return certificate_language(credential.person, requested)


def attestation(credential, language):
    """(name, description) of what the credential attests, in `language`: as signed when the
    credential was issued in that language, translated the same way otherwise."""
    achievement = credential.document.get("credentialSubject", {}).get("achievement", {})
    if language == credential.language:
        return achievement.get("name", credential.name), achievement.get("description", "")
    from .services import awarding

    if credential.kind == CredentialKind.BADGE and credential.badge_class is not None:
        translated = awarding.badge_achievement(credential.badge_class, language)
    elif credential.kind == CredentialKind.AWARD and credential.award is not None:
        translated = awarding.award_achievement(credential.award, language)
    elif credential.kind == CredentialKind.TRAINING and training_year(credential):
        figures = types.SimpleNamespace(
            person=credential.person,
            year=int(training_year(credential)),
            total_minutes=int(credential.issue_key.rsplit(":", 1)[1]),
        )
        translated = awarding.training_achievement(figures, language)
    else:
        return achievement.get("name", credential.name), achievement.get("description", "")
    return translated.name, translated.description


def signed_name(document) -> str:
    """The holder's name as the signed `document` states it, or "" when it states none."""
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    identities = subject.get("identifier") if isinstance(subject, dict) else None
    for identity in identities if isinstance(identities, list) else []:
        if (
            isinstance(identity, dict)
            and identity.get("identityType") == "name"
            and not identity.get("hashed")
        ):
            return str(identity.get("identityHash", ""))
    return ""


def holder_name(credential) -> str:
    """The name the credential was issued to (the person may have changed theirs since)."""
    return signed_name(credential.document) or credential.person.full_name


def certificate_html(credential, language) -> str:
    organisation = credential.organisation
    name, description = attestation(credential, language)
    with translation.override(language), timezone.override(organisation.time_zone):
        return render_to_string(
            "credentials/certificate.html",
            {
                "credential": credential,
                "organisation": organisation,
                "language": language,
                "holder": holder_name(credential),
                "achievement_name": name,
                "achievement_description": description,
                "badge_svg": image_svg(credential),
                "qr_svg": qr_svg(credential.url),
                "reference": str(credential.public_id),
                "contacts": issuer_contacts(organisation),
            },
        )


def certificate_pdf(credential, language) -> bytes:
    return render_pdf(certificate_html(credential, language))
