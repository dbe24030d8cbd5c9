import pytest
from django.core.cache import cache
from django.test import RequestFactory

from laurier.core.ratelimit import is_rate_limited


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def calls(address, times, scope="links"):
    return [
        is_rate_limited(request_from(address), scope, limit=3, period_seconds=60)
        for _ in range(times)
    ]


def test_a_client_is_limited_once_over_the_limit():
    assert calls("203.0.113.5", 5) == [False, False, False, True, True]


def test_each_client_has_its_own_count():
    calls("203.0.113.5", 4)

    assert calls("203.0.113.6", 1) == [False]


def test_each_scope_has_its_own_count():
    calls("203.0.113.5", 4, scope="links")

    assert calls("203.0.113.5", 1, scope="answers") == [False]
