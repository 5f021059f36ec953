"""`plan-etl validate` on the shipped report and on damaged copies of it (the ways next year's file
could differ): each damage must be reported as exactly the right problem, and nothing else."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPORT
from plan_etl.cli import app
from plan_etl.extract.base import SourceDocument
from plan_etl.extract.text import lines_from_text
from plan_etl.parsers.report import parse_lines
from plan_etl.schemas import Issue
from plan_etl.validate import validate

runner = CliRunner()


def report_text() -> list[str]:
    return REPORT.read_text(encoding="utf-8").split("\n")


def problems_of(lines: list[str]) -> list[Issue]:
    text = "\n".join(lines)
    doc = SourceDocument(lines_from_text(text), "mutated.txt", hashlib.sha256(text.encode()).hexdigest())
    return validate(parse_lines(doc))


def codes(problems: list[Issue]) -> set[tuple[str, str, str | None]]:
    return {(p.level, p.code, p.item_id) for p in problems}


@pytest.fixture(scope="module")
def baseline() -> list[Issue]:
    return problems_of(report_text())


def test_shipped_report_is_valid_with_no_lost_lines(baseline: list[Issue]) -> None:
    assert [p for p in baseline if p.level == "error"] == []
    assert "lost_lines" not in {p.code for p in baseline}
    report = parse_lines(SourceDocument(lines_from_text(REPORT.read_text(encoding="utf-8")), "r", "x"))
    assert report.unaccounted_lines == []
    assert sum(len(v) for v in report.line_roles.values()) > 0


def test_known_warnings_on_the_shipped_report(baseline: list[Issue]) -> None:
    found = codes(baseline)
    assert ("warning", "duplicate_item", "5-15") in found
    # 「待たない窓口」 in the contents, 「待たない」窓口 in the table
    differs = {p.item_id: p.message for p in baseline if p.code == "title_differs"}
    assert "「「待たない窓口」の実現」" in differs["2-1"] and "「「待たない」窓口の実現」" in differs["2-1"]
    assert all(p.level == "warning" for p in baseline)


def test_an_item_removed(baseline: list[Issue]) -> None:
    lines = report_text()
    # item 1-1's table: from its R6実績 label to its last schedule row (report lines 538-606)
    del lines[537:606]
    got = codes(problems_of(lines)) - codes(baseline)
    assert got == {("error", "missing_record", "1-1")}


def test_two_pages_swapped(baseline: list[Issue]) -> None:
    lines = report_text()
    # report lines 607-756 (page 9: 1-3, 1-2) and 757-936 (page 10: 1-4, 1-5)
    page_9, page_10 = lines[606:756], lines[756:936]
    lines[606:936] = page_10 + page_9
    problems = problems_of(lines)
    assert [p for p in problems if p.level == "error"] == []
    new = codes(problems) - codes(baseline)
    assert new == {("warning", "out_of_order", "1-3"), ("warning", "out_of_order", "1-2")}
    for moved in (p for p in problems if p.code == "out_of_order"):
        assert "P.9" in moved.message and "1-5 (P.10)" in moved.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("項目 1-1 広報", "項目 １－１ 広報"),  # full-width digits and dash
        ("項目 2-４ 「書かない」", "項目 2-4 「書かない」"),  # full-width digit made half-width
        ("項目 ３－１７", "項目 3-17"),
    ],
)
def test_header_digit_widths_change_nothing(baseline: list[Issue], old: str, new: str) -> None:
    text = REPORT.read_text(encoding="utf-8")
    assert old in text
    assert codes(problems_of(text.replace(old, new, 1).split("\n"))) == codes(baseline)


def test_a_page_number_in_a_new_place(baseline: list[Issue]) -> None:
    lines = report_text()
    assert lines[560].startswith("　　既存の広報媒体")  # report line 561, inside 1-1's 取組み内容
    lines.insert(561, "23 ")
    report = parse_lines(SourceDocument(lines_from_text("\n".join(lines)), "m", "x"))
    assert codes(validate(report)) == codes(baseline)
    [rec] = [r for r in report.initiatives if r.item_id == "1-1"]
    assert "23" not in (rec.content or "")
    assert report.unaccounted_lines == []


def test_a_line_the_parser_cannot_place_is_lost_text() -> None:
    lines = report_text()
    # a stray paragraph line between two page headers, where no table can claim it
    lines.insert(523, "この行はどの表にも属さない説明文です。")
    problems = problems_of(lines)
    [lost] = [p for p in problems if p.code == "lost_lines"]
    assert lost.level == "error" and lost.lines == [524]


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", str(REPORT), "--json"])
    assert ok.exit_code == 0
    doc = json.loads(ok.stdout)
    assert doc["valid"] is True and doc["errors"] == 0 and doc["warnings"] == len(doc["problems"]) > 0
    assert runner.invoke(app, ["validate", str(REPORT), "--strict"]).exit_code == 1

    damaged = report_text()
    del damaged[537:606]
    bad = tmp_path / "damaged.txt"
    bad.write_text("\n".join(damaged), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "missing_record" in result.stdout and "NOT valid" in result.stdout


def test_cli_validates_a_written_report_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    parsed = runner.invoke(app, ["parse", str(REPORT), "--out-dir", str(out), "--format", "json"])
    assert parsed.exit_code == 0
    result = runner.invoke(app, ["validate", str(out / "report.json"), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valid"] is True


@pytest.mark.parametrize("content", ["", '{"not": "a report"}', "\x00\x01binary"])
def test_cli_unusable_input_exits_2(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_report_json_with_a_goal_not_its_ids_or_a_negative_page(tmp_path: Path) -> None:
    """A hand-edited report.json: ``goal: 99`` on item 1-1 is an error (exit 1); ``page: -2**63`` is
    no report at all (exit 2, one line)."""
    out = tmp_path / "out"
    parsed = runner.invoke(app, ["parse", str(REPORT), "--out-dir", str(out), "--format", "json"])
    assert parsed.exit_code == 0
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    doc["initiatives"][0]["goal"] = 99
    edited = out / "report.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(edited), "--json"])
    assert result.exit_code == 1
    wrong = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "wrong_goal"]
    assert [(p["level"], p["item_id"]) for p in wrong] == [("error", "1-1")]
    assert "goal 99, but the id is goal 1's" in wrong[0]["message"]

    doc["initiatives"][0]["goal"] = 1
    doc["initiatives"][1]["page"] = -(2**63)
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(edited)])
    assert result.exit_code == 2
    assert "initiatives.1.page" in result.output and len(result.output.strip().splitlines()) == 1
