"""Events announced to an organisation's webhook endpoints: who is told, what the post says,
how it is signed, and how it survives a receiver that is down. A real HTTP receiver on
127.0.0.1 stands for the organisation's system."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from laurier.api import webhooks
from laurier.api.models import Event
from laurier.core.dates import organisation_today
from laurier.credentials.services.awarding import award_badge
from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import RETRY_DELAYS_MINUTES, deliver_due_webhooks
from laurier.programs.models import EnrolmentStatus
from laurier.programs.services import change_enrolment_status, enrol_mentee, enrol_mentor
from laurier.recognition.services import awards
from laurier.surveys.services.answers import submit_response
from laurier.testing import factories
from laurier.testing.chat_server import ChatServer

pytestmark = pytest.mark.django_db


def subscribe(organisation, url, events=tuple(Event.values), **fields):
    return webhooks.create_endpoint(
        organisation=organisation, actor=None, url=url, events=list(events), **fields
    )


def is_signed_by(secret, post, tolerance=300):
    """Checks a post's Laurier-Signature the way the endpoint page tells receivers to."""
    parts = dict(item.split("=", 1) for item in post["headers"]["Laurier-Signature"].split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + post["body"], hashlib.sha256
    ).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


def give_an_award(program, manager):
    mentor = factories.PersonFactory(organisation=program.organisation)
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    option = factories.RecognitionOptionFactory(
        organisation=program.organisation,
        cost_money="0.00",
        staff_hours="0.00",
        material_items=0,
    )
    today = organisation_today(program.organisation)
    award, _created = awards.add_award(
        program=program, mentor=mentor, option=option, planned_on=today, actor=manager
    )
    return awards.give_award(award, actor=manager, given_on=today)


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


# --- What is posted -------------------------------------------------------------------------


def test_an_award_given_is_posted_once_signed_with_its_ids(
    receiver, organisation, program, manager_user
):
    endpoint = subscribe(organisation, receiver.url, [Event.AWARD_GIVEN])

    award = give_an_award(program, manager_user)

    [post] = receiver.posts
    delivery = OutgoingWebhook.objects.get(endpoint=endpoint)
    assert post["json"]["event"] == "award.given"
    assert post["json"]["organisation"] == "hydro"
    assert post["json"]["id"].startswith("evt_")
    assert post["json"]["data"] == {
        "award_id": award.pk,
        "program_id": program.pk,
        "mentor_id": award.mentor_id,
        "option_id": award.option_id,
        "given_on": award.given_on.isoformat(),
    }
    assert post["headers"]["Laurier-Event"] == "award.given"
    assert post["headers"]["Laurier-Delivery"] == str(delivery.pk)
    assert is_signed_by(endpoint.secret, post)
    assert delivery.status == OutgoingWebhook.Status.SENT


def test_every_event_says_what_the_webhooks_page_documents(
    receiver, organisation, program, manager_user
):
    subscribe(organisation, receiver.url)
    award = give_an_award(program, manager_user)
    award_badge(factories.BadgeClassFactory(organisation=organisation), award.mentor, actor=None)
    submit_response(recipient=factories.RecipientFactory(campaign__program=program), answers={})
    newcomer = factories.PersonFactory(organisation=organisation)
    enrolment = enrol_mentor(
        program=program, person=newcomer, since=datetime.date(2026, 1, 5), actor=None
    )
    change_enrolment_status(
        enrolment, status=EnrolmentStatus.LEFT, reason="", changed_on=None, actor=None
    )

    said = {post["json"]["event"]: set(post["json"]["data"]) for post in receiver.posts}
    assert set(said) == set(Event.values)
    for event, fields in said.items():
        assert fields <= set(webhooks.EVENT_FIELDS[event]), event


def test_a_signature_with_another_secret_does_not_verify(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED])

    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    [post] = receiver.posts
    assert not is_signed_by("whsec_someone-else", post)


def test_an_event_the_endpoint_did_not_choose_is_not_posted(
    receiver, organisation, program, manager_user
):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED, Event.MENTOR_LEFT])

    give_an_award(program, manager_user)

    assert receiver.posts == []
    assert not OutgoingWebhook.objects.exists()


def test_an_endpoint_turned_off_is_told_nothing(receiver, organisation, program, manager_user):
    subscribe(organisation, receiver.url, [Event.AWARD_GIVEN], is_active=False)

    give_an_award(program, manager_user)

    assert receiver.posts == []


def test_another_organisations_endpoint_never_receives(
    receiver, organisation, other_organisation, program, manager_user
):
    subscribe(other_organisation, receiver.url, [Event.AWARD_GIVEN])

    give_an_award(program, manager_user)

    assert receiver.posts == []


def test_every_subscribed_endpoint_gets_the_same_event_id(organisation, program, manager_user):
    first, second = ChatServer().start(), ChatServer().start()
    try:
        subscribe(organisation, first.url, [Event.AWARD_GIVEN])
        subscribe(organisation, second.url, [Event.AWARD_GIVEN])

        give_an_award(program, manager_user)

        assert first.posts[0]["json"]["id"] == second.posts[0]["json"]["id"]
        assert (
            first.posts[0]["headers"]["Laurier-Delivery"]
            != second.posts[0]["headers"]["Laurier-Delivery"]
        )
    finally:
        first.stop()
        second.stop()


def test_a_rolled_back_change_announces_nothing(settings, organisation, program):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    subscribe(organisation, "https://hr.example.org/hooks", [Event.MENTOR_JOINED])
    person = factories.PersonFactory(organisation=organisation)

    with pytest.raises(RuntimeError), transaction.atomic():
        enrol_mentor(program=program, person=person, since=datetime.date(2026, 1, 5), actor=None)
        assert OutgoingWebhook.objects.count() == 1
        raise RuntimeError("the change failed")

    assert not OutgoingWebhook.objects.exists()


def test_a_badge_issued_is_posted_with_its_credential(receiver, organisation):
    subscribe(organisation, receiver.url, [Event.BADGE_ISSUED])
    person = factories.PersonFactory(organisation=organisation)
    badge = factories.BadgeClassFactory(organisation=organisation)

    credential, _created = award_badge(badge, person, actor=None)

    [post] = receiver.posts
    assert post["json"]["event"] == "badge.issued"
    assert post["json"]["data"] | {"issued_at": None} == {
        "credential_id": credential.pk,
        "kind": "badge",
        "person_id": person.pk,
        "badge_class_id": badge.pk,
        "award_id": None,
        "issued_at": None,
        "verification_url": credential.url,
    }


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_survey_completed_says_who_answered_only_when_it_is_not_anonymous(
    receiver, organisation, program, anonymous
):
    subscribe(organisation, receiver.url, [Event.SURVEY_COMPLETED])
    survey = factories.SurveyFactory(organisation=organisation, frozen=True, anonymous=anonymous)
    campaign = factories.CampaignFactory(program=program, survey=survey)
    recipient, _other = factories.RecipientFactory.create_batch(2, campaign=campaign)

    submit_response(recipient=recipient, answers={})

    [post] = receiver.posts
    expected = {
        "campaign_id": campaign.pk,
        "program_id": program.pk,
        "purpose": "other",
        "anonymous": anonymous,
        "responses": 1,
        "recipients": 2,
    }
    if not anonymous:
        expected["person_id"] = recipient.person_id
    assert post["json"]["data"] == expected


def test_a_pulse_never_says_who_answered(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.SURVEY_COMPLETED])
    survey = factories.SurveyFactory(organisation=organisation, frozen=True, purpose="pulse")
    recipient = factories.RecipientFactory(campaign__program=program, campaign__survey=survey)

    submit_response(recipient=recipient, answers={})

    assert "person_id" not in receiver.posts[0]["json"]["data"]


def test_changing_ones_answers_is_not_a_second_completion(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.SURVEY_COMPLETED])
    recipient = factories.RecipientFactory(campaign__program=program)

    submit_response(recipient=recipient, answers={})
    submit_response(recipient=recipient, answers={})

    assert len(receiver.posts) == 1


def test_a_mentor_joining_then_leaving_is_posted_twice(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED, Event.MENTOR_LEFT])
    person = factories.PersonFactory(organisation=organisation)

    enrolment = enrol_mentor(
        program=program, person=person, since=datetime.date(2026, 1, 5), actor=None
    )
    change_enrolment_status(
        enrolment,
        status=EnrolmentStatus.LEFT,
        reason="Moved to another city",
        changed_on=datetime.date(2026, 3, 1),
        actor=None,
    )

    joined, left = (post["json"] for post in receiver.posts)
    facts = {"enrolment_id": enrolment.pk, "program_id": program.pk, "person_id": person.pk}
    assert (joined["event"], joined["data"]) == ("mentor.joined", {**facts, "since": "2026-01-05"})
    assert (left["event"], left["data"]) == (
        "mentor.left",
        {**facts, "since": "2026-01-05", "left_on": "2026-03-01"},
    )
    # The reason may be personal: it stays in Laurier.
    assert "Moved" not in receiver.posts[1]["body"].decode()


def test_a_mentor_marked_as_left_twice_is_announced_once(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_LEFT])
    enrolment = factories.MentorEnrolmentFactory(program=program)
    for _time in range(2):
        change_enrolment_status(
            enrolment, status=EnrolmentStatus.LEFT, reason="", changed_on=None, actor=None
        )

    assert len(receiver.posts) == 1


def test_a_mentor_coming_back_joins_again(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED])
    enrolment = factories.MentorEnrolmentFactory(program=program, status=EnrolmentStatus.LEFT)

    change_enrolment_status(
        enrolment, status=EnrolmentStatus.ACTIVE, reason="", changed_on=None, actor=None
    )

    [post] = receiver.posts
    assert post["json"]["data"]["enrolment_id"] == enrolment.pk


def test_a_mentor_pausing_is_not_announced(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED, Event.MENTOR_LEFT])
    enrolment = factories.MentorEnrolmentFactory(program=program)

    change_enrolment_status(
        enrolment, status=EnrolmentStatus.PAUSED, reason="", changed_on=None, actor=None
    )

    assert receiver.posts == []


def test_mentees_joining_are_not_announced(receiver, organisation, program):
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED])

    enrol_mentee(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    assert receiver.posts == []


# --- A receiver that is down, a secret that changes ---------------------------------------


def test_receiver_down_then_up_gets_the_post_once(start_receiver, organisation, program, capsys):
    subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    receiver = start_receiver.start()
    OutgoingWebhook.objects.update(next_attempt_at=timezone.now())

    call_command("send_outbox")
    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    [post] = receiver.posts
    delivery = OutgoingWebhook.objects.get()
    assert delivery.status == OutgoingWebhook.Status.SENT
    assert delivery.attempts == 2
    assert post["json"]["event"] == "mentor.joined"


def test_a_retry_is_signed_with_the_secret_of_the_moment(start_receiver, organisation, program):
    endpoint = subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    rotated = webhooks.rotate_secret(endpoint, actor=None)
    receiver = start_receiver.start()

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))

    [post] = receiver.posts
    assert is_signed_by(rotated.secret, post)
    assert not is_signed_by(endpoint.secret, post)


def test_a_retry_keeps_the_event_id(start_receiver, organisation, program):
    subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    queued_id = OutgoingWebhook.objects.get().payload["id"]
    receiver = start_receiver.start()

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))

    assert receiver.posts[0]["json"]["id"] == queued_id


def test_a_retry_goes_to_the_address_of_the_moment(start_receiver, organisation, program):
    endpoint = subscribe(organisation, "http://127.0.0.1:9/old", [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    webhooks.update_endpoint(endpoint, actor=None, url=start_receiver.url)
    receiver = start_receiver.start()

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))

    assert len(receiver.posts) == 1
    assert OutgoingWebhook.objects.get().url == start_receiver.url


def test_turning_an_endpoint_off_withdraws_what_waits(start_receiver, organisation, program):
    endpoint = subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    webhooks.update_endpoint(endpoint, actor=None, is_active=False)
    receiver = start_receiver.start()
    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    assert receiver.posts == []
    assert OutgoingWebhook.objects.get().status == OutgoingWebhook.Status.CANCELLED


def test_a_delivery_of_an_endpoint_turned_off_meanwhile_is_withdrawn_when_due(
    start_receiver, organisation, program
):
    endpoint = subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    # Turned off behind the service's back (a concurrent edit): the outbox checks again.
    type(endpoint).objects.filter(pk=endpoint.pk).update(is_active=False)
    receiver = start_receiver.start()

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))

    assert receiver.posts == []
    assert OutgoingWebhook.objects.get().status == OutgoingWebhook.Status.CANCELLED


def test_deleting_an_endpoint_leaves_nothing_to_send(start_receiver, organisation, program):
    endpoint = subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    webhooks.delete_endpoint(endpoint, actor=None)
    receiver = start_receiver.start()
    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    assert receiver.posts == []
    assert not OutgoingWebhook.objects.exists()


def test_a_failed_delivery_retried_now_is_delivered(start_receiver, organisation, program):
    subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    receiver = start_receiver.start(status=410)
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip
    delivery = OutgoingWebhook.objects.get()
    assert delivery.status == OutgoingWebhook.Status.FAILED
    receiver.status = 200

    assert webhooks.retry_delivery(delivery) is True
    assert webhooks.retry_delivery(delivery) is False

    delivery.refresh_from_db()
    assert delivery.status == OutgoingWebhook.Status.SENT
    assert len(receiver.posts) == 2


def test_changing_the_chat_address_leaves_webhook_deliveries_alone(
    start_receiver, organisation, program, admin_user
):
    from laurier.organisations.services import update_organisation

    subscribe(organisation, start_receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    update_organisation(
        organisation=organisation, actor=admin_user, chat_webhook_url="https://chat.example/new"
    )

    assert OutgoingWebhook.objects.get().status == OutgoingWebhook.Status.PENDING


def test_a_webhook_delivery_is_not_taken_for_the_latest_chat_post(receiver, organisation, program):
    from laurier.outbox.selectors import latest_webhook

    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    assert latest_webhook(organisation) is None


def test_the_body_signed_is_the_body_sent(receiver, organisation, program):
    endpoint = subscribe(organisation, receiver.url, [Event.MENTOR_JOINED])
    enrol_mentor(program=program, person=factories.PersonFactory(organisation=organisation),
                 since=datetime.date(2026, 1, 5), actor=None)  # fmt: skip

    [post] = receiver.posts
    assert json.loads(post["body"]) == OutgoingWebhook.objects.get(endpoint=endpoint).payload
    assert post["headers"]["Content-Type"].startswith("application/json")


# --- Made in bulk ---------------------------------------------------------------------------


def mentors_file(lines):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\r\n".join(";".join(cells) for cells in lines) + "\r\n"
    return SimpleUploadedFile("mentors.csv", text.encode(), content_type="text/csv")


def import_mentors(organisation, program, admin, lines):
    from laurier.imports.models import ImportJob, ImportSource
    from laurier.imports.services import create_import

    job = create_import(
        organisation=organisation,
        user=admin,
        kind="mentors",
        program=program,
        uploaded_file=mentors_file(lines),
        source=ImportSource.API,
        in_background=False,
    )
    assert job.status == ImportJob.Status.DONE, job.errors


def test_an_import_announces_the_mentors_it_enrols_and_those_it_marks_as_left(
    receiver, settings, tmp_path, organisation, program, admin_user
):
    settings.MEDIA_ROOT = tmp_path
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED, Event.MENTOR_LEFT])
    marie, john, lise = (
        factories.PersonFactory(organisation=organisation, email=f"{name}@example.org")
        for name in ("marie", "john", "lise")
    )
    leaving = factories.MentorEnrolmentFactory(program=program, person=lise)

    import_mentors(organisation, program, admin_user,
                   [["courriel", "statut"], ["marie@example.org", "actif"],
                    ["john@example.org", "actif"], ["lise@example.org", "parti"]])  # fmt: skip

    announced = {(p["json"]["event"], p["json"]["data"]["person_id"]) for p in receiver.posts}
    assert announced == {
        ("mentor.joined", marie.pk),
        ("mentor.joined", john.pk),
        ("mentor.left", lise.pk),
    }
    assert leaving.pk in {post["json"]["data"]["enrolment_id"] for post in receiver.posts}


def test_an_import_announces_each_move_once(
    receiver, settings, tmp_path, organisation, program, admin_user
):
    settings.MEDIA_ROOT = tmp_path
    subscribe(organisation, receiver.url, [Event.MENTOR_JOINED, Event.MENTOR_LEFT])
    factories.PersonFactory(organisation=organisation, email="marie@example.org")
    left = [["courriel", "statut"], ["marie@example.org", "parti"]]
    back = [["courriel", "statut"], ["marie@example.org", "actif"]]

    for lines in (back, left, left, back, back):
        import_mentors(organisation, program, admin_user, lines)

    assert [post["json"]["event"] for post in receiver.posts] == [
        "mentor.joined",
        "mentor.left",
        "mentor.joined",
    ]


@pytest.mark.parametrize("count", [2, 20])
def test_badges_issued_in_bulk_are_announced_in_a_constant_number_of_queries(
    settings, organisation, count, django_assert_max_num_queries
):
    from laurier.credentials.models import CredentialKind
    from laurier.credentials.services.awarding import badge_recipient, manual_issue_key
    from laurier.credentials.services.issuance import issue_many

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    subscribe(organisation, "https://hr.example.org/hooks", [Event.BADGE_ISSUED])
    badge = factories.BadgeClassFactory(organisation=organisation)
    now = timezone.now()
    recipients = [
        badge_recipient(badge, person, manual_issue_key(badge, 0), now)
        for person in factories.PersonFactory.create_batch(count, organisation=organisation)
    ]
    issue_many(
        organisation, recipients[:1], kind=CredentialKind.BADGE, actor=None, badge_class=badge
    )  # fmt: skip  (the signing key and status list, made once)

    with django_assert_max_num_queries(12):
        issue_many(organisation, recipients[1:], kind=CredentialKind.BADGE, actor=None,
                   badge_class=badge)  # fmt: skip

    assert OutgoingWebhook.objects.filter(event="badge.issued").count() == count
