from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from laurier.demo.demo_organisation import DEMO_LOGINS, DEMO_PASSWORD
from laurier.organisations.models import Role


class Command(BaseCommand):
    help = "Print the demo logins and their password."

    def handle(self, *args, **options):
        self.stdout.write(_("Demo logins (password: %(password)s):") % {"password": DEMO_PASSWORD})
        labels = {login.role: str(Role(login.role).label) for login in DEMO_LOGINS}
        width = max(len(label) for label in labels.values())
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {labels[login.role]:<{width}}  {login.email}")
