"""Writers: contract JSON and Parquet round trips, derived Arrow types, atomic replacement."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from plan_etl.schemas import Initiative, Report, ScheduleRow
from plan_etl.writers.arrow_schema import arrow_type
from plan_etl.writers.atomic import atomic_write
from plan_etl.writers.json import report_to_json, write_json
from plan_etl.writers.parquet import TABLES, build_table, build_tables, write_parquet
from sample_report import make_report


@pytest.fixture
def report() -> Report:
    return make_report()


TABLE_NAMES = {
    "initiatives",
    "departments",
    "schedule",
    "provenance",
    "goals",
    "goal_amounts",
    "goal_hours",
    "toc",
    "warnings",
}


# --- JSON -------------------------------------------------------------------------------------------


def test_json_round_trip(tmp_path: Path, report: Report) -> None:
    path = write_json(report, tmp_path / "out" / "report.json")
    assert Report.model_validate_json(path.read_text(encoding="utf-8")) == report


def test_json_is_readable_utf8_with_model_key_order(tmp_path: Path, report: Report) -> None:
    text = write_json(report, tmp_path / "report.json").read_bytes().decode("utf-8")
    assert "広報・広聴機能の強化" in text and "\\u" not in text
    assert text.startswith('{\n  "document": {\n    "title"')
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == list(Report.model_fields)
    assert list(data["initiatives"][0]) == [*Initiative.model_fields, *Initiative.model_computed_fields]
    assert data["initiatives"][0]["schedule"][1]["cells"]["R7"] is None


def test_json_is_deterministic_and_orders_year_maps(report: Report) -> None:
    row = report.initiatives[0].schedule[0]
    shuffled = row.model_copy(
        update={
            "cells": dict(reversed(list(row.cells.items()))),
            "phases": dict(reversed(list(row.phases.items()))),
        }
    )
    report.initiatives[0].schedule[0] = shuffled
    text = report_to_json(report)
    assert text == report_to_json(report)
    cells = json.loads(text)["initiatives"][0]["schedule"][0]
    assert list(cells["cells"]) == ["R6", "R7", "R8", "R9"]
    assert list(cells["phases"]) == ["R6", "R7", "R8", "R9"]


# --- Arrow schema derivation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "expected", "nullable"),
    [
        (int, pa.int64(), False),
        (str, pa.string(), False),
        (bool, pa.bool_(), False),
        (str | None, pa.string(), True),
        (int | None, pa.int64(), True),
        (list[str], pa.list_(pa.field("item", pa.string(), nullable=False)), False),
        (Literal["budget", "settlement"], pa.string(), False),
    ],
)
def test_arrow_type(annotation: object, expected: pa.DataType, nullable: bool) -> None:
    assert arrow_type(annotation) == (expected, nullable)


def test_arrow_type_rejects_unmapped() -> None:
    with pytest.raises(TypeError):
        arrow_type(dict[str, str])


# --- Parquet ----------------------------------------------------------------------------------------


def test_parquet_writes_every_table(tmp_path: Path, report: Report) -> None:
    paths = write_parquet(report, tmp_path)
    assert {p.stem for p in paths} == TABLE_NAMES == {spec.name for spec in TABLES}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.parquet" for n in TABLE_NAMES)


def test_parquet_types_follow_the_models(tmp_path: Path, report: Report) -> None:
    write_parquet(report, tmp_path)
    schemas = {n: pq.read_schema(tmp_path / f"{n}.parquet") for n in TABLE_NAMES}
    for name, schema in schemas.items():
        assert any(f.type != pa.string() for f in schema), f"{name} is all strings"

    init = schemas["initiatives"]
    assert init.field("item_id").type == pa.string() and not init.field("item_id").nullable
    assert init.field("part").type == pa.int64() and init.field("part").nullable
    assert pa.types.is_list(init.field("departments").type)
    assert init.field("departments").type.value_type == pa.string()
    assert init.field("content").nullable and init.field("n_schedule_rows").type == pa.int64()

    sched = schemas["schedule"]
    assert [f.name for f in sched] == [
        "record_id",
        "item_id",
        "part",
        "item_order",
        "row_number",
        "number",
        "label",
        "reiwa",
        "fiscal_year",
        "cell",
        "phases",
        "resolved",
        "confidence",
        "reason",
        "reason_code",
        "reason_ja",
        "raw",
        "resolved_by",
    ]
    assert sched.field("confidence").type == pa.float64() and sched.field("reason").nullable
    assert sched.field("number").nullable and sched.field("cell").nullable
    assert sched.field("fiscal_year").type == pa.int64()
    assert sched.field("resolved").type == pa.bool_()
    assert sched.field("phases").type.value_type == pa.string()
    assert schemas["goal_amounts"].field("million_yen").type == pa.int64()
    assert schemas["goal_hours"].field("hours").type == pa.int64()
    assert schemas["warnings"].field("lines").type.value_type == pa.int64()


def test_parquet_field_descriptions_come_from_the_models(tmp_path: Path, report: Report) -> None:
    write_parquet(report, tmp_path)
    init = pq.read_schema(tmp_path / "initiatives.parquet")
    meta = init.field("departments").metadata
    assert meta[b"description"].decode() == Initiative.model_fields["departments"].description
    assert meta[b"source"] == b"Initiative.departments"
    sched = pq.read_schema(tmp_path / "schedule.parquet")
    assert (
        sched.field("cell").metadata[b"description"].decode() == ScheduleRow.model_fields["cells"].description
    )
    assert sched.field("row_number").metadata[b"source"] == b"derived"
    assert all(f.metadata and f.metadata[b"description"] for f in sched)
    doc = json.loads(sched.metadata[b"plan_etl.document"])
    assert doc["source_sha256"] == "0" * 64


def test_parquet_rows(tmp_path: Path, report: Report) -> None:
    write_parquet(report, tmp_path)
    init = pq.read_table(tmp_path / "initiatives.parquet").to_pylist()
    assert [r["record_id"] for r in init] == ["1-1", "1-8", "5-13#1", "5-13#2"]
    assert [(r["item_id"], r["part"]) for r in init] == [
        ("1-1", None),
        ("1-8", None),
        ("5-13", 1),
        ("5-13", 2),
    ]
    assert init[0]["departments"] == ["政策経営部"] and init[0]["n_schedule_rows"] == 2
    assert init[0]["n_unresolved_rows"] == 1 and init[1]["content"] is None

    sched = pq.read_table(tmp_path / "schedule.parquet").to_pylist()
    assert len(sched) == 4 * sum(len(i.schedule) for i in report.initiatives)
    r8 = next(r for r in sched if r["item_id"] == "1-1" and r["row_number"] == 1 and r["reiwa"] == "R8")
    assert r8 == {
        "record_id": "1-1",
        "item_id": "1-1",
        "part": None,
        "item_order": 100100,
        "row_number": 1,
        "number": 1,
        "label": "①広報の見直し",
        "reiwa": "R8",
        "fiscal_year": 2026,
        "cell": "実施、検証",
        "phases": ["実施", "検証"],
        "resolved": True,
        "confidence": None,
        "reason": None,
        "reason_code": None,
        "reason_ja": None,
        "raw": None,
        "resolved_by": "parser",
    }
    unresolved = [r for r in sched if r["item_id"] == "1-1" and r["row_number"] == 2]
    assert [r["cell"] for r in unresolved] == ["検討", None, None, "実施"]
    assert {r["number"] for r in unresolved} == {None} and not any(r["resolved"] for r in unresolved)
    assert {r["fiscal_year"] for r in sched} == {2024, 2025, 2026, 2027}

    depts = pq.read_table(tmp_path / "departments.parquet").to_pylist()
    assert (
        len(depts) == 6
        and {
            "record_id": "5-13#2",
            "item_id": "5-13",
            "part": 2,
            "item_order": 501302,
            "row_number": 2,
            "department": "危機管理部",
        }
        in depts
    )
    amounts = pq.read_table(tmp_path / "goal_amounts.parquet").to_pylist()
    assert amounts[1] == {
        "goal": 1,
        "label": "R6決算額",
        "fiscal_year": 2024,
        "kind": "settlement",
        "million_yen": 78,
    }
    hours = pq.read_table(tmp_path / "goal_hours.parquet").to_pylist()
    assert hours == [{"goal": 5, "label": "R6削減時間", "fiscal_year": 2024, "hours": 19000}]
    goals = pq.read_table(tmp_path / "goals.parquet").to_pylist()
    assert [g["hours_target"] for g in goals] == [None, 96000]
    toc = pq.read_table(tmp_path / "toc.parquet").to_pylist()
    assert toc[1] == report.toc[1].model_dump() | {"item_order": 100800}


def test_parquet_empty_table_keeps_its_schema(tmp_path: Path, report: Report) -> None:
    report.warnings.clear()
    write_parquet(report, tmp_path)
    table = pq.read_table(tmp_path / "warnings.parquet")
    assert table.num_rows == 0 and table.schema.field("lines").type.value_type == pa.int64()


def test_build_table_rejects_null_in_required_column(report: Report) -> None:
    broken = report.initiatives[0].model_copy(update={"title": None})  # skips validation
    report.initiatives[0] = broken
    spec = next(s for s in TABLES if s.name == "initiatives")
    with pytest.raises(ValueError, match=r"initiatives\.title"):
        build_table(spec, report)


def test_duckdb_reads_the_tables(tmp_path: Path, report: Report) -> None:
    write_parquet(report, tmp_path)
    sched = tmp_path / "schedule.parquet"
    rows = duckdb.sql(
        f"SELECT item_id, part, fiscal_year, cell FROM '{sched}' WHERE reiwa = 'R7' ORDER BY item_id, part"
    ).fetchall()
    assert rows == [
        ("1-1", None, 2025, "実施"),
        ("1-1", None, 2025, None),
        ("5-13", 1, 2025, "実施、検証"),
        ("5-13", 2, 2025, "実施、検証"),
    ]
    types = dict(
        duckdb.sql(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{sched}')").fetchall()
    )
    assert (
        types["fiscal_year"] == "BIGINT" and types["resolved"] == "BOOLEAN" and types["phases"] == "VARCHAR[]"
    )
    joined = duckdb.sql(
        f"SELECT d.department, count(*) FROM '{tmp_path / 'departments.parquet'}' d "
        f"JOIN '{tmp_path / 'initiatives.parquet'}' i USING (record_id) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert set(joined) == {("各総合支所", 2), ("危機管理部", 2), ("政策経営部", 1), ("財政制度部", 1)}


def test_tables_match_json(report: Report) -> None:
    tables = build_tables(report)
    data = json.loads(report_to_json(report))
    assert tables["initiatives"].num_rows == len(data["initiatives"])
    assert tables["toc"].num_rows == len(data["toc"])
    assert tables["goal_amounts"].num_rows == sum(len(g["amounts"]) for g in data["goals"])


# --- atomic write -----------------------------------------------------------------------------------


def test_atomic_write_creates_file_and_parent(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.txt"
    assert atomic_write(target, lambda tmp: tmp.write_text("new", encoding="utf-8")) == target
    assert target.read_text(encoding="utf-8") == "new"
    assert os.listdir(target.parent) == ["out.txt"]
    assert stat.S_IMODE(target.stat().st_mode) != 0o600  # not mkstemp's private mode


def test_atomic_write_failure_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("partial", encoding="utf-8")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.json"]


def test_parquet_writer_failure_keeps_previous_tables(
    tmp_path: Path, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_parquet(report, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(pq, "write_table", boom)
    report.initiatives.clear()
    with pytest.raises(OSError, match="no space"):
        write_parquet(report, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
