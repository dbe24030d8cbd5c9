import re

import pytest
from django.urls import reverse

from laurier.testing import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Brand-new-passphrase-2026"


def reset_link(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", text).group(1)


def test_password_reset_page_renders_inside_laurier_layout(client):
    response = client.get(reverse("account_reset_password"))

    assert response.status_code == 200
    assert 'class="skip-link"' in response.content.decode()


def test_password_reset_sends_a_link_through_smtp(smtp_server, client):
    factories.UserFactory(email="lea@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "lea@example.org"})

    assert response.status_code == 302
    [message] = smtp_server.messages
    assert message["To"] == "lea@example.org"
    assert reset_link(message)


def test_the_reset_link_lets_the_user_choose_a_new_password(smtp_server, client):
    user = factories.UserFactory(email="lea@example.org")
    client.post(reverse("account_reset_password"), {"email": "lea@example.org"})

    form_page = client.get(reset_link(smtp_server.messages[0]), follow=True)
    assert form_page.status_code == 200
    action = form_page.context["action_url"]
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_used_reset_link_says_it_no_longer_works(smtp_server, client):
    factories.UserFactory(email="lea@example.org")
    client.post(reverse("account_reset_password"), {"email": "lea@example.org"})
    link = reset_link(smtp_server.messages[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.context["action_url"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    response = client.get(link, follow=True)

    assert response.context["token_fail"] is True
    assert 'class="skip-link"' in response.content.decode()
