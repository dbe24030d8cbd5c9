"""The plan page: refusals summed up, what personalises a recognition beside the mentor."""

import pytest
from django.utils import timezone

from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.programs.models import EnrolmentStatus, MentorEnrolment
from laurier.recognition.categories import PublicConsent
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


def test_the_mentors_interests_and_needs_are_beside_their_recognitions(
    login, admin_user, program, organisation, django_capture_on_commit_callbacks
):
    marie = enrol_many(program, 1)[0]
    MentorProfile.objects.create(
        organisation=organisation,
        person=marie,
        public_consent=PublicConsent.YES,
        interests="Jardinage, jazz",
        diet="Végétarienne",
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )
    offer(organisation)
    fund(program)
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    page = login(admin_user).get(plan_url("plan_detail", plan)).content.decode()
    assert "Interests: Jardinage, jazz" in page
    assert "Dietary needs: Végétarienne" in page
