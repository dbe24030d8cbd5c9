"""The ready-made surveys every organisation starts with: profile, engagement pulse, feedback.

Each text is written once, in English, as a translatable string; installing renders it in both
languages, so the French catalogue fills the French side. The question and choice keys are the
contract with the mentor profile and the mentor-voice page: they never change, whatever wording
a manager gives the questions afterwards.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from laurier.profiles.models import Motivation
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment

from .models import Choice, EngagementFactor, Question, Survey

Kind = Question.Kind
Purpose = Survey.Purpose

# Installing again after a concurrent install lost the race; more tries never help.
_INSTALL_ATTEMPTS = 3


@dataclass(frozen=True)
class StandardQuestion:
    """A question of a ready-made survey; texts are translatable strings, rendered on install."""

    key: str
    kind: str
    text: str
    help: str = ""
    required: bool = False
    choices: tuple = ()  # (key, text) pairs
    # (question key, choice key): show this question only if that choice is picked.
    shown_if: tuple | None = None


@dataclass(frozen=True)
class StandardSurvey:
    """A ready-made survey: its purpose, texts and questions."""

    purpose: str
    title: str
    introduction: str
    anonymous: bool
    questions: tuple = field(default=())


RATING_HELP = _("How much would this recognition mean to you? 0 = not at all, 5 = very much.")
AGREEMENT_HELP = _("1 = strongly disagree, 5 = strongly agree.")
COMMENT_HELP = _("Optional. Comments are never attributed to anyone.")

FACTOR_STATEMENTS = {
    EngagementFactor.STRUCTURE: _("The program's structure and what is expected of me are clear."),
    EngagementFactor.TRAINING: _("I get the continuing training I need as a mentor."),
    EngagementFactor.SUPPORT: _("My program manager supports me regularly."),
    EngagementFactor.COMMUNITY: _("I can share and learn with other mentors."),
    EngagementFactor.RECOGNITION: _("My involvement as a mentor is recognised."),
}
FACTOR_COMMENTS = {
    EngagementFactor.STRUCTURE: _(
        "Anything to add about the program's structure and expectations?"
    ),
    EngagementFactor.TRAINING: _("Anything to add about continuing training?"),
    EngagementFactor.SUPPORT: _("Anything to add about the support you receive?"),
    EngagementFactor.COMMUNITY: _("Anything to add about the community of mentors?"),
    EngagementFactor.RECOGNITION: _("Anything to add about how your involvement is recognised?"),
}

PROFILE = StandardSurvey(
    purpose=Purpose.PROFILE,
    title=_("Your motivations and preferences as a mentor"),
    introduction=_(
        "Thank you for mentoring! This short survey helps us understand why you mentor and "
        "how you like to be thanked, so that the recognition you receive truly suits you. "
        "Your answers become your mentor profile: your program managers see it, and you can "
        "change it at any time from your space."
    ),
    anonymous=False,
    questions=(
        StandardQuestion(
            key="motivations",
            kind=Kind.MULTIPLE_CHOICE,
            text=_("Why do you mentor?"),
            help=_("Pick every reason that applies."),
            choices=tuple(Motivation.choices),
        ),
        StandardQuestion(
            key="motivation_other",
            kind=Kind.SHORT_TEXT,
            text=_("What is your other reason for mentoring?"),
            shown_if=("motivations", Motivation.OTHER),
        ),
        *(
            StandardQuestion(
                key=f"category:{category.value}",
                kind=Kind.RATING,
                text=category.label,
                help=RATING_HELP,
                required=True,
            )
            for category in RecognitionCategory
        ),
        StandardQuestion(
            key="public_consent",
            kind=Kind.SINGLE_CHOICE,
            text=_("May we recognise you in public?"),
            help=_(
                "For example in a newsletter, on the intranet or at an event. You can change "
                "your mind at any time."
            ),
            required=True,
            choices=tuple(PublicConsent.choices),
        ),
        StandardQuestion(
            key="interests",
            kind=Kind.LONG_TEXT,
            text=_("What are your interests?"),
            help=_(
                "Hobbies, causes, topics you enjoy: they help us choose a recognition you "
                "will appreciate."
            ),
        ),
        StandardQuestion(
            key="diet",
            kind=Kind.SHORT_TEXT,
            text=_("Do you have any dietary needs?"),
            help=_("For meals at events: vegetarian, allergies, and so on."),
        ),
        StandardQuestion(
            key="accessibility",
            kind=Kind.SHORT_TEXT,
            text=_("Do you have any accessibility needs?"),
            help=_("So that every event we invite you to works for you."),
        ),
        StandardQuestion(
            key="availability",
            kind=Kind.SHORT_TEXT,
            text=_("When are you usually available for events?"),
            help=_("For example: weekday evenings, never on Fridays."),
        ),
        StandardQuestion(
            key="moments",
            kind=Kind.MULTIPLE_CHOICE,
            text=_("At which moments of the year would you most like to be recognised?"),
            help=_("Pick every moment that suits you."),
            choices=tuple(RecognitionMoment.choices),
        ),
    ),
)

PULSE = StandardSurvey(
    purpose=Purpose.PULSE,
    title=_("How is mentoring going for you?"),
    introduction=_(
        "This short survey is anonymous: your name is never attached to your answers, results "
        "are shown only for groups large enough that no one can be recognised, and comments "
        "are never attributed. It takes about three minutes. Thank you for your honesty!"
    ),
    anonymous=True,
    questions=(
        # Each factor, then the comment on it: people say why while the factor is in mind.
        *(
            question
            for factor in EngagementFactor
            for question in (
                StandardQuestion(
                    key=f"factor:{factor.value}",
                    kind=Kind.LIKERT,
                    text=FACTOR_STATEMENTS[factor],
                    help=AGREEMENT_HELP,
                    required=True,
                ),
                StandardQuestion(
                    key=f"comment:{factor.value}",
                    kind=Kind.LONG_TEXT,
                    text=FACTOR_COMMENTS[factor],
                    help=COMMENT_HELP,
                ),
            )
        ),
        StandardQuestion(
            key="intention",
            kind=Kind.SCORE,
            text=_("How likely are you to keep mentoring in the next cycle?"),
            help=_("0 = not at all likely, 10 = absolutely certain."),
            required=True,
        ),
    ),
)

FEEDBACK = StandardSurvey(
    purpose=Purpose.FEEDBACK,
    title=_("Your thoughts on the recognition you received"),
    introduction=_(
        "You recently received a recognition for your mentoring. Two minutes of your time tell "
        "us whether it suited you, so that we can do even better next time."
    ),
    anonymous=False,
    questions=(
        StandardQuestion(
            key="satisfaction",
            kind=Kind.LIKERT,
            text=_("How satisfied are you with this recognition?"),
            help=_("1 = not at all satisfied, 5 = very satisfied."),
            required=True,
        ),
        StandardQuestion(
            key="relevance",
            kind=Kind.LIKERT,
            text=_("How well did this recognition suit you?"),
            help=_("1 = not at all, 5 = perfectly."),
            required=True,
        ),
        StandardQuestion(
            key="expectations",
            kind=Kind.SINGLE_CHOICE,
            text=_("Did it meet your expectations?"),
            required=True,
            choices=(("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))),
        ),
        StandardQuestion(
            key="comment",
            kind=Kind.LONG_TEXT,
            text=_("Is there anything you would like to tell us?"),
        ),
    ),
)

STANDARD_SURVEYS = {spec.purpose: spec for spec in (PROFILE, PULSE, FEEDBACK)}


def install_standard_surveys(organisation):
    """The organisation's ready-made surveys, {purpose: survey}, created the first time.

    Idempotent: a survey already there is returned as it is, edits included; only missing ones
    are created. Two requests installing at the same moment cannot make two of a kind: the
    database allows one standard, editable survey per purpose, and the loser reads the winner's.
    """
    for _attempt in range(_INSTALL_ATTEMPTS):
        surveys = _installed(organisation)
        missing = [purpose for purpose in STANDARD_SURVEYS if purpose not in surveys]
        if not missing:
            return surveys
        try:
            with transaction.atomic():
                surveys.update(_create(organisation, [STANDARD_SURVEYS[p] for p in missing]))
        except IntegrityError:
            continue
        return surveys
    return _installed(organisation)


def _installed(organisation):
    return {
        survey.purpose: survey
        for survey in Survey.objects.filter(
            organisation=organisation, standard=True, frozen=False
        ).order_by("pk")
    }


def _bilingual(text):
    """{"fr": ..., "en": ...}: a translatable text rendered in each language of Laurier."""
    rendered = {}
    for suffix, language in (("fr", "fr-ca"), ("en", "en")):
        with translation.override(language):
            rendered[suffix] = str(text) if text else ""
    return rendered


def _create(organisation, specs):
    """Create the given surveys with their questions, choices and conditions in four queries."""
    surveys = Survey.objects.bulk_create(
        [
            Survey(
                organisation=organisation,
                purpose=spec.purpose,
                standard=True,
                anonymous=spec.anonymous,
                **_bilingual_fields("title", spec.title),
                **_bilingual_fields("introduction", spec.introduction),
            )
            for spec in specs
        ]
    )
    question_rows = [
        (survey, position, question)
        for survey, spec in zip(surveys, specs, strict=True)
        for position, question in enumerate(spec.questions, start=1)
    ]
    questions = Question.objects.bulk_create(
        [
            Question(
                survey=survey,
                position=position,
                kind=question.kind,
                key=question.key,
                required=question.required,
                **_bilingual_fields("text", question.text),
                **_bilingual_fields("help", question.help),
            )
            for survey, position, question in question_rows
        ]
    )
    choice_rows = [
        (saved, position, key, text)
        for saved, (_survey, _position, question) in zip(questions, question_rows, strict=True)
        for position, (key, text) in enumerate(question.choices, start=1)
    ]
    choices = Choice.objects.bulk_create(
        [
            Choice(question=saved, position=position, key=key, **_bilingual_fields("text", text))
            for saved, position, key, text in choice_rows
        ]
    )
    choice_by_key = {
        (row[0].survey_id, row[0].key, row[2]): choice
        for row, choice in zip(choice_rows, choices, strict=True)
    }
    conditional = []
    for saved, (_survey, _position, question) in zip(questions, question_rows, strict=True):
        if question.shown_if:
            question_key, choice_key = question.shown_if
            saved.shown_if_choice = choice_by_key[(saved.survey_id, question_key, choice_key)]
            conditional.append(saved)
    if conditional:
        Question.objects.bulk_update(conditional, ["shown_if_choice"])
    return {survey.purpose: survey for survey in surveys}


def _bilingual_fields(name, text):
    rendered = _bilingual(text)
    return {f"{name}_fr": rendered["fr"], f"{name}_en": rendered["en"]}


# Bringing installed surveys up to date with the catalogue


def _renderings(text):
    """Every wording Laurier may have stored for `text`: its English source (what an install
    stored before the text had a translation) and its rendering in each language."""
    if not text:
        return {""}
    with translation.override(None):
        source = str(text)
    return {source, *_bilingual(text).values()}


def _refreshed(instance, name, text):
    """Set `instance`'s two `name` fields to the current wording of `text`, except a field a
    manager rewrote (it matches no wording Laurier gives). True when a field changed."""
    renderings = _renderings(text)
    changed = False
    for suffix, current in _bilingual(text).items():
        field = f"{name}_{suffix}"
        stored = getattr(instance, field)
        if stored != current and stored in renderings:
            setattr(instance, field, current)
            changed = True
    return changed


def refresh_standard_surveys(organisations=None):
    """Re-render the texts of the ready-made surveys that nobody edited, from the catalogue.

    An organisation installed before a catalogue update keeps the wording of that time (for
    example English on the French side, before the French catalogue). Each title, introduction,
    question text and help, and choice text that still equals a wording Laurier gives its
    source is rewritten in the current French and English; a text a manager changed stays as
    it is, and so do the frozen copies campaigns sent. Matched by the stable keys; questions and
    choices a manager added have none and are left alone. Returns the number of rows changed.
    """
    surveys = Survey.objects.filter(standard=True, frozen=False)
    if organisations is not None:
        surveys = surveys.filter(organisation__in=organisations)
    questions = Question.objects.filter(survey__in=surveys).exclude(key="")
    choices = Choice.objects.filter(question__in=questions).exclude(key="")
    with transaction.atomic():
        surveys = list(surveys.select_for_update())
        by_survey = {}
        for question in questions:
            by_survey.setdefault(question.survey_id, {})[question.key] = question
        by_question = {}
        for choice in choices:
            by_question.setdefault(choice.question_id, {})[choice.key] = choice
        changed_surveys, changed_questions, changed_choices = [], [], []
        for survey in surveys:
            spec = STANDARD_SURVEYS.get(survey.purpose)
            if spec is None:
                continue
            # Both fields are refreshed, whichever changes: no short-circuit.
            if any(
                [
                    _refreshed(survey, "title", spec.title),
                    _refreshed(survey, "introduction", spec.introduction),
                ]
            ):
                changed_surveys.append(survey)
            keyed = by_survey.get(survey.pk, {})
            for question_spec in spec.questions:
                question = keyed.get(question_spec.key)
                if question is None:
                    continue
                if any(
                    [
                        _refreshed(question, "text", question_spec.text),
                        _refreshed(question, "help", question_spec.help),
                    ]
                ):
                    changed_questions.append(question)
                for key, text in question_spec.choices:
                    choice = by_question.get(question.pk, {}).get(key)
                    if choice is not None and _refreshed(choice, "text", text):
                        changed_choices.append(choice)
        Survey.objects.bulk_update(
            changed_surveys, ["title_fr", "title_en", "introduction_fr", "introduction_en"]
        )
        Question.objects.bulk_update(
            changed_questions, ["text_fr", "text_en", "help_fr", "help_en"]
        )
        Choice.objects.bulk_update(changed_choices, ["text_fr", "text_en"])
    return len(changed_surveys) + len(changed_questions) + len(changed_choices)
