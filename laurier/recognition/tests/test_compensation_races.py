"""The same decision sent twice at the same moment, on PostgreSQL, is recorded once.

SQLite runs one writer at a time, so this only means something on PostgreSQL.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from laurier.recognition.models import CompensationDecision
from laurier.recognition.services.compensation import record_decision

from .test_compensation_support import Decision, today_of

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def test_a_double_click_records_one_decision(program, manager_user):
    today = today_of(program.organisation)
    fields = {
        "decision": Decision.STIPEND,
        "context": "Mentors give four hours a month.",
        "goals": "Keep experienced mentors.",
        "stakeholders": "Mentors, HR",
        "benefits": "",
        "risks": "Mentoring may feel bought.",
        "amount_per_mentor": Decimal("750.00"),
        "decided_on": today,
        "review_on": today + datetime.timedelta(days=365),
    }
    start = threading.Barrier(4)
    created = []

    def send():
        start.wait()
        try:
            created.append(record_decision(program=program, actor=manager_user, **fields)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [False, False, False, True]
    assert CompensationDecision.objects.filter(program=program).count() == 1
