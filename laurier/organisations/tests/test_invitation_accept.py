import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.organisations import services
from laurier.organisations.models import Invitation, Membership, Role
from laurier.programs.models import Person
from laurier.testing import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-passphrase-2026"


def accept_url(invitation):
    return reverse("organisations:invitation_accept", args=[invitation.token])


def signup_data(**changes):
    return {
        "first_name": "Léa",
        "last_name": "Roy",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


@pytest.fixture
def invitation(organisation):
    return factories.InvitationFactory(organisation=organisation, email="lea@example.org")


def test_invitation_email_arrives_through_smtp_with_a_working_link(
    smtp_server, settings, client, organisation, admin_user
):
    settings.SITE_URL = "http://testserver"
    services.invite(
        organisation=organisation, actor=admin_user, email="lea@example.org", role=Role.MENTOR
    )

    [message] = smtp_server.messages
    assert message["To"] == "lea@example.org"
    assert "Hydro Laurentides" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(r"http://testserver(/invitations/[^/\s]+/)", text).group(1)
    assert link in html
    assert client.get(link).status_code == 200


def test_invitation_email_is_french_for_a_french_invitee(smtp_server, organisation, admin_user):
    factories.PersonFactory(organisation=organisation, email="lea@example.org", language="fr-ca")
    invitation = services.invite(
        organisation=organisation, actor=admin_user, email="lea@example.org", role=Role.MENTOR
    )

    [message] = smtp_server.messages
    with timezone.override(organisation.time_zone), translation.override("fr-ca"):
        subject = translation.gettext("Invitation to join %(organisation)s on Laurier") % {
            "organisation": organisation.name
        }
        month = date_format(timezone.localtime(invitation.expires_at), "F")
    assert message["Subject"] == subject
    assert month in message.get_body(preferencelist=("plain",)).get_content()
    assert '<html lang="fr-ca">' in message.get_body(preferencelist=("html",)).get_content()
    assert invitation.token in message.get_body(preferencelist=("plain",)).get_content()


def test_a_new_invitee_sees_the_account_form(client, invitation):
    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "first_name",
        "last_name",
        "password1",
        "password2",
    }


def test_the_page_speaks_the_invitation_language_to_a_first_time_visitor(client, organisation):
    factories.PersonFactory(organisation=organisation, email="ann@example.org", language="en")
    invitation = factories.InvitationFactory(organisation=organisation, email="ann@example.org")

    response = client.get(accept_url(invitation))

    assert '<html lang="en">' in response.content.decode()


def test_accepting_creates_the_account_and_logs_in(client, invitation, organisation):
    response = client.post(accept_url(invitation), signup_data())

    assert response.status_code == 302
    assert response.url == reverse("organisations:home", args=[organisation.slug])
    membership = Membership.objects.get(organisation=organisation, user__email="lea@example.org")
    assert membership.role == Role.MENTOR
    assert Person.objects.get(organisation=organisation, user=membership.user).last_name == "Roy"
    assert client.get(reverse("home")).wsgi_request.user == membership.user


def test_the_new_user_speaks_the_invitation_language(client, organisation):
    factories.PersonFactory(organisation=organisation, email="ann@example.org", language="en")
    invitation = factories.InvitationFactory(organisation=organisation, email="ann@example.org")

    client.post(accept_url(invitation), signup_data())

    assert Membership.objects.get(user__email="ann@example.org").user.language == "en"


def test_a_second_submit_does_not_create_a_second_membership(client, invitation, organisation):
    client.post(accept_url(invitation), signup_data())
    client.logout()

    response = client.post(accept_url(invitation), signup_data())

    assert response.status_code == 410
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_passwords_that_differ_are_refused(client, invitation):
    response = client.post(accept_url(invitation), signup_data(password2="something-else-2026"))

    assert response.status_code == 400
    assert response.context["form"].errors["password2"]
    assert not Membership.objects.exists()


def test_a_weak_password_is_refused_by_django_validators(client, invitation):
    response = client.post(accept_url(invitation), signup_data(password1="123", password2="123"))

    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_link_says_so_and_changes_nothing(client, organisation):
    invitation = factories.InvitationFactory(
        organisation=organisation, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client.post(accept_url(invitation), signup_data())

    assert response.status_code == 410
    assert response.context["reason"] == "expired"
    assert not Membership.objects.exists()


def test_a_revoked_link_says_so(client, organisation):
    invitation = factories.InvitationFactory(organisation=organisation, revoked_at=timezone.now())

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert response.context["reason"] == "revoked"


def test_a_used_link_says_so(client, organisation):
    invitation = factories.InvitationFactory(organisation=organisation, accepted_at=timezone.now())

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert response.context["reason"] == "accepted"


def test_an_unknown_link_is_404(client, db):
    response = client.get(reverse("organisations:invitation_accept", args=["nope"]))

    assert response.status_code == 404
    assert response.context["reason"] == "unknown"


def test_an_existing_user_is_asked_to_log_in_first(client, organisation):
    factories.UserFactory(email="lea@example.org")
    invitation = factories.InvitationFactory(organisation=organisation, email="LEA@example.org")

    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert response.context["login_url"] == (
        reverse("account_login") + "?next=" + accept_url(invitation).replace("/", "%2F")
    )


def test_an_existing_user_cannot_create_a_second_account(client, organisation):
    factories.UserFactory(email="lea@example.org")
    invitation = factories.InvitationFactory(organisation=organisation, email="lea@example.org")

    client.post(accept_url(invitation), signup_data())

    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_logged_in_invitee_joins_with_one_click(login, organisation, program):
    user = factories.UserFactory(email="lea@example.org")
    invitation = factories.InvitationFactory(
        organisation=organisation, email="lea@example.org", role=Role.MANAGER
    )
    invitation.programs.set([program])
    client = login(user)

    assert client.get(accept_url(invitation)).status_code == 200
    response = client.post(accept_url(invitation))

    assert response.status_code == 302
    assert Membership.objects.get(organisation=organisation, user=user).role == Role.MANAGER
    assert list(program.managers.all()) == [user]


def test_someone_logged_in_as_another_user_is_told_to_log_out(login, organisation, invitation):
    other = factories.UserFactory(email="someone.else@example.org")

    response = login(other).post(accept_url(invitation))

    assert "someone.else@example.org" in response.content.decode()
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
