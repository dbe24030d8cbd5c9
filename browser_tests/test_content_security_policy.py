"""The strict Content-Security-Policy in a real Chromium: the pages of a manager, a mentor and an
anonymous visitor load without a single refusal from the browser, and their scripts still run
(htmx, the charts, the survey's conditions, the API documentation)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from laurier.credentials.services import awarding
from laurier.programs.models import Person
from laurier.surveys.models import Survey
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.browser


class PolicyWatch:
    """What the browser said about the policy (or any script failure) on the pages visited."""

    def __init__(self, page):
        self.page = page
        self.complaints = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.complaints.append((page.url, str(error))))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.complaints.append((self.page.url, message.text))

    def visit(self, path):
        response = self.page.goto(path)
        assert response.ok, (path, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        return response


def signed_in(page, live_server, user):
    """`page` with `user`'s session: the login page itself is visited by the anonymous test."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return page


def chart_drawn(page, canvas_id):
    return page.evaluate(f"Chart.getChart(document.getElementById('{canvas_id}')) !== undefined")


def test_a_managers_pages_keep_their_scripts_under_the_policy(
    page, live_server, organisation, program, manager_user
):
    mentor = factories.PersonFactory(organisation=organisation, first_name="Zoé")
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    budget = factories.BudgetFactory(program=program)
    watch = PolicyWatch(signed_in(page, live_server, manager_user))
    slugs = (organisation.slug, program.slug)

    watch.visit(reverse("programs:dashboard", args=slugs))
    page.wait_for_function("typeof Chart !== 'undefined'")
    assert chart_drawn(page, "hours-chart")
    # htmx was told not to write its own <style>: no page holds an inline one.
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    watch.visit(reverse("recognition:budget_detail", args=[organisation.slug, budget.pk]))
    page.wait_for_function("typeof Chart !== 'undefined'")
    assert chart_drawn(page, "budget-burn-chart")

    watch.visit(reverse("surveys:voice", args=slugs))
    watch.visit(reverse("recognition:award_create", args=slugs))

    # htmx still filters a list as one types.
    watch.visit(reverse("programs:mentors", args=slugs))
    page.fill("form.filters input[name=q]", "Zoé")
    page.wait_for_url("**q=Zo*")
    assert page.locator("#results").get_by_text("Zoé").first.is_visible()

    assert watch.complaints == []


def test_a_mentors_and_a_visitors_pages_keep_their_scripts_under_the_policy(
    page, browser, live_server, settings, organisation, program, mentor_user
):
    settings.SITE_URL = live_server.url
    mentor = Person.objects.get(organisation=organisation, user=mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    credential, _ = awarding.award_badge(
        factories.BadgeClassFactory(organisation=organisation), mentor, actor=None
    )
    survey = install_standard_surveys(organisation)[Survey.Purpose.PROFILE]
    survey.frozen = True
    survey.save()
    recipient = factories.RecipientFactory(
        campaign=factories.CampaignFactory(program=program, survey=survey), person=mentor
    )
    watch = PolicyWatch(signed_in(page, live_server, mentor_user))
    watch.visit(reverse("organisations:home", args=[organisation.slug]))
    watch.visit(reverse("credentials:my_credentials", args=[organisation.slug]))

    visitor = browser.new_context(base_url=live_server.url, locale="fr-CA")
    anonymous = visitor.new_page()
    anonymous_watch = PolicyWatch(anonymous)
    anonymous_watch.visit(reverse("account_login"))
    # The survey's conditions script hides the question that waits for "other".
    anonymous_watch.visit(reverse("survey_links:answer", args=[recipient.token]))
    anonymous.wait_for_function("document.querySelector('.survey-question[hidden]') !== null")
    anonymous_watch.visit(reverse("credentials:credential", args=[credential.public_id]))
    anonymous_watch.visit(reverse("api:docs"))
    anonymous.locator(".swagger-ui .opblock").first.wait_for()
    anonymous_watch.visit(reverse("api:redoc"))
    anonymous.locator(".api-content").first.wait_for()
    visitor.close()

    assert watch.complaints == []
    assert anonymous_watch.complaints == []
