import pytest
from django.urls import reverse

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.categories import PublicConsent
from laurier.recognition.models import Spotlight

from .test_spotlight_support import (
    TODAY,
    form_data,
    mentor,
    note_for,
    raw_spotlight,
    spotlight_of,
    spotlight_today,  # noqa: F401 — fixture
    url,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(manager_user):
    manager_user.language = "en"
    manager_user.save()
    return manager_user


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def assert_sound_markup(html):
    duplicates, unlabelled, h1_count = check_markup(html)
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)


# --- The list --------------------------------------------------------------------------------


def test_an_empty_list_explains_spotlights(login, manager, program):
    response = login(manager).get(url("spotlights", program))

    assert response.status_code == 200
    assert "What is a spotlight?" in page(response)


def test_the_list_shows_each_spotlight_with_its_mentor(login, manager, program):
    spotlight_of(program, mentor(program))
    spotlight_of(program, mentor(program, first_name="Marc", last_name="Côté"), title_en="Marc")

    response = login(manager).get(url("spotlights", program))

    assert [spotlight.mentor.first_name for spotlight in response.context["page"]] == [
        "Marc",
        "Léa",
    ]
    assert "Spotlight: Léa" in page(response)


def test_the_list_finds_a_spotlight_by_mentor_name(login, manager, program):
    spotlight_of(program, mentor(program))
    spotlight_of(program, mentor(program, first_name="Marc", last_name="Côté"), title_en="Marc")

    response = login(manager).get(url("spotlights", program) + "?q=cote")

    assert [spotlight.mentor.first_name for spotlight in response.context["page"]] == ["Marc"]


def test_the_list_marks_a_spotlight_whose_mentor_withdrew(login, manager, program):
    lea = mentor(program)
    spotlight_of(program, lea)
    withdraw_consent(lea)

    response = login(manager).get(url("spotlights", program))

    assert "Withdrawn: not published" in page(response)


def test_the_list_exports_as_csv(login, manager, program):
    spotlight_of(program, mentor(program))

    response = login(manager).get(url("spotlights", program) + "?export=csv")

    text = response.content.decode("utf-8-sig")
    assert "Léa Tremblay" in text
    assert "Spotlight: Léa" in text


def test_only_the_programs_spotlights_are_listed(login, manager, organisation, program):
    from laurier.testing import factories

    other = factories.ProgramFactory(organisation=organisation, slug="autre")
    spotlight_of(other, mentor(other))

    response = login(manager).get(url("spotlights", program))

    assert "What is a spotlight?" in page(response)


# --- Writing one -----------------------------------------------------------------------------


def test_without_a_mentor_the_page_lists_mentors_to_choose(login, manager, program):
    mentor(program)
    mentor(program, first_name="Marc", last_name="Côté", consent=PublicConsent.NO)

    response = login(manager).get(url("spotlight_create", program))

    html = page(response)
    assert (
        f"?mentor={Spotlight.mentor.field.related_model.objects.get(first_name='Léa').pk}" in html
    )
    assert "no public consent: cannot be spotlighted" in html
    assert_sound_markup(html)


@pytest.mark.usefixtures("spotlight_today")
def test_the_form_holds_the_draft_from_the_mentors_record(login, manager, program):
    lea = mentor(program)
    note_for(program, lea, "Léa changed my career.")

    response = login(manager).get(url("spotlight_create", program) + f"?mentor={lea.pk}")

    form = response.context["form"]
    assert form.initial["title_en"] == "Mentor spotlight: Léa Tremblay"
    assert "> Léa changed my career." in form.initial["body_en"]
    assert "consent_given_on" not in form.fields
    assert_sound_markup(page(response))


def test_a_mentor_who_said_no_gets_a_refusal_with_the_reason_and_no_form(login, manager, program):
    lea = mentor(program, consent=PublicConsent.NO)

    response = login(manager).get(url("spotlight_create", program) + f"?mentor={lea.pk}")

    html = page(response)
    assert "No spotlight for this mentor." in html
    assert "Léa Tremblay asked to keep their recognition private" in html
    assert "<textarea" not in html
    assert_sound_markup(html)


def test_posting_for_a_mentor_who_said_no_writes_nothing(login, manager, program):
    lea = mentor(program, consent=PublicConsent.NO)

    login(manager).post(url("spotlight_create", program) + f"?mentor={lea.pk}", form_data())

    assert not Spotlight.objects.exists()


def test_a_mentor_to_ask_gets_the_day_they_agreed_on_the_form(login, manager, program):
    lea = mentor(program, consent=PublicConsent.ASK)

    response = login(manager).get(url("spotlight_create", program) + f"?mentor={lea.pk}")

    assert response.context["form"].fields["consent_given_on"].required
    assert_sound_markup(page(response))


def test_a_mentor_to_ask_without_the_day_is_refused_clearly(login, manager, program):
    lea = mentor(program, consent=PublicConsent.ASK)

    response = login(manager).post(
        url("spotlight_create", program) + f"?mentor={lea.pk}", form_data()
    )

    assert response.status_code == 200
    assert response.context["form"].errors["consent_given_on"] == ["This field is required."]
    assert not Spotlight.objects.exists()


def test_saving_the_form_creates_the_spotlight_and_shows_it(login, manager, program):
    lea = mentor(program, consent=PublicConsent.ASK)

    response = login(manager).post(
        url("spotlight_create", program) + f"?mentor={lea.pk}",
        form_data(consent_given_on=TODAY.isoformat()),
        follow=True,
    )

    spotlight = Spotlight.objects.get()
    assert (spotlight.mentor, spotlight.consent_given_on) == (lea, TODAY)
    assert response.redirect_chain[-1][0] == url("spotlight_detail", program, spotlight.pk)
    assert messages_of(response) == [
        "The spotlight on Léa Tremblay is saved: check the preview, then download it."
    ]


def test_a_double_submit_saves_one_spotlight(login, manager, program):
    lea = mentor(program)
    client = login(manager)
    address = url("spotlight_create", program) + f"?mentor={lea.pk}"

    client.post(address, form_data())
    response = client.post(address, form_data(), follow=True)

    assert Spotlight.objects.count() == 1
    assert messages_of(response)[-1] == "This spotlight was already saved."


def test_an_empty_title_is_refused_next_to_the_field(login, manager, program):
    lea = mentor(program)

    response = login(manager).post(
        url("spotlight_create", program) + f"?mentor={lea.pk}", form_data(title_en="")
    )

    assert "title_en" in response.context["form"].errors
    assert not Spotlight.objects.exists()


def test_a_mentor_of_another_program_is_404(login, manager, organisation, program):
    from laurier.testing import factories

    other = factories.ProgramFactory(organisation=organisation, slug="autre")
    lea = mentor(other)

    response = login(manager).get(url("spotlight_create", program) + f"?mentor={lea.pk}")

    assert response.status_code == 404


# --- Its page --------------------------------------------------------------------------------


def test_the_page_previews_the_text_as_html_in_the_readers_language(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).get(url("spotlight_detail", program, spotlight.pk))

    html = page(response)
    assert "Léa has <strong>mentored</strong> since 2021." in html
    assert_sound_markup(html)


def test_the_preview_switches_to_the_other_language(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).get(url("spotlight_detail", program, spotlight.pk) + "?lang=fr-ca")

    assert "Léa <strong>mentore</strong> depuis 2021." in page(response)


def test_the_preview_is_sanitised(login, manager, program):
    spotlight = spotlight_of(
        program,
        mentor(program),
        body_en='Hi <script>alert("x")</script> [link](javascript:alert(1)) <img src=x onerror=y>',
    )

    html = page(login(manager).get(url("spotlight_detail", program, spotlight.pk)))

    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_headings_of_the_text_sit_below_the_pages_own(login, manager, program):
    spotlight = spotlight_of(program, mentor(program), body_en="# Big\n\n## Smaller")

    html = page(login(manager).get(url("spotlight_detail", program, spotlight.pk)))

    assert "<h4>Big</h4>" in html
    assert "<h4>Smaller</h4>" in html
    assert_sound_markup(html)


def test_the_page_offers_both_languages_downloads(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    html = page(login(manager).get(url("spotlight_detail", program, spotlight.pk)))

    for name in ("spotlight_markdown", "spotlight_html"):
        for language in ("fr-ca", "en"):
            assert f'{url(name, program, spotlight.pk)}?lang={language}"' in html


def test_the_page_of_a_withdrawn_mentor_says_why_and_offers_no_download(login, manager, program):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea)

    html = page(login(manager).get(url("spotlight_detail", program, spotlight.pk)))

    assert "Not published any more." in html
    assert "asked to keep their recognition private" in html
    assert url("spotlight_markdown", program, spotlight.pk) not in html


# --- Editing and deleting --------------------------------------------------------------------


def test_editing_saves_the_new_texts(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).post(
        url("spotlight_edit", program, spotlight.pk),
        form_data(title_en="Léa, in her own words"),
        follow=True,
    )

    spotlight.refresh_from_db()
    assert spotlight.title_en == "Léa, in her own words"
    assert messages_of(response) == ["The spotlight is saved."]


def test_the_edit_form_has_sound_markup(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).get(url("spotlight_edit", program, spotlight.pk))

    assert response.context["form"].initial["title_en"] == "Spotlight: Léa"
    assert_sound_markup(page(response))


@pytest.mark.usefixtures("spotlight_today")
def test_starting_again_fills_the_form_with_a_fresh_draft_without_saving(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).get(url("spotlight_edit", program, spotlight.pk) + "?redraft=1")

    assert "Mentor spotlight: Léa Tremblay" in page(response)
    spotlight.refresh_from_db()
    assert spotlight.title_en == "Spotlight: Léa"


def test_editing_the_spotlight_of_a_withdrawn_mentor_is_refused(login, manager, program):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea)

    response = login(manager).post(
        url("spotlight_edit", program, spotlight.pk), form_data(title_en="Changed")
    )

    assert response.status_code == 200
    assert "asked to keep their recognition private" in page(response)
    spotlight.refresh_from_db()
    assert spotlight.title_en == "Spotlight: Léa"


def test_deleting_asks_first_then_deletes(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))
    client = login(manager)

    confirm = client.get(url("spotlight_delete", program, spotlight.pk))
    response = client.post(url("spotlight_delete", program, spotlight.pk), follow=True)

    assert "Delete the spotlight?" in page(confirm)
    assert_sound_markup(page(confirm))
    assert not Spotlight.objects.exists()
    assert messages_of(response) == ["The spotlight on Léa Tremblay is deleted."]


# --- Links -----------------------------------------------------------------------------------


def test_the_mentor_page_offers_to_write_a_spotlight(login, manager, program):
    lea = mentor(program)

    response = login(manager).get(
        reverse("programs:mentor_detail", args=[program.organisation.slug, program.slug, lea.pk])
    )

    assert f"{url('spotlight_create', program)}?mentor={lea.pk}" in page(response)


def test_the_program_menu_links_to_spotlights(login, manager, program):
    response = login(manager).get(url("spotlights", program))

    assert f'href="{url("spotlights", program)}"' in page(response)


def test_a_spotlight_written_in_the_database_for_a_refusing_mentor_shows(login, manager, program):
    spotlight = raw_spotlight(program, mentor(program, consent=PublicConsent.NO))

    response = login(manager).get(url("spotlight_detail", program, spotlight.pk))

    assert response.status_code == 200
    assert "Not published any more." in page(response)


def test_the_mentor_page_links_to_the_mentors_spotlights(login, manager, program):
    lea = mentor(program)
    spotlight_of(program, lea)
    spotlight_of(program, mentor(program, first_name="Marc", last_name="Côté"), title_en="Marc")
    mentor_page = page(
        login(manager).get(
            reverse(
                "programs:mentor_detail", args=[program.organisation.slug, program.slug, lea.pk]
            )
        )
    )
    address = f"{url('spotlights', program)}?q=L%C3%A9a%20Tremblay"
    assert address in mentor_page

    response = login(manager).get(address)

    assert [spotlight.mentor for spotlight in response.context["page"]] == [lea]
