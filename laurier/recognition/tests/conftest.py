import datetime

import pytest

from laurier.recognition.services import plans


@pytest.fixture(autouse=True)
def plans_are_prepared_on_april_1_2026(monkeypatch):
    """New plans are refused for periods that have begun: the tests' periods (fiscal years
    2026 and 2027) stay ahead whatever day the suite runs on."""
    monkeypatch.setattr(plans, "organisation_today", lambda organisation: datetime.date(2026, 4, 1))
