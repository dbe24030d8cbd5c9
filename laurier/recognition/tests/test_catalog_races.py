"""Real concurrent writes on PostgreSQL: first installs, first culture saves, double creates.

SQLite runs one writer at a time, so these only mean something on PostgreSQL.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from laurier.recognition.catalog import STANDARD_KEYS, install_standard_catalog
from laurier.recognition.categories import (
    Formality,
    Nature,
    RecognitionCategory,
    RecognitionMoment,
    Visibility,
)
from laurier.recognition.models import CultureProfile, RecognitionOption
from laurier.recognition.services.catalog import create_option
from laurier.recognition.services.culture import save_culture_profile

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def at_once(action, times=4):
    """Run `action` in `times` threads released together; the outcome of each."""
    start = threading.Barrier(times)
    outcomes = []

    def run():
        start.wait()
        try:
            action()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - the test reports any other failure
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_first_visits_install_the_catalog_once(organisation):
    outcomes = at_once(lambda: install_standard_catalog(organisation))

    assert set(outcomes) == {"done"}
    assert RecognitionOption.objects.filter(organisation=organisation).count() == len(STANDARD_KEYS)


def test_simultaneous_first_saves_make_one_culture_profile(organisation, admin_user):
    outcomes = at_once(
        lambda: save_culture_profile(
            organisation=organisation, actor=admin_user, values_en="Rigour", public_or_private=-2
        )
    )

    assert set(outcomes) == {"done"}
    profile = CultureProfile.objects.get(organisation=organisation)
    assert profile.public_or_private == -2


def test_a_create_sent_several_times_at_once_adds_one_option(organisation, admin_user):
    fields = {
        "category": RecognitionCategory.CERTIFICATE,
        "name_fr": "Certificat d'or",
        "name_en": "Gold certificate",
        "cost_money": "5.00",
        "staff_hours": "0.5",
        "visibility": Visibility.PRIVATE,
        "formality": Formality.FORMAL,
        "nature": Nature.SYMBOLIC,
        "moments": [RecognitionMoment.CYCLE_END],
    }
    outcomes = at_once(lambda: create_option(organisation=organisation, actor=admin_user, **fields))

    assert set(outcomes) == {"done"}
    assert RecognitionOption.objects.filter(organisation=organisation).count() == 1
