import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.test import RequestFactory
from django.utils import translation

from laurier.core.listing import export_response, paginate, sort_queryset
from laurier.organisations.models import Organisation

ROWS = [("Émilie Tremblay", date(2026, 3, 5), Decimal("1.5"))]


def test_french_csv_is_excel_friendly():
    with translation.override("fr-ca"):
        response = export_response("hours", ["Nom", "Date", "Heures"], ROWS, "csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Nom", "Date", "Heures"], ["Émilie Tremblay", "2026-03-05", "1,5"]]


def test_english_csv_uses_commas_and_decimal_points():
    with translation.override("en"):
        response = export_response("hours", ["Name", "Date", "Hours"], ROWS, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Émilie Tremblay", "2026-03-05", "1.5"]


def test_xlsx_export_keeps_dates_and_numbers_typed():
    response = export_response("hours", ["Name", "Date", "Hours"], ROWS, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Name", "Date", "Hours")
    assert values[1][0] == "Émilie Tremblay"
    assert values[1][1].date() == date(2026, 3, 5)
    assert values[1][2] == 1.5
    assert response["Content-Disposition"] == 'attachment; filename="hours.xlsx"'


def test_sort_ignores_unknown_columns(db):
    request = RequestFactory().get("/", {"sort": "password"})
    queryset, current = sort_queryset(
        request, Organisation.objects.all(), {"name": "name"}, default="name"
    )
    assert current == "name"
    assert queryset.query.order_by == ("name", "pk")


def test_sort_descending(db):
    request = RequestFactory().get("/", {"sort": "-name"})
    queryset, current = sort_queryset(
        request, Organisation.objects.all(), {"name": "name"}, default="name"
    )
    assert current == "-name"
    assert queryset.query.order_by == ("-name", "-pk")


FORMULAS = [('=HYPERLINK("http://evil.example","clic")', "+1", "-2+3", "@SUM(A1)", " =1")]


def test_csv_cells_never_become_formulas():
    with translation.override("en"):
        response = export_response("notes", ["a", "b", "c", "d", "e"], FORMULAS, "csv")
    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1]
    assert all(cell.startswith("'") for cell in row)


def test_xlsx_cells_never_become_formulas():
    response = export_response("notes", ["a", "b", "c", "d", "e"], FORMULAS, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=False))[0]
    assert [cell.data_type for cell in cells] == ["s"] * 5
    assert cells[0].value == '\'=HYPERLINK("http://evil.example","clic")'


def test_negative_numbers_stay_numbers():
    response = export_response("n", ["n"], [(Decimal("-1.5"),)], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == -1.5


def test_accented_file_names_download_intact():
    response = export_response("heures-Émilie", ["a"], [], "csv")
    assert "filename*=utf-8''heures-%C3%89milie.csv" in response["Content-Disposition"]


def test_paginate_reads_its_own_page_parameter():
    request = RequestFactory().get("/", {"page": "3", "open": "2"})
    rows = list(range(100))

    assert paginate(request, rows, per_page=10).number == 3
    assert paginate(request, rows, per_page=10, parameter="open").number == 2
    assert paginate(RequestFactory().get("/"), rows, per_page=10, parameter="open").number == 1
