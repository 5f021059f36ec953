"""`plan-etl explain`: one table's schedule fragments, each row's cut and runner-up, and why a row
is unresolved, on a real table of the shipped report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from plan_etl.api import explain_schedule
from plan_etl.cli import app


def test_explain_a_real_table(report_path: Path) -> None:
    [view] = explain_schedule(report_path, "1-14")
    assert [f.line for f in view.fragments][:4] == [1624, 1626, 1627, 1627]
    assert [r.label[:1] for r in view.rows] == ["①", "③", "②", "④"]
    stated, doubtful, *_ = view.rows
    assert stated.resolved and stated.chosen is not None and stated.confidence > 0.9
    assert stated.runner_up is not None and stated.runner_up.score < stated.chosen.score
    assert not doubtful.resolved and doubtful.confidence < view.min_confidence
    assert doubtful.chosen is not None and doubtful.runner_up is not None
    assert {doubtful.chosen.label, doubtful.runner_up.label} == {
        "③仮称北烏山五丁目広場整備事業",
        "③仮称北烏山五丁目広場",
    }
    assert doubtful.reason and "below" in doubtful.reason
    assert [view.fragments[k].text for k in doubtful.fragments][:2] == ["③仮称北烏山五丁目広場", "整備事業"]


def test_explain_parts_of_an_item(report_path: Path) -> None:
    views = explain_schedule(report_path, "5-13#2")
    assert [(v.item_id, v.part) for v in views] == [("5-13", 2)]
    assert explain_schedule(report_path, "5-13②")[0].rows == views[0].rows


def test_explain_cli_json_and_text(report_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["explain", "1-1", str(report_path), "--json"])
    assert out.exit_code == 0, out.output
    [doc] = json.loads(out.output)
    assert doc["rows"][1]["chosen"]["cells"] == {
        "R6": "検討",
        "R7": "実施・検証",
        "R8": "実施・検証",
        "R9": "実施・検証",
    }
    text = runner.invoke(app, ["explain", "1-14", str(report_path)])
    assert text.exit_code == 0
    assert "UNRESOLVED" in text.output and "runner-up" in text.output and "1631" in text.output


def test_explain_unknown_or_malformed_item_is_one_line(report_path: Path) -> None:
    runner = CliRunner()
    for item, message in (("9-99", "no initiative table 9-99"), ("abc", "is not an item id")):
        out = runner.invoke(app, ["explain", item, str(report_path)])
        assert out.exit_code == 2
        assert message in out.output and "Traceback" not in out.output
