"""What every list page shares: sorting from the query string, pagination and exports.

A list view filters its scoped queryset, then hands it to `sort_queryset` and
`paginate`; `?export=csv` or `?export=xlsx` turns the same filtered, sorted
rows into a file through `export_response`.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst

PAGE_SIZE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def search_text(request, parameter="q"):
    """The words searched for in `?q=`, stripped; NUL bytes dropped, as PostgreSQL refuses
    them in a query (a form's CharField refuses them too, with a message)."""
    return request.GET.get(parameter, "").replace("\x00", "").strip()


def sort_queryset(request, queryset, sortable, default):
    """Order by `?sort=key` (or `-key`) when key is in `sortable`.

    `sortable` maps each key to a field name, an expression (e.g. `natural("last_name")`)
    or a tuple of them.
    """
    requested = request.GET.get("sort", default)
    key = requested.lstrip("-")
    if key not in sortable:
        requested, key = default, default.lstrip("-")
    descending = requested.startswith("-")
    fields = sortable[key]
    if not isinstance(fields, tuple | list):
        fields = (fields,)
    ordering = [_ordered(field, descending) for field in fields]
    ordering.append("-pk" if descending else "pk")
    return queryset.order_by(*ordering), requested


def _ordered(field, descending):
    if isinstance(field, str):
        return f"-{field}" if descending else field
    return field.desc() if descending else field.asc()


def paginate(request, queryset, per_page=PAGE_SIZE, parameter="page"):
    """The requested page of a queryset; an out-of-range page number gives the last page.

    `parameter` names the query-string key holding the page number, so two lists on one page
    (e.g. a budget's open commitments and its ledger) turn their pages independently.
    """
    return Paginator(queryset, per_page).get_page(request.GET.get(parameter))


def requested_export(request):
    """'csv' or 'xlsx' when the list was asked for as a file, else None."""
    export = request.GET.get("export")
    return export if export in EXPORT_FORMATS else None


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return translation.gettext("yes") if value else translation.gettext("no")
    if isinstance(value, date | int | float | Decimal):
        return value
    return inert_text(str(value))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters a workbook cannot hold (openpyxl refuses them); tab and line breaks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert_text(text):
    """Text a spreadsheet shows as typed: a leading = + - @ would make it a formula.

    Exported cells hold what mentors and mentees typed (notes, names); opened in Excel,
    "=HYPERLINK(...)" would run. A leading apostrophe is the spreadsheet's own escape.
    Control characters a form let through are dropped: a workbook cannot hold them.
    """
    text = CONTROL_CHARACTERS.sub("", text)
    if text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_text(value):
    value = _cell(value)
    if isinstance(value, Decimal | float):
        # French-Canadian spreadsheets read a decimal comma.
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_response(filename, headers, rows, export_format):
    """A CSV (UTF-8 with BOM, as Excel in French Canada opens it) or XLSX download."""
    # Headers may be typed too (a survey's questions head its columns).
    headers = [inert_text(capfirst(str(h))) for h in headers]
    if export_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        # Excel names a sheet in at most 31 characters, none of []:*?/\.
        sheet = workbook.create_sheet(title=re.sub(r"[][:*?/\\]", "", filename)[:31] or None)
        sheet.append(headers)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        french = translation.get_language().startswith("fr")
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if french else ",")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{export_format}"
    )
    return response
