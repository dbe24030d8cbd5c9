"""The deployment check asks for a secret of its own to encrypt the signing keys."""

from laurier.credentials.checks import credential_secrets_are_their_own


def test_deploying_without_credential_secrets_warns(monkeypatch):
    monkeypatch.delenv("CREDENTIAL_KEY_SECRETS", raising=False)

    assert [w.id for w in credential_secrets_are_their_own(None)] == ["credentials.W001"]


def test_a_secret_of_its_own_satisfies_the_check(monkeypatch):
    monkeypatch.setenv("CREDENTIAL_KEY_SECRETS", "a long random secret")

    assert credential_secrets_are_their_own(None) == []
