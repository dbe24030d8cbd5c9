import pytest

from laurier.recognition.categories import PublicConsent

from .test_spotlight_support import (
    TODAY,
    mentor,
    raw_spotlight,
    spotlight_of,
    url,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(manager_user):
    manager_user.language = "en"
    manager_user.save()
    return manager_user


def download(client, name, program, spotlight, language=None):
    address = url(name, program, spotlight.pk)
    return client.get(f"{address}?lang={language}" if language else address)


def test_the_markdown_download_holds_the_title_and_text(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = download(login(manager), "spotlight_markdown", program, spotlight, "en")

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "lea-tremblay-en.md" in response["Content-Disposition"]
    assert response.content.decode() == "# Spotlight: Léa\n\nLéa has **mentored** since 2021."


def test_the_markdown_download_in_french(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = download(login(manager), "spotlight_markdown", program, spotlight, "fr-ca")

    assert response.content.decode().startswith("# Portrait : Léa\n\nLéa **mentore**")
    assert "lea-tremblay-fr.md" in response["Content-Disposition"]


def test_without_a_language_the_download_is_in_the_readers(login, manager_user, program):
    manager_user.language = "fr-ca"
    manager_user.save()
    spotlight = spotlight_of(program, mentor(program))

    response = download(login(manager_user), "spotlight_markdown", program, spotlight)

    assert response.content.decode().startswith("# Portrait : Léa")


def test_the_html_download_is_a_standalone_page_in_its_language(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = download(login(manager), "spotlight_html", program, spotlight, "fr-ca")

    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "lea-tremblay-fr.html" in response["Content-Disposition"]
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<title>Portrait : Léa</title>" in html
    assert "<h1>Portrait : Léa</h1>" in html
    assert "<p>Léa <strong>mentore</strong> depuis 2021.</p>" in html
    assert "Hydro Laurentides" in html
    assert "<script" not in html


def test_the_english_html_download_says_it_is_english(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    html = download(login(manager), "spotlight_html", program, spotlight, "en").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Spotlight: Léa</h1>" in html


def test_the_html_download_is_sanitised(login, manager, program):
    spotlight = spotlight_of(
        program,
        mentor(program),
        body_en=(
            "<script>steal()</script>\n\n[site](https://example.org) [bad](javascript:steal())"
            '\n\n<a href="#" onclick="steal()">x</a> <iframe src="https://evil"></iframe>'
        ),
    )

    html = download(login(manager), "spotlight_html", program, spotlight, "en").content.decode()

    assert "<script>" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "<iframe" not in html
    assert 'href="https://example.org"' in html


def test_a_title_with_markup_is_escaped_in_the_html_download(login, manager, program):
    spotlight = spotlight_of(program, mentor(program), title_en="<b>Léa</b> & co")

    html = download(login(manager), "spotlight_html", program, spotlight, "en").content.decode()

    assert "<title>&lt;b&gt;Léa&lt;/b&gt; &amp; co</title>" in html


@pytest.mark.parametrize("name", ["spotlight_markdown", "spotlight_html"])
def test_a_download_after_the_mentor_withdrew_is_refused_with_the_reason(
    login, manager, program, name
):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea)

    response = download(login(manager), name, program, spotlight, "en")

    assert response.status_code == 302
    assert response["Location"] == url("spotlight_detail", program, spotlight.pk)
    page = login(manager).get(response["Location"])
    assert [str(message) for message in page.context["messages"]] == [
        "Not published: Léa Tremblay asked to keep their recognition private: "
        "no spotlight for them."
    ]


def test_a_download_for_a_mentor_who_now_asks_each_time_is_refused(login, manager, program):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea, PublicConsent.ASK)

    response = download(login(manager), "spotlight_markdown", program, spotlight, "en")

    assert response.status_code == 302


def test_a_download_for_a_mentor_to_ask_who_agreed_leaves(login, manager, program):
    lea = mentor(program, consent=PublicConsent.ASK)
    spotlight = raw_spotlight(program, lea, consent_given_on=TODAY)

    response = download(login(manager), "spotlight_markdown", program, spotlight, "en")

    assert response.status_code == 200


def test_an_unknown_language_gives_the_readers(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = download(login(manager), "spotlight_markdown", program, spotlight, "de")

    assert response.content.decode().startswith("# Spotlight: Léa")


def test_downloads_only_answer_get(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    assert login(manager).post(url("spotlight_html", program, spotlight.pk)).status_code == 405
