"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import caches

from laurier.organisations.models import Role
from laurier.programs import figures_cache
from laurier.testing import factories
from laurier.testing.overrides import settings_for_tests


@pytest.fixture(autouse=True)
def _test_settings(settings):
    for name, value in settings_for_tests().items():
        setattr(settings, name, value)
    # Rolled-back tests leave versions that the next test's figures would reuse.
    caches[figures_cache.CACHE].clear()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Hydro Laurentides", slug="hydro")


@pytest.fixture
def other_organisation(db):
    return factories.OrganisationFactory(name="Other Org", slug="other")


@pytest.fixture
def program(organisation):
    return factories.ProgramFactory(organisation=organisation, name="Relève", slug="releve")


def member(organisation, role, **user_fields):
    user = factories.UserFactory(**user_fields)
    factories.MembershipFactory(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def admin_user(organisation):
    return member(organisation, Role.ADMIN, email="admin@example.org")


@pytest.fixture
def manager_user(organisation, program):
    user = member(organisation, Role.MANAGER, email="manager@example.org")
    program.managers.add(user)
    return user


@pytest.fixture
def mentor_user(organisation):
    user = member(organisation, Role.MENTOR, email="mentor@example.org")
    factories.PersonFactory(organisation=organisation, user=user, email=user.email)
    return user


@pytest.fixture
def mentee_user(organisation):
    user = member(organisation, Role.MENTEE, email="mentee@example.org")
    factories.PersonFactory(organisation=organisation, user=user, email=user.email)
    return user


@pytest.fixture
def other_admin_user(other_organisation):
    return member(other_organisation, Role.ADMIN, email="admin@other.example.org")


@pytest.fixture
def login(client):
    """Log a user in on the test client and return the client."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


class Inbox:
    """What a real SMTP server on 127.0.0.1 received, parsed as e-mail messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on a free local port and send Django's e-mail through it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 that records the posts it receives (webhooks, chats)."""
    from laurier.testing.chat_server import ChatServer

    server = ChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def start_receiver():
    """An address nothing answers yet; `start_receiver.start()` brings the receiver up."""
    from laurier.testing.chat_server import ChatServer
    from laurier.testing.network import unused_port

    servers = []

    class Starter:
        port = unused_port()
        url = f"http://127.0.0.1:{port}/hooks/laurier"

        def start(self, status=200):
            server = ChatServer(port=self.port, status=status).start()
            servers.append(server)
            return server

    yield Starter()
    for server in servers:
        server.stop()
