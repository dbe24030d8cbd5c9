from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "laurier.hours"
    verbose_name = _("Mentoring sessions and training hours")
