"""The ready-made catalog every organisation starts with: one option per family of recognition.

Each text is written once, in English, as a translatable string; installing renders it in both
languages, so the French catalogue fills the French side. Costs are realistic for a Canadian
organisation (in its currency); managers adapt every option afterwards. The `key` of an option
never changes: it is how installing again knows the option is already there, even after a
manager renamed, edited or retired it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .categories import (
    Formality,
    Giver,
    Nature,
    Personalisation,
    RecognitionCategory,
    RecognitionMoment,
    Scope,
    Visibility,
)
from .models import CapacityPeriod, RecognitionOption

Category = RecognitionCategory
Moment = RecognitionMoment

# Installing again after a concurrent install lost the race; more tries never help.
_INSTALL_ATTEMPTS = 3

# Standard options given to the mentee rather than to the mentor (recognising the relationship
# on both sides): the planner, which plans for mentors, leaves them out.
FOR_MENTEES = frozenset({"training_hours_mentee"})
# The standard options that pay mentors, by the compensation decision they follow.
STANDARD_PAY = ("stipend", "honorarium")


@dataclass(frozen=True)
class StandardOption:
    """An option of the ready-made catalog; texts are translatable strings, rendered on install."""

    key: str
    category: str
    name: str
    description: str
    visibility: str
    formality: str
    nature: str
    scope: str = Scope.INDIVIDUAL
    cost_money: str = "0.00"
    staff_hours: str = "0.00"
    material_items: int = 0
    material_needs: str = ""
    capacity: int | None = None
    capacity_period: str = CapacityPeriod.YEAR
    min_hours_mentored: str | None = None
    min_tenure_months: int | None = None
    active_mentors_only: bool = True
    contest_winners_only: bool = False
    moments: tuple = ()
    usual_givers: tuple = (Giver.MANAGER,)
    personalisation: str = Personalisation.SOME


EVERY_MOMENT = tuple(Moment.values)

STANDARD_OPTIONS = (
    StandardOption(
        key="newsletter_mention",
        category=Category.PUBLIC_MENTION,
        name=_("Mention in the newsletter"),
        description=_(
            "A short portrait of the mentor in the organisation's newsletter: who they are, "
            "what they bring to their mentee, a word from the mentee. Only with the mentor's "
            "consent to public recognition."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        staff_hours="1.50",
        capacity=3,
        capacity_period=CapacityPeriod.MONTH,
        moments=(Moment.CYCLE_END, Moment.MENTORING_ANNIVERSARY, Moment.MENTORING_DAY),
        usual_givers=(Giver.MANAGER, Giver.EXECUTIVE),
    ),
    StandardOption(
        key="intranet_mention",
        category=Category.PUBLIC_MENTION,
        name=_("Mention on the intranet"),
        description=_(
            "A news item or a post on the intranet thanking the mentor, with a photo if they "
            "wish. Quick to publish, seen by colleagues. Only with the mentor's consent."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.INFORMAL,
        nature=Nature.SYMBOLIC,
        staff_hours="0.75",
        moments=(Moment.MID_CYCLE, Moment.CYCLE_END, Moment.MENTORING_DAY),
        usual_givers=(Giver.MANAGER, Giver.MENTEE_MANAGER),
    ),
    StandardOption(
        key="thank_you_card",
        category=Category.THANK_YOU_CARD,
        name=_("Thank-you card"),
        description=_(
            "A handwritten card, ideally signed by the mentee as well. Inexpensive and deeply "
            "appreciated when the message names what the mentor actually did."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.INFORMAL,
        nature=Nature.SYMBOLIC,
        cost_money="6.50",
        staff_hours="0.25",
        material_items=1,
        material_needs=_("A card and an envelope; a stamp if mailed."),
        moments=EVERY_MOMENT,
        usual_givers=(Giver.MANAGER, Giver.MENTEE, Giver.MENTEE_MANAGER, Giver.PEER),
        personalisation=Personalisation.FULL,
    ),
    StandardOption(
        key="certificate",
        category=Category.CERTIFICATE,
        name=_("Certificate of recognition"),
        description=_(
            "A certificate naming the mentor, the program and the hours mentored, signed by an "
            "executive. Printed on quality paper, or sent as a PDF."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        cost_money="4.00",
        staff_hours="0.50",
        material_items=1,
        material_needs=_("Quality paper and a folder."),
        moments=(Moment.CYCLE_END, Moment.MENTORING_ANNIVERSARY, Moment.YEAR_END),
        usual_givers=(Giver.MANAGER, Giver.EXECUTIVE),
    ),
    StandardOption(
        key="mentoring_badge",
        category=Category.BADGE,
        name=_("Mentoring badge"),
        description=_(
            "A digital badge (Open Badge) the mentor can show on their professional profile, "
            "awarded after their first ten hours of mentoring."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        staff_hours="0.25",
        min_hours_mentored="10.00",
        moments=(Moment.CYCLE_END, Moment.MENTORING_ANNIVERSARY),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="network_access",
        category=Category.NETWORKS_AND_EVENTS,
        name=_("Access to a professional network"),
        description=_(
            "A year of membership in a professional association or a mentors' network, paid by "
            "the organisation: new contacts and perspectives, one of the reasons people mentor."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="150.00",
        staff_hours="1.00",
        capacity=10,
        min_tenure_months=6,
        moments=(Moment.CYCLE_START, Moment.MENTORING_ANNIVERSARY),
        personalisation=Personalisation.FULL,
    ),
    StandardOption(
        key="special_event",
        category=Category.NETWORKS_AND_EVENTS,
        name=_("Invitation to a special event"),
        description=_(
            "An invitation to an event usually reserved for a few: a breakfast with the "
            "executive team, a launch, a guest speaker's talk."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        scope=Scope.COLLECTIVE,
        cost_money="45.00",
        staff_hours="0.50",
        capacity=20,
        moments=(Moment.MID_CYCLE, Moment.MENTORING_DAY, Moment.YEAR_END),
        usual_givers=(Giver.EXECUTIVE, Giver.MANAGER),
    ),
    StandardOption(
        key="material_perk",
        category=Category.MATERIAL_PERK,
        name=_("Lunch for two at a local restaurant"),
        description=_(
            "A lunch for the mentor and a guest of their choice, reserved by the organisation. "
            "Gift cards count as taxable income in Canada; a reserved meal usually does not."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.INFORMAL,
        nature=Nature.MATERIAL,
        cost_money="70.00",
        staff_hours="0.50",
        moments=(Moment.MID_CYCLE, Moment.CYCLE_END, Moment.MENTORING_ANNIVERSARY),
        personalisation=Personalisation.FULL,
    ),
    StandardOption(
        key="symbolic_gift",
        category=Category.SYMBOLIC_GIFT,
        name=_("Engraved mentor's pin"),
        description=_(
            "A small pin engraved with the program's name and the year: a lasting sign of "
            "belonging, more meaningful than its cost."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.INFORMAL,
        nature=Nature.SYMBOLIC,
        cost_money="18.00",
        staff_hours="0.25",
        material_items=1,
        material_needs=_("An engraved pin and its box."),
        moments=(Moment.CYCLE_END, Moment.MENTORING_ANNIVERSARY),
    ),
    StandardOption(
        key="gala",
        category=Category.PUBLIC_EVENT,
        name=_("Seat at the recognition gala"),
        description=_(
            "A seat at the organisation's annual gala, where mentors are thanked on stage. The "
            "cost covers the meal and a share of the room; staff hours cover the organising."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        scope=Scope.COLLECTIVE,
        cost_money="175.00",
        staff_hours="2.00",
        capacity=40,
        moments=(Moment.YEAR_END, Moment.MENTORING_DAY),
        usual_givers=(Giver.EXECUTIVE, Giver.MANAGER),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="dinner",
        category=Category.PUBLIC_EVENT,
        name=_("Mentors' dinner"),
        description=_(
            "A friendly dinner bringing the mentors of a program together to celebrate the end "
            "of a cycle and share what they learned."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.INFORMAL,
        nature=Nature.MATERIAL,
        scope=Scope.COLLECTIVE,
        cost_money="85.00",
        staff_hours="1.00",
        capacity=25,
        moments=(Moment.CYCLE_END, Moment.YEAR_END),
        usual_givers=(Giver.MANAGER, Giver.EXECUTIVE),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="advanced_training",
        category=Category.PROFESSIONAL_DEVELOPMENT,
        name=_("Advanced mentoring training"),
        description=_(
            "A day of advanced training reserved for experienced mentors: difficult "
            "conversations, feedback, mentoring across differences. Counts as training hours."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="450.00",
        staff_hours="2.00",
        capacity=15,
        min_hours_mentored="20.00",
        moments=(Moment.CYCLE_START, Moment.CYCLE_END),
    ),
    StandardOption(
        key="workshop",
        category=Category.PROFESSIONAL_DEVELOPMENT,
        name=_("Mentors' workshop"),
        description=_(
            "A half-day workshop where mentors practise together and share their cases; it "
            "also builds the community of practice that keeps mentors engaged."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.INFORMAL,
        nature=Nature.MATERIAL,
        scope=Scope.COLLECTIVE,
        cost_money="120.00",
        staff_hours="3.00",
        capacity=20,
        capacity_period=CapacityPeriod.QUARTER,
        moments=(Moment.CYCLE_START, Moment.MID_CYCLE),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="conference",
        category=Category.PROFESSIONAL_DEVELOPMENT,
        name=_("Registration to a conference"),
        description=_(
            "Registration to a conference of the mentor's field, chosen with them; travel is "
            "planned separately. Reserved for mentors with a year of mentoring."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="650.00",
        staff_hours="1.00",
        capacity=5,
        min_tenure_months=12,
        moments=(Moment.MENTORING_ANNIVERSARY, Moment.YEAR_END),
        personalisation=Personalisation.FULL,
    ),
    StandardOption(
        key="seminar",
        category=Category.PROFESSIONAL_DEVELOPMENT,
        name=_("Seminar series"),
        description=_(
            "A series of online seminars on leadership and coaching, followed at the mentor's "
            "own pace."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="200.00",
        staff_hours="0.50",
        capacity=10,
        moments=(Moment.CYCLE_START, Moment.MID_CYCLE),
    ),
    StandardOption(
        key="training_hours_mentor",
        category=Category.TRAINING_HOURS,
        name=_("Mentoring hours credited as training (mentor)"),
        description=_(
            "The mentor's hours of mentoring are recorded as continuing training, with a "
            "yearly statement they can give their professional order or employer."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        staff_hours="0.25",
        moments=(Moment.CYCLE_END, Moment.YEAR_END),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        # Given to the mentee, to honour the mentor: never planned for a mentor.
        key="training_hours_mentee",
        category=Category.TRAINING_HOURS,
        name=_("Mentoring hours credited as training (mentee)"),
        description=_(
            "The mentee's hours of mentoring are recorded as training too: recognising the "
            "relationship on both sides honours the mentor's gift."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        staff_hours="0.25",
        active_mentors_only=False,
        moments=(Moment.CYCLE_END, Moment.YEAR_END),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="mentor_of_the_year",
        category=Category.CONTEST,
        name=_("Mentor-of-the-year award"),
        description=_(
            "The award of the mentor-of-the-year contest: a trophy presented by an executive, "
            "a badge and a portrait in the newsletter. Staff hours cover the jury's work. "
            "Candidates need a year of mentoring."
        ),
        visibility=Visibility.PUBLIC,
        formality=Formality.FORMAL,
        nature=Nature.SYMBOLIC,
        cost_money="300.00",
        staff_hours="10.00",
        material_items=1,
        material_needs=_("An engraved trophy."),
        capacity=1,
        min_tenure_months=12,
        contest_winners_only=True,
        moments=(Moment.MENTORING_DAY, Moment.YEAR_END),
        usual_givers=(Giver.EXECUTIVE,),
        personalisation=Personalisation.SOME,
    ),
    StandardOption(
        key="stipend",
        category=Category.STIPEND,
        name=_("Mentor stipend"),
        description=_(
            "A fixed amount paid to each mentor for a cycle, only in a program that decided to "
            "pay its mentors. Payment can change the relationship and mentors' motives: see the "
            "program's compensation decision."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="500.00",
        staff_hours="0.50",
        moments=(Moment.CYCLE_END,),
        personalisation=Personalisation.NONE,
    ),
    StandardOption(
        key="honorarium",
        category=Category.STIPEND,
        name=_("Honorarium"),
        description=_(
            "A one-time honorarium for a contribution beyond mentoring, such as leading a "
            "workshop for other mentors. Only in a program that decided to pay its mentors."
        ),
        visibility=Visibility.PRIVATE,
        formality=Formality.FORMAL,
        nature=Nature.MATERIAL,
        cost_money="250.00",
        staff_hours="0.50",
        moments=(Moment.MID_CYCLE, Moment.CYCLE_END),
        personalisation=Personalisation.NONE,
    ),
)
STANDARD_KEYS = tuple(option.key for option in STANDARD_OPTIONS)


def install_standard_catalog(organisation):
    """Create the ready-made options the organisation does not have yet; return how many.

    Idempotent: an option installed once is never created again, whatever a manager did to it
    since (renamed, edited, retired). Two requests installing at the same moment cannot make
    two of a kind: the database allows one option per standard key and organisation, and the
    loser simply finds the winner's options.
    """
    for _attempt in range(_INSTALL_ATTEMPTS):
        installed = set(
            RecognitionOption.objects.filter(organisation=organisation)
            .exclude(standard_key="")
            .values_list("standard_key", flat=True)
        )
        missing = [spec for spec in STANDARD_OPTIONS if spec.key not in installed]
        if not missing:
            return 0
        try:
            with transaction.atomic():
                RecognitionOption.objects.bulk_create(
                    [_option(organisation, spec) for spec in missing]
                )
        except IntegrityError:
            continue
        return len(missing)
    return 0


def _bilingual(name, text):
    """{name_fr: ..., name_en: ...}: a translatable text rendered in each language of Laurier."""
    rendered = {}
    for suffix, language in (("fr", "fr-ca"), ("en", "en")):
        with translation.override(language):
            rendered[f"{name}_{suffix}"] = str(text) if text else ""
    return rendered


def _in_organisation_language(organisation, text):
    """A text for a one-language field, in the organisation's own language."""
    if not text:
        return ""
    with translation.override(organisation.language or "fr-ca"):
        return str(text)


def _option(organisation, spec):
    return RecognitionOption(
        organisation=organisation,
        standard_key=spec.key,
        category=spec.category,
        **_bilingual("name", spec.name),
        **_bilingual("description", spec.description),
        cost_money=Decimal(spec.cost_money),
        staff_hours=Decimal(spec.staff_hours),
        material_items=spec.material_items,
        material_needs=_in_organisation_language(organisation, spec.material_needs),
        capacity=spec.capacity,
        capacity_period=spec.capacity_period,
        visibility=spec.visibility,
        formality=spec.formality,
        scope=spec.scope,
        nature=spec.nature,
        min_hours_mentored=(
            Decimal(spec.min_hours_mentored) if spec.min_hours_mentored is not None else None
        ),
        min_tenure_months=spec.min_tenure_months,
        active_mentors_only=spec.active_mentors_only,
        contest_winners_only=spec.contest_winners_only,
        moments=list(spec.moments),
        usual_givers=list(spec.usual_givers),
        personalisation=spec.personalisation,
    )


# Bringing installed options up to date with the translation catalogue

REFRESHED_TEXTS = ("name", "description")


def _renderings(text):
    """Every wording Laurier may have stored for `text`: its English source (what an install
    stored before the text had a translation) and its rendering in each language."""
    if not text:
        return {""}
    with translation.override(None):
        source = str(text)
    return {source, *_bilingual("text", text).values()}


def _refreshed(option, name, text):
    """Set the option's two `name` fields to the current wording of `text`, except a field a
    manager rewrote (it matches no wording Laurier gives). True when a field changed."""
    renderings = _renderings(text)
    changed = False
    for field, current in _bilingual(name, text).items():
        stored = getattr(option, field)
        if stored != current and stored in renderings:
            setattr(option, field, current)
            changed = True
    return changed


def refresh_standard_catalog(organisations=None):
    """Re-render the names and descriptions of ready-made options that nobody edited.

    An organisation installed before a translation update keeps the wording of that time (for
    example English on the French side, before the French catalogue). A name or description
    that still equals a wording Laurier gives its source is rewritten in the current French and
    English; a text a manager changed stays as it is. Returns the number of options changed.
    """
    specs = {spec.key: spec for spec in STANDARD_OPTIONS}
    options = RecognitionOption.objects.exclude(standard_key="")
    if organisations is not None:
        options = options.filter(organisation__in=organisations)
    with transaction.atomic():
        changed = []
        for option in options.select_for_update():
            spec = specs.get(option.standard_key)
            if spec is None:
                continue
            # Both texts are refreshed, whichever changes: no short-circuit.
            results = [_refreshed(option, name, getattr(spec, name)) for name in REFRESHED_TEXTS]
            if any(results):
                changed.append(option)
        RecognitionOption.objects.bulk_update(
            changed, [f"{name}_{suffix}" for name in REFRESHED_TEXTS for suffix in ("fr", "en")]
        )
    return len(changed)
