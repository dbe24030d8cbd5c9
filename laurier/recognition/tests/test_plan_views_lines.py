"""The plan's lines from its page: add, edit, lock and remove a recognition; refusals."""

import datetime

import pytest

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.categories import Giver
from laurier.recognition.models import Plan, PlanLine
from laurier.testing import factories

from .test_plan_views_support import enrol, fund, make_plan, offer, plan_url

pytestmark = pytest.mark.django_db

YEAR_END, MENTORING_DAY = "year-end-2026", "mentoring-day-2027"


@pytest.fixture
def mentors(program):
    return [enrol(program, "Marie", "Gagnon"), enrol(program, "Luc", "Roy")]


@pytest.fixture
def card(organisation):
    return offer(organisation)


@pytest.fixture
def lunch(organisation):
    return offer(
        organisation,
        name_en="Lunch with an executive",
        name_fr="Dîner avec un cadre",
        cost_money="40.00",
        usual_givers=[Giver.EXECUTIVE],
    )


@pytest.fixture
def plan(program, admin_user, mentors, card, django_capture_on_commit_callbacks):
    fund(program)
    return make_plan(program, admin_user, django_capture_on_commit_callbacks)


def text_of(response):
    return response.content.decode()


def line_of(plan, mentor):
    return plan.lines.get(mentor=mentor)


def approve(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)


# --- Adding ------------------------------------------------------------------------------------


def test_the_add_form_offers_the_programs_mentors_the_catalog_and_the_plans_moments(
    login, admin_user, plan, mentors, card, lunch, program
):
    other = factories.PersonFactory(organisation=program.organisation, first_name="Ailleurs")
    response = login(admin_user).get(plan_url("plan_line_add", plan))
    form = response.context["form"]
    assert set(form.fields["mentor"].queryset) == set(mentors)
    assert other not in form.fields["mentor"].queryset
    assert "Lunch with an executive — $40.00" in text_of(response)
    assert [key for key, _label in form.fields["moment"].choices] == [
        "",
        YEAR_END,
        MENTORING_DAY,
    ]
    assert "<legend>Given by</legend>" in text_of(response)
    duplicates, unlabelled, h1_count = check_markup(text_of(response))
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)


def test_coming_from_a_mentors_row_the_mentor_is_chosen(login, admin_user, plan, mentors):
    response = login(admin_user).get(plan_url("plan_line_add", plan), {"mentor": mentors[1].pk})
    assert response.context["form"].initial["mentor"] == mentors[1].pk


def test_the_usual_givers_of_each_option_reach_the_pages_script(login, admin_user, plan, lunch):
    response = login(admin_user).get(plan_url("plan_line_add", plan))
    assert response.context["usual_givers"][str(lunch.pk)] == [Giver.EXECUTIVE]
    assert 'id="plan-usual-givers"' in text_of(response)


def test_adding_a_recognition_locks_it_and_returns_to_the_mentors_row(
    login, admin_user, plan, mentors, lunch
):
    marie = mentors[0]
    taken = line_of(plan, marie).moment_key
    free = MENTORING_DAY if taken == YEAR_END else YEAR_END
    back = plan_url("plan_detail", plan) + f"?view=mentor&page=1#mentor-{marie.pk}"
    response = login(admin_user).post(
        plan_url("plan_line_add", plan),
        {
            "mentor": marie.pk,
            "option": lunch.pk,
            "moment": free,
            "givers": [Giver.EXECUTIVE, Giver.MENTEE],
            "next": back,
        },
    )
    assert response["Location"] == back
    line = plan.lines.get(mentor=marie, option=lunch)
    assert (line.locked, line.source, line.moment_key) == (True, PlanLine.Source.MANAGER, free)
    assert line.givers == [Giver.EXECUTIVE, Giver.MENTEE]


def test_sending_the_add_form_twice_adds_one_line(login, admin_user, plan, mentors, lunch):
    marie = mentors[0]
    free = MENTORING_DAY if line_of(plan, marie).moment_key == YEAR_END else YEAR_END
    data = {"mentor": marie.pk, "option": lunch.pk, "moment": free, "givers": ["executive"]}
    client = login(admin_user)
    first = client.post(plan_url("plan_line_add", plan), data)
    second = client.post(plan_url("plan_line_add", plan), data)
    assert first["Location"] == second["Location"] == plan_url("plan_detail", plan)
    assert plan.lines.filter(mentor=marie, option=lunch).count() == 1


def test_a_recognition_that_breaks_a_rule_is_refused_with_the_reasons_on_top(
    login, admin_user, plan, mentors, lunch
):
    marie = mentors[0]
    taken = line_of(plan, marie).moment_key
    response = login(admin_user).post(
        plan_url("plan_line_add", plan),
        {"mentor": marie.pk, "option": lunch.pk, "moment": taken, "givers": [Giver.MANAGER]},
    )
    assert response.status_code == 200
    assert "This recognition breaks a rule of the plan:" in text_of(response)
    assert response.context["form"].non_field_errors()
    assert plan.lines.filter(mentor=marie).count() == 1


def test_a_recognition_without_a_giver_is_refused(login, admin_user, plan, mentors, lunch):
    response = login(admin_user).post(
        plan_url("plan_line_add", plan),
        {"mentor": mentors[0].pk, "option": lunch.pk, "moment": MENTORING_DAY},
    )
    assert "Say who gives it." in text_of(response)
    assert not plan.lines.filter(option=lunch).exists()


def test_a_mentor_outside_the_program_cannot_be_chosen(login, admin_user, plan, lunch, program):
    outsider = factories.PersonFactory(organisation=program.organisation)
    response = login(admin_user).post(
        plan_url("plan_line_add", plan),
        {"mentor": outsider.pk, "option": lunch.pk, "moment": YEAR_END, "givers": ["manager"]},
    )
    assert response.status_code == 200
    assert not plan.lines.filter(mentor=outsider).exists()


@pytest.mark.parametrize("target", ["https://evil.example.org/", "/", "/o/hydro/budgets/"])
def test_a_next_address_outside_the_plan_is_not_followed(
    login, admin_user, plan, mentors, lunch, target
):
    marie = mentors[0]
    free = MENTORING_DAY if line_of(plan, marie).moment_key == YEAR_END else YEAR_END
    response = login(admin_user).post(
        plan_url("plan_line_add", plan),
        {
            "mentor": marie.pk,
            "option": lunch.pk,
            "moment": free,
            "givers": ["manager"],
            "next": target,
        },
    )
    assert response["Location"] == plan_url("plan_detail", plan)


# --- Editing -----------------------------------------------------------------------------------


def test_the_edit_form_shows_the_line_as_it_is(login, admin_user, plan, mentors):
    line = line_of(plan, mentors[0])
    response = login(admin_user).get(plan_url("plan_line_edit", plan, line_pk=line.pk))
    form = response.context["form"]
    assert "mentor" not in form.fields
    assert form.initial == {
        "option": line.option_id,
        "moment": line.moment_key,
        "givers": line.givers,
    }
    assert "Edit Marie Gagnon" in text_of(response)
    duplicates, unlabelled, h1_count = check_markup(text_of(response))
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)


def test_editing_a_line_changes_it_and_locks_it(login, admin_user, plan, mentors, lunch):
    line = line_of(plan, mentors[0])
    response = login(admin_user).post(
        plan_url("plan_line_edit", plan, line_pk=line.pk),
        {"option": lunch.pk, "moment": line.moment_key, "givers": [Giver.PEER]},
    )
    assert response["Location"] == plan_url("plan_detail", plan)
    line.refresh_from_db()
    assert (line.option, line.givers, line.locked) == (lunch, [Giver.PEER], True)


# --- Locking and removing ----------------------------------------------------------------------


def test_locking_and_unlocking_a_line(login, admin_user, plan, mentors):
    line = line_of(plan, mentors[0])
    client = login(admin_user)
    url = plan_url("plan_line_lock", plan, line_pk=line.pk)
    back = plan_url("plan_detail", plan) + f"?view=moment#line-{line.pk}"
    assert client.post(url, {"locked": "1", "next": back})["Location"] == back
    line.refresh_from_db()
    assert line.locked
    client.post(url, {"locked": "0"})
    line.refresh_from_db()
    assert not line.locked


def test_locking_answers_only_a_post(login, admin_user, plan, mentors):
    line = line_of(plan, mentors[0])
    url = plan_url("plan_line_lock", plan, line_pk=line.pk)
    assert login(admin_user).get(url).status_code == 405


def test_the_plan_page_explains_what_locking_does(login, admin_user, plan):
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "Recognitions you added, edited or locked are kept." in page
    assert 'title="A locked recognition is kept as it is when the plan is computed again."' in page


def test_removing_a_line_asks_first_then_removes_it_once(login, admin_user, plan, mentors):
    line = line_of(plan, mentors[0])
    client = login(admin_user)
    url = plan_url("plan_line_delete", plan, line_pk=line.pk)
    response = client.get(url)
    assert "Remove “Thank-you card” for Marie Gagnon" in text_of(response)
    assert client.post(url)["Location"] == plan_url("plan_detail", plan)
    assert client.post(url)["Location"] == plan_url("plan_detail", plan)
    assert not PlanLine.objects.filter(pk=line.pk).exists()
    assert plan.lines.count() == 1


# --- Refusals ----------------------------------------------------------------------------------


def test_an_approved_plans_lines_cannot_be_added_edited_locked_or_removed(
    login, admin_user, plan, mentors, lunch
):
    approve(plan)
    line = line_of(plan, mentors[0])
    before = list(plan.lines.values_list("pk", "option", "moment_key", "givers", "locked"))
    client = login(admin_user)
    data = {"option": lunch.pk, "moment": MENTORING_DAY, "givers": ["peer"], "locked": "1"}
    client.post(plan_url("plan_line_add", plan), {**data, "mentor": mentors[0].pk})
    client.post(plan_url("plan_line_edit", plan, line_pk=line.pk), data)
    client.post(plan_url("plan_line_lock", plan, line_pk=line.pk), data)
    response = client.post(plan_url("plan_line_delete", plan, line_pk=line.pk), follow=True)
    assert "An approved plan no longer changes." in text_of(response)
    assert list(plan.lines.values_list("pk", "option", "moment_key", "givers", "locked")) == before


def test_an_approved_plans_rules_and_lines_are_not_computed_again(
    login, admin_user, plan, django_capture_on_commit_callbacks
):
    approve(plan)
    client = login(admin_user)
    before = list(plan.lines.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            plan_url("plan_rules", plan),
            {"min_per_mentor": 0, "max_per_mentor": 1, "no_repeat_months": 0},
        )
        client.post(plan_url("plan_recompute", plan))
    plan.refresh_from_db()
    assert (plan.status, plan.max_per_mentor) == (Plan.Status.APPROVED, 2)
    assert list(plan.lines.values_list("pk", flat=True)) == before


def test_a_plan_being_computed_cannot_be_edited(login, admin_user, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.COMPUTING)
    response = login(admin_user).get(plan_url("plan_line_add", plan), follow=True)
    assert "Wait until the plan is computed." in text_of(response)


def test_a_line_of_another_plan_is_not_found(
    login, admin_user, plan, program, django_capture_on_commit_callbacks
):
    other = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    foreign = other.lines.first()
    client = login(admin_user)
    for name in ("plan_line_edit", "plan_line_delete"):
        assert client.get(plan_url(name, plan, line_pk=foreign.pk)).status_code == 404
    response = client.post(plan_url("plan_line_lock", plan, line_pk=foreign.pk), {"locked": "1"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.locked


def test_coming_from_a_mentors_row_only_their_own_anniversary_is_offered(
    login, admin_user, plan, program
):
    # Both celebrate a year of mentoring in the plan's period.
    ana = enrol(program, "Ana", "Pépin", since=datetime.date(2025, 6, 1))
    enrol(program, "Bo", "Roy", since=datetime.date(2025, 7, 1))
    page = text_of(login(admin_user).get(plan_url("plan_line_add", plan) + f"?mentor={ana.pk}"))
    assert "Ana Pépin: 1 year of mentoring" in page
    assert "Bo Roy: 1 year of mentoring" not in page


@pytest.mark.parametrize("query", ["?mentor=²", "?view=option&option=²"])
def test_digits_of_other_scripts_in_the_address_are_ignored(login, admin_user, plan, query):
    name = "plan_line_add" if "mentor" in query else "plan_detail"
    assert login(admin_user).get(plan_url(name, plan) + query).status_code == 200
