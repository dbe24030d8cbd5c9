"""The nomination form, at the public link or in Laurier, the nominator's change form at their
personal link, and a nominee's decline.

The form checks what a nominator can fix; `services.nominations.nominate` checks every rule
again. The mentor and the category are taken as numbers and checked by the service, so that
a crafted id, of this organisation or another, gets the same message as a mentor who is not
eligible.
"""

from collections import Counter

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import STORY_MAX_LENGTH, Relation
from ..services.nominations import DECLINE_REASON_MAX_LENGTH, NAME_MAX_LENGTH
from ..uploads import ACCEPT_ATTRIBUTE, check_evidence


def _labels(mentors):
    """{pk: label}: the name, and for mentors who share it their department or job title when
    they have one (nothing else: the public form shows no more of a person than that)."""
    counts = Counter(name.casefold() for _pk, name, _program, _detail in mentors)
    return {
        pk: (f"{name} ({detail})" if detail and counts[name.casefold()] > 1 else name)
        for pk, name, _program, detail in mentors
    }


def mentor_select_choices(mentors, programs, *, grouped=True):
    """Choices of a <select> of mentors: grouped by program when they come from several (an
    organisation-wide edition) and `grouped` (in Laurier: the public link must not reveal
    where people mentor), a flat list otherwise."""
    blank = [("", _("Choose a mentor"))]
    labels = _labels(mentors)
    program_ids = {program_id for _pk, _name, program_id, _detail in mentors}
    if not grouped or len(program_ids) <= 1:
        return blank + [(pk, labels[pk]) for pk, _name, _program, _detail in mentors]
    groups = {}
    for pk, _name, program_id, _detail in mentors:
        groups.setdefault(program_id, []).append((pk, labels[pk]))
    ordered = sorted(groups, key=lambda pid: (programs.get(pid, ""), pid or 0))
    return blank + [(programs.get(pid, ""), groups[pid]) for pid in ordered]


class NominationForm(forms.Form):
    category = forms.IntegerField(
        label=_("Category"),
        error_messages={
            "required": _("Choose one of the contest's categories."),
            "invalid": _("Choose one of the contest's categories."),
        },
    )
    nominee = forms.IntegerField(
        label=_("The mentor you nominate"),
        error_messages={
            "required": _("Choose the mentor you nominate."),
            "invalid": _(
                "Choose one of the mentors listed: this person cannot be nominated in this contest."
            ),
        },
    )
    relation = forms.ChoiceField(
        label=_("You are the mentor's…"),
        choices=(),
        error_messages={"required": _("Say what you are to the mentor.")},
    )
    story = forms.CharField(
        label=_("Why this mentor?"),
        strip=False,
        widget=forms.Textarea({"rows": 10, "maxlength": STORY_MAX_LENGTH}),
        help_text=_(
            "Tell the jury what they did and what it changed for you or for others: concrete "
            "moments speak louder than adjectives."
        ),
        error_messages={
            "required": _("Tell the jury why this mentor deserves it: a few sentences will do.")
        },
    )
    evidence = forms.FileField(
        label=_("Supporting document (optional)"),
        required=False,
        widget=forms.ClearableFileInput({"accept": ACCEPT_ATTRIBUTE}),
    )
    nominator_name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give your name: the jury reads who nominates.")},
    )
    nominator_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "We send you a copy of your nomination there, with your personal link to change "
            "it later."
        ),
        error_messages={
            "required": _("Give a valid e-mail address: we confirm your nomination there."),
            "invalid": _("Give a valid e-mail address: we confirm your nomination there."),
        },
    )

    def __init__(
        self,
        *args,
        categories,
        mentor_choices,
        allow_self_nomination,
        evidence_help,
        with_nominator=True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        if len(self.categories) > 1:
            self.fields["category"].widget = forms.RadioSelect(
                choices=[(category.pk, category.name) for category in self.categories]
            )
        else:
            self.fields["category"].widget = forms.HiddenInput()
        self.fields["nominee"].widget = forms.Select(choices=mentor_choices)
        relations = [
            (value, label)
            for value, label in Relation.choices
            if allow_self_nomination or value != Relation.SELF
        ]
        self.fields["relation"].choices = [("", _("Choose"))] + relations
        self.fields["evidence"].help_text = evidence_help
        if not with_nominator:
            del self.fields["nominator_name"]
            del self.fields["nominator_email"]

    @property
    def several_categories(self):
        return len(self.categories) > 1

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            # The service checks it again; here the nominator sees why next to the field.
            check_evidence(uploaded)
        return uploaded


class NominationChangeForm(forms.Form):
    """What a nominator changes at their personal link: the mentor, the category and who
    they are stay as they were."""

    relation = forms.ChoiceField(
        label=_("You are the mentor's…"),
        choices=(),
        error_messages={"required": _("Say what you are to the mentor.")},
    )
    story = forms.CharField(
        label=_("Why this mentor?"),
        strip=False,
        widget=forms.Textarea({"rows": 10, "maxlength": STORY_MAX_LENGTH}),
        error_messages={
            "required": _("Tell the jury why this mentor deserves it: a few sentences will do.")
        },
    )
    evidence = forms.FileField(
        label=_("A new supporting document (optional)"),
        required=False,
        widget=forms.FileInput({"accept": ACCEPT_ATTRIBUTE}),
    )
    remove_evidence = forms.BooleanField(label=_("Remove my document"), required=False)

    def __init__(self, *args, relations, evidence_help, has_evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [("", _("Choose"))] + list(relations)
        self.fields["evidence"].help_text = evidence_help
        if not has_evidence:
            self.fields["evidence"].label = _("Supporting document (optional)")
            del self.fields["remove_evidence"]

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            check_evidence(uploaded)
        return uploaded


class MentorSearchForm(forms.Form):
    find = forms.CharField(
        label=_("Find the mentor by name"),
        required=False,
        max_length=100,
        widget=forms.TextInput({"type": "search", "autocomplete": "off"}),
    )


class DeclineForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I do not wish to take part in this category"),
        error_messages={"required": _("Tick the box to confirm that you decline.")},
    )
    reason = forms.CharField(
        label=_("A word for the organisers (optional)"),
        required=False,
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea({"rows": 3, "maxlength": DECLINE_REASON_MAX_LENGTH}),
        help_text=_("Only the contest's organisers read it, never the people who nominated you."),
    )
