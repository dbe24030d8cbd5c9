"""Giving a recognition in a real Chromium: from the plan's line to the mentor's feedback."""

import datetime
import re

import pytest

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.programs.models import Person
from laurier.recognition.categories import Giver
from laurier.recognition.models import Award, ImportantDate
from laurier.recognition.services import plans
from laurier.recognition.services.awards import ask_due_feedback
from laurier.testing import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def mentor(mentor_user, organisation, program):
    person = Person.objects.get(organisation=organisation, user=mentor_user)
    Person.objects.filter(pk=person.pk).update(language="en", first_name="Awa")
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=datetime.date(2024, 1, 10)
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def approved_plan(organisation, program, manager_user, mentor):
    """This fiscal year's approved plan giving the mentor a card on a day of the organisation's
    own, today, whatever day the suite runs."""
    today = organisation_today(organisation)
    year = fiscal_year_of(organisation, today)
    ImportantDate.objects.create(
        organisation=organisation, name_fr="Journée Hydro", name_en="Hydro Day", date=today
    )
    factories.RecognitionOptionFactory(
        organisation=organisation,
        name_en="Handwritten card",
        name_fr="Carte manuscrite",
        cost_money="20.00",
        staff_hours="0.50",
        material_items=0,
        moments=[],
        usual_givers=[Giver.MANAGER],
    )
    factories.BudgetFactory(
        program=program, fiscal_year=year, money="1000.00", staff_hours="100.00", material_items=0
    )
    plan = plans.create_plan(
        program,
        actor=manager_user,
        starts_on=today,
        ends_on=fiscal_year_bounds(organisation, year)[1],
        min_per_mentor=1,
        max_per_mentor=1,
        one_per_moment=True,
        no_repeat_months=0,
    )
    plans.compute_plan(plan)
    return plans.approve_plan(plan, actor=manager_user)


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def click(page, locator):
    locator.click()
    page.wait_for_load_state()


def link_in(message, base_url, path):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(re.escape(base_url) + rf"({path}[^\s]*)", text).group(1)


def test_a_manager_gives_an_award_from_the_plan_and_the_mentor_sees_it_then_answers_about_it(
    page,
    browser,
    live_server,
    settings,
    smtp_server,
    organisation,
    program,
    manager_user,
    mentor_user,
    mentor,
    approved_plan,
):
    settings.SITE_URL = live_server.url
    award = Award.objects.get(plan_line__plan=approved_plan)
    assert award.status == Award.Status.APPROVED

    # The manager opens the approved plan and gives the card from its line.
    log_in(page, manager_user)
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/plans/{approved_plan.pk}/")
    click(page, page.locator("main").get_by_role("button", name=re.compile("^Give")).first)
    page.get_by_label("Personal message").fill("Thank you for your patience with every question.")
    click(page, page.get_by_role("button", name="Mark it given and tell the mentor"))
    award.refresh_from_db()
    assert award.status == Award.Status.GIVEN
    assert "Given" in page.locator("main").inner_text()

    # The mentor receives the e-mail in English, with the message and a link to their space.
    [message] = smtp_server.messages
    assert message["To"] == mentor.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Handwritten card" in body
    assert "Thank you for your patience with every question." in body
    link = link_in(message, live_server.url, f"/o/{organisation.slug}/me/recognitions/")

    # The mentor opens Laurier from the link and sees the recognition.
    mentor_context = browser.new_context(base_url=live_server.url, locale="en-CA")
    mentor_page = mentor_context.new_page()
    log_in(mentor_page, mentor_user)
    mentor_page.goto(link)
    card = mentor_page.locator("main").inner_text()
    assert "Handwritten card" in card
    assert "Thank you for your patience with every question." in card
    assert "In a few days, we will ask you" in card

    # Time passes: on the feedback day, the survey arrives and the mentor answers it.
    due = award.given_on + datetime.timedelta(days=organisation.feedback_delay_days)
    assert ask_due_feedback(today=due - datetime.timedelta(days=1)) == 0
    assert ask_due_feedback(today=due) == 1
    invitation = smtp_server.messages[-1]
    assert "what did you think of your recognition" in invitation["Subject"]
    mentor_page.reload()
    click(mentor_page, mentor_page.get_by_role("button", name="Tell us what you thought"))
    assert "Handwritten card" in mentor_page.locator("main").inner_text()
    award.refresh_from_db()
    survey = award.feedback_request.campaign.survey
    questions = {question.key: question for question in survey.questions.all()}
    mentor_page.locator(f"input[name='q{questions['satisfaction'].pk}'][value='5']").check()
    mentor_page.locator(f"input[name='q{questions['relevance'].pk}'][value='4']").check()
    mentor_page.get_by_label("Yes", exact=True).check()
    mentor_page.get_by_label(questions["comment"].text_en).fill("It meant a lot, coming from Marc.")
    click(mentor_page, mentor_page.get_by_role("button", name=re.compile("Send")))
    mentor_context.close()

    # The manager sees the mentor's answers on the award's page.
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/awards/{award.pk}/")
    answers = page.locator("main").inner_text()
    assert "It meant a lot, coming from Marc." in answers
