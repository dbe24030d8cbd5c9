import pytest
from django.core.cache import cache
from django.test import RequestFactory

from laurier.core.ratelimit import client_address, count_attempt, has_reached_limit, is_rate_limited


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


def forwarded_request(remote, forwarded):
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(forwarded_request("10.0.0.1", "203.0.113.5")) == "10.0.0.1"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The left entry was written by the client itself: a lie it could vary at will.
    request = forwarded_request("10.0.0.1", "198.51.100.7, 203.0.113.5")
    assert client_address(request) == "203.0.113.5"


def test_behind_two_proxies_the_client_is_two_hops_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = forwarded_request("10.0.0.1", "198.51.100.7, 203.0.113.5, 10.0.0.9")
    assert client_address(request) == "203.0.113.5"


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(forwarded_request("10.0.0.1", "203.0.113.5")) == "10.0.0.1"


def test_clients_behind_one_proxy_have_their_own_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(4):
        is_rate_limited(
            forwarded_request("10.0.0.1", "203.0.113.5"), "links", limit=3, period_seconds=60
        )
    other = forwarded_request("10.0.0.1", "203.0.113.6")
    assert not is_rate_limited(other, "links", limit=3, period_seconds=60)


def test_a_key_counts_apart_from_the_client(settings):
    request = request_from("203.0.113.5")
    for _ in range(4):
        is_rate_limited(request, "submit", limit=3, period_seconds=60, key="token-a")
    assert is_rate_limited(request, "submit", limit=3, period_seconds=60, key="token-a")
    assert not is_rate_limited(request, "submit", limit=3, period_seconds=60, key="token-b")


def test_reaching_a_limit_is_read_without_counting():
    request = request_from("203.0.113.5")
    for _ in range(3):
        assert not has_reached_limit(request, "failures", limit=3)
        count_attempt(request, "failures", period_seconds=60)
    assert has_reached_limit(request, "failures", limit=3)
