import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import timezone, translation

from laurier.core.dates import organisation_today
from laurier.core.durations import minutes_to_hours


def test_organisation_today_follows_the_organisations_time_zone(organisation, monkeypatch):
    # 02:00 UTC on July 1st is still June 30th in Toronto.
    instant = datetime.datetime(2026, 7, 1, 2, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    organisation.time_zone = "America/Toronto"
    assert organisation_today(organisation) == datetime.date(2026, 6, 30)
    organisation.time_zone = "Europe/Paris"
    assert organisation_today(organisation) == datetime.date(2026, 7, 1)


def test_minutes_to_hours_rounds_to_a_tenth():
    assert minutes_to_hours(100) == Decimal("1.7")
    assert str(minutes_to_hours(90 + 30)) == "2.0"


def test_minutes_to_hours_counts_nothing_as_zero():
    assert str(minutes_to_hours(None)) == "0.0"


def test_as_hours_filter_rounds_like_the_exports():
    rendered = Template("{% load durations %}{{ minutes|as_hours }}").render(
        Context({"minutes": 100})
    )
    assert rendered == str(minutes_to_hours(100))


def test_as_hours_filter_writes_the_readers_decimal_separator():
    with translation.override("fr-ca"):
        rendered = Template("{% load durations %}{{ minutes|as_hours }}").render(
            Context({"minutes": 100})
        )
    assert rendered == "1,7"
