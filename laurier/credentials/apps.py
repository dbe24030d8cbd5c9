from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "laurier.credentials"
    verbose_name = _("Badges and certificates")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)
