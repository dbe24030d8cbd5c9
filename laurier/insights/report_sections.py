"""The building blocks of the annual report: each insights selector module describes its part
as `Section`s, which `reports.py` lays out in the PDF (with its charts as SVG) and in the
spreadsheet (one sheet per section). Every text is already translated: sections are built with
the report's language active.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    headers: list
    # Cells: str, int, Decimal, float, datetime.date or None (an empty cell).
    rows: list


@dataclass
class Section:
    key: str  # a short identifier, also the spreadsheet's sheet name seed: "health", "retention"
    title: str
    # Plain sentences: what a reader should take away, figures included.
    summary: list = field(default_factory=list)
    # Chart specs from `charts.py`, each with a "title" key added.
    charts: list = field(default_factory=list)
    tables: list = field(default_factory=list)
