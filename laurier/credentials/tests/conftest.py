import os

import pytest
from django.core.cache import cache

from laurier.credentials.tests.interop import verifier


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate limits count in the cache, which outlives a test in the same process: downloads
    # made by earlier tests must not use up this one's allowance.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def independent_verifier():
    """`verify_independently(items, documents, now=None)`: Digital Bazaar's verifier, offline.

    Skipped on a developer's machine without Node; in CI a missing verifier fails the tests, so
    that interoperability is never silently left unproved.
    """
    if not verifier.node_is_installed():
        message = (
            "Node.js is not installed, so credentials cannot be checked by the independent "
            "verifier: run `make interop-verifier` (or install Debian's 'nodejs' and 'npm')."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        verifier.ensure_verifier_installed()
    except verifier.VerifierUnavailable as error:
        pytest.fail(str(error))
    return verifier.verify_independently
