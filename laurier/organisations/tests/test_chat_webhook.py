import pytest
from django.urls import reverse
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingWebhook
from laurier.testing.chat_server import ChatServer

pytestmark = pytest.mark.django_db

SLACK = "https://hooks.slack.com/services/T000/B000/secret-token"


def settings_url(organisation):
    return reverse("organisations:settings", args=[organisation.slug])


def chat_test_url(organisation):
    return reverse("organisations:chat_test", args=[organisation.slug])


def valid_data(**changes):
    data = {
        "name": "Hydro Laurentides",
        "language": "en",
        "time_zone": "America/Toronto",
        "currency": "CAD",
        "fiscal_year_start_month": "4",
        "anonymity_threshold": "5",
        "feedback_delay_days": "14",
        "chat_webhook_url": SLACK,
    }
    return {**data, **changes}


@pytest.fixture
def chat():
    server = ChatServer().start()
    yield server
    server.stop()


def test_the_settings_page_offers_the_team_chat_address_with_its_help(
    login, admin_user, organisation
):
    admin_user.language = "en"
    admin_user.save()

    response = login(admin_user).get(settings_url(organisation))

    page = response.content.decode()
    assert 'name="chat_webhook_url"' in page
    assert "Slack or Microsoft Teams incoming webhook" in page


def test_admin_saves_an_https_chat_address(login, admin_user, organisation):
    response = login(admin_user).post(settings_url(organisation), valid_data())

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.chat_webhook_url == SLACK


def test_a_plain_http_chat_address_is_refused(login, admin_user, organisation):
    response = login(admin_user).post(
        settings_url(organisation), valid_data(chat_webhook_url="http://hooks.example.org/x")
    )

    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["form"].errors["chat_webhook_url"] == [
            "Use the https:// address your team chat gives for its incoming webhook."
        ]
    organisation.refresh_from_db()
    assert organisation.chat_webhook_url == ""


def test_a_plain_http_chat_address_is_accepted_on_a_developer_machine(
    settings, login, admin_user, organisation
):
    settings.DEBUG = True

    login(admin_user).post(
        settings_url(organisation), valid_data(chat_webhook_url="http://127.0.0.1:8080/hook")
    )

    organisation.refresh_from_db()
    assert organisation.chat_webhook_url == "http://127.0.0.1:8080/hook"


def test_the_chat_address_is_optional(login, admin_user, organisation):
    organisation.chat_webhook_url = SLACK
    organisation.save()

    login(admin_user).post(settings_url(organisation), valid_data(chat_webhook_url=""))

    organisation.refresh_from_db()
    assert organisation.chat_webhook_url == ""


def test_the_audit_trail_says_the_address_changed_without_its_secret(
    login, admin_user, organisation
):
    login(admin_user).post(settings_url(organisation), valid_data())

    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("at")
    assert event.changes["chat_webhook_url"] == ["", "https://hooks.slack.com/…"]
    assert "secret-token" not in str(event.changes)


def test_the_test_button_posts_to_the_chat_in_the_organisations_language(
    settings, login, admin_user, organisation, chat
):
    settings.DEBUG = True
    organisation.chat_webhook_url = chat.url
    organisation.language = "en"
    organisation.save()

    response = login(admin_user).post(chat_test_url(organisation), follow=True)

    [received] = chat.posts
    assert received["json"]["text"].startswith("*Laurier* is connected to this channel")
    assert "Hydro Laurentides" in received["json"]["text"]
    with translation.override("en"):
        assert [str(message) for message in response.context["messages"]] == [
            "The test message has left: it appears in your team chat within a minute."
        ]


def test_a_double_click_on_the_test_button_posts_once(
    settings, login, admin_user, organisation, chat
):
    settings.DEBUG = True
    organisation.chat_webhook_url = chat.url
    organisation.save()
    client = login(admin_user)

    client.post(chat_test_url(organisation))
    client.post(chat_test_url(organisation))

    assert len(chat.posts) == 1


def test_the_test_button_tells_the_admin_when_the_chat_refuses(
    settings, login, admin_user, organisation
):
    settings.DEBUG = True
    refusing = ChatServer(status=404).start()
    try:
        organisation.chat_webhook_url = refusing.url
        organisation.save()
        admin_user.language = "en"
        admin_user.save()

        response = login(admin_user).post(chat_test_url(organisation), follow=True)
    finally:
        refusing.stop()

    [message] = [str(message) for message in response.context["messages"]]
    assert message.startswith("Your team chat refused the test message")
    assert "404" in message
    assert "refused, not sent." in response.content.decode()


def test_the_test_button_without_an_address_says_what_to_do(login, admin_user, organisation):
    admin_user.language = "en"
    admin_user.save()

    response = login(admin_user).post(chat_test_url(organisation), follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Save your team chat's incoming-webhook address first, then send the test."
    ]
    assert not OutgoingWebhook.objects.exists()


def test_the_test_button_only_accepts_a_post(login, admin_user, organisation):
    assert login(admin_user).get(chat_test_url(organisation)).status_code == 405


def test_a_manager_cannot_send_a_test_message(login, manager_user, organisation):
    organisation.chat_webhook_url = SLACK
    organisation.save()

    assert login(manager_user).post(chat_test_url(organisation)).status_code == 403
    assert not OutgoingWebhook.objects.exists()


def test_another_organisations_admin_gets_404(login, other_admin_user, organisation):
    organisation.chat_webhook_url = SLACK
    organisation.save()

    assert login(other_admin_user).post(chat_test_url(organisation)).status_code == 404
    assert not OutgoingWebhook.objects.exists()


def test_an_address_typed_without_its_scheme_is_the_https_one(login, admin_user, organisation):
    login(admin_user).post(
        settings_url(organisation), valid_data(chat_webhook_url="hooks.slack.com/services/T/B/x")
    )

    organisation.refresh_from_db()
    assert organisation.chat_webhook_url == "https://hooks.slack.com/services/T/B/x"
