"""A profile as plain data: what a ProfileVersion stores and what two versions are compared by.

Services write snapshots, selectors read and describe them; keeping the shape in one module
means both sides agree on it.
"""

from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment

from .models import Motivation

TEXT_FIELDS = ("motivation_other", "interests", "diet", "accessibility", "availability")
SNAPSHOT_KEYS = ("motivations", "scores", "consent", "moments", *TEXT_FIELDS)
# Interests is a free text: long enough for a paragraph, short enough to read on a page.
LONG_TEXT_LIMIT = 2000

MOTIVATION_ORDER = {value: index for index, value in enumerate(Motivation.values)}
MOMENT_ORDER = {value: index for index, value in enumerate(RecognitionMoment.values)}
CATEGORY_ORDER = {value: index for index, value in enumerate(RecognitionCategory.values)}
CONSENT_VALUES = frozenset(PublicConsent.values)


def empty_snapshot():
    """The snapshot of a profile nobody has filled in."""
    return {
        "motivations": [],
        "scores": {},
        "consent": "",
        "moments": [],
        **dict.fromkeys(TEXT_FIELDS, ""),
    }


def profile_snapshot(profile):
    """`profile` as a snapshot; its motivations and preferences are read through `.all()`, so
    prefetch them."""
    if profile is None:
        return empty_snapshot()
    return {
        "motivations": sorted(
            (row.motivation for row in profile.motivations.all()),
            key=lambda value: MOTIVATION_ORDER.get(value, len(MOTIVATION_ORDER)),
        ),
        "scores": {row.category: row.score for row in profile.preferences.all()},
        "consent": profile.public_consent,
        "moments": sorted(
            profile.preferred_moments,
            key=lambda value: MOMENT_ORDER.get(value, len(MOMENT_ORDER)),
        ),
        **{field: getattr(profile, field) for field in TEXT_FIELDS},
    }


def ordered_scores(scores):
    """(category value, score or None) for every category, in the catalog's order."""
    return [(category, scores.get(category)) for category in RecognitionCategory.values]
