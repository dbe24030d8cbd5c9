"""The load benchmark's arithmetic: percentiles, throughput per page, the dashboard's share of
the trivial view's throughput, and the verdicts against the targets. No Django, no locust, so
that the suite can check it on fixed numbers."""

import math

P95_TARGET_MS = 300
# The dashboard's throughput at least this share of the trivial view's, same clients.
RATIO_TARGET = 0.30
PERCENTILES = (50, 95, 99)
TOTAL = "total"


def percentile(values, q):
    """The nearest-rank q-th percentile of `values` (the smallest value with at least q % of
    the values at or below it); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def measured(samples, start, end):
    """The samples whose request started within [start, end): the warm-up is left out."""
    return [sample for sample in samples if start <= sample["started"] < end]


def page_summary(samples, seconds):
    """Requests, errors, throughput and p50/p95/p99 (ms) of one page's samples over `seconds`."""
    times = [sample["ms"] for sample in samples]
    summary = {
        "requests": len(samples),
        "errors": sum(1 for sample in samples if sample["error"]),
        "per_second": round(len(samples) / seconds, 2) if seconds else None,
    }
    for q in PERCENTILES:
        value = percentile(times, q)
        summary[f"p{q}_ms"] = None if value is None else round(value, 1)
    return summary


def summarise(samples, seconds):
    """Per page name (sorted) and in total: see page_summary. A page's verdict is "ok" when
    its p95 is under the target and none of its requests failed, "slow" or "errors" otherwise."""
    by_name = {}
    for sample in samples:
        by_name.setdefault(sample["name"], []).append(sample)
    rows = {name: page_summary(by_name[name], seconds) for name in sorted(by_name)}
    rows[TOTAL] = page_summary(samples, seconds)
    for row in rows.values():
        row["result"] = verdict(row)
    return rows


def verdict(row):
    if row["errors"]:
        return "errors"
    if row["p95_ms"] is not None and row["p95_ms"] >= P95_TARGET_MS:
        return "slow"
    return "ok"


def throughput_ratio(dashboard_per_second, trivial_per_second):
    """The dashboard's throughput as a share of the trivial view's, with its verdict."""
    if not trivial_per_second:
        return {"ratio": None, "result": "not measured"}
    ratio = dashboard_per_second / trivial_per_second
    return {"ratio": round(ratio, 3), "result": "ok" if ratio >= RATIO_TARGET else "slow"}


def table(rows):
    """The per-page rows as aligned text lines, the total last."""

    def number(value, unit=""):
        return "" if value is None else f"{value:,.0f}{unit}" if unit else f"{value:,.1f}"

    header = f"{'page':<34} {'req':>6} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'err':>4}"
    lines = [header]
    for name, row in sorted(rows.items(), key=lambda item: item[0] == TOTAL):
        lines.append(
            f"{name:<34} {row['requests']:>6,} {number(row['per_second']):>7} "
            f"{number(row['p50_ms'], ' ms'):>8} {number(row['p95_ms'], ' ms'):>8} "
            f"{number(row['p99_ms'], ' ms'):>8} {row['errors']:>4}  {row['result']}"
        )
    return lines
