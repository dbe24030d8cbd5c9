"""The load benchmark's arithmetic (bench/load_report.py), on fixed numbers: no server, no load."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "load_report", Path(__file__).with_name("load_report.py")
)
load_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load_report)


def sample(name, ms, started=0.0, error=None):
    return {"name": name, "ms": ms, "started": started, "error": error, "status": 200}


@pytest.mark.parametrize(("q", "expected"), [(50, 50), (95, 95), (99, 99), (100, 100)])
def test_a_percentile_is_the_nearest_rank_of_the_values(q, expected):
    values = list(range(100, 0, -1))  # 1 to 100 ms, in no particular order

    assert load_report.percentile(values, q) == expected


def test_a_percentile_of_few_values_is_one_of_them():
    assert load_report.percentile([10, 400], 95) == 400
    assert load_report.percentile([10, 400], 50) == 10
    assert load_report.percentile([], 50) is None


def test_the_warm_up_and_what_follows_the_run_are_left_out():
    samples = [sample("a", 1, started=t) for t in (0.0, 9.9, 10.0, 15.0, 20.0)]

    assert [s["started"] for s in load_report.measured(samples, 10.0, 20.0)] == [10.0, 15.0]


def test_pages_are_summarised_by_name_and_in_total_with_their_throughput():
    samples = [sample("dashboard", ms) for ms in (100, 200, 300, 400)] + [
        sample("health", 2, error="HTTP 500")
    ]

    rows = load_report.summarise(samples, seconds=2)

    assert rows["dashboard"] == {
        "requests": 4,
        "errors": 0,
        "per_second": 2.0,
        "p50_ms": 200,
        "p95_ms": 400,
        "p99_ms": 400,
        "result": "slow",
    }
    assert rows["health"]["result"] == "errors"
    assert rows["total"]["requests"] == 5
    assert rows["total"]["per_second"] == 2.5


def test_a_page_under_the_target_without_errors_is_ok():
    rows = load_report.summarise([sample("mentors", 299.9)], seconds=1)

    assert rows["mentors"]["result"] == "ok"


@pytest.mark.parametrize(
    ("dashboard", "trivial", "ratio", "result"),
    [(150, 500, 0.3, "ok"), (149, 500, 0.298, "slow"), (10, 0, None, "not measured")],
)
def test_the_dashboard_is_compared_with_the_trivial_view(dashboard, trivial, ratio, result):
    assert load_report.throughput_ratio(dashboard, trivial) == {"ratio": ratio, "result": result}


def test_the_table_puts_the_total_last():
    rows = load_report.summarise([sample("b", 5), sample("a", 7)], seconds=1)

    lines = load_report.table(rows)

    assert [line.split()[0] for line in lines] == ["page", "a", "b", "total"]
