"""The juror's forms: a conflict of interest with one nominee, and one nominee's scores."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DECLARABLE_REASONS, SCORE_MAX, SCORE_MIN
from ..services.jury import NOTE_MAX_LENGTH


class ConflictForm(forms.Form):
    """'I have a conflict' with one nominee: each nominee of the page has its own form, so the
    field ids carry the nominee's pk (`auto_id`)."""

    nominee = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason"))]
        + [(reason.value, reason.label) for reason in DECLARABLE_REASONS],
        error_messages={"required": _("Choose the reason of the conflict.")},
    )
    note = forms.CharField(
        label=_("Details (needed for “Other”; seen by the contest's managers only)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, nominee_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [(pk, str(pk)) for pk in nominee_ids]
        self.fields["nominee"].error_messages["invalid_choice"] = _(
            "This nominee is not one you can declare a conflict with."
        )


SCORE_CHOICES = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreForm(forms.Form):
    """One whole-number choice from 0 to 10 per criterion of the rubric."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.guidance,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose a score from %(min)d to %(max)d.")
                    % {"min": SCORE_MIN, "max": SCORE_MAX},
                    "invalid_choice": _("Choose a score from %(min)d to %(max)d.")
                    % {"min": SCORE_MIN, "max": SCORE_MAX},
                },
            )

    @staticmethod
    def field_name(criterion):
        return f"criterion_{criterion.pk}"

    def rows(self):
        """(criterion, bound field) for the template, in the rubric's order."""
        return [(criterion, self[self.field_name(criterion)]) for criterion in self.criteria]

    def values(self):
        return {
            criterion.pk: self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }
