"""The admins' webhook pages: endpoints, their secret, the test event and the delivery log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.api import webhooks
from laurier.api.models import Event, WebhookEndpoint
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingWebhook
from laurier.programs.services import enrol_mentor
from laurier.testing import factories
from laurier.testing.chat_server import ChatServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = ChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(organisation, admin_user, receiver):
    return webhooks.create_endpoint(
        organisation=organisation,
        actor=admin_user,
        url=receiver.url,
        events=[Event.MENTOR_JOINED],
        description="HR system",
    )


@pytest.fixture
def admin(login, admin_user):
    return login(admin_user)


def url(name, organisation, *args):
    return reverse(f"integrations:{name}", args=[organisation.slug, *args])


def routes(endpoint):
    """Every webhook page, with the method that reaches it."""
    return [
        ("get", "webhooks", ()),
        ("get", "webhook_create", ()),
        ("get", "webhook_detail", (endpoint.pk,)),
        ("post", "webhook_detail", (endpoint.pk,)),
        ("get", "webhook_edit", (endpoint.pk,)),
        ("get", "webhook_delete", (endpoint.pk,)),
        ("post", "webhook_delete", (endpoint.pk,)),
        ("post", "webhook_test", (endpoint.pk,)),
        ("post", "webhook_delivery_retry", (endpoint.pk, 1)),
    ]


def announce_joins(organisation, program, count):
    for _number in range(count):
        enrol_mentor(
            program=program,
            person=factories.PersonFactory(organisation=organisation),
            since=datetime.date(2026, 1, 5),
            actor=None,
        )


FORM = {"url": "https://hr.example.org/hooks", "description": "Workday", "is_active": "on"}


# --- Access --------------------------------------------------------------------------------


def test_managers_are_refused_every_webhook_page(login, manager_user, organisation, endpoint):
    client = login(manager_user)
    for method, name, args in routes(endpoint):
        response = getattr(client, method)(url(name, organisation, *args))
        assert response.status_code == 403, (method, name)


def test_another_organisations_admin_finds_none_of_its_webhooks(
    login, other_admin_user, other_organisation, endpoint
):
    client = login(other_admin_user)
    for method, name, args in routes(endpoint):
        if not args:
            continue
        response = getattr(client, method)(url(name, other_organisation, *args))
        assert response.status_code == 404, (method, name)
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_a_delivery_of_another_endpoint_cannot_be_retried_through_this_one(
    admin, organisation, program, admin_user, endpoint, receiver
):
    other = webhooks.create_endpoint(
        organisation=organisation, actor=admin_user, url=receiver.url, events=["mentor.left"]
    )
    announce_joins(organisation, program, 1)
    delivery = OutgoingWebhook.objects.get(endpoint=endpoint)

    response = admin.post(url("webhook_delivery_retry", organisation, other.pk, delivery.pk))

    assert response.status_code == 404


# --- Creating, editing, deleting -----------------------------------------------------------


def test_an_admin_adds_a_webhook_and_lands_on_its_secret(admin, organisation, admin_user):
    response = admin.post(
        url("webhook_create", organisation), {**FORM, "events": ["award.given", "mentor.left"]}
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.url == url("webhook_detail", organisation, endpoint.pk) + "#secret"
    assert endpoint.organisation == organisation
    assert endpoint.events == ["award.given", "mentor.left"]
    assert endpoint.created_by == admin_user
    assert endpoint.secret.startswith("whsec_")


def test_the_audit_trail_records_a_new_webhook_without_its_secret(admin, organisation):
    admin.post(url("webhook_create", organisation), {**FORM, "events": ["award.given"]})

    endpoint = WebhookEndpoint.objects.get()
    event = AuditEvent.objects.get(object_type="api.webhookendpoint")
    assert event.action == AuditEvent.Action.CREATE
    assert event.changes["url"] == FORM["url"]
    assert endpoint.secret not in str(event.changes)


def test_a_webhook_needs_at_least_one_event(admin, organisation):
    response = admin.post(url("webhook_create", organisation), FORM)

    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "address",
    ["http://hr.example.org/hooks", "https://127.0.0.1/hooks", "https://localhost/hooks"],
)
def test_outside_development_a_webhook_is_https_to_a_public_host(
    settings, admin, organisation, address
):
    settings.DEBUG = False
    settings.WEBHOOK_PRIVATE_ADDRESSES = False

    response = admin.post(
        url("webhook_create", organisation), {**FORM, "url": address, "events": ["award.given"]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_editing_a_webhook_is_audited(admin, organisation, endpoint):
    admin.post(
        url("webhook_edit", organisation, endpoint.pk),
        {**FORM, "events": ["mentor.joined", "mentor.left"]},
    )

    endpoint.refresh_from_db()
    assert endpoint.events == ["mentor.joined", "mentor.left"]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert event.changes["events"] == [["mentor.joined"], ["mentor.joined", "mentor.left"]]


def test_the_edit_form_shows_the_current_values(admin, organisation, endpoint):
    response = admin.get(url("webhook_edit", organisation, endpoint.pk))

    form = response.context["form"]
    assert form["url"].value() == endpoint.url
    assert form["events"].value() == ["mentor.joined"]


def test_turning_a_webhook_off_on_its_page_withdraws_what_waits(
    settings, admin, organisation, program, endpoint
):
    receiver_down = "http://127.0.0.1:9/hooks"
    webhooks.update_endpoint(endpoint, actor=None, url=receiver_down)
    announce_joins(organisation, program, 1)

    admin.post(
        url("webhook_edit", organisation, endpoint.pk),
        {"url": receiver_down, "events": ["mentor.joined"]},
    )

    assert OutgoingWebhook.objects.get().status == OutgoingWebhook.Status.CANCELLED


def test_deleting_asks_first_then_deletes_with_an_audit_entry(admin, organisation, endpoint):
    confirm = admin.get(url("webhook_delete", organisation, endpoint.pk))
    assert WebhookEndpoint.objects.exists()
    assert endpoint.url in confirm.content.decode()

    response = admin.post(url("webhook_delete", organisation, endpoint.pk))

    assert response.url == url("webhooks", organisation)
    assert not WebhookEndpoint.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DELETE, object_id=str(endpoint.pk)
    ).exists()


def test_a_new_secret_replaces_the_old_one_and_is_audited_unseen(admin, organisation, endpoint):
    response = admin.post(
        url("webhook_detail", organisation, endpoint.pk), {"action": "rotate_secret"}
    )

    old = endpoint.secret
    endpoint.refresh_from_db()
    assert response.url.endswith("#secret")
    assert endpoint.secret.startswith("whsec_") and endpoint.secret != old
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert "secret" in event.changes
    assert old not in str(event.changes) and endpoint.secret not in str(event.changes)


def test_the_secret_is_on_the_detail_page_behind_a_reveal(admin, organisation, endpoint):
    page = admin.get(url("webhook_detail", organisation, endpoint.pk)).content.decode()

    details = page[page.index('id="secret"') :]
    assert "<details>" in details[: details.index(endpoint.secret)]
    assert "<script" not in page[page.index("<main") :]


# --- Test event and retries -----------------------------------------------------------------


def test_the_test_event_reaches_the_receiver_signed(admin, organisation, endpoint, receiver):
    response = admin.post(url("webhook_test", organisation, endpoint.pk), follow=True)

    [post] = receiver.posts
    assert post["json"]["event"] == "ping"
    assert post["json"]["data"] == {"endpoint_id": endpoint.pk}
    assert post["headers"]["Laurier-Signature"].startswith("t=")
    assert response.redirect_chain[-1][0].endswith("#deliveries")


def test_a_double_click_on_test_sends_one_event(admin, organisation, endpoint, receiver):
    admin.post(url("webhook_test", organisation, endpoint.pk))
    admin.post(url("webhook_test", organisation, endpoint.pk))

    assert len(receiver.posts) == 1


def test_a_webhook_turned_off_gets_no_test_event(admin, organisation, endpoint, receiver):
    webhooks.update_endpoint(endpoint, actor=None, is_active=False)

    admin.post(url("webhook_test", organisation, endpoint.pk))

    assert receiver.posts == []


def test_retry_now_sends_a_failed_delivery_again(admin, organisation, program, endpoint, receiver):
    receiver.status = 410
    announce_joins(organisation, program, 1)
    delivery = OutgoingWebhook.objects.get()
    receiver.status = 200

    admin.post(url("webhook_delivery_retry", organisation, endpoint.pk, delivery.pk))

    delivery.refresh_from_db()
    assert delivery.status == OutgoingWebhook.Status.SENT
    assert len(receiver.posts) == 2


# --- The list and the log --------------------------------------------------------------------


def test_the_list_shows_each_webhooks_latest_delivery(admin, organisation, program, endpoint):
    announce_joins(organisation, program, 1)

    response = admin.get(url("webhooks", organisation))

    [row] = response.context["endpoints"]
    assert row.latest_status == OutgoingWebhook.Status.SENT
    assert endpoint.url in response.content.decode()


def test_the_log_lists_deliveries_newest_first(admin, organisation, program, endpoint):
    announce_joins(organisation, program, 3)

    response = admin.get(url("webhook_detail", organisation, endpoint.pk))

    deliveries = list(response.context["page"])
    assert [d.pk for d in deliveries] == sorted((d.pk for d in deliveries), reverse=True)
    assert len(deliveries) == 3


@pytest.mark.parametrize("count", [2, 30])
def test_the_log_is_read_in_a_constant_number_of_queries(
    admin, organisation, program, endpoint, count, django_assert_max_num_queries
):
    announce_joins(organisation, program, count)
    OutgoingWebhook.objects.filter(pk__in=OutgoingWebhook.objects.values("pk")[:1]).update(
        status=OutgoingWebhook.Status.FAILED, last_error="HTTP 500 Internal Server Error"
    )

    with django_assert_max_num_queries(6):
        response = admin.get(url("webhook_detail", organisation, endpoint.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_is_read_in_a_constant_number_of_queries(
    admin, organisation, admin_user, receiver, count, django_assert_max_num_queries
):
    for _number in range(count):
        webhooks.create_endpoint(
            organisation=organisation, actor=admin_user, url=receiver.url, events=["award.given"]
        )

    with django_assert_max_num_queries(4):
        response = admin.get(url("webhooks", organisation))

    assert len(response.context["endpoints"]) == count


def test_the_settings_page_links_to_the_webhooks(admin, organisation):
    page = admin.get(reverse("organisations:settings", args=[organisation.slug])).content.decode()

    assert 'id="webhooks"' in page
    assert url("webhooks", organisation) in page


# --- Languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["webhooks", "webhook_create", "webhook_detail", "webhook_edit"])
@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_pages_render_in_the_admins_language(
    login, admin_user, organisation, endpoint, page, language
):
    admin_user.language = language
    admin_user.save()
    args = () if page in ("webhooks", "webhook_create") else (endpoint.pk,)

    response = login(admin_user).get(url(page, organisation, *args))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    with translation.override(language):
        assert translation.gettext("Organisation settings") in content


def test_the_log_shows_only_failures_when_asked(admin, organisation, program, endpoint):
    announce_joins(organisation, program, 3)
    failed = OutgoingWebhook.objects.order_by("pk").first()
    OutgoingWebhook.objects.filter(pk=failed.pk).update(status=OutgoingWebhook.Status.FAILED)

    response = admin.get(url("webhook_detail", organisation, endpoint.pk), {"shown": "failed"})

    assert [delivery.pk for delivery in response.context["page"]] == [failed.pk]


def test_the_list_documents_what_each_event_says(admin, organisation):
    page = admin.get(url("webhooks", organisation)).content.decode()

    for event, fields in webhooks.EVENT_FIELDS.items():
        assert f"<code>{event}</code>" in page
        assert all(f"<code>{field}</code>" in page for field in fields)
