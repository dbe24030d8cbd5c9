"""Small helpers the hours tests share: exported files parsed back into rows, events attended."""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from laurier.recognition.models import Event, EventInvitation


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def event(program, *, kind="workshop", starts_at, hours="3", cancelled=False, **fields):
    """An event of `program` that began at `starts_at` and lasted two hours."""
    fields.setdefault("name_fr", f"Atelier {kind}")
    fields.setdefault("name_en", f"{kind.title()} session")
    return Event.objects.create(
        organisation=program.organisation,
        program=program,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        training_hours=Decimal(hours),
        cancelled_at=timezone.now() if cancelled else None,
        **fields,
    )


def attended(event, *people, came=True):
    """Invitations of `people` to `event`, with their attendance taken."""
    return [
        EventInvitation.objects.create(event=event, person=person, answer="going", attended=came)
        for person in people
    ]
