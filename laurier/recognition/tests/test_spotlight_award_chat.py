"""Giving a public award through `give_award` posts it to the team chat, in the same
transaction, for a mentor who said yes to public recognition."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.core.exceptions import ValidationError

from laurier.outbox.models import OutgoingWebhook
from laurier.recognition.categories import PublicConsent, Visibility
from laurier.recognition.services import awards
from laurier.testing.chat_server import ChatServer

from .test_award_service_support import (  # noqa: F401
    add,
    budget,
    budget_for,
    give,
    lea,
    option_of,
    today,
)
from .test_spotlight_support import profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(settings, organisation):
    settings.DEBUG = True
    server = ChatServer().start()
    organisation.chat_webhook_url = server.url
    organisation.language = "en"
    organisation.save()
    yield server
    server.stop()


def test_giving_a_public_award_posts_it_to_the_chat(
    program, organisation, manager_user, lea, budget, today, chat
):
    profile(lea, PublicConsent.YES)
    option = option_of(organisation, visibility=Visibility.PUBLIC, name_en="Gala trophy")
    award = add(program, lea, option, manager_user, planned_on=today)

    give(award, manager_user, given_on=today)

    [post] = chat.posts
    assert "*Gala trophy*" in post["json"]["text"]
    assert OutgoingWebhook.objects.get().reason == f"award-chat:{award.pk}"


def test_giving_a_private_award_posts_nothing(
    program, organisation, manager_user, lea, budget, today, chat
):
    profile(lea, PublicConsent.YES)
    award = add(program, lea, option_of(organisation), manager_user, planned_on=today)

    give(award, manager_user, given_on=today)

    assert chat.posts == []


def test_giving_a_public_award_to_a_mentor_to_ask_each_time_posts_nothing(
    program, organisation, manager_user, lea, budget, today, chat
):
    profile(lea, PublicConsent.ASK)
    option = option_of(organisation, visibility=Visibility.PUBLIC)
    award = add(program, lea, option, manager_user, planned_on=today)

    give(award, manager_user, given_on=today)

    assert chat.posts == []


def test_giving_twice_posts_once(program, organisation, manager_user, lea, budget, today, chat):
    profile(lea, PublicConsent.YES)
    option = option_of(organisation, visibility=Visibility.PUBLIC)
    award = add(program, lea, option, manager_user, planned_on=today)

    give(award, manager_user, given_on=today)
    give(award, manager_user, given_on=today)

    assert len(chat.posts) == 1


def test_a_public_award_is_not_given_to_a_mentor_who_asked_for_privacy_since(
    program, organisation, manager_user, lea, budget, today, chat
):
    profile(lea, PublicConsent.YES)
    option = option_of(organisation, visibility=Visibility.PUBLIC)
    award = awards.approve_award(
        add(program, lea, option, manager_user, planned_on=today), actor=manager_user
    )
    lea.mentor_profile.public_consent = PublicConsent.NO
    lea.mentor_profile.save()

    with pytest.raises(ValidationError):
        give(award, manager_user, given_on=today)

    award.refresh_from_db()
    assert award.status == award.Status.APPROVED
    assert chat.posts == []


def test_names_cannot_ping_the_whole_channel(
    program, organisation, manager_user, lea, budget, today, chat
):
    profile(lea, PublicConsent.YES)
    option = option_of(organisation, visibility=Visibility.PUBLIC, name_en="Trophy <!channel>")
    award = add(program, lea, option, manager_user, planned_on=today)

    give(award, manager_user, given_on=today)

    [post] = chat.posts
    assert "<!channel>" not in post["json"]["text"]
    assert "Trophy &lt;!channel&gt;" in post["json"]["text"]
