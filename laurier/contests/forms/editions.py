"""Forms of the managers' contest pages: the edition, its categories and rubric, its jury,
and withdrawing a nominee.

The forms check what a manager can fix; `services.editions` checks every rule again.
"""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.widgets import DateInput, DecimalInput

from ..models import DECLARABLE_REASONS, MAX_WINNERS_PER_CATEGORY, Juror, Phase
from ..services.editions import (
    DATE_FIELDS,
    created_with,
    date_change_errors,
    duplicate_errors,
    frozen_dates,
    timeline_errors,
)


def new_form_token():
    """A one-time token for a displayed form: the same form sent twice writes once."""
    return secrets.token_urlsafe(16)


class BilingualChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return in_reader_language(obj, "name")


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EditionForm(forms.Form):
    program = ProgramChoiceField(
        label=_("For"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the programs you manage.")},
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    introduction_fr = forms.CharField(
        label=_("Introduction (French)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Shown at the top of the nomination form: what the contest honours, who may nominate."
        ),
    )
    introduction_en = forms.CharField(
        label=_("Introduction (English)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea({"rows": 4}),
    )
    nominations_open_on = forms.DateField(label=_("Nominations open on"), widget=DateInput())
    nominations_close_on = forms.DateField(label=_("Last day to nominate"), widget=DateInput())
    scoring_close_on = forms.DateField(
        label=_("Last day for the jury to score"), widget=DateInput()
    )
    announce_on = forms.DateField(label=_("Announcement planned for"), widget=DateInput())
    active_mentors_only = forms.BooleanField(
        label=_("Active mentors only"),
        required=False,
        help_text=_("Mentors whose enrolment is paused cannot be nominated."),
    )
    min_hours = forms.DecimalField(
        label=_("Minimum hours mentored"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=DecimalInput(),
        help_text=_(
            "Vouched hours over the twelve months before nominations close. Empty: no minimum."
        ),
    )
    min_tenure_months = forms.IntegerField(
        label=_("Minimum months as a mentor"),
        required=False,
        min_value=0,
        max_value=600,
        help_text=_(
            "Counted from their first enrolment to the last day to nominate. Empty: no minimum."
        ),
    )
    past_winners_excluded_years = forms.IntegerField(
        label=_("Years a winner waits before being nominated again"),
        required=False,
        min_value=0,
        max_value=50,
        help_text=_("0: past winners can be nominated again at once."),
    )
    allow_self_nomination = forms.BooleanField(
        label=_("Mentors may nominate themselves"), required=False
    )
    option = BilingualChoiceField(
        label=_("Award for the winners"),
        queryset=None,
        required=False,
        empty_label=_("No award from the catalog"),
        help_text=_(
            "A recognition of the catalog each winner receives at the announcement, "
            "with the badge of their category."
        ),
        error_messages={
            "invalid_choice": _("Choose a recognition offered in your organisation's catalog.")
        },
    )
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        programs,
        options,
        organisation_wide_allowed,
        edition=None,
        today=None,
        organisation=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Editing: the dates the service would refuse to move are shown read-only, with why.
        self.edition, self.today = edition, today
        if edition is not None:
            for name, why in frozen_dates(edition, today).items():
                self.fields[name].disabled = True
                self.fields[name].help_text = why
            if edition.phase(today) == Phase.SCORING:
                self.fields["scoring_close_on"].help_text = _(
                    "The jury is scoring: this date can only move later."
                )
        self.fields["program"].queryset = programs
        if organisation_wide_allowed:
            self.fields["program"].empty_label = _("The whole organisation")
        else:
            self.fields["program"].required = True
            self.fields["program"].empty_label = _("Choose a program")
        self.fields["option"].queryset = options

    def clean(self):
        data = super().clean()
        dates = [data.get(name) for name in DATE_FIELDS]
        if all(dates):
            for field, message in timeline_errors(*dates).items():
                self.add_error(field, message)
        if self.edition is not None:
            for field, message in date_change_errors(self.edition, data, self.today).items():
                if field in data:
                    self.add_error(field, message)
        # A second submit of the same form is no duplicate: the service returns the first one.
        resent = self.edition is None and created_with(self.organisation, data.get("form_token"))
        if self.organisation is not None and not resent:
            exclude = self.edition.pk if self.edition is not None else None
            for field, message in duplicate_errors(
                self.organisation, data.get("program"), data, exclude=exclude
            ).items():
                if field in data:
                    self.add_error(field, message)
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("form_token", None)
        data["past_winners_excluded_years"] = data.get("past_winners_excluded_years") or 0
        return data


def _text(label):
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class NamedRowForm(forms.Form):
    """A category or a criterion: named in both languages."""

    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)


class CategoryForm(NamedRowForm):
    description_fr = _text(_("Description (French)"))
    description_en = _text(_("Description (English)"))
    winners = forms.IntegerField(
        label=_("Number of winners"), min_value=1, max_value=MAX_WINNERS_PER_CATEGORY
    )
    badge_class = BilingualChoiceField(
        label=_("Badge for the winners"),
        queryset=None,
        required=False,
        empty_label=_("No badge"),
        help_text=_("Badges awarded for winning a contest category."),
        error_messages={
            "invalid_choice": _(
                "Choose an active badge of your organisation awarded for winning a contest "
                "category."
            )
        },
    )
    create_badge = forms.BooleanField(
        label=_("Create a badge for this category"),
        required=False,
        help_text=_(
            "A gold rosette with a trophy, named after the category and the year: you "
            "can change its design later in Badges."
        ),
    )

    def __init__(self, *args, badges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["badge_class"].queryset = badges

    def clean(self):
        data = super().clean()
        if data.get("create_badge") and data.get("badge_class"):
            self.add_error(
                "create_badge",
                _("Choose an existing badge or create one, not both."),
            )
        return data


class CriterionForm(NamedRowForm):
    guidance_fr = _text(_("Guidance for the jury (French)"))
    guidance_en = _text(_("Guidance for the jury (English)"))
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        help_text=_(
            "Weights count relative to each other: a criterion weighing 3 counts three "
            "times as much as one weighing 1."
        ),
    )


class PersonSearchForm(forms.Form):
    find = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)


class JurorForm(forms.Form):
    """A juror: `person` (chosen by search) or a typed name, e-mail and language."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    language = forms.ChoiceField(
        label=_("Language of their e-mails"), choices=settings.LANGUAGES, required=False
    )
    # No role is preselected: the manager says which one, rather than keeping a default unseen.
    kind = forms.ChoiceField(
        label=_("Role on the jury"),
        choices=[("", _("Choose a role"))] + list(Juror.Kind.choices),
        error_messages={"required": _("Choose the juror's role.")},
    )

    def clean(self):
        data = super().clean()
        if not data.get("person"):
            if not data.get("name"):
                self.add_error("name", _("Give the juror's name, or choose someone above."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give the juror's e-mail address."))
            if not data.get("language"):
                self.add_error("language", _("Choose the language of their e-mails."))
        return data


class ConflictForm(forms.Form):
    nominee = forms.ChoiceField(
        label=_("Nominee"), error_messages={"required": _("Choose a nominee.")}
    )
    # An empty first option: without it an unchosen reason was saved as the first one.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason"))]
        + [(reason.value, reason.label) for reason in DECLARABLE_REASONS],
        error_messages={"required": _("Choose the reason of the conflict.")},
    )
    note = forms.CharField(label=_("Details"), required=False, max_length=300)

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [("", _("Choose a nominee"))] + [
            (str(nominee.pk), f"{nominee.person.full_name} — {nominee.category.name}")
            for nominee in nominees
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why withdraw this nominee?"),
        max_length=300,
        help_text=_("The other managers read it; the jury no longer sees the nominee."),
    )


class NomineeSearchForm(forms.Form):
    q = forms.CharField(label=_("Nominee's name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Every status")),
            ("nominated", _("In the running")),
            ("declined", _("Declined")),
            ("withdrawn", _("Withdrawn")),
        ],
    )
