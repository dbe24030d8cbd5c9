from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from .models import Cycle, EnrolmentStatus, Pairing, Person, Program
from .selectors import PeopleRole, possible_managers


class ProgramForm(forms.ModelForm):
    """A program's settings; `managers` only appears for admins."""

    class Meta:
        model = Program
        fields = [
            "name",
            "slug",
            "objectives",
            "expectations",
            "expected_hours_per_month",
            "commitment_months",
            "status",
            "managers",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
            "managers": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "slug": _("Leave empty to make one from the name."),
        }

    def __init__(self, *args, organisation, can_choose_managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["slug"].required = False
        if can_choose_managers:
            managers = self.fields["managers"]
            managers.queryset = possible_managers(organisation)
            managers.label_from_instance = lambda user: f"{user.get_full_name() or user.email}"
            managers.help_text = _("Managers and admins of the organisation.")
        else:
            del self.fields["managers"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if (
            slug
            and Program.objects.filter(organisation=self.organisation, slug=slug)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("Another program of the organisation already uses this short name.")
            )
        return slug

    def validate_unique(self):
        # The organisation is not a form field: uniqueness is checked in clean_slug.
        pass


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A cycle must end after it starts."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The dates are checked in clean() with a clearer message than the constraint's.
        pass


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "language",
            "department",
            "job_title",
            "hire_date",
        ]
        widgets = {"hire_date": DateInput()}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if (
            Person.objects.filter(organisation=self.organisation, email__iexact=email)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _(
                    "Someone in the organisation already has this e-mail address "
                    "(addresses are compared without case)."
                )
            )
        return email

    def validate_constraints(self, exclude=None):
        # The organisation is not a form field: e-mail uniqueness is checked in clean_email.
        pass


class EnrolmentForm(forms.Form):
    """Enrol someone already in the organisation, or a new person typed in the form."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— choose someone —"),
    )
    since = forms.DateField(label=_("Since"), widget=DateInput())
    first_name = forms.CharField(label=capfirst(_("first name")), max_length=100, required=False)
    last_name = forms.CharField(label=capfirst(_("last name")), max_length=100, required=False)
    email = forms.EmailField(label=capfirst(_("e-mail address")), required=False)

    def __init__(self, *args, program, enrolment_model, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        # People who left the organisation are kept, but nobody enrols them any more.
        self.fields["person"].queryset = Person.objects.filter(
            organisation_id=program.organisation_id, left_on__isnull=True
        ).exclude(pk__in=enrolment_model.objects.filter(program=program).values("person_id"))
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.last_name}, {person.first_name} — {person.email}"
        )
        self.fields["since"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        new_person = [cleaned.get(name) for name in ("first_name", "last_name", "email")]
        if cleaned.get("person") and any(new_person):
            raise forms.ValidationError(
                _("Choose someone in the list or describe a new person, not both.")
            )
        if not cleaned.get("person"):
            if not any(new_person) and not self.has_error("person"):
                raise forms.ValidationError(
                    _("Choose someone in the list or describe a new person.")
                )
            for name in ("first_name", "last_name", "email"):
                if not cleaned.get(name) and not self.has_error(name):
                    self.add_error(name, _("Needed to add a new person."))
            email = cleaned.get("email")
            if (
                email
                and Person.objects.filter(
                    organisation_id=self.program.organisation_id, email__iexact=email
                ).exists()
            ):
                self.add_error(
                    "email",
                    _(
                        "Someone in the organisation already has this e-mail address: "
                        "choose them in the list instead."
                    ),
                )
        return cleaned


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=capfirst(_("status")),
        choices=EnrolmentStatus.choices,
        help_text=_("Leaving the program ends the person's running pairings on the same date."),
    )
    reason = forms.CharField(label=capfirst(_("reason")), max_length=300, required=False)
    changed_on = forms.DateField(label=capfirst(_("status changed on")), widget=DateInput())

    def __init__(self, *args, enrolment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": enrolment.status,
                "reason": enrolment.status_reason,
                "changed_on": enrolment.status_changed_on or timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment

    def clean_changed_on(self):
        changed_on = self.cleaned_data["changed_on"]
        if changed_on < self.enrolment.since:
            raise forms.ValidationError(
                _("The change cannot happen before the person joined the program.")
            )
        return changed_on


class PairingForm(forms.Form):
    mentor = forms.ModelChoiceField(label=capfirst(_("mentor")), queryset=Person.objects.none())
    mentee = forms.ModelChoiceField(label=capfirst(_("mentee")), queryset=Person.objects.none())
    cycle = forms.ModelChoiceField(
        label=capfirst(_("cycle")), queryset=Cycle.objects.none(), required=False
    )
    starts_on = forms.DateField(label=capfirst(_("starts on")), widget=DateInput())

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        active = EnrolmentStatus.ACTIVE
        people = Person.objects.filter(
            organisation_id=program.organisation_id, left_on__isnull=True
        )
        self.fields["mentor"].queryset = people.filter(
            mentor_enrolments__program=program, mentor_enrolments__status=active
        )
        self.fields["mentee"].queryset = people.filter(
            mentee_enrolments__program=program, mentee_enrolments__status=active
        )
        self.fields["cycle"].queryset = Cycle.objects.filter(program=program)
        self.fields["starts_on"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor"), cleaned.get("mentee")
        if mentor and mentee and mentor.pk == mentee.pk:
            self.add_error("mentee", _("A person cannot mentor themselves."))
        return cleaned


class PairingEditForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["status", "ends_on"]
        widgets = {"ends_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        ends_on, status = cleaned.get("ends_on"), cleaned.get("status")
        if ends_on and ends_on < self.instance.starts_on:
            self.add_error("ends_on", _("A pairing cannot end before it starts."))
        if status and status != Pairing.Status.ACTIVE and not ends_on:
            self.add_error("ends_on", _("Give the date the pairing ended."))
        return cleaned


# Filters of the list pages (GET forms; every field is optional).


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)

    def value(self, name):
        if not self.is_valid():
            return self.fields[name].initial if name in self.fields else None
        return self.cleaned_data.get(name)


class EnrolmentFilterForm(SearchForm):
    status = forms.ChoiceField(
        label=capfirst(_("status")),
        choices=[("", _("All"))] + EnrolmentStatus.choices,
        required=False,
    )


class MentorFilterForm(EnrolmentFilterForm):
    inactive = forms.BooleanField(label=_("No session in 60 days"), required=False)


class PairingFilterForm(SearchForm):
    status = forms.ChoiceField(
        label=capfirst(_("status")),
        choices=[("", _("All"))] + Pairing.Status.choices,
        required=False,
    )
    cycle = forms.ModelChoiceField(
        label=capfirst(_("cycle")),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.filter(program=program)


class PeopleFilterForm(SearchForm):
    role = forms.ChoiceField(
        label=_("Role in programs"),
        choices=[("", _("Everyone"))] + PeopleRole.choices,
        required=False,
    )
    left = forms.BooleanField(label=_("Include people who left"), required=False)
