"""The nominee's page at their personal link: what the nomination means, the timeline, and
declining, until the jury's scoring closes."""

# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.contests.models import Nominee
from laurier.core import personal_links
from laurier.organisations.models import AuditEvent
from laurier.testing import factories

from .test_nominations_support import (
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    enrol,
    nominate,
    open_edition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return open_edition(program)


@pytest.fixture
def nominee(edition, program):
    category = factories.CategoryFactory(
        edition=edition, name_fr="Mentor de l'année", name_en="Mentor of the year"
    )
    helene = enrol(program, "Hélène", "Tremblay", email="helene@example.org")
    nomination, _ = nominate(edition, category, helene, today=timezone.localdate())
    return nomination.nominee


def speaks_english(nominee):
    nominee.person.language = "en"
    nominee.person.save()


def page(nominee):
    return reverse("contests:nominee_page", args=[nominee.token])


def test_the_page_tells_the_nominee_in_their_language(client, nominee):
    response = client.get(page(nominee))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "fr-ca"
    assert "Hélène" in html
    assert "Mentor de l&#x27;année" in html
    assert html.count("<h1>") == 1
    assert response["X-Robots-Tag"] == "noindex"


def test_an_english_speaking_nominee_reads_it_in_english(client, nominee):
    nominee.person.language = "en"
    nominee.person.save()

    response = client.get(page(nominee))

    assert response["Content-Language"] == "en"
    assert "Mentor of the year" in response.content.decode()


def test_the_page_never_names_the_nominators(client, nominee):
    html = client.get(page(nominee)).content.decode()

    assert "Jean Roy" not in html
    assert "appris à oser" not in html


def test_declining_needs_the_confirmation(client, nominee):
    response = client.post(page(nominee), {"reason": "Pas cette année"})

    assert response.status_code == 200
    assert Nominee.objects.get().status == Nominee.Status.NOMINATED


def test_the_nominee_declines_with_a_reason(client, nominee):
    response = client.post(page(nominee), {"confirm": "on", "reason": "Pas cette année"})

    assert response.status_code == 302
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.DECLINED
    assert nominee.status_reason == "Pas cette année"
    assert AuditEvent.objects.filter(object_type="contests.nominee").exists()
    after = client.get(page(nominee), headers={"accept-language": "en"}).content.decode()
    assert 'name="confirm"' not in after


def test_declining_after_scoring_closed_is_refused(client, nominee, edition):
    today = timezone.localdate()
    edition.nominations_open_on = today - datetime.timedelta(days=30)
    edition.nominations_close_on = today - datetime.timedelta(days=20)
    edition.scoring_close_on = today - datetime.timedelta(days=1)
    edition.announce_on = today + datetime.timedelta(days=5)
    edition.save()

    page_html = client.get(page(nominee)).content.decode()
    response = client.post(page(nominee), {"confirm": "on"})

    assert 'name="confirm"' not in page_html
    assert response.status_code == 200
    assert Nominee.objects.get().status == Nominee.Status.NOMINATED


def test_after_declining_the_page_says_so_without_congratulations(client, nominee):
    speaks_english(nominee)
    client.post(page(nominee), {"confirm": "on"})

    html = client.get(page(nominee)).content.decode()

    assert "Congratulations" not in html
    assert "Your decline is recorded" in html
    assert "I changed my mind: keep my nomination" in html
    assert "write to the program" not in html


def test_the_nominee_who_declined_keeps_their_nomination_after_all(client, nominee):
    speaks_english(nominee)
    client.post(page(nominee), {"confirm": "on", "reason": "Pas cette année"})

    response = client.post(page(nominee), {"action": "keep"})

    assert response.status_code == 302
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED
    html = client.get(page(nominee)).content.decode()
    assert "Congratulations" in html


def test_after_scoring_closed_a_decline_cannot_be_undone(client, nominee, edition):
    speaks_english(nominee)
    client.post(page(nominee), {"confirm": "on"})
    today = timezone.localdate()
    edition.nominations_open_on = today - datetime.timedelta(days=30)
    edition.nominations_close_on = today - datetime.timedelta(days=20)
    edition.scoring_close_on = today - datetime.timedelta(days=1)
    edition.announce_on = today + datetime.timedelta(days=5)
    edition.save()

    html = client.get(page(nominee)).content.decode()
    client.post(page(nominee), {"action": "keep"})

    assert "keep my nomination" not in html
    assert "can no longer be undone" in html
    assert Nominee.objects.get().status == Nominee.Status.DECLINED


def test_an_unknown_token_answers_404(client, nominee):
    response = client.get("/contest/nominee/not-a-token/")

    assert response.status_code == 404
    assert "Hélène" not in response.content.decode()


def test_guessing_tokens_is_stopped(client, monkeypatch, nominee):
    monkeypatch.setattr(personal_links, "LINK_FAILURE_LIMIT", 2)

    for attempt in range(2):
        client.get(f"/contest/nominee/guess-{attempt}/")

    assert client.get(page(nominee)).status_code == 429
