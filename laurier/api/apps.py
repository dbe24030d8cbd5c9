from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "laurier.api"
    verbose_name = _("API and integrations")
