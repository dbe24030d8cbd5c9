"""How well a recognition option suits an organisation's culture, and how to word it.

Pure functions, no queries: the catalog, the option pages and the planner call them with a
`CultureProfile` (or None when the organisation has not described its culture yet) and a
`RecognitionOption` (or anything with `visibility`, `formality`, `scope` and `nature`).

A culture leans on four axes, each from -2 to 2: a positive value leans towards the first pole
the field names (public, formal, individual, symbolic), a negative one towards the other. An
option sits at one pole of each axis. On every axis the culture has a leaning on, the option
agrees (same side) or not, by as much as the culture leans:

    agreement = leaning if the option is at the first pole, else -leaning
    score = 0.5 + sum(agreements) / (2 * sum(|leanings|))

so a score is 1 when the option sits where the culture leans on every axis, 0 when it sits at
the opposite pole of each, and 0.5 (neutral) when the culture has no leaning at all or is
missing. A **clash** is an axis where the culture leans strongly (±2) to the pole opposite the
option's; a **mismatch** is one where it leans only somewhat (±1) the other way.

The verdict has three states, the ones the catalog's badges and filter show: an option
**fits** (no clash, no mismatch), is **partly at odds** (a mismatch, no clash) or **clashes**.
People read the score "out of 100" (`CultureFit.percent`) next to the verdict, so it is placed
in the verdict's band (clashes 0–33, partly at odds 34–66, fits 67–100) and never says that a
clashing option does better than one that is only partly at odds.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .categories import Formality, Nature, RecognitionCategory, Scope, Visibility

STRONG = 2
NEUTRAL_SCORE = 0.5


@dataclass(frozen=True)
class Axis:
    """One axis of a culture: the profile field, the option field and its two poles."""

    leaning: str  # CultureProfile field, -2..2
    character: str  # RecognitionOption field
    first: str  # option value at the positive end
    second: str  # option value at the negative end
    label: str
    explanation: str
    # The five steps of the leaning, from -2 to 2, in plain words.
    steps: tuple
    # Reason shown when the option sits at `first` (resp. `second`) against a leaning culture:
    # (strong clash, mild mismatch).
    against_first: tuple
    against_second: tuple


AXES = (
    Axis(
        leaning="public_or_private",
        character="visibility",
        first=Visibility.PUBLIC,
        second=Visibility.PRIVATE,
        label=gettext_lazy("Public or private"),
        explanation=gettext_lazy(
            "Should recognition be seen by others (a newsletter, an event, a ceremony) or stay "
            "between the mentor and the people close to them (a card, a conversation)?"
        ),
        steps=(
            gettext_lazy("Strongly private"),
            gettext_lazy("Rather private"),
            gettext_lazy("No preference"),
            gettext_lazy("Rather public"),
            gettext_lazy("Strongly public"),
        ),
        against_first=(
            gettext_lazy("Public, while your culture prefers private recognition"),
            gettext_lazy("Public, while your culture leans towards private recognition"),
        ),
        against_second=(
            gettext_lazy("Private, while your culture prefers public recognition"),
            gettext_lazy("Private, while your culture leans towards public recognition"),
        ),
    ),
    Axis(
        leaning="formal_or_informal",
        character="formality",
        first=Formality.FORMAL,
        second=Formality.INFORMAL,
        label=gettext_lazy("Formal or informal"),
        explanation=gettext_lazy(
            "Does your organisation thank people with ceremony and official documents "
            "(a certificate, a letter from an executive), or with simple, spontaneous gestures "
            "(a word of thanks, a coffee)?"
        ),
        steps=(
            gettext_lazy("Strongly informal"),
            gettext_lazy("Rather informal"),
            gettext_lazy("No preference"),
            gettext_lazy("Rather formal"),
            gettext_lazy("Strongly formal"),
        ),
        against_first=(
            gettext_lazy("Formal, while your culture prefers informal recognition"),
            gettext_lazy("Formal, while your culture leans towards informal recognition"),
        ),
        against_second=(
            gettext_lazy("Informal, while your culture prefers formal recognition"),
            gettext_lazy("Informal, while your culture leans towards formal recognition"),
        ),
    ),
    Axis(
        leaning="individual_or_collective",
        character="scope",
        first=Scope.INDIVIDUAL,
        second=Scope.COLLECTIVE,
        label=gettext_lazy("Individual or collective"),
        explanation=gettext_lazy(
            "Does your organisation single out one person's contribution, or rather thank a "
            "group of mentors together for what they achieved as a team?"
        ),
        steps=(
            gettext_lazy("Strongly collective"),
            gettext_lazy("Rather collective"),
            gettext_lazy("No preference"),
            gettext_lazy("Rather individual"),
            gettext_lazy("Strongly individual"),
        ),
        against_first=(
            gettext_lazy("Individual, while your culture prefers collective recognition"),
            gettext_lazy("Individual, while your culture leans towards collective recognition"),
        ),
        against_second=(
            gettext_lazy("Collective, while your culture prefers individual recognition"),
            gettext_lazy("Collective, while your culture leans towards individual recognition"),
        ),
    ),
    Axis(
        leaning="symbolic_or_material",
        character="nature",
        first=Nature.SYMBOLIC,
        second=Nature.MATERIAL,
        label=gettext_lazy("Symbolic or material"),
        explanation=gettext_lazy(
            "Is recognition mostly a sign of gratitude (a mention, a badge, a certificate), or "
            "something with a material value (a gift, a perk, money)?"
        ),
        steps=(
            gettext_lazy("Strongly material"),
            gettext_lazy("Rather material"),
            gettext_lazy("No preference"),
            gettext_lazy("Rather symbolic"),
            gettext_lazy("Strongly symbolic"),
        ),
        against_first=(
            gettext_lazy("Symbolic, while your culture prefers material recognition"),
            gettext_lazy("Symbolic, while your culture leans towards material recognition"),
        ),
        against_second=(
            gettext_lazy("Material, while your culture prefers symbolic recognition"),
            gettext_lazy("Material, while your culture leans towards symbolic recognition"),
        ),
    ),
)
AXES_BY_LEANING = {axis.leaning: axis for axis in AXES}


@dataclass(frozen=True)
class Disagreement:
    """An axis on which the option sits where the culture does not lean."""

    axis: str  # the CultureProfile field
    leaning: int
    strong: bool
    reason: str  # translated, in the active language


@dataclass(frozen=True)
class CultureFit:
    """How well one option fits a culture: a score in [0, 1] and why it is not 1."""

    score: float
    clashes: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)

    @property
    def clashes_with_culture(self):
        return bool(self.clashes)

    @property
    def level(self):
        """'clash', 'mismatch', 'fit' (no disagreement, some agreement) or 'neutral'.

        'neutral' only when the culture has no leaning at all: then nothing can disagree.
        """
        if self.clashes:
            return "clash"
        if self.mismatches:
            return "mismatch"
        return "fit" if self.score > NEUTRAL_SCORE else "neutral"

    @property
    def rank(self):
        """0 clashes, 1 partly at odds, 2 fits (or neutral): the order of the verdicts."""
        return LEVEL_RANKS[self.level]

    @property
    def label(self):
        return FIT_LABELS[self.level]

    @property
    def reasons(self):
        return [d.reason for d in (*self.clashes, *self.mismatches)]

    @property
    def percent(self):
        """The score out of 100, inside the band of the verdict (see the module's documentation)."""
        if self.level == "neutral":
            return round(NEUTRAL_SCORE * 100)
        low, high = PERCENT_BANDS[self.level]
        # A fitting option scores above 0.5; the others anywhere below 1.
        position = (self.score - NEUTRAL_SCORE) * 2 if self.level == "fit" else self.score
        return low + round((high - low) * position)


LEVEL_RANKS = {"clash": 0, "mismatch": 1, "fit": 2, "neutral": 2}
PERCENT_BANDS = {"clash": (0, 33), "mismatch": (34, 66), "fit": (67, 100)}


FIT_LABELS = {
    "clash": gettext_lazy("Clashes with your culture"),
    "mismatch": gettext_lazy("Partly at odds with your culture"),
    "fit": gettext_lazy("Fits your culture"),
    "neutral": gettext_lazy("Neutral"),
}


def leanings(profile):
    """{axis field: leaning} of a profile; every leaning is 0 when there is no profile."""
    return {axis.leaning: int(getattr(profile, axis.leaning, 0) or 0) for axis in AXES}


def has_leanings(profile):
    return any(leanings(profile).values())


def agreement(lean, option_value, axis):
    """How much an option at `option_value` agrees with a culture leaning `lean` on `axis`."""
    return lean if option_value == axis.first else -lean


def culture_fit(profile, option):
    """How well `option` fits the culture of `profile` (None: no profile yet), with reasons.

    See the module's documentation for the score. Reasons are translated in the active
    language when this is called.
    """
    total_lean = 0
    total_agreement = 0
    clashes, mismatches = [], []
    leans = leanings(profile)
    for axis in AXES:
        lean = leans[axis.leaning]
        if not lean:
            continue
        value = getattr(option, axis.character)
        agreed = agreement(lean, value, axis)
        total_lean += abs(lean)
        total_agreement += agreed
        if agreed < 0:
            strong = abs(lean) >= STRONG
            reasons = axis.against_first if value == axis.first else axis.against_second
            disagreement = Disagreement(
                axis=axis.leaning,
                leaning=lean,
                strong=strong,
                reason=str(reasons[0] if strong else reasons[1]),
            )
            (clashes if strong else mismatches).append(disagreement)
    if not total_lean:
        return CultureFit(score=NEUTRAL_SCORE)
    score = NEUTRAL_SCORE + total_agreement / (2 * total_lean)
    return CultureFit(score=score, clashes=clashes, mismatches=mismatches)


def rank_by_fit(profile, options):
    """[(option, CultureFit)] best verdict first (fits, partly at odds, clashes), then by score.

    Ties keep the order `options` came in, so a caller's own order (cost, name) breaks them.
    """
    fits = [(option, culture_fit(profile, option)) for option in options]
    return sorted(fits, key=lambda pair: (-pair[1].rank, -pair[1].score))


def tone(profile, option):
    """'formal' or 'informal': the culture's leaning decides, else the option's own formality."""
    lean = leanings(profile)["formal_or_informal"]
    if lean:
        return Formality.FORMAL if lean > 0 else Formality.INFORMAL
    return option.formality


def framing(profile, option):
    """'individual' or 'collective': whom the message speaks to, so the option's own scope.

    A portrait of one mentor is read by that mentor: "What a team! Thank you all" would be
    wrong there, however collective the culture is; the culture shapes the tone instead.
    """
    return option.scope


def shares_publicly(profile, option):
    """True when the message may say the mentor's contribution will be made known.

    Only for a public option, and never when the culture leans towards private recognition.
    """
    return option.visibility == Visibility.PUBLIC and leanings(profile)["public_or_private"] >= 0


PAID = {RecognitionCategory.STIPEND}
MAX_VALUES_NAMED = 3


def wording_suggestions(profile, option):
    """A few phrases for the message that goes with `option`, in the reader's language.

    The tone follows the culture's formality (the option's own when the culture has no
    leaning), the framing the option's scope (one mentor or a group), a public option is
    announced as such unless the culture leans private, and the organisation's values are
    named when it has some. Money is never presented as the measure of a mentor's
    generosity: payment can change why people mentor.
    """
    formal = tone(profile, option) == Formality.FORMAL
    individual = framing(profile, option) == Scope.INDIVIDUAL
    phrases = []
    if formal and individual:
        phrases.append(
            _(
                "We sincerely thank you for the time and expertise you so generously give "
                "to your mentee."
            )
        )
        phrases.append(
            _("Your commitment makes a lasting difference in the path of the people you guide.")
        )
    elif formal:
        phrases.append(
            _(
                "On behalf of the organisation, we sincerely thank the mentors of this program "
                "for their generous commitment."
            )
        )
        phrases.append(
            _("Together, you make a lasting difference in the path of the people you guide.")
        )
    elif individual:
        phrases.append(
            _("Thank you so much for everything you bring to your mentee: it really shows!")
        )
        phrases.append(_("Your time and your advice make a real difference. Bravo!"))
    else:
        phrases.append(
            _("What a team! Thank you all for the time you give to the people you mentor.")
        )
        phrases.append(_("Together, you make this program what it is. Bravo to all of you!"))
    values = list(getattr(profile, "values", None) or [])[:MAX_VALUES_NAMED]
    if values:
        named = ", ".join(values)
        if formal:
            phrases.append(
                _("Your commitment embodies our values: %(values)s.") % {"values": named}
            )
        else:
            phrases.append(_("You live our values every day: %(values)s.") % {"values": named})
    if option.category in PAID:
        phrases.append(
            _(
                "This payment acknowledges the time you give; it does not measure the value "
                "of your generosity."
            )
        )
    if shares_publicly(profile, option):
        phrases.append(
            _("We are proud to share your contribution with everyone, with your agreement.")
            if formal
            else _("We want everyone to know what you do, if you are happy with that!")
        )
    return phrases


def plain_steps(axis):
    """[(leaning, words)] of the five steps of an axis, from 2 to -2.

    The scale starts at the pole its title names first ("Public or private" runs from
    "Strongly public" to "Strongly private"), so it reads the way it is announced.
    """
    return list(reversed(list(zip(range(-STRONG, STRONG + 1), axis.steps, strict=True))))


def describe_leaning(profile, axis):
    """The words of where a profile sits on an axis ('Rather formal')."""
    return axis.steps[leanings(profile)[axis.leaning] + STRONG]


def as_decimal_score(fit):
    """The raw score in [0, 1] with two decimals (for tools that weigh it, not for people)."""
    return Decimal(str(round(fit.score, 2)))
