"""`manage.py plan_scenario IN.json --out OUT.json` plans a file, never touching the database.

pytest-django refuses any database access in a test without the `django_db` mark, so these
tests fail if the command (or its system checks) queried the database.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .test_planner_scenario import ISSUE_EXAMPLE


def test_the_command_writes_the_plan_in_the_issues_out_format(tmp_path):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps({**ISSUE_EXAMPLE, "locked": []}))
    call_command("plan_scenario", str(source), "--out", str(target), "--language", "en")
    out = json.loads(target.read_text())
    assert out["status"] == "optimal"
    assert out["assignments"][0]["mentor"] == "m1"
    assert out["assignments"][0]["reason"].startswith("m1 values “Professional development”")
    assert out["upper_bound"] >= out["objective"] > 0
    assert out["seconds"] >= 0


def test_the_command_takes_a_time_limit_a_gap_and_can_run_the_greedy_baseline(tmp_path):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(ISSUE_EXAMPLE))
    call_command(
        "plan_scenario", str(source), "--out", str(target), "--time-limit", "5", "--gap", "0.05"
    )
    assert json.loads(target.read_text())["assignments"][0]["locked"] is True
    call_command("plan_scenario", str(source), "--out", str(target), "--greedy")
    assert json.loads(target.read_text())["status"] in {"optimal", "feasible"}


def test_a_scenario_with_problems_is_refused_with_every_reason(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps({**ISSUE_EXAMPLE, "locked": [{"mentor": "x", "option": "o1", "moment": "t0"}]})
    )
    with pytest.raises(CommandError, match="unknown mentor"):
        call_command("plan_scenario", str(source), "--language", "en")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("plan_scenario", str(tmp_path / "none.json"))


def test_without_out_the_plan_goes_to_standard_output_as_json_alone(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(ISSUE_EXAMPLE))
    output = io.StringIO()
    call_command("plan_scenario", str(source), stdout=output)
    assert json.loads(output.getvalue())["status"] == "optimal"
