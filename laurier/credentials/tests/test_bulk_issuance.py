"""Awarding one badge to many people: a job the task worker runs in chunks, with its progress;
a job stopped half-way goes on where it was, a request sent twice starts one job, and nobody
receives the badge twice."""

import datetime

import pytest
from django.utils import timezone, translation

from laurier.credentials.models import Credential, IssuanceJob
from laurier.credentials.services import awarding, bulk, issuance
from laurier.credentials.services.awarding import CredentialRefused
from laurier.credentials.services.bulk import resume_stalled_jobs, run_job, start_issuance_job
from laurier.credentials.tasks import run_issuance_job
from laurier.credentials.verification import Outcome, verify_text
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import Person
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def badge(organisation):
    return factories.BadgeClassFactory(organisation=organisation)


@pytest.fixture
def no_emails(settings):
    """The e-mails (and any job) go out in their own task, not run here: run_job is called."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def people(organisation, count):
    return factories.PersonFactory.create_batch(count, organisation=organisation)


def ids(persons):
    return [person.pk for person in persons]


def started(badge, persons, django_capture_on_commit_callbacks, **options):
    """Start a job and let the worker run it (at the commit, as in production)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = start_issuance_job(badge, ids(persons), actor=None, **options)
    job.refresh_from_db()
    return job


def held(badge):
    return Credential.objects.filter(badge_class=badge)


def test_a_job_of_120_people_issues_120_badges(
    badge, organisation, django_capture_on_commit_callbacks
):
    persons = people(organisation, 120)

    job = started(badge, persons, django_capture_on_commit_callbacks)

    assert (job.status, job.total, job.done, job.issued) == (IssuanceJob.Status.DONE, 120, 120, 120)
    assert job.percent == 100
    assert job.finished_at is not None
    assert set(held(badge).values_list("person_id", flat=True)) == set(ids(persons))
    assert held(badge).values("status_list", "status_index").distinct().count() == 120


def test_every_badge_of_a_job_verifies(badge, organisation, django_capture_on_commit_callbacks):
    started(badge, people(organisation, 3), django_capture_on_commit_callbacks)

    assert [verify_text(c.jwt).outcome for c in held(badge)] == [Outcome.VALID] * 3


def test_a_job_skips_the_current_holders(badge, organisation, django_capture_on_commit_callbacks):
    persons = people(organisation, 10)
    for person in persons[:4]:
        awarding.award_badge(badge, person, actor=None)

    job = started(badge, persons, django_capture_on_commit_callbacks)

    assert (job.total, job.done, job.issued) == (10, 10, 6)
    assert held(badge).count() == 10


def test_a_job_awards_again_those_whose_badge_was_revoked(
    badge, organisation, django_capture_on_commit_callbacks
):
    revoked_person, holder = people(organisation, 2)
    revoked, _ = awarding.award_badge(badge, revoked_person, actor=None)
    awarding.award_badge(badge, holder, actor=None)
    awarding.revoke(revoked, reason="Mistake", actor=None)

    job = started(badge, [revoked_person, holder], django_capture_on_commit_callbacks)

    assert job.issued == 1
    current = held(badge).filter(person=revoked_person, revoked_at__isnull=True).get()
    assert current != revoked
    assert verify_text(current.jwt).outcome == Outcome.VALID
    assert verify_text(revoked.jwt).outcome == Outcome.REVOKED


def test_each_new_holder_is_told_once(badge, organisation, django_capture_on_commit_callbacks):
    persons = people(organisation, 3)
    awarding.award_badge(badge, persons[0], actor=None)

    started(badge, persons, django_capture_on_commit_callbacks)

    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == sorted(
        p.email for p in persons
    )


def test_progress_is_written_after_each_chunk(badge, organisation, monkeypatch, no_emails):
    monkeypatch.setattr(bulk, "CHUNK", 4)
    job = start_issuance_job(badge, ids(people(organisation, 10)), actor=None)
    seen = []
    issue_many = bulk.issue_many

    def watching(*args, **kwargs):
        stored = IssuanceJob.objects.get(pk=job.pk)
        seen.append((stored.status, stored.done, stored.issued))
        return issue_many(*args, **kwargs)

    monkeypatch.setattr(bulk, "issue_many", watching)

    run_job(job)

    assert seen == [("running", 0, 0), ("running", 4, 4), ("running", 8, 8)]
    job.refresh_from_db()
    assert (job.status, job.done, job.issued, job.percent) == ("done", 10, 10, 100)


def test_a_queued_job_shows_no_progress_yet(badge, organisation):
    job = start_issuance_job(badge, ids(people(organisation, 4)), actor=None)

    assert (job.status, job.total, job.done, job.percent) == ("queued", 4, 0, 0)


def test_a_job_stopped_half_way_goes_on_where_it_was(badge, organisation, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 5)
    persons = people(organisation, 12)
    job = start_issuance_job(badge, ids(persons), actor=None)
    issue_many = bulk.issue_many
    calls = []

    def dying_at_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker stopped")
        return issue_many(*args, **kwargs)

    monkeypatch.setattr(bulk, "issue_many", dying_at_the_second_chunk)
    with pytest.raises(RuntimeError):
        run_job(job)
    job.refresh_from_db()
    assert (job.status, job.done, job.issued) == ("failed", 5, 5)
    assert "worker stopped" in job.error

    monkeypatch.setattr(bulk, "issue_many", issue_many)
    run_issuance_job.enqueue(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done, job.issued, job.error) == ("done", 12, 12, "")
    assert held(badge).count() == 12
    assert set(held(badge).values_list("person_id", flat=True)) == set(ids(persons))


def test_running_a_job_again_from_half_way_issues_no_duplicate(
    badge, organisation, django_capture_on_commit_callbacks
):
    job = started(badge, people(organisation, 120), django_capture_on_commit_callbacks)
    IssuanceJob.objects.filter(pk=job.pk).update(
        done=60,
        status=IssuanceJob.Status.RUNNING,
        progress_at=timezone.now() - datetime.timedelta(minutes=10),
    )

    run_job(IssuanceJob.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert held(badge).count() == 120
    assert (job.status, job.done, job.issued) == ("done", 120, 120)


def test_a_job_another_worker_is_running_is_left_to_it(badge, organisation, no_emails):
    job = start_issuance_job(badge, ids(people(organisation, 3)), actor=None)
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.RUNNING, progress_at=timezone.now()
    )

    run_job(IssuanceJob.objects.get(pk=job.pk))

    assert held(badge).count() == 0


def test_a_job_whose_worker_stopped_is_queued_again_and_finished(
    badge, organisation, django_capture_on_commit_callbacks
):
    job = start_issuance_job(badge, ids(people(organisation, 3)), actor=None)
    IssuanceJob.objects.filter(pk=job.pk).update(
        status=IssuanceJob.Status.RUNNING,
        progress_at=timezone.now() - datetime.timedelta(minutes=10),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_jobs() == 1

    job.refresh_from_db()
    assert (job.status, job.issued) == ("done", 3)
    assert resume_stalled_jobs() == 0


def test_a_finished_job_is_not_run_again_by_the_task(
    badge, organisation, django_capture_on_commit_callbacks
):
    job = started(badge, people(organisation, 3), django_capture_on_commit_callbacks)
    finished_at = job.finished_at

    run_issuance_job.enqueue(job.pk)

    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert held(badge).count() == 3


def test_the_same_request_twice_starts_one_job(badge, organisation, no_emails):
    persons = ids(people(organisation, 5))

    first = start_issuance_job(badge, persons, actor=None, request_key="form-token-1")
    second = start_issuance_job(badge, persons, actor=None, request_key="form-token-1")
    third = start_issuance_job(badge, persons, actor=None, request_key="form-token-2")

    assert first == second
    assert third != first
    assert IssuanceJob.objects.count() == 2


def test_a_request_sent_twice_issues_each_badge_once(
    badge, organisation, django_capture_on_commit_callbacks
):
    persons = people(organisation, 5)

    started(badge, persons, django_capture_on_commit_callbacks, request_key="token")
    started(badge, persons, django_capture_on_commit_callbacks, request_key="token")
    started(badge, persons, django_capture_on_commit_callbacks, request_key="other")

    assert held(badge).count() == 5


def test_people_of_another_organisation_are_ignored(
    badge, organisation, other_organisation, django_capture_on_commit_callbacks
):
    ours = people(organisation, 3)
    theirs = people(other_organisation, 2)

    job = started(badge, ours + theirs, django_capture_on_commit_callbacks)

    assert job.total == 3
    assert set(held(badge).values_list("person_id", flat=True)) == set(ids(ours))


def test_a_job_of_outsiders_only_is_refused(badge, other_organisation):
    with translation.override("en"), pytest.raises(CredentialRefused) as refused:
        start_issuance_job(badge, ids(people(other_organisation, 2)), actor=None)

    assert "Choose at least one person" in str(refused.value)
    assert not IssuanceJob.objects.exists()


def test_a_retired_badge_cannot_be_awarded_in_bulk(organisation):
    retired = factories.BadgeClassFactory(organisation=organisation, active=False)

    with translation.override("en"), pytest.raises(CredentialRefused) as refused:
        start_issuance_job(retired, ids(people(organisation, 2)), actor=None)

    assert "retired" in str(refused.value)
    assert not IssuanceJob.objects.exists()


def test_the_job_remembers_who_started_it(badge, organisation, admin_user, no_emails):
    job = start_issuance_job(badge, ids(people(organisation, 2)), actor=admin_user)

    run_job(job)

    assert job.created_by == admin_user
    assert set(held(badge).values_list("issued_by", flat=True)) == {admin_user.pk}


def test_run_job_queries_grow_far_slower_than_the_people(
    organisation, no_emails, django_assert_max_num_queries
):
    def queries_for(count):
        badge = factories.BadgeClassFactory(organisation=organisation, name_en=f"Builder {count}")
        job = start_issuance_job(badge, ids(people(organisation, count)), actor=None)
        with django_assert_max_num_queries(10_000) as captured:
            run_job(job)
        assert job.issued == count
        return len(captured.captured_queries)

    fifty, hundred = queries_for(50), queries_for(100)

    # One chunk more costs a few queries, never one per person.
    assert fifty < 40, fifty
    assert hundred - fifty < 15, (fifty, hundred)


def test_a_person_named_twice_in_one_batch_is_issued_one_badge(badge, organisation):
    person = factories.PersonFactory(organisation=organisation)
    recipient = awarding.badge_recipient(badge, person, "badge:once", badge.created_at)

    issued = issuance.issue_many(
        organisation, [recipient, recipient], kind="badge", actor=None, badge_class=badge
    )

    assert len(issued) == 1
    assert held(badge).filter(person=person).count() == 1


# By hand, one person at a time


def test_a_badge_is_awarded_by_hand_once_with_one_email(badge, organisation):
    person = factories.PersonFactory(organisation=organisation, email="jeanne@example.org")

    first, created = awarding.award_badge(badge, person, actor=None)
    again, created_again = awarding.award_badge(badge, person, actor=None)

    assert (created, created_again) == (True, False)
    assert again == first
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["jeanne@example.org"]


def test_the_email_links_to_my_badges_only_for_people_with_an_account(
    badge, organisation, mentor_user
):
    with_account = Person.objects.get(organisation=organisation, user=mentor_user)
    without = factories.PersonFactory(organisation=organisation)

    awarding.award_badge(badge, with_account, actor=None)
    awarding.award_badge(badge, without, actor=None)

    texts = {email.to: email.text for email in OutgoingEmail.objects.all()}
    assert "/o/hydro/me/badges/" in texts[with_account.email]
    assert "/o/hydro/me/badges/" not in texts[without.email]


def test_a_badge_cannot_be_awarded_by_hand_to_another_organisations_person(
    badge, other_organisation
):
    outsider = factories.PersonFactory(organisation=other_organisation)

    with translation.override("en"), pytest.raises(CredentialRefused) as refused:
        awarding.award_badge(badge, outsider, actor=None)

    assert "not part of your organisation" in str(refused.value)
    assert not Credential.objects.exists()


def test_a_retired_badge_cannot_be_awarded_by_hand(organisation):
    retired = factories.BadgeClassFactory(organisation=organisation, active=False)

    with pytest.raises(CredentialRefused):
        awarding.award_badge(
            retired, factories.PersonFactory(organisation=organisation), actor=None
        )

    assert not Credential.objects.exists()


def test_a_badge_revoked_twice_is_awarded_a_third_time(badge, organisation):
    person = factories.PersonFactory(organisation=organisation)
    for _ in range(2):
        credential, _ = awarding.award_badge(badge, person, actor=None)
        awarding.revoke(credential, reason="Mistake", actor=None)

    third, created = awarding.award_badge(badge, person, actor=None)

    assert created
    assert held(badge).filter(person=person).count() == 3
    assert verify_text(third.jwt).outcome == Outcome.VALID


@pytest.fixture
def expired(organisation, monkeypatch):
    """(badge valid one year, person whose badge of it expired a month ago)."""
    badge = factories.BadgeClassFactory(organisation=organisation, valid_years=1)
    person = factories.PersonFactory(organisation=organisation)
    two_years_ago = timezone.now() - datetime.timedelta(days=2 * 365)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: two_years_ago)
        credential, _ = awarding.award_badge(badge, person, actor=None)
    assert verify_text(credential.jwt).outcome == Outcome.EXPIRED
    return badge, person


def test_a_badge_that_expired_is_awarded_again_by_hand(expired):
    badge, person = expired

    renewed, created = awarding.award_badge(badge, person, actor=None)

    assert created
    assert verify_text(renewed.jwt).outcome == Outcome.VALID
    assert held(badge).filter(person=person).count() == 2


def test_a_badge_that_expired_is_awarded_again_in_bulk(expired, django_capture_on_commit_callbacks):
    badge, person = expired

    job = started(badge, [person], django_capture_on_commit_callbacks)

    assert job.issued == 1
    renewed = held(badge).filter(person=person).order_by("-pk").first()
    assert verify_text(renewed.jwt).outcome == Outcome.VALID
