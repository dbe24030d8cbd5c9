import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from laurier.api.scopes import ALL_SCOPES
from laurier.api.tokens import create_token
from laurier.organisations.models import Membership, Organisation, Role


class Command(BaseCommand):
    help = (
        "Make an API token for an organisation and print its key (shown only this once). "
        "It acts as the given admin, or the organisation's first admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--name", required=True, help="which system will use the token")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=ALL_SCOPES,
            help="a permission, e.g. people:write (repeat it); every permission when omitted",
        )
        parser.add_argument("--days", type=int, default=365, help="how long it lasts (days)")
        parser.add_argument("--admin", help="the e-mail address of the admin it acts as")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        admins = Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
        if options["admin"]:
            admins = admins.filter(user__email__iexact=options["admin"])
        admin = admins.select_related("user").order_by("pk").first()
        if admin is None:
            raise CommandError("The token must act as an admin of the organisation: none found.")
        try:
            _token, key = create_token(
                organisation=organisation,
                actor=admin.user,
                name=options["name"],
                scopes=options["scopes"] or ALL_SCOPES,
                expires_at=timezone.now() + datetime.timedelta(days=options["days"]),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(key)
