import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Create the provider's users and client applications from a JSON description."

    def add_arguments(self, parser):
        parser.add_argument("description", help='{"users": [...], "clients": [...]}')

    def handle(self, description, **options):
        wanted = json.loads(description)
        User = get_user_model()
        for user in wanted.get("users", []):
            User.objects.create_user(
                username=user["email"],
                email=user["email"],
                password=user["password"],
                first_name=user.get("first_name", ""),
                last_name=user.get("last_name", ""),
            )
        for client in wanted.get("clients", []):
            Application.objects.create(
                name=client["client_id"],
                client_id=client["client_id"],
                client_secret=client["secret"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=" ".join(client["redirect_uris"]),
                algorithm=Application.RS256_ALGORITHM,
                # The test user agrees once: no consent page to click through.
                skip_authorization=True,
            )
