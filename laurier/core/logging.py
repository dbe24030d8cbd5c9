"""Logging filters: what must never reach a log file."""

import logging
import re

# A personal survey link is a password: whoever reads it answers in the person's name (and
# reads what they answered). Django logs the path of every 4xx, so links are masked.
SURVEY_LINK = re.compile(r"/s/[^/\s\"'?#]+/")
MASKED_LINK = "/s/…/"


def _mask(value):
    if isinstance(value, str):
        return SURVEY_LINK.sub(MASKED_LINK, value)
    return value


class MaskSurveyTokens(logging.Filter):
    """Replace `/s/<token>/` by `/s/…/` in a record's message and arguments; keeps every record."""

    def filter(self, record):
        record.msg = _mask(record.msg)
        if isinstance(record.args, dict):
            record.args = {name: _mask(value) for name, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_mask(value) for value in record.args)
        return True
