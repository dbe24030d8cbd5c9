from django.apps import AppConfig


class OidcProviderConfig(AppConfig):
    name = "laurier.testing.oidc_provider"
    label = "oidc_provider"
