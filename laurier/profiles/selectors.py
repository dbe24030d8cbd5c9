"""Reads of mentor profiles: a person's current profile and history, a program's profiles."""

from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from laurier.programs.models import EnrolmentStatus, Person
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment

from .models import CategoryPreference, MentorProfile, Motivation, ProfileVersion
from .snapshots import empty_snapshot, ordered_scores, profile_snapshot


def current_profile(person):
    """`person`'s profile with its motivations and preferences, or None (three queries at
    most, one when there is none)."""
    return (
        MentorProfile.objects.filter(person_id=person.pk)
        .prefetch_related("motivations", "preferences")
        .first()
    )


def _label(choices, value):
    return str(dict(choices).get(value, value))


@dataclass
class ScoreLine:
    """One category's score, as a profile page shows it."""

    category: str
    label: str
    score: int | None


@dataclass
class ReadableProfile:
    """A profile in words, in the reader's language, for the mentor's and the manager's pages."""

    profile: MentorProfile
    motivations: list
    motivation_other: str
    scores: list
    consent: str
    moments: list
    interests: str
    diet: str
    accessibility: str
    availability: str

    @property
    def source(self):
        return self.profile.get_source_display()

    @property
    def updated_at(self):
        return self.profile.updated_at

    @property
    def favourites(self):
        """The categories rated highest (4 or 5), best first: the summary a manager reads."""
        rated = [line for line in self.scores if line.score is not None and line.score >= 4]
        return sorted(rated, key=lambda line: -line.score)


def readable_profile(profile):
    """`profile` (from current_profile) in words, or None; runs no query."""
    if profile is None:
        return None
    data = profile_snapshot(profile)
    return ReadableProfile(
        profile=profile,
        motivations=[_label(Motivation.choices, value) for value in data["motivations"]],
        motivation_other=data["motivation_other"],
        scores=[
            ScoreLine(category, _label(RecognitionCategory.choices, category), score)
            for category, score in ordered_scores(data["scores"])
        ],
        consent=_label(PublicConsent.choices, data["consent"]) if data["consent"] else "",
        moments=[_label(RecognitionMoment.choices, value) for value in data["moments"]],
        interests=data["interests"],
        diet=data["diet"],
        accessibility=data["accessibility"],
        availability=data["availability"],
    )


@dataclass
class HistoryEntry:
    """One version of a profile and the sentences saying what it changed."""

    version: ProfileVersion
    changes: list = field(default_factory=list)

    @property
    def recorded_at(self):
        return self.version.recorded_at

    @property
    def source(self):
        return self.version.get_source_display()


def _quoted(text):
    return _("“%(text)s”") % {"text": text}


def _list_changes(before, after, choices, added_text, removed_text):
    added = [value for value in after if value not in before]
    removed = [value for value in before if value not in after]
    return [added_text % {"name": _label(choices, value)} for value in added] + [
        removed_text % {"name": _label(choices, value)} for value in removed
    ]


TEXT_LABELS = {
    "motivation_other": lambda: _("Other reason"),
    "interests": lambda: _("Interests"),
    "diet": lambda: _("Dietary needs"),
    "accessibility": lambda: _("Accessibility needs"),
    "availability": lambda: _("Availability for events"),
}


def describe_changes(before, after):
    """What changed between two snapshots, as sentences in the reader's language."""
    before = {**empty_snapshot(), **before}
    after = {**empty_snapshot(), **after}
    changes = _list_changes(
        before["motivations"],
        after["motivations"],
        Motivation.choices,
        _("New reason for mentoring: %(name)s."),
        _("No longer a reason for mentoring: %(name)s."),
    )
    for field_name, label in TEXT_LABELS.items():
        old, new = before[field_name], after[field_name]
        if old == new:
            continue
        if new:
            changes.append(_("%(field)s: %(value)s.") % {"field": label(), "value": _quoted(new)})
        else:
            changes.append(_("%(field)s: removed.") % {"field": label()})
    for category, new in ordered_scores(after["scores"]):
        old = before["scores"].get(category)
        if old != new and new is not None:
            label = _label(RecognitionCategory.choices, category)
            if old is None:
                changes.append(
                    _("%(category)s rated %(new)d out of 5.") % {"category": label, "new": new}
                )
            else:
                changes.append(
                    _("%(category)s: %(old)d → %(new)d out of 5.")
                    % {"category": label, "old": old, "new": new}
                )
    if before["consent"] != after["consent"]:
        changes.append(
            _("Public recognition: %(answer)s.")
            % {"answer": _label(PublicConsent.choices, after["consent"]) or _("no answer")}
        )
    changes += _list_changes(
        before["moments"],
        after["moments"],
        RecognitionMoment.choices,
        _("New preferred moment: %(name)s."),
        _("No longer a preferred moment: %(name)s."),
    )
    return changes


def profile_history(person):
    """Every version of `person`'s profile, newest first, each with what changed in words
    (one query)."""
    versions = list(
        ProfileVersion.objects.filter(person_id=person.pk)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        if older is None:
            changes = [_("Profile filled in for the first time.")]
            changes += describe_changes(empty_snapshot(), version.data)
        else:
            changes = describe_changes(older.data, version.data) or [_("No visible change.")]
        entries.append(HistoryEntry(version, changes))
    return entries


@dataclass(frozen=True)
class StructuredProfile:
    """What the planner reads of one mentor: how much each category counts, and the limits."""

    person: Person
    has_profile: bool
    scores: dict
    consent: str
    interests: str
    moments: list


def structured_profiles(program):
    """The structured profile of every active mentor of `program`, by name.

    Two queries whatever the number of mentors: the mentors with their profile (one join), then
    every category score of those profiles. A mentor without a profile comes with empty scores
    and no consent, which the planner reads as "unknown".
    """
    mentors = (
        Person.objects.filter(
            mentor_enrolments__program=program, mentor_enrolments__status=EnrolmentStatus.ACTIVE
        )
        .select_related("mentor_profile")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )
    scores = {}
    for person_id, category, score in CategoryPreference.objects.filter(
        profile__person__mentor_enrolments__program=program,
        profile__person__mentor_enrolments__status=EnrolmentStatus.ACTIVE,
    ).values_list("profile__person_id", "category", "score"):
        scores.setdefault(person_id, {})[category] = score
    result = []
    for person in mentors:
        profile = getattr(person, "mentor_profile", None)
        result.append(
            StructuredProfile(
                person=person,
                has_profile=profile is not None,
                scores=scores.get(person.pk, {}),
                consent=profile.public_consent if profile else "",
                interests=profile.interests if profile else "",
                moments=list(profile.preferred_moments) if profile else [],
            )
        )
    return result
