import pytest
from allauth.account.utils import user_display
from django.urls import reverse
from django.utils import translation

from laurier.accounts.models import User
from laurier.testing import factories
from laurier.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_inside_laurier_layout(client):
    response = client.get(reverse("account_login"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in page
    assert 'type="email"' in page
    assert reverse("account_reset_password") in page


def test_login_page_offers_no_sign_up(client):
    response = client.get(reverse("account_login"))

    assert reverse("account_signup") not in response.content.decode()


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))

    assert "invitation" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


def test_a_member_logs_in_with_email_and_password(client, admin_user, organisation):
    response = client.post(
        reverse("account_login"), {"login": "ADMIN@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == admin_user


def test_a_wrong_password_is_refused_with_a_message(client, admin_user):
    response = client.post(
        reverse("account_login"), {"login": "admin@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logout_page_asks_before_logging_out(login):
    client = login(factories.UserFactory())

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "_auth_user_id" in client.session


def test_logging_out_ends_the_session(login):
    client = login(factories.UserFactory())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("page_language", "language"), [("fr-ca", "en"), ("en", "fr-ca")])
def test_the_welcome_message_speaks_the_persons_language_not_the_login_pages(
    client, admin_user, settings, page_language, language
):
    User.objects.filter(pk=admin_user.pk).update(language=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language

    response = client.post(
        reverse("account_login"),
        {"login": admin_user.email, "password": PASSWORD},
        follow=True,
    )

    [message] = [str(message) for message in response.context["messages"]]
    with translation.override(language):
        expected = translation.gettext("Successfully signed in as %(name)s.") % {
            "name": user_display(admin_user)
        }
    assert message == expected
