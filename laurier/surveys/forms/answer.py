"""The form a person answers a survey with, built from the survey's questions in order."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Question
from ..selectors.answering import questions_of_survey
from ..services.answers import (
    TEXT_MAX_LENGTHS,
    answers_of_rows,
    check_answers,
    empty_value,
    field_name,
    visible_questions,
)


def scale_ends(question):
    """What the two ends of a scale mean, e.g. "1 = strongly disagree … 5 = strongly agree"."""
    lowest, highest = question.scale_bounds
    if question.kind == Question.Kind.LIKERT:
        low, high = _("strongly disagree"), _("strongly agree")
    elif question.kind == Question.Kind.RATING:
        low, high = _("not at all"), _("very much")
    else:
        low, high = _("not at all likely"), _("extremely likely")
    return _("%(lowest)d = %(low)s … %(highest)d = %(high)s") % {
        "lowest": lowest,
        "low": low,
        "highest": highest,
        "high": high,
    }


class RankingWidget(forms.Widget):
    """One select per choice giving its rank, each labelled by the choice it ranks."""

    template_name = "surveys/answering/widgets/ranking.html"
    # Rendered inside the question's fieldset, whose legend names the group.
    use_fieldset = True

    def __init__(self, choices=(), attrs=None):
        super().__init__(attrs)
        self.choices = list(choices)

    def subwidget_name(self, name, choice_pk):
        return f"{name}-rank-{choice_pk}"

    def value_from_datadict(self, data, files, name):
        return {pk: data.get(self.subwidget_name(name, pk), "") for pk, _label in self.choices}

    def value_omitted_from_data(self, data, files, name):
        return not any(self.subwidget_name(name, pk) in data for pk, _label in self.choices)

    def format_value(self, value):
        return value if isinstance(value, dict) else {}

    def id_for_label(self, id_):
        # The question's legend names the group; each select has its own label.
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = context["widget"]["value"]
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["invalid"] = context["widget"]["attrs"].get("aria-invalid") == "true"
        context["widget"]["ranks"] = [str(rank) for rank in range(1, len(self.choices) + 1)]
        context["widget"]["rows"] = [
            {
                "id": f"{base_id}_rank_{pk}",
                "name": self.subwidget_name(name, pk),
                "label": label,
                "value": "" if value.get(pk) in (None, "") else str(value.get(pk)).strip(),
            }
            for pk, label in self.choices
        ]
        return context


class RankingField(forms.Field):
    """{choice pk: rank}; ranks outside 1..n or not numbers are refused here, the
    permutation rule is the service's (it holds for any caller)."""

    def __init__(self, *, choices, **kwargs):
        self.choice_count = len(choices)
        kwargs.setdefault("widget", RankingWidget(choices))
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, dict):
            return {}
        ranks = {}
        for pk, raw in value.items():
            raw = raw.strip() if isinstance(raw, str) else raw
            if raw in (None, ""):
                continue
            try:
                rank = int(raw)
            except (TypeError, ValueError):
                raise ValidationError(_("Choose a rank from the list."), code="invalid") from None
            if not 1 <= rank <= self.choice_count:
                raise ValidationError(_("Choose a rank from the list."), code="invalid")
            ranks[pk] = rank
        return ranks


def _field_for(question):
    """The form field of one question; `required` is checked by the survey's rules, which
    know whether a conditional question is shown."""
    common = {"label": question.text, "help_text": question.help, "required": False}
    choices = [(choice.pk, choice.text) for choice in question.choices.all()]
    kind = question.kind
    if kind == Question.Kind.SINGLE_CHOICE:
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return forms.TypedMultipleChoiceField(
            choices=choices,
            coerce=int,
            empty_value=[],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Question.Kind.RANKING:
        return RankingField(choices=choices, **common)
    if kind in Question.SCALE_BOUNDS:
        lowest, highest = question.scale_bounds
        return forms.TypedChoiceField(
            choices=[(number, str(number)) for number in range(lowest, highest + 1)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=TEXT_MAX_LENGTHS[kind], widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    return forms.CharField(max_length=TEXT_MAX_LENGTHS[Question.Kind.SHORT_TEXT], **common)


class QuestionBlock:
    """What the template needs to show one question: its field, kind and condition."""

    def __init__(self, question, bound_field, controller):
        self.question = question
        self.field = bound_field
        self.kind = question.kind
        self.is_choice_group = question.kind in (
            Question.Kind.SINGLE_CHOICE,
            Question.Kind.MULTIPLE_CHOICE,
        )
        self.is_ranking = question.kind == Question.Kind.RANKING
        self.is_scale = question.kind in Question.SCALE_BOUNDS
        # A question whose help states its own ends ("1 = not at all satisfied …") keeps them:
        # the generic ends would contradict it.
        self.scale_ends = scale_ends(question) if self.is_scale and not question.help else ""
        self.is_text = question.kind in Question.TEXT_KINDS
        # The field whose answer decides whether this question is shown, for conditions.js.
        self.controller_field = field_name(controller) if controller is not None else ""
        self.controller_is_ranking = (
            controller is not None and controller.kind == Question.Kind.RANKING
        )


class AnswerForm(forms.Form):
    """A survey's questions as fields, in order, in the reader's language.

    Build it inside the language the page speaks: labels are read when the form is made.
    `questions` may pass the survey's questions already loaded with their choices;
    `initial_response` prefills the form with its answers; `read_only` disables every field
    (a closed campaign). After `is_valid()`, `answers` holds the values to save (service shape),
    with the answers of hidden conditional questions dropped.
    """

    def __init__(
        self,
        survey,
        *,
        data=None,
        initial_response=None,
        questions=None,
        read_only=False,
        **kwargs,
    ):
        self.survey = survey
        self.questions = list(questions) if questions is not None else questions_of_survey(survey)
        rows = initial_response.answers.all() if initial_response is not None else []
        initial = answers_of_rows(self.questions, rows)
        kwargs["initial"] = {
            field_name(question): initial[question.pk]
            for question in self.questions
            if question.pk in initial
        }
        super().__init__(data=data, **kwargs)
        self.read_only = read_only
        self.answers = None
        for question in self.questions:
            field = _field_for(question)
            field.disabled = read_only
            self.fields[field_name(question)] = field

    def blocks(self):
        question_of_choice = {
            choice.pk: question for question in self.questions for choice in question.choices.all()
        }
        return [
            QuestionBlock(
                question,
                self[field_name(question)],
                question_of_choice.get(question.shown_if_choice_id),
            )
            for question in self.questions
        ]

    def clean(self):
        cleaned_data = super().clean()
        values = {
            question.pk: cleaned_data.get(field_name(question), empty_value(question))
            for question in self.questions
            if field_name(question) not in self._errors
        }
        shown = visible_questions(self.questions, values)
        for question in self.questions:
            if question.pk not in shown:
                # A hidden question's answer is dropped, so whatever it holds is no error.
                self._errors.pop(field_name(question), None)
        try:
            self.answers = check_answers(self.questions, values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                # A field already in error keeps its own, more precise, message.
                if name not in self._errors:
                    self.add_error(name, messages)
        return cleaned_data
