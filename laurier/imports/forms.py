import io
import re
import zipfile
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by

from .models import ImportJob, ImportKind, ImportSource
from .problems import describe
from .reading import (
    MAX_XLSX_UNPACKED_BYTES,
    OLD_EXCEL_SIGNATURE,
    XLSX_SIGNATURE,
    decode_text,
)

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Control characters other than tab, line breaks and form feed: text never holds them.
BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


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
    """Refuse (ValidationError) a file that is no spreadsheet or too large, judged by its
    content as well as its name, before anything is stored; the page and the API accept the
    same files."""
    if Path(uploaded.name).suffix.lower() not in ACCEPTED_EXTENSIONS:
        raise forms.ValidationError(
            _("Send a CSV file or an Excel workbook (.xlsx)."), code="extension"
        )
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is larger than 50 MB; split it in several files."), code="size"
        )
    data = _content(uploaded)
    # By the bytes, as the importer reads it: a workbook renamed .csv is still a workbook.
    if data.startswith(XLSX_SIGNATURE) or Path(uploaded.name).suffix.lower() == ".xlsx":
        _check_workbook(data)
    else:
        _check_text(data)
    return uploaded


def _content(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def _refusal(code, **params):
    return forms.ValidationError(
        describe({"code": code, "params": params}), code=code, params=params
    )


def _check_workbook(data):
    """A zip that says it holds an Office document ([Content_Types].xml), does not unpack into
    too much, and whose workbook openpyxl opens."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _refusal("damaged_spreadsheet") from error
    with archive:
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _refusal("spreadsheet_too_large", limit_mb=MAX_XLSX_UNPACKED_BYTES // (1024 * 1024))
    if "[Content_Types].xml" not in names:
        raise _refusal("damaged_spreadsheet")
    from openpyxl import load_workbook

    try:
        # Read-only opens the workbook's parts list and sheet names, not the cells.
        load_workbook(io.BytesIO(data), read_only=True, data_only=True).close()
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refusal("damaged_spreadsheet") from error


def _check_text(data):
    """Text in one of the encodings the importer reads, without the control characters no
    spreadsheet writes (a binary file renamed .csv is full of them)."""
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise _refusal("old_excel")
    if BINARY_CHARACTERS.search(decode_text(data)):
        raise _refusal("unreadable_text")


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
