"""The ready-made catalog: every family of the article, in both languages, installed once."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from laurier.recognition import catalog
from laurier.recognition.catalog import STANDARD_KEYS, STANDARD_OPTIONS, install_standard_catalog
from laurier.recognition.categories import RecognitionCategory, RecognitionMoment
from laurier.recognition.models import RecognitionOption
from laurier.recognition.services.catalog import OPTION_FIELDS, check_option, clean_fields
from laurier.testing import factories

pytestmark = pytest.mark.django_db

FAMILIES = {
    "newsletter_mention",
    "intranet_mention",
    "thank_you_card",
    "certificate",
    "mentoring_badge",
    "network_access",
    "special_event",
    "material_perk",
    "symbolic_gift",
    "gala",
    "dinner",
    "advanced_training",
    "workshop",
    "conference",
    "seminar",
    "training_hours_mentor",
    "training_hours_mentee",
    "mentor_of_the_year",
    "stipend",
    "honorarium",
}


def test_every_family_the_article_names_is_a_distinct_option(organisation):
    created = install_standard_catalog(organisation)

    options = RecognitionOption.objects.filter(organisation=organisation)
    assert created == len(FAMILIES) == options.count()
    assert set(options.values_list("standard_key", flat=True)) == FAMILIES
    assert set(options.values_list("category", flat=True)) == set(RecognitionCategory.values)
    assert len(set(options.values_list("name_en", flat=True))) == len(FAMILIES)


def test_names_and_descriptions_are_written_in_both_languages(organisation):
    install_standard_catalog(organisation)

    card = RecognitionOption.objects.get(organisation=organisation, standard_key="thank_you_card")
    badge = RecognitionOption.objects.get(organisation=organisation, standard_key="mentoring_badge")
    assert (card.name_fr, card.name_en) == ("Carte de remerciement", "Thank-you card")
    assert (badge.name_fr, badge.name_en) == ("Badge de mentorat", "Mentoring badge")
    for option in RecognitionOption.objects.filter(organisation=organisation):
        assert option.name_fr and option.name_en
        assert option.description_fr and option.description_en


def test_costs_capacities_and_eligibility_are_realistic(organisation):
    install_standard_catalog(organisation)
    option = {
        o.standard_key: o for o in RecognitionOption.objects.filter(organisation=organisation)
    }

    assert option["gala"].capacity == 40
    assert option["gala"].cost_money == Decimal("175.00")
    assert option["mentor_of_the_year"].min_tenure_months == 12
    assert option["mentor_of_the_year"].contest_winners_only
    assert option["mentor_of_the_year"].capacity == 1
    assert option["advanced_training"].min_hours_mentored == Decimal("20.00")
    assert option["intranet_mention"].cost_money == 0
    assert option["thank_you_card"].material_items == 1


def test_every_ready_made_option_follows_the_rules_of_the_catalog(organisation):
    for spec in STANDARD_OPTIONS:
        option = catalog._option(organisation, spec)
        check_option(clean_fields({name: getattr(option, name) for name in OPTION_FIELDS}))
        option.full_clean()
        assert set(spec.moments) <= set(RecognitionMoment.values)


def test_installing_again_creates_nothing(organisation):
    install_standard_catalog(organisation)

    assert install_standard_catalog(organisation) == 0
    assert RecognitionOption.objects.filter(organisation=organisation).count() == len(STANDARD_KEYS)


def test_a_retired_or_edited_option_is_never_made_again(organisation):
    install_standard_catalog(organisation)
    RecognitionOption.objects.filter(standard_key="gala").update(active=False)
    RecognitionOption.objects.filter(standard_key="dinner").update(name_en="Our BBQ")

    install_standard_catalog(organisation)

    gala = RecognitionOption.objects.get(organisation=organisation, standard_key="gala")
    dinner = RecognitionOption.objects.get(organisation=organisation, standard_key="dinner")
    assert not gala.active
    assert dinner.name_en == "Our BBQ"
    assert RecognitionOption.objects.filter(organisation=organisation).count() == len(STANDARD_KEYS)


def test_only_the_missing_options_are_added(organisation):
    factories.RecognitionOptionFactory(organisation=organisation, standard_key="gala")

    assert install_standard_catalog(organisation) == len(STANDARD_KEYS) - 1


def test_the_database_refuses_a_second_option_with_the_same_standard_key(organisation):
    install_standard_catalog(organisation)

    with pytest.raises(IntegrityError):
        factories.RecognitionOptionFactory(organisation=organisation, standard_key="gala")


def test_each_organisation_gets_its_own_catalog(organisation, other_organisation):
    install_standard_catalog(organisation)
    install_standard_catalog(other_organisation)

    assert RecognitionOption.objects.filter(organisation=other_organisation).count() == len(
        STANDARD_KEYS
    )


def test_the_first_visit_of_the_catalog_installs_it(login, manager_user, organisation):
    manager_user.language = "fr-ca"
    manager_user.save()
    response = login(manager_user).get(reverse("recognition:catalog", args=[organisation.slug]))

    assert response.status_code == 200
    assert RecognitionOption.objects.filter(organisation=organisation).count() == len(STANDARD_KEYS)
    assert "Carte de remerciement" in response.content.decode()


def test_a_lost_install_race_reads_the_winner_options(organisation, monkeypatch):
    """A concurrent install wins between the read and the write: no error, nothing doubled."""
    real_bulk_create = RecognitionOption.objects.bulk_create
    calls = []

    def racing_bulk_create(objs, *args, **kwargs):
        if not calls:
            calls.append(1)
            real_bulk_create([catalog._option(organisation, STANDARD_OPTIONS[0])])
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(RecognitionOption.objects, "bulk_create", racing_bulk_create)

    install_standard_catalog(organisation)

    assert RecognitionOption.objects.filter(organisation=organisation).count() == len(STANDARD_KEYS)
