"""The result page and the scores export: what the managers see, and nobody else."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from laurier.contests import scoring
from laurier.contests.models import ConflictReason, DeclaredConflict, Nominee, Score
from laurier.contests.results import edition_result
from laurier.contests.services.announcement import announce
from laurier.organisations.models import Role
from laurier.testing import factories

# The hand-checked example of test_scoring: C first, then B, then A.
HAND_CHECKED = {
    "severe": {"impact": (2, 4, 6), "commitment": (5, 1, 3)},
    "lenient": {"impact": (8, 10, 9), "commitment": (10, 8, 9)},
}


def dates(phase):
    """Edition dates around the real today, for `phase`."""
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    if phase == "scoring":
        return {
            "nominations_open_on": today - 30 * day,
            "nominations_close_on": today - 10 * day,
            "scoring_close_on": today + 10 * day,
            "announce_on": today + 20 * day,
        }
    return {
        "nominations_open_on": today - 40 * day,
        "nominations_close_on": today - 30 * day,
        "scoring_close_on": today - 1 * day,
        "announce_on": today + 5 * day,
    }


def mentor(program, **fields):
    person = factories.PersonFactory(organisation=program.organisation, **fields)
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def scored_edition(program, phase="deliberation", names=("Ada", "Bo", "Cy"), winners=1):
    """An edition with one category, a rubric of Impact (× 2) and Commitment (× 1), nominees
    A, B, C each nominated once and told so, and two jurors who scored them as in the
    hand-checked example.
    Returns (edition, category, [A, B, C], {"severe": juror, "lenient": juror})."""
    edition = factories.EditionFactory(program=program, **dates(phase))
    category = factories.CategoryFactory(
        edition=edition, name_en="Mentor of the year", name_fr="Mentor de l'année", winners=winners
    )
    criteria = {
        "impact": factories.CriterionFactory(
            edition=edition, name_en="Impact", name_fr="Impact", weight=2, position=0
        ),
        "commitment": factories.CriterionFactory(
            edition=edition, name_en="Commitment", name_fr="Engagement", weight=1, position=1
        ),
    }
    nominees = []
    for name in names:
        nominee = factories.NomineeFactory(
            category=category,
            person=mentor(program, first_name=name, last_name="Mentor"),
            told_at=timezone.now(),
        )
        factories.NominationFactory(nominee=nominee)
        nominees.append(nominee)
    jurors = {
        "severe": factories.JurorFactory(edition=edition, name="Sévère"),
        "lenient": factories.JurorFactory(edition=edition, name="Indulgent"),
    }
    Score.objects.bulk_create(
        Score(juror=jurors[who], nominee=nominee, criterion=criteria[criterion], value=value)
        for who, by_criterion in HAND_CHECKED.items()
        for criterion, values in by_criterion.items()
        for nominee, value in zip(nominees[:3], values, strict=False)
    )
    return edition, category, nominees, jurors


def url(edition, name="contests:results", **kwargs):
    return reverse(name, args=[edition.organisation.slug, edition.pk], kwargs=kwargs or None)


def export_url(edition, export_format):
    return reverse(
        "contests:scores_export", args=[edition.organisation.slug, edition.pk, export_format]
    )


# --- Computing from the database -------------------------------------------------------------


def test_the_database_result_is_the_hand_checked_one(program):
    edition, category, (a, b, c), _jurors = scored_edition(program)

    result = edition_result(edition)

    (ranked,) = result.categories
    assert [r.nominee_id for r in ranked.ranking] == [c.pk, b.pk, a.pk]
    assert scoring.compared(ranked.ranking[0].weighted) == Decimal("0.408248290464")
    assert ranked.name == {"fr": "Mentor de l'année", "en": "Mentor of the year"}


def test_declined_and_withdrawn_nominees_are_listed_with_their_status_not_ranked(program):
    edition, _category, (a, b, c), _jurors = scored_edition(program)
    Nominee.objects.filter(pk=a.pk).update(status=Nominee.Status.DECLINED)
    Nominee.objects.filter(pk=b.pk).update(
        status=Nominee.Status.WITHDRAWN,
        status_changed_at=datetime.datetime(2026, 4, 21, 3, tzinfo=datetime.UTC),
    )

    (ranked,) = edition_result(edition).categories

    assert [r.nominee_id for r in ranked.ranking] == [c.pk]
    # 03:00 UTC on April 21 is still April 20 in the organisation's time zone (Montréal).
    assert [(n.nominee_id, n.status, n.status_changed_on) for n in ranked.listed] == [
        (a.pk, "declined", ""),
        (b.pk, "withdrawn", "2026-04-20"),
    ]


def test_the_status_in_the_running_is_the_one_the_models_spell():
    assert scoring.IN_THE_RUNNING == Nominee.Status.NOMINATED


def test_a_conflicted_jurors_scores_are_set_aside(program):
    edition, _category, (a, _b, _c), jurors = scored_edition(program)
    DeclaredConflict.objects.create(juror=jurors["severe"], nominee=a, reason=ConflictReason.FAMILY)

    (ranked,) = edition_result(edition).categories

    assert {(s.juror_id, s.nominee_id) for s in ranked.set_aside} == {(jurors["severe"].pk, a.pk)}
    assert ranked.set_aside[0].reasons == [ConflictReason.FAMILY]


def test_computing_takes_a_constant_number_of_queries(program, django_assert_max_num_queries):
    small, *_rest = scored_edition(program)
    large, category, _nominees, jurors = scored_edition(
        program, names=("Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal")
    )
    for index in range(4):
        factories.JurorFactory(edition=large, name=f"Extra {index}")

    with django_assert_max_num_queries(12) as small_queries:
        edition_result(small)
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        edition_result(large)


# --- The page --------------------------------------------------------------------------------


def test_the_manager_sees_the_ranking_the_steps_and_who_scored_what(program, manager_user, login):
    edition, *_rest = scored_edition(program)

    with translation.override("en"):
        response = login(manager_user).get(url(edition))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert html.index("Cy Mentor") < html.index("Bo Mentor") < html.index("Ada Mentor")
    assert "0.408" in html
    assert "How the result is computed" in html
    assert "Who scored what" in html
    assert "Sévère" in html and "Indulgent" in html
    assert "Scoring is closed" in html


def test_the_page_reads_in_french(program, manager_user, login):
    edition, *_rest = scored_edition(program)
    manager_user.language = "fr-ca"
    manager_user.save()

    html = login(manager_user).get(url(edition)).content.decode()

    assert "Mentor de l&#x27;année" in html
    assert "Engagement" in html


def test_before_scoring_closes_the_result_is_labelled_provisional(program, manager_user, login):
    edition, *_rest = scored_edition(program, phase="scoring")

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "Provisional." in html


def test_nominees_out_of_the_running_are_listed_on_the_page(program, manager_user, login):
    edition, _category, (a, *_others), _jurors = scored_edition(program)
    Nominee.objects.filter(pk=a.pk).update(status=Nominee.Status.WITHDRAWN)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    listed = html.split("No longer in the running")[1].split("</table>")[0]
    assert "Ada Mentor" in listed and "Withdrawn" in listed


def test_an_unscored_nominee_is_flagged_on_the_page(program, manager_user, login):
    edition, category, _nominees, _jurors = scored_edition(program)
    factories.NomineeFactory(
        category=category, person=mentor(program, first_name="Di", last_name="Mentor")
    )

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert html.index("Ada Mentor") < html.index("Di Mentor")
    assert "Not scored: no score of any juror counts" in html


def test_the_page_states_the_tie_breaks_in_force(program, manager_user, login):
    edition, *_rest = scored_edition(program)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "then the number of nominations received" in html
    assert "then the mean of the scores as given" not in html


def test_a_result_announced_under_the_old_rules_shows_them(program, manager_user, login):
    edition, *_rest = scored_edition(program)
    stored = edition_result(edition).as_dict()
    stored["version"] = 1
    for category in stored["categories"]:
        del category["listed"]
    stored["categories"][0]["ranking"][0]["decided_by"] = "raw"
    edition.result = stored
    edition.announced_at = timezone.now()
    edition.save()

    with translation.override("en"):
        response = login(manager_user).get(url(edition))
    html = response.content.decode()

    assert response.status_code == 200
    assert "then the mean of the scores as given" in html
    assert "the weighted mean of the raw scores" in html


def test_the_conflict_and_its_reason_show_in_who_scored_what(program, manager_user, login):
    edition, _category, (a, *_others), jurors = scored_edition(program)
    DeclaredConflict.objects.create(juror=jurors["severe"], nominee=a, reason=ConflictReason.FAMILY)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "Family or personal relationship" in html
    assert "2 scores set aside" in html  # Impact and Commitment


def test_an_announced_edition_shows_the_frozen_result_not_a_recomputation(
    program, manager_user, login
):
    edition, _category, (a, b, c), jurors = scored_edition(program)
    edition.result = edition_result(edition).as_dict()
    edition.announced_at = timezone.now()
    edition.save()
    # Scores changed after the announcement do not change what was announced.
    Score.objects.filter(nominee=a).update(value=10)
    Score.objects.filter(nominee=c).update(value=0)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "Announced on" in html
    assert html.index("Cy Mentor") < html.index("Ada Mentor")


def test_the_announced_result_marks_the_winners(program, manager_user, login):
    edition, _category, _nominees, _jurors = scored_edition(program)
    announce(edition, actor=manager_user)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "Cy Mentor <mark>Winner</mark>" in html
    assert html.count("<mark>") == 1


def test_an_edition_without_categories_says_there_is_nothing_to_rank(program, manager_user, login):
    edition = factories.EditionFactory(program=program, **dates("scoring"))

    with translation.override("en"):
        response = login(manager_user).get(url(edition))

    assert response.status_code == 200
    assert "nothing to rank" in response.content.decode()


def test_the_page_takes_a_constant_number_of_queries(
    program, manager_user, login, django_assert_max_num_queries
):
    small, *_rest = scored_edition(program)
    large, *_rest = scored_edition(program, names=("Ada", "Bo", "Cy", "Di", "Ed", "Flo"))
    client = login(manager_user)

    with django_assert_max_num_queries(25) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(url(large))


# --- The export ----------------------------------------------------------------------------


def test_the_csv_export_lists_every_score_with_its_z(program, manager_user, login):
    edition, *_rest = scored_edition(program)

    with translation.override("en"):
        response = login(manager_user).get(export_url(edition, "csv"))
    lines = response.content.decode("utf-8-sig").splitlines()

    assert response.status_code == 200
    assert lines[0].startswith("Category,Juror,Nominee,Criterion,Weight,Score")
    assert len(lines) == 1 + 12
    assert any(
        line.startswith("Mentor of the year,Sévère,Ada Mentor,Impact,2,2,") for line in lines
    )


def test_the_xlsx_export_opens_in_excel(program, manager_user, login):
    edition, *_rest = scored_edition(program)

    response = login(manager_user).get(export_url(edition, "xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 12


def test_set_aside_scores_are_in_the_export_marked_as_such(program, manager_user, login):
    edition, _category, (a, *_others), jurors = scored_edition(program)
    DeclaredConflict.objects.create(juror=jurors["severe"], nominee=a, reason=ConflictReason.FAMILY)

    with translation.override("en"):
        text = login(manager_user).get(export_url(edition, "csv")).content.decode("utf-8-sig")

    assert "set aside, conflict of interest (Family or personal relationship)" in text


def test_an_unknown_export_format_is_not_found(program, manager_user, login):
    edition, *_rest = scored_edition(program)

    response = login(manager_user).get(export_url(edition, "pdf"))

    assert response.status_code == 404


# --- Who may see it --------------------------------------------------------------------------


@pytest.fixture
def edition(program):
    return scored_edition(program)[0]


@pytest.mark.parametrize("page", ["page", "csv"])
def test_an_admin_of_the_organisation_sees_it(edition, admin_user, login, page):
    target = url(edition) if page == "page" else export_url(edition, "csv")

    assert login(admin_user).get(target).status_code == 200


@pytest.mark.parametrize("page", ["page", "csv"])
@pytest.mark.parametrize("role_fixture", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_are_refused(edition, login, request, role_fixture, page):
    target = url(edition) if page == "page" else export_url(edition, "csv")

    response = login(request.getfixturevalue(role_fixture)).get(target)

    assert response.status_code == 403


@pytest.mark.parametrize("page", ["page", "csv"])
def test_a_manager_of_another_program_gets_not_found(edition, organisation, login, page):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(user)
    target = url(edition) if page == "page" else export_url(edition, "csv")

    assert login(user).get(target).status_code == 404


@pytest.mark.parametrize("page", ["page", "csv"])
def test_an_admin_of_another_organisation_gets_not_found(edition, other_admin_user, login, page):
    target = url(edition) if page == "page" else export_url(edition, "csv")

    assert login(other_admin_user).get(target).status_code == 404


@pytest.mark.parametrize("page", ["page", "csv"])
def test_it_stays_hidden_after_the_announcement(edition, mentor_user, login, page):
    edition.announced_at = timezone.now()
    edition.result = edition_result(edition).as_dict()
    edition.save()
    target = url(edition) if page == "page" else export_url(edition, "csv")

    assert login(mentor_user).get(target).status_code == 403


def juror_manager(edition, manager_user, **fields):
    """The manager sits on the jury (by their account's address, or `fields`)."""
    return factories.JurorFactory(edition=edition, **({"email": manager_user.email} | fields))


def test_a_manager_on_the_jury_sees_only_the_jurys_progress_while_it_may_score(
    program, manager_user, login
):
    edition, *_rest = scored_edition(program, phase="scoring")
    juror_manager(edition, manager_user, name="Manon Juror")

    with translation.override("en"):
        response = login(manager_user).get(url(edition))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "You sit on this jury" in html
    assert "Sévère" in html and "Manon Juror" in html
    assert "3 of 3" in html
    for hidden in ("Ada Mentor", "0.408", "How it was computed", "scores/csv", "Rank"):
        assert hidden not in html


def test_a_manager_on_the_jury_by_their_person_is_recognised(program, manager_user, login):
    edition, *_rest = scored_edition(program, phase="scoring")
    person = factories.PersonFactory(
        organisation=program.organisation, user=manager_user, email="other@example.org"
    )
    juror_manager(edition, manager_user, email="other@example.org", person=person)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "You sit on this jury" in html
    assert "Ada Mentor" not in html


def test_a_manager_on_the_jury_gets_not_found_for_the_export_while_it_may_score(
    program, manager_user, login
):
    edition, *_rest = scored_edition(program, phase="scoring")
    juror_manager(edition, manager_user)

    assert login(manager_user).get(export_url(edition, "csv")).status_code == 404


def test_another_manager_keeps_the_provisional_view_while_the_jury_scores(
    program, manager_user, admin_user, login
):
    edition, *_rest = scored_edition(program, phase="scoring")
    juror_manager(edition, manager_user)

    with translation.override("en"):
        html = login(admin_user).get(url(edition)).content.decode()

    assert "Provisional." in html and "Ada Mentor" in html
    assert login(admin_user).get(export_url(edition, "csv")).status_code == 200


def test_a_manager_on_the_jury_sees_the_result_once_scoring_closes(program, manager_user, login):
    edition, *_rest = scored_edition(program)
    juror_manager(edition, manager_user)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "Scoring is closed" in html and "Ada Mentor" in html
    assert login(manager_user).get(export_url(edition, "csv")).status_code == 200


def test_the_jurys_progress_takes_a_constant_number_of_queries(
    program, manager_user, login, django_assert_max_num_queries
):
    small, *_rest = scored_edition(program, phase="scoring")
    large, *_rest = scored_edition(
        program, phase="scoring", names=("Ada", "Bo", "Cy", "Di", "Ed", "Flo")
    )
    for edition in (small, large):
        juror_manager(edition, manager_user)
    factories.JurorFactory(edition=large, name="Extra")
    client = login(manager_user)

    with django_assert_max_num_queries(25) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(url(large))


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(edition, client):
    response = client.get(url(edition))

    assert response.status_code == 302
