"""`manage.py load_demo` on a database without the demo yet (the other demo modules share one
load of it per module). Building the demo takes seconds, so one test follows a whole story."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurier.demo.tests.with_demo.test_load_demo import counts
from laurier.demo.tests.with_demo.test_load_demo_mentor_voice import voice_counts
from laurier.hours.models import MentoringSession
from laurier.programs.models import Person
from laurier.recognition.models import CompensationDecision, CultureProfile, LedgerEntry


def demo_snapshot():
    return {
        "people": list(Person.objects.order_by("email").values_list("email", "department")),
        "counts": counts(),
        "voice": voice_counts(),
        "ledger": LedgerEntry.objects.count(),
        "compensation": CompensationDecision.objects.count(),
        "culture": CultureProfile.objects.count(),
    }


def test_load_demo_loads_once_refuses_an_incomplete_demo_and_replaces_it_with_the_same(db):
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert len(output.getvalue().strip().splitlines()) == 1
    loaded = demo_snapshot()
    assert loaded["compensation"] == 4
    assert loaded["culture"] == 1

    call_command("load_demo", stdout=StringIO())
    assert demo_snapshot() == loaded

    MentoringSession.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    call_command("load_demo", "--replace", stdout=StringIO())
    assert demo_snapshot() == loaded
