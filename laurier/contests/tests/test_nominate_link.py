"""The public nomination form at the edition's link: no account, the browser's language,
rate-limited per client, out of caches and search engines."""

# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone, translation

from laurier.contests.models import Nomination, Nominee
from laurier.contests.views import nominate as views
from laurier.outbox.models import OutgoingEmail
from laurier.testing import factories

from .test_nominations_support import (
    HTML_BYTES,
    PDF_BYTES,
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    enrol,
    form_data,
    link,
    open_edition,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return open_edition(
        program, introduction_fr="Dites-nous qui vous a marqué.", introduction_en="Tell us."
    )


@pytest.fixture
def category(edition):
    return factories.CategoryFactory(
        edition=edition, name_fr="Mentor de l'année", description_fr="Pour une année marquante."
    )


@pytest.fixture
def helene(program):
    return enrol(program, "Hélène", "Tremblay", email="helene@example.org")


def test_the_form_shows_the_contest_its_categories_and_the_eligible_mentors(
    client, edition, category, helene, program
):
    factories.MenteeEnrolmentFactory(program=program, person__last_name="Mentee-Only")

    response = client.get(link(edition))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Mentor de l&#x27;année 2026</h1>" in html
    assert "Dites-nous qui vous a marqué." in html
    assert "Pour une année marquante." in html
    assert f'<option value="{helene.pk}">Hélène Tremblay</option>' in html
    assert "Mentee-Only" not in html
    assert html.count("<h1>") == 1


def test_the_form_speaks_the_browsers_language(client, edition, category, helene):
    response = client.get(link(edition), headers={"accept-language": "en"})

    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Mentor of the year 2026" in html
    assert "Tell us." in html


def test_the_link_stays_out_of_search_engines_and_caches(client, edition, category):
    response = client.get(link(edition))

    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_nomination_is_taken_then_thanked_on_its_own_page(client, edition, category, helene):
    response = client.post(link(edition), form_data(category, helene))

    assert response.status_code == 302
    assert response["Location"] == link(edition) + "?sent=1"
    nomination = Nomination.objects.get()
    assert nomination.source == Nomination.Source.LINK
    assert nomination.nominator_user is None
    thanks = client.get(response["Location"]).content.decode()
    assert "Hélène Tremblay" in thanks
    assert "jean.roy@example.org" in thanks


def test_the_same_form_sent_twice_makes_one_nomination(client, edition, category, helene):
    client.post(link(edition), form_data(category, helene))
    client.post(link(edition), form_data(category, helene))

    assert Nomination.objects.count() == 1


def test_a_double_submit_changes_nothing_sends_nothing_more_and_thanks(
    client, edition, category, helene
):
    client.post(link(edition), form_data(category, helene))
    first_saved = Nomination.objects.get().updated_at

    response = client.post(link(edition), form_data(category, helene))

    assert response["Location"] == link(edition) + "?sent=1"
    assert OutgoingEmail.objects.filter(to="jean.roy@example.org").count() == 1
    assert Nomination.objects.get().updated_at == first_saved


def test_someone_typing_a_nominators_address_cannot_rewrite_their_story(
    client, edition, category, helene
):
    client.post(link(edition), form_data(category, helene))

    response = client.post(
        link(edition),
        form_data(category, helene, story="Réécrit par quelqu'un d'autre.", nominator_name="X"),
        REMOTE_ADDR="192.0.2.9",
    )

    assert response.status_code == 200
    nomination = Nomination.objects.get()
    assert nomination.story == "Toujours présente quand il le fallait."
    assert nomination.nominator_name == "Jean Roy"


def test_the_rewrite_attempt_sends_the_change_link_to_the_owners_address(
    client, edition, category, helene
):
    client.post(link(edition), form_data(category, helene))

    client.post(link(edition), form_data(category, helene, story="Réécrit."))

    nomination = Nomination.objects.get()
    [resent] = OutgoingEmail.objects.filter(reason=f"contest-nomination-link:{nomination.pk}")
    assert resent.to == "jean.roy@example.org"
    assert f"/contest/nomination/{nomination.token}/" in resent.text


def test_the_rewrite_attempt_page_says_a_link_was_sent_and_nothing_else(
    client, edition, category, helene
):
    client.post(link(edition), form_data(category, helene), headers={"accept-language": "en"})

    response = client.post(
        link(edition),
        form_data(category, helene, story="Réécrit."),
        headers={"accept-language": "en"},
    )

    html = response.content.decode()
    assert (
        "This address already nominated Hélène Tremblay. We sent a link to that address: "
        "follow it to change the nomination." in html
    )
    assert "Toujours présente" not in html
    assert Nomination.objects.get().token not in html


def test_the_change_link_is_sent_in_the_owners_language(client, edition, category, helene):
    client.post(link(edition), form_data(category, helene), headers={"accept-language": "en"})

    client.post(
        link(edition),
        form_data(category, helene, story="Réécrit."),
        headers={"accept-language": "fr-ca"},
    )

    resent = OutgoingEmail.objects.get(reason__startswith="contest-nomination-link:")
    assert resent.subject == "Your link to change your nomination of Hélène Tremblay"


def test_rewrite_attempts_count_against_the_refused_forms_ceiling(
    client, monkeypatch, edition, category, helene
):
    monkeypatch.setattr(views, "NOMINATE_REFUSED_CEILING", 1)
    client.post(link(edition), form_data(category, helene))
    client.post(link(edition), form_data(category, helene, story="Réécrit."))

    response = client.post(link(edition), form_data(category, helene, story="Encore."))

    assert response.status_code == 429


def test_a_pdf_is_kept_with_the_nomination(client, edition, category, helene):
    client.post(link(edition), {**form_data(category, helene), "evidence": upload(PDF_BYTES)})

    nomination = Nomination.objects.get()
    assert nomination.evidence_type == "application/pdf"
    assert nomination.evidence_name == "document.pdf"


def test_an_html_file_renamed_pdf_is_refused_on_the_form(client, edition, category, helene):
    with translation.override("en"):
        response = client.post(
            link(edition),
            {**form_data(category, helene), "evidence": upload(HTML_BYTES, name="lettre.pdf")},
            headers={"accept-language": "en"},
        )

    assert response.status_code == 200
    assert "This kind of file cannot be attached" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_crafted_id_of_another_organisations_mentor_is_refused(
    client, edition, category, other_organisation
):
    stranger = enrol(factories.ProgramFactory(organisation=other_organisation), "Sam", "Autre")

    response = client.post(
        link(edition), form_data(category, stranger), headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    assert "this person cannot be nominated in this contest" in response.content.decode()
    assert not Nominee.objects.exists()


def test_a_crafted_category_of_another_edition_is_refused(client, edition, category, helene):
    other = factories.CategoryFactory()

    response = client.post(link(edition), form_data(other, helene))

    assert response.status_code == 200
    assert not Nominee.objects.exists()


def test_self_nomination_is_refused_on_the_form_when_not_allowed(client, edition, category, helene):
    response = client.post(
        link(edition),
        form_data(category, helene, nominator_email="helene@example.org"),
        headers={"accept-language": "en"},
    )

    assert "does not take self-nominations" in response.content.decode()
    assert not Nominee.objects.exists()


def test_myself_is_offered_only_when_self_nomination_is_allowed(client, edition, category):
    assert 'value="self"' not in client.get(link(edition)).content.decode()

    edition.allow_self_nomination = True
    edition.save()

    assert 'value="self"' in client.get(link(edition)).content.decode()


def test_a_late_nomination_is_refused_by_the_page(client, edition, category, helene):
    today = timezone.localdate()
    edition.nominations_open_on = today - datetime.timedelta(days=20)
    edition.nominations_close_on = today - datetime.timedelta(days=1)
    edition.save()

    page = client.get(link(edition), headers={"accept-language": "en"})
    response = client.post(link(edition), form_data(category, helene))

    assert "Nominations closed on" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert response.status_code == 200
    assert not Nominee.objects.exists()


def test_an_early_visitor_is_told_when_nominations_open(client, edition, category, helene):
    today = timezone.localdate()
    edition.nominations_open_on = today + datetime.timedelta(days=1)
    edition.save()

    page = client.get(link(edition), headers={"accept-language": "en"})
    client.post(link(edition), form_data(category, helene))

    assert "Nominations open on" in page.content.decode()
    assert not Nominee.objects.exists()


def test_an_announced_editions_link_says_nominations_closed(client, edition, category):
    edition.announced_at = timezone.now()
    edition.save()

    page = client.get(link(edition), headers={"accept-language": "en"})

    assert "Nominations closed on" in page.content.decode()


def test_an_unknown_token_answers_404(client, edition):
    response = client.get("/contest/nominate/not-a-token/")

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex"
    assert "Mentor" not in response.content.decode()


def test_accepted_nominations_from_one_client_are_limited(client, monkeypatch, edition, category):
    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 2)
    people = [enrol(edition.program, f"M{n}", "Mentor") for n in range(3)]

    statuses = [
        client.post(link(edition), form_data(category, person)).status_code for person in people
    ]

    assert statuses == [302, 302, 429]
    assert Nomination.objects.count() == 2


def test_an_office_can_send_thirty_nominations_in_ten_minutes():
    assert views.NOMINATE_ACCEPTED_LIMIT == 30


def test_refused_forms_do_not_use_up_the_accepted_limit(
    client, monkeypatch, edition, category, helene
):
    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 1)
    for _ in range(3):
        client.post(link(edition), form_data(category, helene, story=""))

    response = client.post(link(edition), form_data(category, helene))

    assert response.status_code == 302
    assert Nomination.objects.count() == 1


def test_refused_forms_have_a_ceiling_of_their_own(client, monkeypatch, edition, category, helene):
    monkeypatch.setattr(views, "NOMINATE_REFUSED_CEILING", 2)
    for _ in range(2):
        client.post(link(edition), form_data(category, helene, story=""))

    response = client.post(link(edition), form_data(category, helene))

    assert response.status_code == 429
    assert not Nomination.objects.exists()


def test_the_limits_count_per_edition(client, monkeypatch, edition, category, helene, program):
    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 1)
    other = open_edition(program, name_fr="Relève 2026")
    other_category = factories.CategoryFactory(edition=other)
    client.post(link(edition), form_data(category, helene))

    response = client.post(link(other), form_data(other_category, helene))

    assert response.status_code == 302


def test_the_429_says_when_to_try_again(client, monkeypatch, edition, category, helene):
    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 0)

    response = client.post(link(edition), form_data(category, helene))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert response["Cache-Control"] == "private, no-store"


def test_a_client_over_its_limit_is_refused_before_its_upload_is_read(
    rf, monkeypatch, edition, category, helene
):
    from django.contrib.auth.models import AnonymousUser

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 0)
    request = rf.post(link(edition), {**form_data(category, helene), "evidence": upload(PDF_BYTES)})
    request._stream = Unreadable()
    request.user = AnonymousUser()

    response = views.nominate_by_link(request, edition.nomination_token)

    assert response.status_code == 429


def test_another_client_is_not_slowed_by_the_first(client, monkeypatch, edition, category):
    monkeypatch.setattr(views, "NOMINATE_ACCEPTED_LIMIT", 1)
    first, second = (enrol(edition.program, f"M{n}", "Mentor") for n in range(2))
    client.post(link(edition), form_data(category, first))

    response = client.post(link(edition), form_data(category, second), REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 302


def test_page_views_have_a_ceiling(client, monkeypatch, edition, category):
    monkeypatch.setattr(views, "NOMINATE_VIEW_CEILING", 2)

    statuses = [client.get(link(edition)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_guessing_tokens_is_stopped(client, monkeypatch, edition, category):
    monkeypatch.setattr(views, "LINK_FAILURE_LIMIT", 3)

    for attempt in range(3):
        client.get(f"/contest/nominate/guess-{attempt}/")

    assert client.get(link(edition)).status_code == 429


def test_an_organisation_wide_edition_does_not_tell_where_mentors_mentor(client, organisation):
    edition = open_edition(organisation=organisation)
    factories.CategoryFactory(edition=edition)
    first = factories.ProgramFactory(organisation=organisation, name="Alpha")
    second = factories.ProgramFactory(organisation=organisation, name="Femmes en STIM")
    enrol(first, "Ana", "A")
    enrol(second, "Bob", "B")

    html = client.get(link(edition)).content.decode()

    assert "<optgroup" not in html
    assert "Femmes en STIM" not in html
    assert ">Ana A</option>" in html and ">Bob B</option>" in html


def test_mentors_of_the_same_name_are_told_apart_by_department(client, edition, category):
    first = enrol(edition.program, "Samuel", "Bernier", department="Finances")
    second = enrol(edition.program, "Samuel", "Bernier", department="", job_title="Analyste")
    enrol(edition.program, "Zoé", "Zed", department="Secret")

    html = client.get(link(edition)).content.decode()

    assert f'<option value="{first.pk}">Samuel Bernier (Finances)</option>' in html
    assert f'<option value="{second.pk}">Samuel Bernier (Analyste)</option>' in html
    assert "Secret" not in html


def test_the_search_matches_names_never_email_addresses(
    client, monkeypatch, edition, category, helene
):
    from laurier.contests.services import nominations as services

    monkeypatch.setattr(services, "MENTOR_LIST_LIMIT", 1)
    enrol(edition.program, "Zoé", "Zed")

    found = client.get(link(edition), {"find": "helene@example.org"}).content.decode()

    assert "Hélène Tremblay" not in found


def test_many_mentors_are_found_by_name(client, monkeypatch, edition, category, helene):
    from laurier.contests.services import nominations as services

    monkeypatch.setattr(services, "MENTOR_LIST_LIMIT", 1)
    enrol(edition.program, "Zoé", "Zed")

    page = client.get(link(edition)).content.decode()
    found = client.get(link(edition), {"find": "tremb"}).content.decode()

    assert 'type="search"' in page
    assert f'<option value="{helene.pk}">' not in page
    assert f'<option value="{helene.pk}">Hélène Tremblay</option>' in found
    assert "Zoé" not in found


def test_the_form_reads_a_constant_number_of_queries(
    client, edition, category, django_assert_max_num_queries
):
    for n in range(5):
        enrol(edition.program, f"M{n}", "Mentor")
    client.get(link(edition))
    with django_assert_max_num_queries(8) as first:
        client.get(link(edition))
    few = len(first)
    for n in range(45):
        enrol(edition.program, f"N{n}", "Mentor")

    with django_assert_max_num_queries(few):
        response = client.get(link(edition))

    assert response.content.decode().count("<option value=") >= 50


def test_an_oversized_file_is_refused_on_the_form_without_being_kept(
    client, edition, category, helene
):
    big = upload(b"%PDF-" + b"0" * (5 * 1024 * 1024), name="gros.pdf")

    response = client.post(
        link(edition),
        {**form_data(category, helene), "evidence": big},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "The file is larger than 5.0" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_answers_typed_before_an_oversized_file_are_kept(client, edition, category, helene):
    big = upload(b"%PDF-" + b"0" * (5 * 1024 * 1024), name="gros.pdf")

    html = client.post(
        link(edition), {**form_data(category, helene), "evidence": big}
    ).content.decode()

    assert 'value="jean.roy@example.org"' in html
    assert "Toujours présente quand il le fallait." in html


def test_the_file_comes_last_in_the_form(client, edition, category):
    html = client.get(link(edition)).content.decode()

    assert html.index('name="nominator_email"') < html.index('name="evidence"')


def test_a_file_in_another_field_is_refused_whole(client, edition, category, helene):
    response = client.post(
        link(edition), {**form_data(category, helene), "story_file": upload(PDF_BYTES)}
    )

    assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_two_files_are_refused_whole(client, edition, category, helene):
    response = client.post(
        link(edition),
        {**form_data(category, helene), "evidence": [upload(PDF_BYTES), upload(PDF_BYTES)]},
    )

    assert response.status_code == 400
    assert not Nomination.objects.exists()
