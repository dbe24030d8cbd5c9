from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "laurier.contests"
    verbose_name = _("Mentor-of-the-year contests")
