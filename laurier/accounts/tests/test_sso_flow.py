"""Single sign-on end to end: Laurier (the Django test client) against a real OpenID Connect
provider on 127.0.0.1 (django-oauth-toolkit in a subprocess), driven like a browser."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from laurier.accounts.models import SingleSignOn, User
from laurier.organisations.models import Membership, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def logged_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_an_existing_member_is_signed_in_to_their_account(
    client, organisation, configure_sso, sign_in_through_sso
):
    marie = factories.UserFactory(email="Marie@Hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)

    response = sign_in_through_sso("marie@hydro.example")

    assert response.status_code == 302
    assert logged_in_user(client) == marie
    assert User.objects.filter(email__iexact="marie@hydro.example").count() == 1
    assert SocialAccount.objects.get(provider="org-hydro").user == marie
    assert SingleSignOn.objects.get().last_sign_in_at is not None
