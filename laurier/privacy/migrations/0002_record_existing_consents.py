"""Record as consents the answers given before Laurier kept consents with their wording.

The public-recognition answer of each mentor profile, dated by the profile version that first
gave it, and each published page of badges, dated by its publication. The wording then shown
is not known: the row says so, in the person's language. Nothing is changed elsewhere.

Reversing it removes nothing (the rows may have been ended or followed by new answers since);
applying it again skips the people who already have a consent of that kind in force.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import translation
from django.utils.translation import gettext

BATCH = 1000
UNKNOWN_WORDING = "Recorded before consents were kept with their wording."
ANSWER_LABELS = {
    "yes": "Yes, recognise me in public",
    "no": "No, keep my recognition private",
    "ask": "Ask me each time",
}


def _in_language(language, text):
    with translation.override(language):
        return gettext(text)


def _first_given_at(versions, answer, fallback):
    """When the latest run of versions with this answer began (versions newest first)."""
    given_at = None
    for version in versions:
        if (version.data or {}).get("consent") != answer:
            break
        given_at = version.recorded_at
    return given_at or fallback


def _without_consent_in_force(Consent, queryset, kind):
    in_force = Consent.objects.filter(person_id=OuterRef("person_id"), kind=kind, ended_at=None)
    return queryset.exclude(Exists(in_force))


def record_existing_consents(apps, schema_editor):
    MentorProfile = apps.get_model("profiles", "MentorProfile")
    ProfileVersion = apps.get_model("profiles", "ProfileVersion")
    PublicProfile = apps.get_model("credentials", "PublicProfile")
    Consent = apps.get_model("privacy", "Consent")
    profiles = (
        _without_consent_in_force(
            Consent, MentorProfile.objects.exclude(public_consent=""), "public_recognition"
        )
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__profile_versions",
                queryset=ProfileVersion.objects.order_by("-recorded_at", "-pk"),
            )
        )
        .order_by("pk")
    )
    batch = []
    for profile in profiles.iterator(chunk_size=BATCH):
        language = profile.person.language
        versions = profile.person.profile_versions.all()
        batch.append(
            Consent(
                organisation_id=profile.organisation_id,
                person_id=profile.person_id,
                kind="public_recognition",
                answer=profile.public_consent,
                answer_label=_in_language(
                    language, ANSWER_LABELS.get(profile.public_consent, profile.public_consent)
                ),
                wording=_in_language(language, UNKNOWN_WORDING),
                language=language,
                given_at=_first_given_at(versions, profile.public_consent, profile.updated_at),
            )
        )
        if len(batch) >= BATCH:
            Consent.objects.bulk_create(batch)
            batch = []
    published = _without_consent_in_force(
        Consent, PublicProfile.objects.filter(published_at__isnull=False), "public_badge_page"
    ).select_related("person")
    for page in published.iterator(chunk_size=BATCH):
        language = page.person.language
        batch.append(
            Consent(
                organisation_id=page.person.organisation_id,
                person_id=page.person_id,
                kind="public_badge_page",
                answer="yes",
                answer_label=_in_language(language, "Publish my page"),
                wording=_in_language(language, UNKNOWN_WORDING),
                language=language,
                given_at=page.published_at,
            )
        )
        if len(batch) >= BATCH:
            Consent.objects.bulk_create(batch)
            batch = []
    Consent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("profiles", "0001_initial"),
        ("credentials", "0004_alter_badgeclass_rule"),
    ]

    operations = [
        migrations.RunPython(record_existing_consents, migrations.RunPython.noop),
    ]
