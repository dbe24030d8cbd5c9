"""Forms of the survey editor: a survey, a question, and a question's choices."""

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Choice, Question, Survey
from ..services.editing import (
    NO_CHOICES_ALLOWED,
    PULSE_IS_ANONYMOUS,
    TWO_CHOICES_NEEDED,
    ChoiceEdit,
)

# Blank choice rows a question form offers, and how many more "Add rows" gives.
CHOICE_ROWS = 3
# More choices than anyone reads; Django's default (1,000 rows) lets one post build and render
# a thousand forms, seconds of the server's time.
MAX_CHOICE_ROWS = 50


class SurveyForm(forms.ModelForm):
    """A survey's texts in both languages and its settings; a ready-made survey keeps its
    purpose, so the field only appears for the others. A pulse survey is always anonymous: the
    box is disabled on a pulse survey, and ticked on saving when the purpose chosen is pulse."""

    class Meta:
        model = Survey
        fields = [
            "title_fr",
            "title_en",
            "introduction_fr",
            "introduction_en",
            "purpose",
            "anonymous",
        ]
        widgets = {
            "introduction_fr": forms.Textarea(attrs={"rows": 4}),
            "introduction_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "purpose": _(
                "Answers to a profile survey update the mentor's profile; the mentor-voice page "
                "reads pulse surveys."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.standard:
            del self.fields["purpose"]
        anonymous = self.fields["anonymous"]
        anonymous.help_text = format_lazy("{} {}", anonymous.help_text, PULSE_IS_ANONYMOUS)
        if self.instance.pk and self.instance.purpose == Survey.Purpose.PULSE:
            anonymous.disabled = True
            self.initial["anonymous"] = True

    def clean(self):
        cleaned_data = super().clean()
        purpose = cleaned_data.get("purpose", self.instance.purpose)
        if purpose == Survey.Purpose.PULSE:
            cleaned_data["anonymous"] = True
        return cleaned_data

    def validate_unique(self):
        # The organisation is not a form field: the service checks that titles are unique.
        pass


class QuestionForm(forms.ModelForm):
    """A question's wording, type and condition. A keyed question keeps its type: the field is
    shown but ignores whatever is submitted."""

    condition = forms.TypedChoiceField(
        label=_("Shown only if this answer is picked"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave “Always shown” to ask everyone. Only earlier questions can be used."),
    )

    class Meta:
        model = Question
        fields = ["text_fr", "text_en", "help_fr", "help_en", "kind", "required"]

    def __init__(self, *args, condition_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_choices = {
            choice.pk: choice for _question, choices in condition_options for choice in choices
        }
        self.fields["condition"].choices = [
            ("", _("Always shown")),
            *(
                (
                    f"{question.position}. {question.text}",
                    [(choice.pk, choice.text) for choice in choices],
                )
                for question, choices in condition_options
            ),
        ]
        if self.instance.pk:
            self.fields["condition"].initial = self.instance.shown_if_choice_id
        if self.instance.key:
            kind = self.fields["kind"]
            kind.disabled = True
            kind.help_text = _(
                "The type of this question is fixed: the mentor profile and the reports read "
                "its answers."
            )

    def clean_condition(self):
        pk = self.cleaned_data["condition"]
        return None if pk is None else self.allowed_choices[pk]

    def _post_clean(self):
        # The service builds and checks the question; the form must not write into the
        # instance, which the page still shows as it is saved.
        pass


class ChoiceForm(forms.ModelForm):
    """One choice of a question, in both languages."""

    class Meta:
        model = Choice
        fields = ["text_fr", "text_en"]

    def has_changed(self):
        # A blank row with only an order number typed in is still a blank row.
        if self.instance.pk is None:
            return any(name in self.changed_data for name in ("text_fr", "text_en"))
        return super().has_changed()

    def _post_clean(self):
        pass


class BaseChoiceFormSet(BaseInlineFormSet):
    """The choices of a question: reworded, added, deleted (not the keyed ones) and ordered.

    `kind` is the question type submitted with them: choice types need two choices at least,
    other types none.
    """

    def __init__(self, *args, kind=None, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Order")
        form.fields["ORDER"].widget.attrs["class"] = "order"
        if form.instance.pk and form.instance.key:
            # The mentor profile reads this choice: it can be reworded, never deleted.
            del form.fields["DELETE"]
        elif "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Delete")

    def clean(self):
        super().clean()
        # A damaged management form (counts that are not numbers) is a non-form error: the
        # rows cannot be ordered then.
        if any(self.errors) or self.non_form_errors() or self.kind is None:
            return
        kept = len(self.edits()) - len([edit for edit in self.edits() if edit.delete])
        if self.kind in Question.CHOICE_KINDS and kept < 2:
            raise forms.ValidationError(TWO_CHOICES_NEEDED)
        if self.kind not in Question.CHOICE_KINDS and kept:
            raise forms.ValidationError(NO_CHOICES_ALLOWED)

    def edits(self):
        """The rows as the service takes them (ChoiceEdit), in the order asked for."""
        edits = [
            ChoiceEdit(
                choice=form.instance if form.instance.pk else None,
                text_fr=form.cleaned_data["text_fr"],
                text_en=form.cleaned_data["text_en"],
            )
            for form in self.ordered_forms
        ]
        edits += [
            ChoiceEdit(choice=form.instance, delete=True)
            for form in self.deleted_forms
            if form.instance.pk
        ]
        return edits


ChoiceFormSet = inlineformset_factory(
    Question,
    Choice,
    form=ChoiceForm,
    formset=BaseChoiceFormSet,
    fields=["text_fr", "text_en"],
    extra=CHOICE_ROWS,
    max_num=MAX_CHOICE_ROWS,
    absolute_max=MAX_CHOICE_ROWS,
    can_delete=True,
    can_order=True,
)
