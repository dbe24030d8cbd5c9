from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laurier.core"
    verbose_name = _("Shared page parts")

    def ready(self):
        from .ordering import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="laurier_collation")
