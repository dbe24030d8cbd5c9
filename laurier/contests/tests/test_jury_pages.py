"""The juror's pages at their personal link: the home page, declaring conflicts, scoring one
nominee, downloading evidence. A nominee the juror is in conflict with is never shown, counted
or reachable."""

# ruff: noqa: F811

import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.contests.models import (
    ConflictReason,
    DeclaredConflict,
    Phase,
    Relation,
    Score,
)
from laurier.contests.services import jury as services
from laurier.testing import factories

from .test_jury_support import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    criteria,
    declare_url,
    edition,
    edition_in,
    evidence_url,
    helene,
    home_of,
    juror,
    nominee,
    rubric,
    score_data,
    score_url,
    set_phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def marc(edition, helene):
    """A nominee paired with the juror `paired_juror`."""
    return nominee(edition, category=helene.category, first_name="Marc", last_name="Bélanger")


@pytest.fixture
def paired_juror(edition, marc):
    mentee = factories.PairingFactory(program=edition.program, mentor=marc.person).mentee
    return juror(edition, person=mentee, email=mentee.email, name="Julie Côté")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def html_of(response):
    return response.content.decode()


# --- Home ------------------------------------------------------------------------------------


def test_home_greets_the_juror_in_their_language_privately(client, edition, criteria, helene):
    member = juror(edition, name="Julie Côté")

    response = client.get(home_of(member))

    html = html_of(response)
    assert response.status_code == 200
    assert response["Content-Language"] == "fr-ca"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Julie Côté" in html
    assert "Mentor de l&#x27;année 2026" in html
    assert html.count("<h1") == 1


def test_home_in_english_shows_the_rubric_as_shares(client, edition, criteria, helene):
    member = juror(edition, language="en")

    html = html_of(client.get(home_of(member)))

    assert "Hello" in html
    assert "Impact 0" in html and "75 %" in html and "25 %" in html
    assert "Look at what changed for the mentees." in html


def test_home_lists_the_nominees_with_progress(client, edition, criteria, helene, marc):
    member = juror(edition, language="en")
    services.record_scores(member, helene, {c.pk: 5 for c in criteria})

    html = html_of(client.get(home_of(member)))

    assert "1 of 2 nominees scored" in html
    assert "Hélène Tremblay" in html
    assert "Next: score Marc Bélanger" in html
    assert score_url(member, marc) in html


def test_a_conflicted_nominee_is_neither_listed_nor_counted(
    client, edition, criteria, helene, marc, paired_juror
):
    paired_juror.language = "en"
    paired_juror.save()

    html = html_of(client.get(home_of(paired_juror)))

    assert "Marc" not in html and "Bélanger" not in html
    assert "0 of 1 nominee scored" in html
    assert score_url(paired_juror, marc) not in html


def test_a_declared_conflict_hides_the_nominee_from_home(client, edition, criteria, helene, marc):
    member = juror(edition, language="en")
    services.declare_conflict(member, marc, ConflictReason.FAMILY)

    html = html_of(client.get(home_of(member)))

    assert "Bélanger" not in html
    assert "0 of 1 nominee scored" in html


def test_before_scoring_home_says_when_it_opens(client, program, criteria):
    edition = criteria[0].edition
    set_phase(edition, Phase.NOMINATIONS)
    nominee(edition)
    member = juror(edition, confirmed=False, language="en")

    html = html_of(client.get(home_of(member)))

    assert "Scoring opens once nominations close on" in html
    assert "Hélène" not in html
    assert declare_url(member) in html


def test_an_unconfirmed_juror_is_asked_to_declare_first(client, edition, criteria, helene):
    member = juror(edition, confirmed=False, language="en")

    html = html_of(client.get(home_of(member)))

    assert "Declare my conflicts of interest" in html
    assert "Scoring opens for you once you have declared" in html
    assert score_url(member, helene) not in html


def test_after_scoring_closed_home_thanks_the_juror_read_only(client, edition, criteria, helene):
    member = juror(edition, language="en")
    set_phase(edition, Phase.DELIBERATION)

    html = html_of(client.get(home_of(member)))

    assert "Thank you for your time and care on the jury" in html
    assert "Next: score" not in html
    assert declare_url(member) not in html


def test_home_shows_the_editions_dates(client, edition, criteria, helene):
    member = juror(edition, language="en")

    html = html_of(client.get(home_of(member)))

    with translation.override("en"):
        for day in (edition.nominations_open_on, edition.scoring_close_on, edition.announce_on):
            assert date_format(day, "DATE_FORMAT") in html
    assert "The jury scores until" in html


def announce(edition):
    edition.announced_at = timezone.now()
    edition.save()


def test_once_announced_home_only_thanks_the_juror_with_the_date(client, edition, criteria, helene):
    member = juror(edition, language="en")
    services.record_scores(member, helene, {c.pk: 5 for c in criteria})
    announce(edition)

    html = html_of(client.get(home_of(member)))

    with translation.override("en"):
        zone = zoneinfo.ZoneInfo(edition.organisation.time_zone)
        day = date_format(timezone.localdate(edition.announced_at, zone), "DATE_FORMAT")
    assert f"were announced on {day}" in html
    assert "Thank you for your time and care on the jury" in html
    assert "Hélène" not in html
    assert score_url(member, helene) not in html
    assert html.count("<h1") == 1


def test_once_announced_the_score_page_sends_home(client, edition, criteria, helene):
    factories.NominationFactory(nominee=helene, story="Une histoire très privée.")
    member = juror(edition)
    announce(edition)

    response = client.get(score_url(member, helene))

    assert response.status_code == 302
    assert response["Location"] == home_of(member)


def test_once_announced_the_conflicts_page_sends_home(client, edition, helene):
    member = juror(edition)
    announce(edition)

    response = client.get(declare_url(member))

    assert response.status_code == 302
    assert response["Location"] == home_of(member)


def test_new_nominees_since_confirmation_are_announced_on_home(client, edition, criteria, helene):
    member = juror(edition, language="en")
    nominee(edition, category=helene.category, first_name="Luc", last_name="Roy")

    html = html_of(client.get(home_of(member)))

    assert "1 mentor was nominated since you confirmed" in html
    assert "0 of 1 nominee scored" in html


def test_an_unknown_token_answers_404_without_telling_more(client, edition):
    response = client.get(home_of(juror(edition)).replace("/jury/", "/jury/x"))

    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"


def test_home_answers_in_a_constant_number_of_queries(
    client, edition, criteria, django_assert_max_num_queries
):
    category = factories.CategoryFactory(edition=edition)
    for index in range(3):
        nominee(edition, category=category, first_name=f"A{index}")
    member = juror(edition)
    with django_assert_max_num_queries(14) as small:
        client.get(home_of(member))
    for index in range(27):
        nominee(edition, category=category, first_name=f"B{index}")
    member.conflicts_confirmed_at = timezone.now()
    member.save()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(home_of(member))
    assert html_of(response).count(f"/jury/{member.token}/nominees/") >= 30


# --- Declaring conflicts ---------------------------------------------------------------------


def test_the_conflicts_page_lists_names_only(client, edition, criteria, helene):
    factories.NominationFactory(nominee=helene, story="Une histoire très privée.")
    member = juror(edition, confirmed=False, language="en")

    html = html_of(client.get(declare_url(member)))

    assert "Hélène Tremblay" in html
    assert "Une histoire très privée." not in html
    assert "I have a conflict of interest with Hélène Tremblay" in html
    assert f'id="id_conflict_{helene.pk}_reason"' in html


def test_conflicts_found_by_laurier_are_named_with_their_reason(
    client, edition, criteria, helene, marc, paired_juror
):
    paired_juror.language = "en"
    paired_juror.save()

    html = html_of(client.get(declare_url(paired_juror)))

    assert "Already set aside by Laurier" in html
    with translation.override("en"):
        assert f"Marc Bélanger — {ConflictReason.PAIRED.label}" in html
    assert "I have a conflict of interest with Marc" not in html


def test_a_juror_nominated_is_not_told_so_on_the_conflicts_page(client, edition, helene):
    member = juror(edition, person=helene.person, email=helene.person.email, language="en")

    html = html_of(client.get(declare_url(member)))

    assert "Hélène" not in html
    assert "Already set aside" not in html


def test_declaring_a_conflict_through_the_page(client, edition, criteria, helene):
    member = juror(edition)
    services.record_scores(member, helene, {c.pk: 5 for c in criteria})

    response = client.post(
        declare_url(member),
        {"nominee": helene.pk, "reason": ConflictReason.CLOSE_WORK, "note": "Même équipe"},
    )

    assert response.status_code == 302
    conflict = DeclaredConflict.objects.get()
    assert (conflict.nominee, conflict.note, conflict.recorded_by) == (helene, "Même équipe", None)
    # Kept for the result to list as set aside.
    assert Score.objects.count() == 2


def test_a_juror_who_nominated_through_the_public_form_is_asked_to_declare_it(
    client, edition, criteria, helene
):
    member = juror(edition, confirmed=False, language="en")
    factories.NominationFactory(nominee=helene, nominator_email=member.email)

    html = html_of(client.get(declare_url(member)))

    assert "I have a conflict of interest with Hélène Tremblay" in html
    assert "If you nominated one of them, declare it: choose “Other” and say so." in html


def test_a_conflict_without_a_reason_shows_the_error_and_records_nothing(client, edition, helene):
    member = juror(edition, language="en")

    response = client.post(declare_url(member), {"nominee": helene.pk, "reason": ""})

    assert response.status_code == 400
    assert "Choose the reason of the conflict." in html_of(response)
    assert "<details open>" in html_of(response)
    assert not DeclaredConflict.objects.exists()


def test_declaring_on_a_conflicted_or_foreign_nominee_answers_404(
    client, edition, program, helene, marc, paired_juror
):
    foreign = nominee(edition_in(program, Phase.SCORING, year=2025))

    for target in (marc, foreign):
        response = client.post(
            declare_url(paired_juror), {"nominee": target.pk, "reason": ConflictReason.FAMILY}
        )
        assert response.status_code == 404
    assert not DeclaredConflict.objects.exists()


def test_confirming_through_the_page_opens_scoring(client, edition, criteria, helene):
    member = juror(edition, confirmed=False)

    response = client.post(declare_url(member), {"action": "confirm"})

    assert response.status_code == 302
    assert response["Location"] == home_of(member)
    member.refresh_from_db()
    assert member.conflicts_confirmed_at is not None
    assert score_url(member, helene) in html_of(client.get(home_of(member)))


def test_the_conflicts_page_is_read_only_once_scoring_closed(client, edition, helene):
    member = juror(edition)
    set_phase(edition, Phase.DELIBERATION)

    assert "<form" not in html_of(client.get(declare_url(member))).split("</header>", 1)[-1]
    response = client.post(declare_url(member), {"nominee": helene.pk, "reason": "family"})

    assert response.status_code == 302
    assert not DeclaredConflict.objects.exists()


# --- Scoring ---------------------------------------------------------------------------------


def test_the_score_page_shows_every_story_with_relation_and_first_name(
    client, edition, criteria, helene
):
    factories.NominationFactory(
        nominee=helene,
        nominator_name="Jean Roy",
        nominator_email="jean.roy@example.org",
        relation=Relation.MENTEE,
        story="Elle m'a appris à négocier.",
    )
    factories.NominationFactory(nominee=helene, story="Toujours là.", relation=Relation.PEER)
    member = juror(edition, language="en")

    html = html_of(client.get(score_url(member, helene)))

    assert "Elle m&#x27;a appris à négocier." in html
    assert "Toujours là." in html
    assert "Their mentee · Jean" in html
    assert "Roy" not in html and "jean.roy@example.org" not in html
    assert html.count("<fieldset") == 2
    assert html.count('type="radio"') == 22


def test_saving_scores_goes_home_with_the_next_nominee_suggested(
    client, edition, criteria, helene, marc
):
    member = juror(edition, language="en")

    response = client.post(score_url(member, helene), score_data(criteria, 8, 6), follow=True)

    html = html_of(response)
    assert response.redirect_chain[-1][0] == home_of(member)
    assert "Your scores for Hélène Tremblay are saved." in html
    assert "Next: score Marc Bélanger" in html
    assert dict(Score.objects.values_list("criterion_id", "value")) == {
        criteria[0].pk: 8,
        criteria[1].pk: 6,
    }


def test_the_saved_scores_are_checked_when_the_page_opens_again(client, edition, criteria, helene):
    member = juror(edition)
    services.record_scores(member, helene, {criteria[0].pk: 8, criteria[1].pk: 6})

    html = html_of(client.get(score_url(member, helene)))

    assert f'id="id_criterion_{criteria[0].pk}_8" required checked>' in html
    assert f'id="id_criterion_{criteria[1].pk}_6" required checked>' in html


def test_the_same_form_posted_twice_stores_the_scores_once(client, edition, criteria, helene):
    member = juror(edition)

    client.post(score_url(member, helene), score_data(criteria, 8, 6))
    client.post(score_url(member, helene), score_data(criteria, 8, 6))

    assert Score.objects.count() == 2


@pytest.mark.parametrize("bad", ["11", "-1", "abc", ""])
def test_a_score_out_of_range_is_refused_with_a_message(client, edition, criteria, helene, bad):
    member = juror(edition, language="en")

    response = client.post(score_url(member, helene), score_data(criteria, 8, bad))

    assert response.status_code == 400
    assert "Choose a score from 0 to 10." in html_of(response)
    assert not Score.objects.exists()


def test_a_crafted_post_for_a_paired_nominee_answers_404(
    client, edition, criteria, marc, paired_juror
):
    assert client.get(score_url(paired_juror, marc)).status_code == 404
    response = client.post(score_url(paired_juror, marc), score_data(criteria, 10, 10))

    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_crafted_post_for_a_declared_conflict_answers_404(client, edition, criteria, helene):
    member = juror(edition)
    services.declare_conflict(member, helene, ConflictReason.FAMILY)

    response = client.post(score_url(member, helene), score_data(criteria, 10, 10))

    assert response.status_code == 404
    assert not Score.objects.exists()


def test_another_editions_or_organisations_nominee_answers_404(
    client, edition, criteria, program, other_organisation
):
    member = juror(edition)
    same_org = nominee(edition_in(program, Phase.SCORING, year=2025))
    other_program = factories.ProgramFactory(organisation=other_organisation)
    other_org = nominee(edition_in(other_program, Phase.SCORING))

    for target in (same_org, other_org):
        assert client.get(score_url(member, target)).status_code == 404
        assert client.post(score_url(member, target), score_data(criteria, 5, 5)).status_code == 404
    assert not Score.objects.exists()


def test_another_editions_juror_cannot_reach_this_nominee(
    client, edition, criteria, helene, program
):
    stranger = juror(edition_in(program, Phase.SCORING, year=2025))

    assert client.get(score_url(stranger, helene)).status_code == 404


def test_before_scoring_opens_the_score_page_sends_home(client, edition, criteria, helene):
    member = juror(edition)
    set_phase(edition, Phase.NOMINATIONS)

    response = client.post(score_url(member, helene), score_data(criteria, 5, 5))

    assert response.status_code == 302
    assert response["Location"] == home_of(member)
    assert not Score.objects.exists()


def test_an_unconfirmed_juror_is_sent_to_declare_first(client, edition, criteria, helene):
    member = juror(edition, confirmed=False)

    response = client.get(score_url(member, helene))

    assert response["Location"] == declare_url(member)


def test_after_scoring_closed_the_scores_are_read_only(client, edition, criteria, helene):
    member = juror(edition, language="en")
    services.record_scores(member, helene, {criteria[0].pk: 8, criteria[1].pk: 6})
    set_phase(edition, Phase.DELIBERATION)

    html = html_of(client.get(score_url(member, helene)))
    response = client.post(score_url(member, helene), score_data(criteria, 1, 1))

    assert 'type="radio"' not in html
    assert "8 / 10" in html
    assert response.status_code == 302
    assert Score.objects.get(criterion=criteria[0]).value == 8


# --- Evidence --------------------------------------------------------------------------------


def _with_evidence(target):
    return factories.NominationFactory(
        nominee=target,
        evidence=SimpleUploadedFile("lettre.pdf", b"%PDF-1.4 evidence", "application/pdf"),
        evidence_name="lettre.pdf",
        evidence_type="application/pdf",
    )


def test_the_evidence_downloads_as_an_attachment_of_its_stored_type(
    client, media, edition, criteria, helene
):
    nomination = _with_evidence(helene)
    member = juror(edition)

    response = client.get(evidence_url(member, nomination))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lettre.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert evidence_url(member, nomination) in html_of(client.get(score_url(member, helene)))


def test_a_conflicted_nominees_evidence_answers_404(
    client, media, edition, criteria, marc, paired_juror
):
    nomination = _with_evidence(marc)

    assert client.get(evidence_url(paired_juror, nomination)).status_code == 404


def test_another_editions_evidence_answers_404(client, media, edition, program):
    nomination = _with_evidence(nominee(edition_in(program, Phase.SCORING, year=2025)))

    assert client.get(evidence_url(juror(edition), nomination)).status_code == 404


def test_evidence_once_announced_answers_404(client, media, edition, criteria, helene):
    nomination = _with_evidence(helene)
    member = juror(edition)
    announce(edition)

    assert client.get(evidence_url(member, nomination)).status_code == 404


def test_evidence_before_scoring_opens_answers_404(client, media, edition, helene):
    nomination = _with_evidence(helene)
    member = juror(edition)
    set_phase(edition, Phase.NOMINATIONS)

    assert client.get(evidence_url(member, nomination)).status_code == 404


# --- Odds and ends ---------------------------------------------------------------------------


def test_pages_refuse_other_methods(client, edition, criteria, helene):
    member = juror(edition)

    assert client.post(home_of(member)).status_code == 405
    assert client.put(declare_url(member)).status_code == 405
    assert client.delete(score_url(member, helene)).status_code == 405


def test_without_a_rubric_the_score_page_says_so_and_saves_nothing(client, edition, helene):
    member = juror(edition, language="en")

    html = html_of(client.get(score_url(member, helene)))
    response = client.post(score_url(member, helene), {})

    assert "The managers have not set the rubric yet" in html
    assert response.status_code == 302
    assert not Score.objects.exists()


def test_the_confirmation_waits_for_nominees(client, program):
    edition = edition_in(program, Phase.NOMINATIONS)
    member = juror(edition, confirmed=False, language="en")

    html = html_of(client.get(declare_url(member)))

    assert "No one else is nominated yet" in html
    assert "I have no other conflict of interest" not in html


def _crowd(edition, category, size, prefix):
    for index in range(size):
        factories.NominationFactory(
            nominee=nominee(edition, category=category, first_name=f"{prefix}{index}")
        )


def test_the_conflicts_page_answers_in_a_constant_number_of_queries(
    client, edition, criteria, django_assert_max_num_queries
):
    category = factories.CategoryFactory(edition=edition)
    _crowd(edition, category, 3, "A")
    member = juror(edition, confirmed=False)
    with django_assert_max_num_queries(14) as small:
        client.get(declare_url(member))
    _crowd(edition, category, 27, "B")

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(declare_url(member))

    assert html_of(response).count('name="reason"') == 30


def test_the_score_page_answers_in_a_constant_number_of_queries(
    client, media, edition, criteria, helene, django_assert_max_num_queries
):
    _with_evidence(helene)
    member = juror(edition)
    with django_assert_max_num_queries(14) as small:
        client.get(score_url(member, helene))
    for _index in range(10):
        _with_evidence(helene)
        factories.NominationFactory(nominee=helene)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(score_url(member, helene))

    assert html_of(response).count("/evidence/") == 11


def test_after_closing_an_unconfirmed_juror_is_sent_home_not_to_declare(
    client, edition, criteria, helene
):
    member = juror(edition, confirmed=False)
    set_phase(edition, Phase.DELIBERATION)

    response = client.get(score_url(member, helene))

    assert response["Location"] == home_of(member)
