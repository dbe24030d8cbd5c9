"""The annual recognition report: its sections gathered from the insights selectors, laid out as
a PDF to send to executives (WeasyPrint, charts drawn as SVG) and as a spreadsheet to work on
(one sheet per section).

Every text here is written with the report's language active (the task sets it): sections
arrive translated, and the cover, summary and cells are written in the same language.
"""

import datetime
import importlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from laurier.core.dates import fiscal_year_bounds, fiscal_year_label
from laurier.core.listing import inert_text
from laurier.core.pdf import render_pdf

from .svg import chart_svg

# The selectors modules that describe the report, in the order the report reads: how the
# program is doing, what recognition changes, who stays, when and by whom, who needs attention.
SECTION_MODULES = ("health", "impact", "retention", "timing", "attention")
# How many of each section's first sentences the one-page executive summary repeats.
SUMMARY_SENTENCES = 2
# The file names' first words, in the report's language (file names are not translated text:
# they must not change when the catalogue does).
FILE_STEMS = {"fr": "rapport-reconnaissance", "en": "recognition-report"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses these characters in sheet names, and more than 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[][:*?/\\]")
SHEET_NAME_LENGTH = 31


def section_builders():
    """Each selectors module's `report_sections(scope)`, in the report's order."""
    return [
        importlib.import_module(f"laurier.insights.selectors.{name}").report_sections
        for name in SECTION_MODULES
    ]


def collect_sections(scope, on_progress=None):
    """Every section of the report; `on_progress(share_done)` after each module's."""
    builders = section_builders()
    sections = []
    for done, build in enumerate(builders, start=1):
        sections.extend(build(scope))
        if on_progress is not None:
            on_progress(done / len(builders))
    return sections


# --- What the report is about ----------------------------------------------------------------


@dataclass
class Cover:
    organisation: str
    subject: str  # the program's name, or the whole organisation
    fiscal_year: str
    period: str
    made_on: str
    title: str = field(default="")
    # For a fiscal year not over yet: the figures stop at the day the report was prepared.
    partial: str = field(default="")


def report_subject(report):
    return report.program.name if report.program_id else _("All programs of the organisation")


def report_title():
    return _("Annual recognition report")


def cover_of(report, made_on):
    organisation = report.organisation
    first, last = fiscal_year_bounds(organisation, report.fiscal_year)
    return Cover(
        organisation=organisation.name,
        subject=report_subject(report),
        fiscal_year=_("Fiscal year %(year)s")
        % {"year": fiscal_year_label(organisation, report.fiscal_year)},
        period=_("%(start)s to %(end)s")
        % {"start": date_format(first, "DATE_FORMAT"), "end": date_format(last, "DATE_FORMAT")},
        made_on=_("Prepared on %(day)s") % {"day": date_format(made_on, "DATE_FORMAT")},
        title=report_title(),
        partial=_("The fiscal year is not over: the figures go up to %(day)s.")
        % {"day": date_format(made_on, "DATE_FORMAT")}
        if made_on < last
        else "",
    )


def reading_notes(organisation):
    """What the figures mean, for readers who have not seen the insights pages."""
    return [
        _("A recognition counts once it has been given, on the day it was given."),
        _("Hours of mentoring include the sessions not yet confirmed."),
        _(
            "Engagement pulse answers are anonymous: they are shown only for groups of at least "
            "%(count)s people who answered, and never one person's answer."
        )
        % {"count": organisation.anonymity_threshold},
        _(
            "Retention shows an association, not a cause: mentors who are recognised may differ "
            "in other ways."
        ),
    ]


def report_filename(report, extension):
    """'rapport-reconnaissance-releve-2026-2027.pdf', 'recognition-report-hydro-2026.xlsx': the
    program's (or organisation's) short name and the fiscal year, in the report's language."""
    stem = FILE_STEMS["fr" if report.language.startswith("fr") else "en"]
    subject = report.program.slug if report.program_id else report.organisation.slug
    year = fiscal_year_label(report.organisation, report.fiscal_year).replace("–", "-")
    return f"{stem}-{slugify(subject)}-{year}.{extension}"


def paper_size(organisation):
    """Letter in North America (Canada included), where offices print on it; A4 elsewhere."""
    return "letter" if organisation.time_zone.startswith("America/") else "A4"


def executive_summary(sections):
    """(section title, its first sentences) of each section that says something."""
    return [
        (section.title, section.summary[:SUMMARY_SENTENCES])
        for section in sections
        if section.summary
    ]


# --- PDF -------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    number: bool


def pdf_cell(value):
    """A table cell as the reader writes it; numbers are right-aligned."""
    if value is None:
        return Cell("—", False)
    if isinstance(value, bool):
        return Cell(_("yes") if value else _("no"), False)
    if isinstance(value, int | float | Decimal):
        # A Decimal keeps its own places (money: 1 234,50); a float is a share, one place.
        decimals = None if isinstance(value, Decimal) else (0 if float(value).is_integer() else 1)
        return Cell(
            number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True), True
        )
    if isinstance(value, datetime.datetime | datetime.date):
        return Cell(date_format(value, "DATE_FORMAT"), False)
    return Cell(str(value), False)


def _pdf_row(row, numeric):
    cells = [pdf_cell(value) for value in row]
    # An empty cell ("—") in a column of numbers lines up with them.
    return [
        Cell(cell.text, True) if column < len(numeric) and numeric[column] else cell
        for column, cell in enumerate(cells)
    ]


def _pdf_table(table):
    numeric = _numeric_columns(table)
    return {
        "title": table.title,
        "headers": [
            {"text": str(header), "number": number}
            for header, number in zip(table.headers, numeric, strict=False)
        ],
        "rows": [_pdf_row(row, numeric) for row in table.rows],
    }


def pdf_section(section, index):
    return {
        "key": f"section-{index}",
        "title": section.title,
        "summary": section.summary,
        "charts": [
            {"title": chart.get("title", ""), "svg": chart_svg(chart, key=f"{index}-{number}")}
            for number, chart in enumerate(section.charts)
        ],
        "tables": [_pdf_table(table) for table in section.tables],
    }


def _numeric_columns(table):
    """Columns whose every filled cell is a number (or that are all empty, "—"): their
    headers and empty cells align right with the numbers."""
    columns = []
    for column in range(len(table.headers)):
        values = [
            row[column] for row in table.rows if column < len(row) and row[column] is not None
        ]
        columns.append(
            bool(table.rows)
            and all(
                isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values
            )
        )
    return columns


def report_html(report, sections, made_on):
    organisation = report.organisation
    return render_to_string(
        "insights/reports/document.html",
        {
            "language": translation.get_language(),
            "cover": cover_of(report, made_on),
            "paper": paper_size(organisation),
            "summary": executive_summary(sections),
            "notes": reading_notes(organisation),
            "sections": [pdf_section(section, index) for index, section in enumerate(sections)],
        },
    )


def report_pdf(report, sections, made_on):
    return render_pdf(report_html(report, sections, made_on))


# --- Spreadsheet -----------------------------------------------------------------------------


def _shortened(title):
    """A title in at most 31 characters, cut between words when it can be, with an ellipsis."""
    if len(title) <= SHEET_NAME_LENGTH:
        return title
    cut = title[: SHEET_NAME_LENGTH - 1]
    space = cut.rfind(" ")
    if title[len(cut)] != " " and space >= SHEET_NAME_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;-–") + "…"


def sheet_names(titles):
    """Excel sheet names for these titles: allowed characters, 31 at most, each different."""
    names = []
    taken = set()
    for title in titles:
        base = _shortened(SHEET_NAME_FORBIDDEN.sub("", str(title)).strip().strip("'"))
        base = base or "Section"
        name, number = base, 2
        while name.lower() in taken:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        taken.add(name.lower())
        names.append(name)
    return names


def xlsx_value(value):
    """A cell as the spreadsheet should hold it: numbers as numbers, dates as dates, text inert."""
    if value is None or isinstance(value, int | float | Decimal | datetime.date):
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return inert_text(str(value))


class SheetWriter:
    """Writes rows one under the other on a sheet, with the styles the report uses."""

    def __init__(self, sheet):
        from openpyxl.styles import Alignment, Font

        self.sheet = sheet
        self.row = 1
        self.widths = {}
        self.bold = Font(bold=True)
        self.heading = Font(bold=True, size=14)
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def line(self, values, *, font=None, wrap=False):
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column, value=xlsx_value(value))
            if font is not None:
                cell.font = font
            if wrap:
                cell.alignment = self.wrap
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and not wrap:
                self.widths[column] = max(self.widths.get(column, 0), min(len(value), 60))
        self.row += 1

    def skip(self):
        self.row += 1

    def finish(self, first_column_width=None):
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = max(width + 2, 12)
        if first_column_width:
            self.sheet.column_dimensions["A"].width = first_column_width


def _summary_sheet(workbook, cover, sections, notes):
    writer = SheetWriter(workbook.active)
    workbook.active.title = sheet_names([_("Summary")])[0]
    writer.line([cover.title], font=writer.heading)
    for text in (cover.organisation, cover.subject, cover.fiscal_year, cover.period, cover.made_on):
        writer.line([text])
    if cover.partial:
        writer.line([cover.partial], wrap=True)
    for title, sentences in executive_summary(sections):
        writer.skip()
        writer.line([title], font=writer.bold)
        for sentence in sentences:
            writer.line([sentence], wrap=True)
    writer.skip()
    writer.line([_("About these figures")], font=writer.bold)
    for note in notes:
        writer.line([note], wrap=True)
    writer.finish(first_column_width=100)


def _section_sheet(workbook, name, section):
    writer = SheetWriter(workbook.create_sheet(title=name))
    writer.line([section.title], font=writer.heading)
    for sentence in section.summary:
        writer.line([sentence], wrap=True)
    for table in section.tables:
        writer.skip()
        writer.line([table.title], font=writer.bold)
        writer.line([str(header) for header in table.headers], font=writer.bold)
        for row in table.rows:
            writer.line(row)
    writer.finish()
    # Printed, a sheet fits the page's width (tables have up to ten columns).
    writer.sheet.page_setup.orientation = "landscape"
    writer.sheet.page_setup.fitToWidth = 1
    writer.sheet.page_setup.fitToHeight = 0
    writer.sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Sentences are long: the first column is wide enough to read them, others fit their cells.
    writer.sheet.column_dimensions["A"].width = max(
        writer.sheet.column_dimensions["A"].width or 0, 40
    )


def report_xlsx(report, sections, made_on):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = report_title()
    workbook.properties.creator = report.organisation.name
    _summary_sheet(
        workbook, cover_of(report, made_on), sections, reading_notes(report.organisation)
    )
    names = sheet_names([workbook.active.title] + [section.title for section in sections])[1:]
    for name, section in zip(names, sections, strict=True):
        _section_sheet(workbook, name, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
