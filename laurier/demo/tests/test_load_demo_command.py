"""`manage.py load_demo` on a database without the demo yet (the other demo modules share one
load of it per module)."""

from io import StringIO

from django.core.management import call_command

from laurier.demo.demo_organisation import load_demo_organisation
from laurier.demo.tests.test_load_demo import TODAY, counts
from laurier.programs.models import Person


def test_load_demo_prints_one_summary_line(db):
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert len(output.getvalue().strip().splitlines()) == 1


def test_load_demo_command_twice_keeps_counts(db):
    call_command("load_demo", stdout=StringIO())
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_same_seed_gives_the_same_people(db):
    load_demo_organisation(today=TODAY)
    first = list(Person.objects.order_by("email").values_list("email", "department"))
    load_demo_organisation(today=TODAY, replace=True)
    assert list(Person.objects.order_by("email").values_list("email", "department")) == first
