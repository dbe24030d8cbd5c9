import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# --- Single sign-on ----------------------------------------------------------------------------

IDP_PASSWORD = "correct horse battery staple"
IDP_USERS = [
    # (e-mail, first name, last name): a last name "Unverified" makes the provider say the
    # address is not verified.
    ("marie@hydro.example", "Marie", "Tremblay"),
    ("paul@hydro.example", "Paul", "Gagnon"),
    ("ines@hydro.example", "Inès", "Roy"),
    ("stranger@hydro.example", "Sam", "Stranger"),
    ("guest@elsewhere.example", "Gus", "Guest"),
    ("olivia@hydro.example", "Olivia", "Côté"),
    ("olivia@other.example", "Olivia", "Côté"),
    ("nora@hydro.example", "Nora", "Unverified"),
    ("root@hydro.example", "Root", "Operator"),
]
SSO_CLIENTS = {"hydro": ("laurier-hydro", "hydro-secret"), "other": ("laurier-other", "o-secret")}


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider on 127.0.0.1 (django-oauth-toolkit in a subprocess),
    with the test users and one client application per organisation."""
    from laurier.testing.oidc_provider import OidcProvider

    provider = OidcProvider(
        users=[
            {"email": email, "password": IDP_PASSWORD, "first_name": first, "last_name": last}
            for email, first, last in IDP_USERS
        ],
        clients=[
            {
                "client_id": client_id,
                "secret": secret,
                "redirect_uris": [
                    f"http://testserver/accounts/oidc/org-{slug}/login/callback/",
                ],
            }
            for slug, (client_id, secret) in SSO_CLIENTS.items()
        ],
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def configure_sso(oidc_provider, settings):
    """Point an organisation's single sign-on at the test provider (plain HTTP: DEBUG)."""
    from laurier.accounts import sso

    settings.DEBUG = True

    def configure(organisation, actor=None, **fields):
        client_id, secret = SSO_CLIENTS[organisation.slug]
        values = {
            "server_url": oidc_provider.issuer,
            "client_id": client_id,
            "client_secret": secret,
            "button_label": f"{organisation.name} account",
            "allowed_domains": [f"{organisation.slug}.example"],
            "mode": "sso_or_password",
            "recovery_admin": None,
            **fields,
        }
        return sso.configure_single_sign_on(organisation=organisation, actor=actor, **values)

    return configure


@pytest.fixture
def sign_in_through_sso(client):
    """Drive the whole flow: Laurier sends the browser to the provider, the user signs in
    there, the provider sends the browser back to Laurier's callback. Returns the callback's
    response."""
    from urllib.parse import urlsplit

    import requests
    from django.urls import reverse

    from laurier.testing.oidc_provider import sign_in_and_authorize

    def sign_in(email, slug="hydro", *, tamper_state=False, next_url=""):
        response = client.post(reverse("sso_organisation", args=[slug]), {"next": next_url})
        assert response.status_code == 200, response.content
        with requests.Session() as browser:
            callback = sign_in_and_authorize(
                browser, response.context["provider_url"], email=email, password=IDP_PASSWORD
            )
        parts = urlsplit(callback)
        assert parts.netloc == "testserver"
        query = parts.query.replace("state=", "state=x") if tamper_state else parts.query
        return client.get(f"{parts.path}?{query}")

    return sign_in
