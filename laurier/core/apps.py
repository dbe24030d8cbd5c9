from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laurier.core"
    verbose_name = _("Shared page parts")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)
        from .dates import write_first_days_as_ordinals_in_french
        from .ordering import register_sqlite_collation
        from .search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_collation, dispatch_uid="laurier_collation")
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="laurier_unaccent")
        write_first_days_as_ordinals_in_french()
