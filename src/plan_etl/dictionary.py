"""Published descriptions of the outputs: the JSON Schema of the JSON document and a data dictionary
of every table, both generated from the pydantic models (`plan-etl schema`)."""

from __future__ import annotations

import json

import pyarrow as pa

from plan_etl.schemas import Initiative, Report


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the document `plan-etl parse` writes."""
    schema = Report.model_json_schema()
    # a computed field (Initiative.record_id) is written, and accepted back when it is right: in the
    # schema as a read-only property (the serialization schema would lose the maps' value types)
    for name, model in (("Initiative", Initiative),):
        props = model.model_json_schema(mode="serialization")["properties"]
        for field in model.model_computed_fields:
            schema["$defs"][name]["properties"][field] = props[field]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "plan-etl report"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def review_schema_text() -> str:
    """JSON Schema of what `plan-etl review --list --json` prints (schemas/review.schema.json)."""
    from plan_etl.schemas.review import ReviewList

    schema = ReviewList.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "plan-etl review list"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{_type_name(t.value_type)}>"
    return {"int64": "int64", "string": "string", "bool": "bool"}.get(str(t), str(t))


def data_dictionary() -> str:
    """Markdown: every table of the registry (Parquet, CSV, JSON Lines, Excel, DuckDB), its key, and
    its columns with their Japanese heading, type, meaning and the report label they are read from."""
    from plan_etl.writers.tables import TABLES

    out = [
        "# Data dictionary",
        "",
        "Generated from the table registry (`src/plan_etl/writers/tables.py`) and the pydantic models by",
        "`plan-etl schema --dictionary`; do not edit by hand. The same tables are written as Parquet,",
        "CSV (UTF-8 with BOM; lists joined with 、), JSON Lines, an Excel workbook (`report.xlsx`, one",
        "sheet per table, headed by the Japanese headings below) and DuckDB (`report.duckdb`, with the",
        "primary keys below and the views `initiative_overview` and `schedule_wide`). The JSON document",
        "is described by `schemas/report.schema.json`.",
        "",
    ]
    for spec in TABLES:
        key = ", ".join(f"`{k}`" for k in spec.key) or "none"
        out += [f"## `{spec.name}` ({spec.ja})", "", spec.grain + ".", "", f"Primary key: {key}.", ""]
        out += ["| column | 見出し | type | null | meaning | report label |", "|---|---|---|---|---|---|"]
        for c in spec.columns:
            f = c.field
            meaning = (f.metadata or {}).get(b"description", b"").decode().replace("|", "\\|")
            null = "yes" if f.nullable else "no"
            out.append(f"| `{f.name}` | {c.ja} | {_type_name(f.type)} | {null} | {meaning} | {c.read_from} |")
        out.append("")
    from plan_etl.schemas import REASON_CODES

    out += [
        "## Reason codes (`reason_code`)",
        "",
        "Why a schedule row is unresolved, a closed set (`reason` says it for the row in words):",
        "",
        "| code | meaning |",
        "|---|---|",
        *(f"| `{code}` | {meaning} |" for code, meaning in REASON_CODES.items()),
        "",
    ]
    return "\n".join(out)
