import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import (
    RETRY_DELAYS_MINUTES,
    deliver_due_webhooks,
    deliver_webhook,
    queue_webhook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(receiver):
    return receiver


@pytest.fixture
def start_chat(start_receiver):
    """A chat address nothing answers yet; calling `start_chat.start()` brings it up."""
    return start_receiver


def post(organisation, url, **changes):
    fields = {"payload": {"text": "Bravo *Léa*"}, "reason": "test", **changes}
    return queue_webhook(organisation=organisation, url=url, **fields)


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_a_queued_post_reaches_the_chat_as_json(chat, organisation):
    webhook = post(organisation, chat.url)

    [received] = chat.posts
    assert received["json"] == {"text": "Bravo *Léa*"}
    assert received["path"] == "/hooks/laurier"
    assert received["content_type"].startswith("application/json")
    webhook.refresh_from_db()
    assert webhook.status == OutgoingWebhook.Status.SENT
    assert webhook.sent_at is not None


def test_a_post_waits_while_the_chat_is_unreachable(start_chat, organisation):
    webhook = post(organisation, start_chat.url)

    webhook.refresh_from_db()
    assert webhook.status == OutgoingWebhook.Status.PENDING
    assert webhook.attempts == 1
    assert webhook.next_attempt_at > timezone.now()
    assert webhook.last_error


def test_chat_down_then_up_delivers_every_post_exactly_once(start_chat, organisation):
    for number in range(3):
        post(organisation, start_chat.url, payload={"text": f"Post {number}"})
    assert deliver_due_webhooks(now=timezone.now()) == 0
    chat = start_chat.start()

    sent = deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))
    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    assert sent == 3
    assert sorted(received["json"]["text"] for received in chat.posts) == [
        "Post 0",
        "Post 1",
        "Post 2",
    ]


def test_a_retry_is_not_due_before_its_delay(start_chat, organisation):
    post(organisation, start_chat.url)
    chat = start_chat.start()

    assert deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] - 0.5)) == 0
    assert chat.posts == []


def test_retries_wait_longer_each_time(start_chat, organisation):
    webhook = post(organisation, start_chat.url)
    delays = []
    for _attempt in range(3):
        webhook.refresh_from_db()
        delays.append(webhook.next_attempt_at - timezone.now())
        deliver_webhook(webhook.pk)

    assert delays[0] < delays[1] < delays[2]


def test_the_outbox_gives_up_on_an_unreachable_chat_after_its_last_retry(start_chat, organisation):
    webhook = post(organisation, start_chat.url)
    for _attempt in RETRY_DELAYS_MINUTES:
        deliver_webhook(webhook.pk)

    webhook.refresh_from_db()
    assert webhook.status == OutgoingWebhook.Status.FAILED
    assert webhook.attempts == len(RETRY_DELAYS_MINUTES) + 1


def test_a_post_the_chat_refuses_fails_at_once_keeping_its_status_not_its_words(
    start_chat, organisation
):
    chat = start_chat.start(status=400)

    webhook = post(organisation, start_chat.url)

    webhook.refresh_from_db()
    assert len(chat.posts) == 1
    assert webhook.status == OutgoingWebhook.Status.FAILED
    assert webhook.attempts == 1
    assert webhook.next_attempt_at is None
    assert "400" in webhook.last_error
    # What the far end said is logged, never shown: it could be an internal page.
    assert "invalid_payload" not in webhook.last_error


def test_a_refused_post_is_never_sent_again(start_chat, organisation):
    chat = start_chat.start(status=404)
    webhook = post(organisation, start_chat.url)

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    assert deliver_webhook(webhook.pk) is False
    assert len(chat.posts) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_broken_chat_is_tried_again(start_chat, organisation, status):
    busy = start_chat.start(status=status)
    webhook = post(organisation, start_chat.url)
    busy.status = 200

    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))

    webhook.refresh_from_db()
    assert webhook.status == OutgoingWebhook.Status.SENT
    assert webhook.attempts == 2
    assert len(busy.posts) == 2


def test_a_sent_post_is_never_sent_again(chat, organisation):
    webhook = post(organisation, chat.url)

    assert deliver_webhook(webhook.pk) is False
    deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))
    assert len(chat.posts) == 1


def test_an_address_that_is_not_a_web_address_is_never_opened(organisation, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")

    webhook = post(organisation, f"file://{secret}")

    webhook.refresh_from_db()
    assert webhook.status == OutgoingWebhook.Status.FAILED
    assert "web address" in webhook.last_error


def test_a_post_queued_in_a_rolled_back_change_leaves_nothing_to_send(settings, organisation):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        post(organisation, "https://chat.example.org/hook")
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the change failed")

    assert not OutgoingWebhook.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_worker_finds_the_post_task_once_the_change_commits(settings, organisation):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    webhook = post(organisation, "https://chat.example.org/hook")

    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [webhook.pk]
    assert task.task_path == "laurier.outbox.tasks.deliver_webhook"


def test_send_outbox_command_posts_what_is_due(start_chat, organisation, capsys):
    post(organisation, start_chat.url)
    chat = start_chat.start()
    OutgoingWebhook.objects.update(next_attempt_at=timezone.now())

    call_command("send_outbox")

    assert len(chat.posts) == 1
    assert "1 chat post" in capsys.readouterr().out


def test_an_internal_address_is_never_reached_outside_development(settings, organisation):
    from laurier.outbox.services import deliver_webhook, queue_webhook

    settings.DEBUG = False
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    webhook = queue_webhook(
        organisation=organisation, url="http://127.0.0.1:9/hooks", payload={"text": "hi"}
    )

    assert deliver_webhook(webhook.pk) is False
    webhook.refresh_from_db()
    assert webhook.status == webhook.Status.FAILED
    assert "Not a public address" in webhook.last_error


def test_changing_the_chat_address_withdraws_posts_queued_for_the_old_one(admin_user, organisation):
    from laurier.organisations.services import update_organisation
    from laurier.outbox.models import OutgoingWebhook
    from laurier.outbox.services import queue_webhook

    queue_webhook(organisation=organisation, url="https://old.example/hook", payload={"text": "x"})

    update_organisation(
        organisation=organisation, actor=admin_user, chat_webhook_url="https://new.example/hook"
    )

    assert OutgoingWebhook.objects.get().status == OutgoingWebhook.Status.CANCELLED


def test_a_post_goes_to_the_checked_address_under_the_hosts_own_name(receiver):
    # "hooks.example" resolves nowhere here: the post reaches the receiver only because the
    # connection goes to the address given, the one the check looked at (no DNS rebinding).
    from laurier.outbox.services import _send

    url = f"http://hooks.example:{receiver.port}/hooks/laurier"

    status, _answer = _send(url, "127.0.0.1", b'{"text": "hi"}', {"X-Test": "1"})

    assert status == 200
    assert receiver.posts[0]["headers"]["Host"] == f"hooks.example:{receiver.port}"
    assert receiver.posts[0]["json"] == {"text": "hi"}


def test_the_check_answers_the_public_address_it_looked_at(settings, monkeypatch):
    import socket

    from laurier.outbox.services import _check_destination

    settings.DEBUG = False
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    # The name server is outside the machine: its answer is stood in for.
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *args: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", port))],
    )

    assert _check_destination("https://hooks.example/laurier") == "8.8.8.8"
