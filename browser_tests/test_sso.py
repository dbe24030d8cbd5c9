"""Single sign-on in a real Chromium: Laurier's login page, the organisation's identity
provider (a real OpenID Connect provider on 127.0.0.1), and back, signed in."""

import pytest

from laurier.organisations.models import Role
from laurier.testing import factories

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def identity_provider(live_server):
    from laurier.testing.oidc_provider import OidcProvider

    provider = OidcProvider(
        users=[{"email": "marie@hydro.example", "password": PASSWORD, "first_name": "Marie"}],
        clients=[
            {
                "client_id": "laurier-hydro",
                "secret": "hydro-secret",
                "redirect_uris": [f"{live_server.url}/accounts/oidc/org-hydro/login/callback/"],
            }
        ],
    ).start()
    yield provider
    provider.stop()


def test_a_member_signs_in_with_their_organisations_account(
    page, settings, organisation, admin_user, identity_provider
):
    from laurier.accounts import sso

    settings.DEBUG = True  # the test provider answers in plain HTTP
    marie = factories.UserFactory(email="marie@hydro.example", language="en")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MANAGER)
    sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        server_url=identity_provider.issuer,
        client_id="laurier-hydro",
        client_secret="hydro-secret",
        button_label="Hydro account",
        allowed_domains=["hydro.example"],
        mode="sso_or_password",
    )

    page.goto("/accounts/login/")
    page.locator("#sso a").click()
    page.fill("input[name=email]", "Marie@hydro.example")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{identity_provider.base_url}/login/**")
    page.fill("input[name=username]", "marie@hydro.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/o/hydro/")

    assert page.locator("html").get_attribute("lang") == "en"
