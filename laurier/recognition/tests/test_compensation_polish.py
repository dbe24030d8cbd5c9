"""What a manager reads and types about paying mentors: amounts, sentences, dates, exports."""
# ruff: noqa: F811  (pytest fixtures are imported, then named as test arguments)

import csv
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify

from laurier.recognition.models import CompensationDecision

from .test_compensation_support import (  # noqa: F401
    Decision,
    compensation_url,
    form_data,
    paid_decision,
    volunteer_decision,
)

pytestmark = pytest.mark.django_db


def speaking(user, language):
    user.language = language
    user.save()
    return user


def test_an_amount_typed_with_a_comma_on_a_french_page_is_read_as_cents(
    login, manager_user, organisation, program, compensation_url
):
    client = login(speaking(manager_user, "fr-ca"))

    response = client.post(
        compensation_url("compensation_decide"),
        form_data(organisation, amount_per_mentor="12,50"),
    )

    assert response.status_code == 302
    assert CompensationDecision.objects.get(program=program).amount_per_mentor == Decimal("12.50")


def test_the_amount_is_a_text_input_in_the_page_decimal_format(
    login, manager_user, program, compensation_url
):
    paid_decision(program)

    html = login(speaking(manager_user, "fr-ca")).get(compensation_url("compensation_decide"))
    tag = re.search(r'<input[^>]*name="amount_per_mentor"[^>]*>', html.content.decode()).group(0)

    assert 'type="text"' in tag and 'inputmode="decimal"' in tag and 'value="500,00"' in tag


def test_the_risks_to_weigh_point_to_no_article_the_reader_never_saw(
    login, manager_user, compensation_url
):
    html = login(manager_user).get(compensation_url("compensation_decide")).content.decode()

    assert "Risks to weigh" in html
    assert "article" not in re.sub(r"</?article[^>]*>", "", html).lower()


def test_the_decision_in_force_is_a_whole_sentence_on_the_form(
    login, manager_user, program, compensation_url
):
    paid_decision(program)

    html = login(manager_user).get(compensation_url("compensation_decide")).content.decode()

    assert "Each mentor receives a stipend of $500.00 per fiscal year." in html
    assert "(A stipend" not in html


def test_the_dashboard_warning_dates_the_decision_and_its_review_in_words(
    login, manager_user, program
):
    decision = paid_decision(program)

    html = login(speaking(manager_user, "fr-ca")).get(
        reverse("programs:dashboard", args=[program.organisation.slug, program.slug])
    )
    html = html.content.decode()

    with translation.override("fr-ca"):
        for day in (decision.decided_on, decision.review_on):
            assert date_format(day, "DATE_FORMAT") in html
            assert day.isoformat() not in html


def test_a_decision_of_the_history_says_when_it_was_recorded_in_words(
    login, manager_user, program, compensation_url
):
    decision = paid_decision(program)

    html = login(manager_user).get(compensation_url()).content.decode()

    # The day where the organisation is: just after midnight UTC, it is still the day before.
    recorded = timezone.localtime(decision.recorded_at, ZoneInfo(program.organisation.time_zone))
    with translation.override("en"):
        assert date_format(recorded, "DATE_FORMAT") in html
    assert recorded.strftime("%Y-%m-%d") not in html


def test_the_export_says_what_the_page_says_in_the_reader_language(
    login, manager_user, program, compensation_url
):
    paid_decision(program, recorded_by=manager_user)
    client = login(speaking(manager_user, "fr-ca"))

    page = client.get(compensation_url()).content.decode()
    response = client.get(compensation_url(), {"export": "csv"})
    headers = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    for label in ("Decided on", "Review on", "Recorded by", "Stakeholders consulted"):
        with translation.override("fr-ca"):
            translated = translation.gettext(label)
        assert f"<dt>{translated}</dt>" in page
        assert translated in headers
    with translation.override("fr-ca"):
        title = slugify(translation.gettext("Paying mentors"))
    assert f"{title}-releve.csv" in response["Content-Disposition"]
