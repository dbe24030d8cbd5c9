"""Team-chat posts: a public award of a consenting mentor, and a spotlight posted from its
page, reach a real local HTTP server standing for Slack or Teams; private awards and mentors
without consent never do."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import RETRY_DELAYS_MINUTES, deliver_due_webhooks
from laurier.recognition.categories import Giver, PublicConsent, Visibility
from laurier.recognition.services.chat import post_award_to_chat
from laurier.testing.chat_server import ChatServer
from laurier.testing.network import unused_port

from .test_spotlight_support import (
    given_award,
    mentor,
    raw_spotlight,
    spotlight_of,
    url,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(settings, organisation):
    settings.DEBUG = True
    server = ChatServer().start()
    organisation.chat_webhook_url = server.url
    organisation.language = "en"
    organisation.save()
    yield server
    server.stop()


@pytest.fixture
def manager(manager_user):
    manager_user.language = "en"
    manager_user.save()
    return manager_user


def public_award(program, person, **fields):
    award = given_award(program, person, name_en="Certificate of appreciation")
    for name, value in fields.items():
        setattr(award, name, value)
    award.save()
    return award


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


# --- Awards ----------------------------------------------------------------------------------


def test_a_public_award_of_a_consenting_mentor_is_posted(program, chat):
    award = public_award(program, mentor(program), givers=[Giver.MANAGER, Giver.EXECUTIVE])

    with transaction.atomic():
        assert post_award_to_chat(award) is True

    [received] = chat.posts
    assert received["json"] == {
        "text": "🎉 *Léa Tremblay* receives *Certificate of appreciation* for their mentoring "
        "in Relève.\nFrom the program manager and an executive.\nThank you, Léa!"
    }
    webhook = OutgoingWebhook.objects.get()
    assert (webhook.reason, webhook.status) == (f"award-chat:{award.pk}", "sent")


def test_the_post_is_in_the_organisations_language(program, chat, organisation):
    organisation.language = "fr-ca"
    organisation.save()
    award = public_award(program, mentor(program))

    post_award_to_chat(award)

    assert "Certificat" in chat.posts[0]["json"]["text"]


def test_a_private_award_is_never_posted(program, chat):
    award = public_award(program, mentor(program))
    award.option.visibility = Visibility.PRIVATE
    award.option.save()

    assert post_award_to_chat(award) is False
    assert chat.posts == []
    assert not OutgoingWebhook.objects.exists()


@pytest.mark.parametrize("consent", [PublicConsent.NO, PublicConsent.ASK, "", None])
def test_a_mentor_without_a_yes_is_never_posted(program, chat, consent):
    award = public_award(program, mentor(program, consent=consent))

    assert post_award_to_chat(award) is False
    assert not OutgoingWebhook.objects.exists()


def test_without_a_chat_address_nothing_is_posted(program, organisation):
    award = public_award(program, mentor(program))

    assert post_award_to_chat(award) is False
    assert not OutgoingWebhook.objects.exists()


def test_an_award_is_posted_once(program, chat):
    award = public_award(program, mentor(program))

    post_award_to_chat(award)
    assert post_award_to_chat(award) is False

    assert len(chat.posts) == 1


def test_a_post_in_a_rolled_back_give_leaves_nothing(program, chat, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    award = public_award(program, mentor(program))

    with pytest.raises(RuntimeError), transaction.atomic():
        post_award_to_chat(award)
        raise RuntimeError("giving failed")

    assert not OutgoingWebhook.objects.exists()


def test_posts_wait_while_the_chat_is_down_then_arrive_once(settings, program, organisation):
    settings.DEBUG = True
    port = unused_port()
    organisation.chat_webhook_url = f"http://127.0.0.1:{port}/hook"
    organisation.save()
    awards = [public_award(program, mentor(program, first_name=f"M{n}")) for n in range(3)]
    for award in awards:
        post_award_to_chat(award)
    assert set(OutgoingWebhook.objects.values_list("status", "attempts")) == {("pending", 1)}

    server = ChatServer(port=port).start()
    try:
        deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[0] + 1))
        deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))
    finally:
        server.stop()

    assert sorted(post["json"]["text"].split("*")[1] for post in server.posts) == [
        "M0 Tremblay",
        "M1 Tremblay",
        "M2 Tremblay",
    ]
    assert set(OutgoingWebhook.objects.values_list("status", flat=True)) == {"sent"}


def test_a_chat_that_refuses_the_post_fails_it_at_once(settings, program, organisation):
    settings.DEBUG = True
    refusing = ChatServer(status=400).start()
    organisation.chat_webhook_url = refusing.url
    organisation.save()
    try:
        post_award_to_chat(public_award(program, mentor(program)))
        deliver_due_webhooks(now=later(RETRY_DELAYS_MINUTES[-1] * 10))
    finally:
        refusing.stop()

    webhook = OutgoingWebhook.objects.get()
    assert (webhook.status, webhook.attempts) == ("failed", 1)
    assert "HTTP 400" in webhook.last_error
    assert len(refusing.posts) == 1


# --- Spotlights ------------------------------------------------------------------------------


def test_the_spotlight_page_offers_to_post_when_there_is_a_chat(login, manager, program, chat):
    spotlight = spotlight_of(program, mentor(program))

    html = login(manager).get(url("spotlight_detail", program, spotlight.pk)).content.decode()

    assert url("spotlight_chat", program, spotlight.pk) in html
    assert "Post to the team chat" in html


def test_without_a_chat_the_page_offers_no_post(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    html = login(manager).get(url("spotlight_detail", program, spotlight.pk)).content.decode()

    assert "Post to the team chat" not in html


def test_posting_a_spotlight_sends_its_title_and_text(login, manager, program, chat):
    spotlight = spotlight_of(
        program,
        mentor(program),
        title_en="Meet Léa",
        body_en="Léa has **mentored** since 2021.\n\n> Thank you!\n\n## More\n\nA & B",
    )

    response = login(manager).post(url("spotlight_chat", program, spotlight.pk), follow=True)

    [received] = chat.posts
    assert received["json"]["text"] == (
        # "&" escaped as Slack asks, so that "<" and ">" in a text never become commands.
        "*Meet Léa*\n\nLéa has mentored since 2021.\n\nThank you!\n\nMore\nA &amp; B"
    )
    assert [str(message) for message in response.context["messages"]] == [
        "The spotlight is on its way to the team chat: it appears within a minute."
    ]
    assert "Posted on" in response.content.decode()


def test_a_double_click_posts_the_spotlight_once(login, manager, program, chat):
    spotlight = spotlight_of(program, mentor(program))
    client = login(manager)

    client.post(url("spotlight_chat", program, spotlight.pk))
    client.post(url("spotlight_chat", program, spotlight.pk))

    assert len(chat.posts) == 1


def test_a_spotlight_whose_mentor_withdrew_is_not_posted(login, manager, program, chat):
    lea = mentor(program)
    spotlight = spotlight_of(program, lea)
    withdraw_consent(lea)

    response = login(manager).post(url("spotlight_chat", program, spotlight.pk), follow=True)

    assert chat.posts == []
    assert [str(message) for message in response.context["messages"]] == [
        "Not published: Léa Tremblay asked to keep their recognition private: "
        "no spotlight for them."
    ]


def test_a_spotlight_of_a_mentor_to_ask_who_agreed_is_posted(login, manager, program, chat):
    lea = mentor(program, consent=PublicConsent.ASK)
    spotlight = raw_spotlight(program, lea, consent_given_on=datetime.date(2026, 6, 1))

    login(manager).post(url("spotlight_chat", program, spotlight.pk))

    assert len(chat.posts) == 1


def test_posting_without_a_chat_says_what_to_do(login, manager, program):
    spotlight = spotlight_of(program, mentor(program))

    response = login(manager).post(url("spotlight_chat", program, spotlight.pk), follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "No team chat yet: an admin adds its address in the organisation's settings."
    ]
    assert not OutgoingWebhook.objects.exists()


def test_a_long_spotlight_is_cut_in_the_chat(login, manager, program, chat):
    spotlight = spotlight_of(program, mentor(program), body_en="word " * 1000)

    login(manager).post(url("spotlight_chat", program, spotlight.pk))

    text = chat.posts[0]["json"]["text"]
    assert len(text) < 1600
    assert text.endswith("…")


def test_the_givers_names_are_posted_as_written(program, chat):
    award = public_award(program, mentor(program), giver_names="Marie Dubé, VP Operations")

    post_award_to_chat(award)

    assert "\nFrom Marie Dubé, VP Operations.\n" in chat.posts[0]["json"]["text"]
