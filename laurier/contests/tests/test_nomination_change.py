"""The nominator's personal link: the page where they change their nomination (relation,
story, document) while nominations are open, read-only after; the link in their mailbox is
the proof that the nomination is theirs."""

# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from laurier.contests.models import Nomination, Relation
from laurier.contests.services import nominations as services
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.testing import factories

from .test_nominations_support import (
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    enrol,
    nominate,
    open_edition,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return open_edition(program)


@pytest.fixture
def category(edition):
    return factories.CategoryFactory(edition=edition, name_en="Mentor of the year")


@pytest.fixture
def helene(program):
    return enrol(program, "Hélène", "Tremblay", email="helene@example.org")


@pytest.fixture
def nomination(edition, category, helene):
    """Jean Roy's, written in English: his page and his e-mails speak English."""
    nomination, _ = nominate(edition, category, helene, language="en", today=timezone.localdate())
    return nomination


def change_link(nomination):
    return reverse("contests:nomination_change", args=[nomination.token])


def answers(**fields):
    return {"relation": "mentee", "story": "Elle m'a appris à oser, et à recommencer.", **fields}


def close_nominations(edition):
    today = timezone.localdate()
    edition.nominations_open_on = today - datetime.timedelta(days=20)
    edition.nominations_close_on = today - datetime.timedelta(days=1)
    edition.save()


def test_each_nomination_has_its_own_secret_token(edition, category, helene, nomination):
    other, _ = nominate(
        edition, category, helene, nominator_email="s@example.org", today=timezone.localdate()
    )

    assert len(nomination.token) >= 40
    assert other.token != nomination.token


def test_the_page_shows_the_mentor_the_category_and_the_story(client, nomination):
    response = client.get(change_link(nomination))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "Hélène Tremblay" in html
    assert "Mentor of the year" in html
    assert "Hélène m&#x27;a appris à oser." in html
    assert 'enctype="multipart/form-data"' in html


def test_the_page_stays_out_of_search_engines_and_caches(client, nomination):
    response = client.get(change_link(nomination))

    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_link_changes_the_story_and_confirms_it_by_email(client, nomination):
    response = client.post(change_link(nomination), answers())

    assert response.status_code == 302
    assert response["Location"] == change_link(nomination)
    nomination.refresh_from_db()
    assert nomination.story == "Elle m'a appris à oser, et à recommencer."
    changed = OutgoingEmail.objects.get(reason__startswith="contest-nomination-changed:")
    assert changed.to == "jean.roy@example.org"
    assert "Elle m'a appris à oser, et à recommencer." not in changed.text


def test_a_change_is_in_the_audit_trail(client, nomination):
    client.post(change_link(nomination), answers())

    event = AuditEvent.objects.get(
        object_type="contests.nomination",
        object_id=str(nomination.pk),
        action=AuditEvent.Action.UPDATE,
    )
    assert event.changes["story"][1] == "Elle m'a appris à oser, et à recommencer."


def test_the_same_answers_again_change_nothing_and_send_nothing(client, nomination):
    client.post(change_link(nomination), answers())
    client.post(change_link(nomination), answers())

    changes = OutgoingEmail.objects.filter(reason__startswith="contest-nomination-changed:")
    assert changes.count() == 1


def test_the_link_replaces_the_document(
    client, edition, category, helene, django_capture_on_commit_callbacks
):
    nomination, _ = nominate(
        edition, category, helene, evidence=upload(PDF_BYTES), today=timezone.localdate()
    )
    old_name = nomination.evidence.name
    storage = Nomination._meta.get_field("evidence").storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_link(nomination), answers(evidence=upload(PNG_BYTES, name="photo.png")))

    nomination.refresh_from_db()
    assert nomination.evidence_type == "image/png"
    assert nomination.evidence_name == "photo.png"
    assert storage.exists(nomination.evidence.name)
    assert not storage.exists(old_name)


def test_the_link_removes_the_document(
    client, edition, category, helene, django_capture_on_commit_callbacks
):
    nomination, _ = nominate(
        edition, category, helene, evidence=upload(PDF_BYTES), today=timezone.localdate()
    )
    old_name = nomination.evidence.name
    storage = Nomination._meta.get_field("evidence").storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_link(nomination),
            answers(story="Hélène m'a appris à oser.", remove_evidence="on"),
        )

    nomination.refresh_from_db()
    assert not nomination.evidence
    assert (nomination.evidence_name, nomination.evidence_type) == ("", "")
    assert not storage.exists(old_name)


def test_a_file_in_another_field_is_refused_whole(client, nomination):
    response = client.post(change_link(nomination), answers(story_file=upload(PDF_BYTES)))

    assert response.status_code == 400
    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."


def test_a_renamed_html_file_is_refused_by_its_content(client, nomination):
    response = client.post(
        change_link(nomination), answers(evidence=upload(HTML_BYTES, name="lettre.pdf"))
    )

    assert response.status_code == 200
    assert "This kind of file cannot be attached" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."


def test_the_service_refuses_a_story_too_long(nomination):
    with pytest.raises(ValidationError) as excinfo:
        services.change_nomination(
            nomination, relation="mentee", story="x" * 4001, today=timezone.localdate()
        )

    assert "story" in excinfo.value.message_dict
    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."


def test_the_service_refuses_myself_for_someone_else(nomination):
    nomination.nominee.category.edition.allow_self_nomination = True
    nomination.nominee.category.edition.save()

    with pytest.raises(ValidationError) as excinfo:
        services.change_nomination(
            nomination, relation=Relation.SELF, story="Moi.", today=timezone.localdate()
        )

    assert "relation" in excinfo.value.message_dict


def test_a_self_nomination_is_refused_once_the_edition_no_longer_takes_them(
    edition, category, helene
):
    edition.allow_self_nomination = True
    edition.save()
    nomination, _ = nominate(
        edition, category, helene, nominator_email=helene.email, today=timezone.localdate()
    )
    edition.allow_self_nomination = False
    edition.save()

    with pytest.raises(ValidationError):
        services.change_nomination(
            nomination, relation=Relation.SELF, story="Moi.", today=timezone.localdate()
        )

    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."


def test_after_nominations_close_the_page_is_read_only_and_says_so(client, edition, nomination):
    close_nominations(edition)

    html = client.get(change_link(nomination)).content.decode()

    assert "Nominations closed on" in html
    assert "can no longer change" in html
    assert "Hélène m&#x27;a appris à oser." in html
    assert "<form" not in html.split("<main", 1)[1]


def test_after_nominations_close_a_crafted_post_is_refused(client, edition, nomination):
    close_nominations(edition)

    response = client.post(change_link(nomination), answers())

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."
    assert not OutgoingEmail.objects.filter(
        reason__startswith="contest-nomination-changed:"
    ).exists()


def test_an_unknown_token_answers_404(client, nomination):
    response = client.get("/contest/nomination/not-a-token/")

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex"
    assert "Hélène" not in response.content.decode()


def test_another_nominations_link_cannot_change_this_one(
    client, edition, category, helene, nomination
):
    other, _ = nominate(
        edition, category, helene, nominator_email="sophie@example.org", today=timezone.localdate()
    )

    client.post(change_link(other), answers(story="Réécrit par Sophie."))

    nomination.refresh_from_db()
    other.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."
    assert other.story == "Réécrit par Sophie."


def test_a_nomination_made_in_laurier_is_changed_only_in_laurier(
    client, edition, category, helene, mentee_user
):
    nomination, _ = nominate(
        edition,
        category,
        helene,
        nominator_email=mentee_user.email,
        nominator_user=mentee_user,
        source=Nomination.Source.LAURIER,
        today=timezone.localdate(),
    )

    page = client.get(change_link(nomination), headers={"accept-language": "en"})
    client.post(change_link(nomination), answers())

    assert "<form" not in page.content.decode().split("<main", 1)[1]
    nomination.refresh_from_db()
    assert nomination.story == "Hélène m'a appris à oser."


def test_the_page_and_its_emails_speak_the_nominators_language(client, edition, category, helene):
    nomination, _ = nominate(edition, category, helene, language="en", today=timezone.localdate())

    page = client.get(change_link(nomination))
    client.post(change_link(nomination), answers())

    assert page["Content-Language"] == "en"
    changed = OutgoingEmail.objects.get(reason__startswith="contest-nomination-changed:")
    assert changed.subject == "Your nomination of Hélène Tremblay is changed"


def test_submits_at_one_link_are_rate_limited(client, monkeypatch, nomination):
    from laurier.core import personal_links

    monkeypatch.setattr(personal_links, "LINK_SUBMIT_LIMIT", 1)

    statuses = [
        client.post(change_link(nomination), answers(story=f"Version {n}.")).status_code
        for n in range(2)
    ]

    assert statuses == [302, 429]


def test_the_page_reads_a_constant_number_of_queries(
    client, edition, category, helene, nomination, django_assert_max_num_queries
):
    client.get(change_link(nomination))
    with django_assert_max_num_queries(10) as first:
        client.get(change_link(nomination))
    for n in range(20):
        nominate(
            edition,
            category,
            enrol(edition.program, f"M{n}", "Mentor"),
            nominator_email="jean.roy@example.org",
            today=timezone.localdate(),
        )
        factories.CategoryFactory(edition=edition)

    with django_assert_max_num_queries(len(first)):
        response = client.get(change_link(nomination))

    assert response.status_code == 200
