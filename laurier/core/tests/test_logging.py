import io
import logging

import pytest

from laurier.core.logging import MaskSurveyTokens

TOKEN = "Xb7kq2Zt9mR4wLp0sVnYcA1dE3fG5hJ6iK8lM-_oPqU"


@pytest.fixture
def log():
    """A logger writing through the filter into a string, as settings.LOGGING wires it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskSurveyTokens())
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("laurier.tests.masking")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_a_token_in_the_arguments_is_masked(log):
    logger, stream = log
    logger.warning("%s: %s", "Gone", f"/s/{TOKEN}/")
    assert stream.getvalue() == "Gone: /s/…/\n"


def test_a_token_in_the_message_is_masked(log):
    logger, stream = log
    logger.warning(f"Not Found: /s/{TOKEN}/")
    assert TOKEN not in stream.getvalue()
    assert "Not Found: /s/…/" in stream.getvalue()


def test_named_arguments_are_masked(log):
    logger, stream = log
    logger.info("%(path)s", {"path": f"/s/{TOKEN}/"})
    assert stream.getvalue() == "/s/…/\n"


def test_other_paths_and_arguments_are_kept(log):
    logger, stream = log
    logger.info("%s %d", "/surveys/12/", 404)
    assert stream.getvalue() == "/surveys/12/ 404\n"
