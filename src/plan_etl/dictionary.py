"""Published descriptions of the outputs: the JSON Schema of the JSON document and a data dictionary
of every table, both generated from the pydantic models (`plan-etl schema`)."""

from __future__ import annotations

import json

import pyarrow as pa

from plan_etl.schemas import Report

# the Japanese label in the report that each column is read from
JA_LABELS: dict[str, str] = {
    "Initiative.item_id": "項目",
    "Initiative.id_raw": "項目",
    "Initiative.part": "項目 (①②)",
    "Initiative.goal": "到達点",
    "Initiative.title": "項目 (取組み項目名)",
    "Initiative.departments": "所管部",
    "Initiative.departments[]": "所管部",
    "Initiative.content": "取組み内容",
    "Initiative.effects": "目指すべき効果・成果",
    "Initiative.results_label": "R6実績 (見出し)",
    "Initiative.results": "R6実績",
    "Initiative.page": "取組み項目一覧 P.",
    "ScheduleRow.number": "年次別計画 (①②③)",
    "ScheduleRow.label": "年次別計画 (行見出し)",
    "ScheduleRow.cells[year]": "年次別計画 R6〜R9",
    "ScheduleRow.phases[year]": "年次別計画 R6〜R9",
    "ScheduleRow.resolved": "年次別計画",
    "ScheduleRow.confidence": "年次別計画",
    "ScheduleRow.reason": "年次別計画",
    "Goal.goal": "到達点",
    "Goal.name": "到達点 (名称)",
    "Goal.description": "到達点 (説明)",
    "Goal.effect_category": "主な効果・成果例",
    "Goal.effect_examples": "主な効果・成果例 (➢)",
    "Goal.hours_target": "業務時間 約○万時間 削減",
    "Amount.label": "Ｒ６予算額 / Ｒ６決算額 / Ｒ７予算額",
    "Amount.fiscal_year": "Ｒ６予算額 …",
    "Amount.kind": "予算額 / 決算額",
    "Amount.million_yen": "百万円",
    "HoursReduced.label": "Ｒ６削減時間",
    "HoursReduced.fiscal_year": "Ｒ６削減時間",
    "HoursReduced.hours": "約○万時間",
    "TocEntry.item_id": "取組み項目一覧",
    "TocEntry.id_raw": "取組み項目一覧",
    "TocEntry.title": "取組み項目一覧",
    "TocEntry.page": "取組み項目一覧 P.",
    "TocEntry.goal": "取組み項目一覧 到達点",
    "TocEntry.line": "",
    "record_id": "項目",
    "row_number": "年次別計画",
    "reiwa": "年次別計画 R6 R7 R8 R9",
    "fiscal_year": "年次別計画 R6 R7 R8 R9",
    "n_schedule_rows": "年次別計画",
    "n_unresolved_rows": "年次別計画",
}


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the document `plan-etl parse` writes."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "plan-etl report"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{_type_name(t.value_type)}>"
    return {"int64": "int64", "string": "string", "bool": "bool"}.get(str(t), str(t))


def data_dictionary() -> str:
    """Markdown: every table (Parquet, CSV, JSON Lines, DuckDB), its columns, types and meaning."""
    from plan_etl.writers.parquet import TABLES

    out = [
        "# Data dictionary",
        "",
        "Generated from the pydantic models by `plan-etl schema --dictionary`; do not edit by hand.",
        "The same tables are written as Parquet, CSV (UTF-8 with BOM; lists joined with 、), JSON Lines",
        "and DuckDB (`report.duckdb`, with primary keys and the views `initiative_overview` and",
        "`schedule_wide`). The JSON document is described by `schemas/report.schema.json`.",
        "",
    ]
    for spec in TABLES:
        out += [f"## `{spec.name}`", "", spec.description + ".", ""]
        out += ["| column | type | null | meaning | report label |", "|---|---|---|---|---|"]
        for f in spec.fields:
            meta = f.metadata or {}
            source = meta.get(b"source", b"").decode()
            key = f.name if source == "derived" else source
            meaning = meta.get(b"description", b"").decode().replace("|", "\\|")
            null = "yes" if f.nullable else "no"
            out.append(
                f"| `{f.name}` | {_type_name(f.type)} | {null} | {meaning} | {JA_LABELS.get(key, '')} |"
            )
        out.append("")
    return "\n".join(out)
