"""The survey editor's pages: who reaches them, the list, creating, editing and copying."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.core.tests.test_page_markup import check_markup
from laurier.organisations.models import AuditEvent
from laurier.surveys.models import Question, Survey
from laurier.surveys.services.editing import copy_survey
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"surveys:{name}", args=("hydro", *args))


@pytest.fixture
def survey(organisation):
    return factories.SurveyFactory(
        organisation=organisation, title_fr="Accueil", title_en="Welcome"
    )


@pytest.fixture
def question(survey):
    return factories.QuestionFactory(survey=survey, position=1, kind=Question.Kind.LIKERT)


def survey_data(**changes):
    return {
        "title_fr": "Bilan de mi-parcours",
        "title_en": "Mid-term review",
        "introduction_fr": "Merci !",
        "introduction_en": "Thank you!",
        "purpose": "other",
        "anonymous": "",
        **changes,
    }


# Who reaches the editor


OBJECT_PAGES = [
    ("detail", "get"),
    ("edit", "get"),
    ("copy", "post"),
    ("question_create", "get"),
]


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_another_organisations_survey_is_404(
    login, other_admin_user, survey, question, name, method
):
    client = login(other_admin_user)
    address = reverse(f"surveys:{name}", args=("other", survey.pk))
    assert getattr(client, method)(address).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [("question_edit", "get"), ("question_delete", "get"), ("question_move", "post")],
)
def test_another_organisations_question_is_404(
    login, other_admin_user, survey, question, name, method
):
    client = login(other_admin_user)
    address = reverse(f"surveys:{name}", args=("other", survey.pk, question.pk))
    assert getattr(client, method)(address, {"direction": "up"}).status_code == 404


def test_a_question_of_another_survey_is_404(login, admin_user, survey, organisation):
    elsewhere = factories.QuestionFactory(survey__organisation=organisation)
    response = login(admin_user).get(url("question_edit", survey.pk, elsewhere.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), OBJECT_PAGES)
def test_a_frozen_copy_is_404(login, admin_user, survey, question, name, method):
    frozen = copy_survey(survey, frozen=True)
    response = getattr(login(admin_user), method)(url(name, frozen.pk))
    assert response.status_code == 404


def test_a_frozen_copys_question_is_404(login, admin_user, survey, question):
    frozen = copy_survey(survey, frozen=True)
    copied_question = frozen.questions.get()
    response = login(admin_user).get(url("question_edit", frozen.pk, copied_question.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("user_fixture", ["mentor_user", "mentee_user"])
@pytest.mark.parametrize(
    ("name", "args"), [("list", ()), ("create", ()), ("detail", (1,)), ("edit", (1,))]
)
def test_mentors_and_mentees_are_refused(request, login, user_fixture, name, args):
    client = login(request.getfixturevalue(user_fixture))
    assert client.get(url(name, *args)).status_code == 403


def test_a_mentor_cannot_move_a_question(login, mentor_user, survey, question):
    response = login(mentor_user).post(
        url("question_move", survey.pk, question.pk), {"direction": "up"}
    )
    assert response.status_code == 403


def test_a_manager_reaches_the_editor(login, manager_user, survey):
    assert login(manager_user).get(url("detail", survey.pk)).status_code == 200


# The list


def test_list_installs_and_shows_the_ready_made_surveys(login, admin_user, organisation):
    response = login(admin_user).get(url("list"))

    assert response.status_code == 200
    titles = {survey.title for survey in response.context["page"].object_list}
    assert titles == {survey.title for survey in install_standard_surveys(organisation).values()}


def test_list_leaves_out_frozen_copies(login, admin_user, survey):
    copy_survey(survey, frozen=True)

    response = login(admin_user).get(url("list"))

    listed = [s.pk for s in response.context["page"].object_list]
    assert listed.count(survey.pk) == 1
    assert len(listed) == 4


def test_list_counts_questions_and_campaigns_of_the_copies_sent(
    login, admin_user, survey, question, program
):
    for _ in range(2):
        sent = copy_survey(survey, frozen=True)
        factories.CampaignFactory(program=program, survey=sent)

    response = login(admin_user).get(url("list"), {"q": "Accueil"})

    (row,) = response.context["page"].object_list
    assert (row.question_count, row.campaign_count) == (1, 2)
    assert row.last_sent_at is not None


def test_list_searches_titles_in_both_languages(login, admin_user, survey):
    response = login(admin_user).get(url("list"), {"q": "welc"})
    assert [s.pk for s in response.context["page"].object_list] == [survey.pk]


def test_list_sorts_by_number_of_questions(login, admin_user, survey, question):
    response = login(admin_user).get(url("list"), {"sort": "questions"})
    assert response.context["page"].object_list[0] == survey


def test_list_exports_csv(login, admin_user, survey):
    response = login(admin_user).get(url("list"), {"export": "csv"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert "Welcome" in content or "Accueil" in content


def make_surveys(organisation, program, count):
    for _ in range(count):
        survey = factories.SurveyFactory(organisation=organisation)
        factories.QuestionFactory.create_batch(3, survey=survey)
        sent = copy_survey(survey, frozen=True)
        factories.CampaignFactory(program=program, survey=sent)


def test_list_keeps_a_constant_number_of_queries(
    login, admin_user, organisation, program, django_assert_max_num_queries
):
    client = login(admin_user)
    client.get(url("list"))
    make_surveys(organisation, program, 2)
    with django_assert_max_num_queries(12) as few:
        client.get(url("list"))
    make_surveys(organisation, program, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("list"))


# Creating, editing, copying


def test_creating_a_survey_takes_you_to_it(login, admin_user, organisation):
    response = login(admin_user).post(url("create"), survey_data())

    survey = Survey.objects.get(organisation=organisation, title_en="Mid-term review")
    assert response.status_code == 302
    assert response["Location"] == url("detail", survey.pk)
    assert not survey.standard and not survey.frozen


def test_creating_a_survey_is_audited(login, admin_user, organisation):
    login(admin_user).post(url("create"), survey_data())
    survey = Survey.objects.get(organisation=organisation, title_en="Mid-term review")
    assert AuditEvent.objects.filter(
        object_type="surveys.survey", object_id=str(survey.pk), action="create"
    ).exists()


def test_a_double_submit_creates_one_survey(login, admin_user, organisation):
    client = login(admin_user)
    client.post(url("create"), survey_data())
    second = client.post(url("create"), survey_data())

    assert second.status_code == 200
    assert "already has this title" in second.content.decode()
    assert Survey.objects.filter(organisation=organisation, title_en="Mid-term review").count() == 1


def test_a_new_pulse_survey_is_anonymous_even_with_the_box_unticked(
    login, admin_user, organisation
):
    data = survey_data(purpose="pulse")
    data.pop("anonymous", None)
    assert login(admin_user).post(url("create"), data).status_code == 302
    assert Survey.objects.get(organisation=organisation, title_en="Mid-term review").anonymous


def test_a_pulse_surveys_anonymity_cannot_be_turned_off(login, admin_user, organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    client = login(admin_user)
    page = client.get(url("edit", pulse.pk))
    assert page.context["form"].fields["anonymous"].disabled
    assert "A pulse survey is always anonymous" in page.content.decode()
    data = survey_data(title_fr=pulse.title_fr, title_en=pulse.title_en)
    data.pop("anonymous", None)
    assert client.post(url("edit", pulse.pk), data).status_code == 302
    pulse.refresh_from_db()
    assert pulse.anonymous


def test_a_title_can_repeat_one_of_another_organisation(login, admin_user, other_organisation):
    factories.SurveyFactory(organisation=other_organisation, title_en="Mid-term review")
    response = login(admin_user).post(url("create"), survey_data())
    assert response.status_code == 302


def test_a_title_is_required_in_both_languages(login, admin_user, organisation):
    response = login(admin_user).post(url("create"), survey_data(title_en=""))
    assert response.status_code == 200
    assert not Survey.objects.filter(title_fr="Bilan de mi-parcours").exists()


def test_editing_changes_texts_and_audits_what_changed(login, admin_user, survey):
    login(admin_user).post(url("edit", survey.pk), survey_data(title_en="Welcome aboard"))

    survey.refresh_from_db()
    assert survey.title_en == "Welcome aboard"
    event = AuditEvent.objects.get(object_id=str(survey.pk), action="update")
    assert event.changes["title_en"] == ["Welcome", "Welcome aboard"]


def test_a_ready_made_survey_keeps_its_purpose(login, admin_user, organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    client = login(admin_user)

    page = client.get(url("edit", pulse.pk))
    client.post(url("edit", pulse.pk), survey_data(purpose="other", anonymous="on"))

    assert "purpose" not in page.context["form"].fields
    pulse.refresh_from_db()
    assert (pulse.purpose, pulse.title_en) == ("pulse", "Mid-term review")


def test_copying_makes_an_editable_copy_titled_as_a_copy(login, admin_user, survey, question):
    response = login(admin_user).post(url("copy", survey.pk))

    copy = Survey.objects.get(copied_from=survey)
    assert response["Location"] == url("detail", copy.pk)
    assert copy.title_en == "Welcome (copy)"
    assert copy.title_fr.startswith("Accueil (") and copy.title_fr != "Accueil"
    assert not copy.frozen and not copy.standard
    assert copy.questions.count() == 1


def test_a_double_submit_of_copy_makes_one_copy(login, admin_user, survey):
    client = login(admin_user)
    client.post(url("copy", survey.pk))
    second = client.post(url("copy", survey.pk))

    copy = Survey.objects.get(copied_from=survey)
    assert second["Location"] == url("detail", copy.pk)


def test_copy_answers_only_post(login, admin_user, survey):
    assert login(admin_user).get(url("copy", survey.pk)).status_code == 405


def test_copying_a_ready_made_survey_gives_an_ordinary_one(login, admin_user, organisation):
    profile = install_standard_surveys(organisation)["profile"]
    login(admin_user).post(url("copy", profile.pk))
    copy = Survey.objects.get(copied_from=profile, frozen=False)
    assert copy.purpose == "profile" and not copy.standard


# What the survey page shows


def test_detail_shows_conditions_in_words(login, admin_user, organisation):
    profile = install_standard_surveys(organisation)["profile"]
    with_english = login(admin_user)
    with_english.cookies["laurier_language"] = "en"

    response = with_english.get(url("detail", profile.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert "Shown only if “Another reason” is picked in “Why do you mentor?”" in (
        response.content.decode()
    )


def test_detail_offers_no_delete_for_keyed_questions(login, admin_user, organisation):
    feedback = install_standard_surveys(organisation)["feedback"]
    response = login(admin_user).get(url("detail", feedback.pk))
    for question in feedback.questions.all():
        assert url("question_delete", feedback.pk, question.pk) not in response.content.decode()


def test_keyed_questions_and_choices_say_reports_use_them(login, admin_user, organisation):
    profile = install_standard_surveys(organisation)["profile"]
    question = profile.questions.get(key="motivations")
    client = login(admin_user)

    with translation.override("en"):
        detail = client.get(url("detail", profile.pk)).content.decode()
        form = client.get(url("question_edit", profile.pk, question.pk)).content.decode()

    assert ">Used by reports</span>" in detail and ">Used by reports</span>" in form
    assert "Kept" not in detail + form


def test_detail_keeps_a_constant_number_of_queries(
    login, admin_user, survey, django_assert_max_num_queries
):
    client = login(admin_user)
    factories.ChoiceFactory.create_batch(2, question__survey=survey)
    with django_assert_max_num_queries(10) as few:
        client.get(url("detail", survey.pk))
    for _ in range(10):
        factories.ChoiceFactory.create_batch(3, question__survey=survey)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("detail", survey.pk))


@pytest.mark.parametrize("name", ["list", "create"])
def test_organisation_pages_have_sound_markup(login, admin_user, name):
    html = login(admin_user).get(url(name)).content.decode()
    assert check_markup(html) == ([], [], 1)


def test_survey_pages_have_sound_markup(login, admin_user, organisation):
    profile = install_standard_surveys(organisation)["profile"]
    question = profile.questions.get(key="motivations")
    client = login(admin_user)
    for address in (
        url("detail", profile.pk),
        url("edit", profile.pk),
        url("question_create", profile.pk),
        url("question_edit", profile.pk, question.pk),
    ):
        assert check_markup(client.get(address).content.decode()) == ([], [], 1), address


def test_editor_changes_show_in_the_audit_trail(login, admin_user, survey):
    client = login(admin_user)
    client.post(url("edit", survey.pk), survey_data(title_en="Welcome aboard"))
    client.post(url("copy", survey.pk))

    response = client.get(reverse("organisations:audit", args=("hydro",)))

    assert response.status_code == 200
    assert "Welcome aboard" in response.content.decode()
