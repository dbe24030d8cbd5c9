"""A manager records a stipend decision in a real Chromium, with the article's suggested risks."""

import pytest

from laurier.recognition.models import CompensationDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_records_a_stipend_starting_from_the_suggested_risks(
    page, log_in_as, manager_user, program
):
    log_in_as(manager_user)
    page.goto(f"/o/hydro/p/{program.slug}/compensation/")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()

    page.get_by_label("A stipend").check()
    page.get_by_label("Amount per mentor per fiscal year").fill("600")
    page.get_by_label("Context").fill("Senior mentors give two evenings a month.")
    page.get_by_label("Goals").fill("Keep experienced mentors.")
    page.get_by_label("Stakeholders consulted").fill("Mentors, HR")
    page.get_by_role("button", name="Use the suggested risks").click()
    risks = page.get_by_label("Risks")
    assert "relationship between mentor and mentee" in risks.input_value()
    # Clicking again does not repeat them; the manager edits the text freely.
    page.get_by_role("button", name="Use the suggested risks").click()
    assert risks.input_value().count("relationship between mentor and mentee") == 1
    risks.press("End")
    risks.type("\n- Our own risk.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Decision in force").is_visible()
    decision = CompensationDecision.objects.get(program=program)
    assert decision.risks.endswith("- Our own risk.")
    page.goto(f"/o/hydro/p/{program.slug}/")
    assert page.get_by_role("heading", name="This program pays its mentors").is_visible()
