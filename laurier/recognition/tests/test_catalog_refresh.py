"""`refresh_standard_catalog` brings the ready-made texts nobody edited up to date with the
translation catalogue, leaving managers' wording alone."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurier.recognition.catalog import install_standard_catalog, refresh_standard_catalog
from laurier.recognition.models import RecognitionOption

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_catalog(organisation):
    """A catalog as installed before the French catalogue: English on the French side."""
    install_standard_catalog(organisation)
    options = RecognitionOption.objects.filter(organisation=organisation)
    for option in options:
        options.filter(pk=option.pk).update(name_fr=option.name_en)
    return options


def card(organisation):
    return RecognitionOption.objects.get(organisation=organisation, standard_key="thank_you_card")


def test_untouched_names_get_the_current_french(organisation, old_catalog):
    assert card(organisation).name_fr == "Thank-you card"

    assert refresh_standard_catalog() >= 1

    assert card(organisation).name_fr == "Carte de remerciement"
    assert card(organisation).name_en == "Thank-you card"


def test_a_managers_wording_is_kept(organisation, old_catalog):
    old_catalog.filter(standard_key="thank_you_card").update(name_fr="Petit mot")

    refresh_standard_catalog()

    assert card(organisation).name_fr == "Petit mot"


def test_options_a_manager_added_are_left_alone(organisation, old_catalog):
    from laurier.testing import factories

    own = factories.RecognitionOptionFactory(
        organisation=organisation, name_fr="Thank-you card", name_en="Thank-you card"
    )

    refresh_standard_catalog()

    own.refresh_from_db()
    assert own.name_fr == "Thank-you card"


def test_refreshing_an_up_to_date_catalog_changes_nothing(organisation):
    install_standard_catalog(organisation)

    assert refresh_standard_catalog() == 0


def test_the_command_refreshes_one_organisation(organisation, old_catalog, other_organisation):
    install_standard_catalog(other_organisation)
    others = RecognitionOption.objects.filter(organisation=other_organisation)
    others.filter(standard_key="thank_you_card").update(name_fr="Thank-you card")
    out = StringIO()

    call_command("refresh_standard_catalog", organisation="hydro", stdout=out)

    assert card(organisation).name_fr == "Carte de remerciement"
    assert others.get(standard_key="thank_you_card").name_fr == "Thank-you card"
    assert "refreshed" in out.getvalue()


def test_the_command_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError):
        call_command("refresh_standard_catalog", organisation="nowhere")
