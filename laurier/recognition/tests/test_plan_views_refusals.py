"""Many refusals at once are summed up in one sentence, then the first few."""

import pytest

from laurier.programs.models import EnrolmentStatus, MentorEnrolment
from laurier.recognition.models import Plan

from .test_plan_views_support import enrol_many, fund, make_plan, offer, plan_url

pytestmark = pytest.mark.django_db


def test_an_approval_refused_for_many_reasons_says_how_many_and_shows_three(
    login, admin_user, program, organisation, django_capture_on_commit_callbacks
):
    enrol_many(program, 5)
    offer(organisation)
    fund(program)
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    MentorEnrolment.objects.filter(program=program).update(status=EnrolmentStatus.LEFT)
    response = login(admin_user).post(plan_url("plan_approve", plan), follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown[0].startswith(f"{plan.lines.count()} things stop this")
    assert len(shown) == 5 and shown[-1].startswith("… and ")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
