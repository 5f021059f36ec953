"""Every year's report: labels and years follow the document, editions make one dataset, `diff`
lists exactly what changed, and the library API maps over files."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import plan_etl
from editions import REPORT, plan_edition_text, write_r7_edition
from plan_etl.cli import app
from plan_etl.schemas import Report
from plan_etl.validate import validate

runner = CliRunner()


@pytest.fixture(scope="module")
def r7_file(tmp_path_factory) -> Path:
    return write_r7_edition(tmp_path_factory.mktemp("r7") / "setagaya_plan_r7_progress.txt")


@pytest.fixture(scope="module")
def r7(r7_file: Path) -> Report:
    return plan_etl.parse_report(r7_file)


def test_r7_edition_labels_and_years_follow_the_document(r7: Report) -> None:
    assert r7.document.title == "新たな行政経営への移行実現プラン（令和７年度推進状況）"
    assert r7.document.report_fiscal_year == 2025
    for goal in r7.goals:
        assert [(a.label, a.fiscal_year, a.kind) for a in goal.amounts] == [
            ("R7予算額", 2025, "budget"),
            ("R7決算額", 2025, "settlement"),
            ("R8予算額", 2026, "budget"),
        ]
        assert all((h.label, h.fiscal_year) == ("R7削減時間", 2025) for h in goal.hours_reduced)
    assert {g.goal: [h.hours for h in g.hours_reduced] for g in r7.goals} == {
        1: [],
        2: [19000],
        3: [42000],
        4: [],
        5: [],
    }
    labels = {r.results_label for r in r7.initiatives}
    assert labels == {"R7実績"}  # one spelling, whatever the width printed (R７実績, Ｒ７実績)


def test_r7_edition_planted_changes_are_parsed(r7: Report) -> None:
    ids = [t.item_id for t in r7.toc]
    assert "5-17" not in ids and ids[-1] == "5-18"
    [new] = [r for r in r7.initiatives if r.item_id == "5-18"]
    assert (new.title, new.departments, new.page, new.results_label) == (
        "職員研修のオンライン化の推進",
        ["総務部"],
        66,
        "R7実績",
    )
    assert [(row.label, list(row.cells.values())) for row in new.schedule] == [
        ("研修のオンライン化", ["―", "検討", "実施", "実施、検証"])
    ]
    [item] = [r for r in r7.initiatives if r.item_id == "1-1"]
    assert item.schedule[1].cells["R7"] == "実施"
    assert [p for p in validate(r7) if p.level == "error"] == []


def test_edition_without_results_parses_with_results_null(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(plan_edition_text(), encoding="utf-8")
    report = plan_etl.parse_report(path)
    assert len(report.initiatives) == 106
    assert {(r.results_label, r.results) for r in report.initiatives} == {(None, None)}
    assert all(r.content and r.effects and r.schedule for r in report.initiatives)
    assert [p for p in validate(report) if p.level == "error"] == []
    assert report.unaccounted_lines == []


def test_diff_lists_exactly_the_planted_changes(r7_file: Path) -> None:
    result = runner.invoke(app, ["diff", str(REPORT), str(r7_file), "--json"])
    assert result.exit_code == 1, result.output  # changes found, as diff(1) says
    changes = [(c["item_id"], c["change"], c["year"], c["old"], c["new"]) for c in json.loads(result.stdout)]
    assert changes == [
        ("1-1", "schedule", "R7", "実施・検証", "実施"),
        ("5-17", "removed", None, "スポーツ施設の災害対策に資する機能の強化", None),
        ("5-18", "added", None, None, "職員研修のオンライン化の推進"),
    ]


def test_diff_csv_opens_in_excel_and_table_names_changes(r7_file: Path) -> None:
    csv_out = runner.invoke(app, ["diff", str(REPORT), str(r7_file), "--csv"]).stdout
    assert csv_out.startswith("\ufeffitem_id,part,change,field,year,old,new,detail")
    assert "1-1,,schedule,②区政PR素材の拡充,R7,実施・検証,実施," in csv_out
    table = runner.invoke(app, ["diff", str(REPORT), str(r7_file)]).stdout
    assert "3 change(s)" in table and "5-18" in table


def test_diff_exits_0_without_changes_and_refuses_two_output_formats() -> None:
    same = runner.invoke(app, ["diff", str(REPORT), str(REPORT), "--json"])
    assert same.exit_code == 0 and json.loads(same.stdout) == []
    both = runner.invoke(app, ["diff", str(REPORT), str(REPORT), "--json", "--csv"])
    assert both.exit_code == 2 and "choose one" in both.output
    raw = runner.invoke(app, ["diff", str(REPORT), str(REPORT), "--raw-csv"])
    assert raw.exit_code == 2 and "--csv" in raw.output


def test_diff_text_change_has_an_inline_diff(tmp_path: Path) -> None:
    text = REPORT.read_text(encoding="utf-8").replace(
        "区民等がSNSに投稿した写真", "区民等がSNSに投稿した動画", 1
    )
    changed = tmp_path / "changed.txt"
    changed.write_text(text, encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["diff", str(REPORT), str(changed), "--json"]).stdout)
    assert [(c["item_id"], c["change"], c["field"]) for c in doc] == [("1-1", "text", "content")]
    assert "[-写真-]{+動画+}" in doc[0]["detail"]


def test_two_editions_make_one_partitioned_dataset(r7_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    result = runner.invoke(
        app, ["parse", str(REPORT), str(r7_file), "--out-dir", str(root), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    for year in (2024, 2025):
        assert (root / "schedule" / f"report_year={year}" / "part-0.parquet").is_file()
        assert (
            json.loads((root / "json" / f"{year}.json").read_text(encoding="utf-8"))["document"][
                "report_fiscal_year"
            ]
            == year
        )
    counts = duckdb.sql(
        f"SELECT report_year, count(*) FROM read_parquet('{root}/initiatives/*/*.parquet',"
        " hive_partitioning = true) GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert counts == [(2024, 106), (2025, 106)]
    changed = duckdb.sql(
        f"""SELECT a.item_id, a.reiwa, a.cell, b.cell
            FROM read_parquet('{root}/schedule/report_year=2024/*.parquet') a
            JOIN read_parquet('{root}/schedule/report_year=2025/*.parquet') b
              USING (record_id, row_number, reiwa)
            WHERE a.cell IS DISTINCT FROM b.cell"""
    ).fetchall()
    assert changed == [("1-1", "R7", "実施・検証", "実施")]


def test_reparsing_an_edition_replaces_only_its_partition(r7_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    assert runner.invoke(app, ["parse", str(REPORT), str(r7_file), "-o", str(root)]).exit_code == 0
    r6_part = root / "toc" / "report_year=2024" / "part-0.parquet"
    r6_before = (r6_part.stat().st_mtime_ns, r6_part.read_bytes())
    edited = tmp_path / "again" / r7_file.name
    edited.parent.mkdir()
    edited.write_text(
        r7_file.read_text(encoding="utf-8").replace("5-18 職員研修", "5-18 職員研修等"), "utf-8"
    )
    assert runner.invoke(app, ["parse", str(edited.parent), "-o", str(root)]).exit_code == 0
    assert (r6_part.stat().st_mtime_ns, r6_part.read_bytes()) == r6_before
    titles = duckdb.sql(
        f"SELECT title FROM read_parquet('{root}/toc/report_year=2025/*.parquet') WHERE item_id = '5-18'"
    ).fetchall()
    assert titles == [("職員研修等のオンライン化の推進",)]
    assert not list(root.rglob("*.tmp"))


def test_a_bad_file_in_a_batch_fails_alone(r7_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    root = tmp_path / "dataset"
    result = runner.invoke(app, ["parse", str(r7_file), str(bad), "-o", str(root)])
    assert result.exit_code == 2
    assert "empty" in result.output
    assert (root / "initiatives" / "report_year=2025" / "part-0.parquet").is_file()


def _count(path: str) -> tuple[str, int]:
    report = plan_etl.parse_report(path)
    return report.document.source_file, len(report.initiatives)


def test_library_api_maps_over_files_with_concurrent_futures(r7_file: Path) -> None:
    # the README's example
    files = [str(REPORT), str(r7_file)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(_count, files))
    assert results == {REPORT.name: 106, r7_file.name: 106}
