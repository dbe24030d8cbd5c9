"""The form that records a program's compensation decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput, DecimalInput

from ..models import CompensationDecision
from ..services.compensation import DECISION_FIELDS, check_decision


class CompensationDecisionForm(forms.ModelForm):
    """Every field of a decision; the rules are the service's, shown next to their fields."""

    class Meta:
        model = CompensationDecision
        fields = DECISION_FIELDS
        # "12,50" on a French page is 12.50: the field reads the page language's separator.
        localized_fields = ("amount_per_mentor",)
        widgets = {
            "amount_per_mentor": DecimalInput(),
            "decision": forms.RadioSelect,
            "context": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "stakeholders": forms.Textarea(attrs={"rows": 2}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 7}),
            "decided_on": DateInput(),
            "review_on": DateInput(),
        }
        help_texts = {
            "context": _("Why the question comes up now: the program, its mentors, its means."),
            "goals": _("What the program wants to achieve with this decision."),
            "stakeholders": _("Who was consulted: mentors, mentees, managers, HR, unions…"),
            "benefits": _("What the program expects to gain."),
            "risks": _(
                "Required when mentors are paid. Research on mentoring warns that paying can"
                " change the mentor–mentee relationship and why mentors mentor."
            ),
            "amount_per_mentor": _(
                "Required when mentors are paid: what each mentor receives in a fiscal year."
            ),
            "review_on": _("When the program will ask the question again."),
        }

    def __init__(self, *args, program, in_force, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.program, self.in_force, self.today = program, in_force, today
        self.fields["decision"].choices = CompensationDecision.Decision.choices
        for name, field in self.fields.items():
            field.label = capfirst(field.label)
            if name in ("context", "goals", "stakeholders"):
                field.required = True

    def clean(self):
        data = super().clean()
        try:
            check_decision(program=self.program, today=self.today, in_force=self.in_force, **data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                # A field the browser sent unreadable already says why; one message is enough.
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, messages)
        return data
