"""What a manager reads and types on the catalog pages: amounts, verdicts, dates, exports."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify

from laurier.recognition.categories import Formality, Nature, Scope, Visibility
from laurier.recognition.culture import culture_fit
from laurier.recognition.models import RecognitionOption
from laurier.testing import factories

from .test_catalog_pages import english, listed, make, option_data, url

pytestmark = pytest.mark.django_db


def french(user):
    user.language = "fr-ca"
    user.save()
    return user


# --- Amounts typed as people write them ----------------------------------------------------


def test_a_cost_typed_with_a_comma_on_a_french_page_is_read_as_cents(
    login, manager_user, organisation
):
    client = login(french(manager_user))

    response = client.post(
        url("option_create", organisation),
        option_data(cost_money="12,50", staff_hours="1,5", min_hours_mentored="7,5"),
    )

    assert response.status_code == 302
    option = RecognitionOption.objects.get(name_en="Christmas card")
    assert option.cost_money == Decimal("12.50")
    assert option.staff_hours == Decimal("1.5")
    assert option.min_hours_mentored == Decimal("7.5")


def test_money_and_hours_are_text_inputs_shown_with_the_page_decimal_separator(
    login, manager_user, organisation
):
    option = make(organisation, cost_money="12.50", staff_hours="1.50")

    html = login(french(manager_user)).get(url("option_edit", organisation, option.pk))
    html = html.content.decode()

    for name in ("cost_money", "staff_hours", "min_hours_mentored"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    assert 'value="12,50"' in html


# --- Culture fit: three verdicts, the same in the filter, the badge and the score ----------


def partly_at_odds_culture(organisation):
    # Strongly private, rather formal: a private informal option is partly at odds.
    return factories.CultureProfileFactory(
        organisation=organisation, public_or_private=-2, formal_or_informal=1
    )


def test_the_fit_filter_has_the_three_verdicts_of_the_badges(login, manager_user, organisation):
    partly_at_odds_culture(organisation)
    fits = make(organisation, visibility=Visibility.PRIVATE, formality=Formality.FORMAL)
    partly = make(organisation, visibility=Visibility.PRIVATE, formality=Formality.INFORMAL)
    clashes = make(organisation, visibility=Visibility.PUBLIC, formality=Formality.FORMAL)
    client = login(manager_user)

    assert listed(client, organisation, fit="fits", q="Option") == [fits.pk]
    assert listed(client, organisation, fit="partly", q="Option") == [partly.pk]
    assert listed(client, organisation, fit="clashes", q="Option") == [clashes.pk]


def test_every_option_the_fits_filter_lists_wears_the_fits_badge(login, manager_user, organisation):
    partly_at_odds_culture(organisation)
    make(organisation, visibility=Visibility.PRIVATE, formality=Formality.FORMAL)
    make(organisation, visibility=Visibility.PRIVATE, formality=Formality.INFORMAL)

    response = login(english(manager_user)).get(
        url("catalog", organisation), {"fit": "fits", "q": "Option"}
    )

    assert [fit.level for _option, fit in response.context["rows"]] == ["fit"]
    assert "~ Partly at odds" not in response.content.decode()


def test_a_clashing_option_never_scores_above_one_partly_at_odds():
    culture = factories.CultureProfileFactory.build(
        public_or_private=-2, formal_or_informal=1, symbolic_or_material=1
    )

    def option(visibility, formality, nature):
        return factories.RecognitionOptionFactory.build(
            visibility=visibility, formality=formality, scope=Scope.INDIVIDUAL, nature=nature
        )

    # Clashes on one axis but agrees on the two others: its raw score is 0.5.
    clashing = culture_fit(culture, option(Visibility.PUBLIC, Formality.FORMAL, Nature.SYMBOLIC))
    # Partly at odds on two axes, agrees on one: also 0.5.
    partly = culture_fit(culture, option(Visibility.PRIVATE, Formality.INFORMAL, Nature.MATERIAL))

    assert clashing.score == partly.score == 0.5
    assert clashing.level == "clash" and partly.level == "mismatch"
    assert clashing.percent < partly.percent < 67


def test_the_fit_sort_follows_the_verdicts(login, manager_user, organisation):
    partly_at_odds_culture(organisation)
    clashes = make(organisation, visibility=Visibility.PUBLIC, formality=Formality.FORMAL)
    partly = make(organisation, visibility=Visibility.PRIVATE, formality=Formality.INFORMAL)
    fits = make(organisation, visibility=Visibility.PRIVATE, formality=Formality.FORMAL)

    best_first = listed(login(manager_user), organisation, sort="-fit", q="Option")

    assert best_first == [fits.pk, partly.pk, clashes.pk]


def test_the_option_page_and_the_export_give_the_same_score_out_of_100(
    login, manager_user, organisation
):
    partly_at_odds_culture(organisation)
    option = make(
        organisation,
        name_en="Odd option",
        visibility=Visibility.PRIVATE,
        formality=Formality.INFORMAL,
    )
    client = login(english(manager_user))

    page = client.get(url("option_detail", organisation, option.pk)).content.decode()
    export = client.get(url("catalog", organisation), {"export": "csv", "q": "Odd"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))

    score = re.search(r"Score: (\d+) out of 100", page).group(1)
    header = rows[0]
    assert rows[1][header.index("Score (out of 100)")] == score
    assert rows[1][header.index("Culture fit")] == "Partly at odds with your culture"


# --- Exports follow the page's language -----------------------------------------------------


def test_the_catalog_export_is_named_after_the_page_title_in_the_reader_language(
    login, manager_user, organisation
):
    response = login(french(manager_user)).get(url("catalog", organisation), {"export": "csv"})

    with translation.override("fr-ca"):
        expected = slugify(translation.gettext("Recognition catalog"))
    assert expected != "recognition-catalog"
    assert f"{expected}.csv" in response["Content-Disposition"]


# --- Search ---------------------------------------------------------------------------------


def test_the_catalog_search_ignores_accents_and_case(login, manager_user, organisation):
    option = make(organisation, name_fr="Événement des lucioles", name_en="Fireflies' evening")

    assert listed(login(manager_user), organisation, q="evenement LUCIOLES") == [option.pk]


# --- Dates inside sentences -----------------------------------------------------------------


def test_a_retired_option_says_since_when_in_long_form(login, manager_user, organisation):
    retired_at = timezone.make_aware(datetime.datetime(2027, 4, 1, 12))
    option = make(organisation, active=False, retired_at=retired_at)

    html = login(french(manager_user)).get(url("option_detail", organisation, option.pk))

    assert "Retir" in html.content.decode() and "1er avril 2027" in html.content.decode()
    assert "2027-04-01" not in html.content.decode()


# --- Errors ---------------------------------------------------------------------------------


def test_a_missing_moment_is_reported_once(login, manager_user, organisation):
    data = option_data()
    del data["moments"]

    html = login(english(manager_user)).post(url("option_create", organisation), data)
    html = html.content.decode()

    assert html.count("Choose at least one moment") == 1
    # The form's summary is the one alert: the group's own message is not announced again.
    assert re.search(r'role="alert">\s*<ul class="errorlist" id="id_moments_error"', html) is None


def test_long_dates_use_the_french_ordinal(organisation):
    with translation.override("fr-ca"):
        assert date_format(datetime.date(2027, 4, 1), "DATE_FORMAT") == "1er avril 2027"
