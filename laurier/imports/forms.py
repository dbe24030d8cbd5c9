from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by

from .models import ImportJob, ImportKind, ImportSource

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        empty_label=_("Named in the file"),
        help_text=_(
            "For enrolments, pairings and sessions: the program of every row whose "
            "“programme” cell is empty."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma, semicolon or tab) or Excel workbook (.xlsx), first sheet."),
    )
    full_list = forms.BooleanField(
        label=_("This file is the whole staff list"),
        required=False,
        help_text=_(
            "For people: everyone the file does not name is marked as having left the "
            "organisation today (kept, never deleted), and their enrolments end."
        ),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the programs this member manages: choosing another one is rejected like a typo.
        self.fields["program"].queryset = programs_managed_by(membership).order_by("name")
        if membership.role != Role.ADMIN:
            # Marking who left the organisation is an admin's decision, as is confirming it.
            del self.fields["full_list"]

    def clean_file(self):
        return check_uploaded_file(self.cleaned_data["file"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("full_list") and cleaned.get("kind") != ImportKind.PEOPLE:
            self.add_error("full_list", _("Only a file of people can be the whole staff list."))
        return cleaned


def check_uploaded_file(uploaded):
    """Refuse (ValidationError) a file that is no spreadsheet or too large; the page and the
    API accept the same files."""
    if Path(uploaded.name).suffix.lower() not in ACCEPTED_EXTENSIONS:
        raise forms.ValidationError(
            _("Send a CSV file or an Excel workbook (.xlsx)."), code="extension"
        )
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is larger than 50 MB; split it in several files."), code="size"
        )
    return uploaded


class ImportFilterForm(forms.Form):
    q = forms.CharField(label=_("File name"), required=False)
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("", _("All"))] + list(ImportKind.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(ImportJob.Status.choices),
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("All"))] + list(ImportSource.choices),
        required=False,
    )
