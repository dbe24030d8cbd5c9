"""A spotlight form sent several times at the same moment, or its chat button clicked so
(PostgreSQL, real threads): one spotlight, one post."""

import threading

import pytest
from django.db import connection

from laurier.recognition.models import Spotlight
from laurier.recognition.services.chat import post_spotlight_to_chat
from laurier.recognition.services.spotlights import create_spotlight
from laurier.testing.chat_server import ChatServer

from .test_spotlight_support import form_data, mentor, spotlight_of

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 4


def at_once(work):
    """Run `work` in THREADS threads released together; returns the results (None where it
    raised) and the errors."""
    start = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def run(index):
        start.wait()
        try:
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - the test reads it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_a_form_sent_many_times_at_once_saves_one_spotlight(program):
    lea = mentor(program)

    results, errors = at_once(
        lambda: create_spotlight(program=program, mentor=lea, actor=None, **form_data())
    )

    assert errors == []
    assert sorted(created for _spotlight, created in results) == [False, False, False, True]
    assert Spotlight.objects.count() == 1


def test_a_chat_button_clicked_many_times_at_once_posts_once(settings, program, organisation):
    settings.DEBUG = True
    chat = ChatServer().start()
    try:
        organisation.chat_webhook_url = chat.url
        organisation.save()
        spotlight = spotlight_of(program, mentor(program))
        spotlight.organisation = organisation

        results, errors = at_once(lambda: post_spotlight_to_chat(spotlight))
    finally:
        chat.stop()

    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert len(chat.posts) == 1
