import io
import logging

import pytest


@pytest.fixture
def written():
    """What the configured console handler writes, captured instead of printed."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if type(handler) is logging.StreamHandler
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.parametrize("logger_name", ["django.request", "django.server"])
def test_the_configured_logs_never_show_a_personal_survey_link(logger_name, written):
    logging.getLogger(logger_name).warning("Gone: %s", "/s/AbCdEf-secret_token/")

    assert "Gone: /s/…/" in written.getvalue()
    assert "secret_token" not in written.getvalue()
