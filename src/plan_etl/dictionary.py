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
    from plan_etl.form.vocabulary import PHASE_WORDS
    from plan_etl.schemas import REASON_CODES, REASON_LABELS_JA
    from plan_etl.writers.duckdb import VIEWS, YEAR_COLUMN
    from plan_etl.writers.tables import TABLES, WIDE_TABLES

    out = [
        "# Data dictionary",
        "",
        "Generated from the table registry (`src/plan_etl/writers/tables.py`) and the pydantic models by",
        "`plan-etl schema --dictionary`; do not edit by hand. The same tables are written as Parquet,",
        "CSV (UTF-8 with BOM; lists joined with 、), JSON Lines, an Excel workbook (`report.xlsx`, one",
        "sheet per table, headed by the Japanese headings below) and DuckDB (`report.duckdb`, with the",
        "primary keys below, `schedule_wide` and the view `initiative_overview`, every table, view and",
        "column carrying its heading and meaning as a COMMENT). The JSON document is described by",
        "`schemas/report.schema.json`. In a dataset (several editions) every table and view leads with",
        f"`{YEAR_COLUMN}` (int64), the edition's report year, which joins the primary key.",
        "",
    ]
    for spec in (*TABLES, *WIDE_TABLES):
        key = ", ".join(f"`{k}`" for k in spec.key) or "none"
        where = " Written to DuckDB and Excel only." if spec in WIDE_TABLES else ""
        out += [
            f"## `{spec.name}` ({spec.ja})",
            "",
            f"{spec.grain} ({spec.grain_ja}).{where}",
            "",
            f"Primary key: {key}.",
            "",
        ]
        out += ["| column | 見出し | type | null | meaning | report label |", "|---|---|---|---|---|---|"]
        for c in spec.columns:
            f = c.field
            meaning = (f.metadata or {}).get(b"description", b"").decode().replace("|", "\\|")
            null = "yes" if f.nullable else "no"
            out.append(f"| `{f.name}` | {c.ja} | {_type_name(f.type)} | {null} | {meaning} | {c.read_from} |")
        out.append("")
    for view in VIEWS:
        out += [f"## `{view.name}` ({view.ja}), a DuckDB view", "", view.grain + ".", ""]
        out += ["| column | 見出し | meaning |", "|---|---|---|"]
        out += [f"| `{name}` | {ja} | {about} |" for name, ja, about in view.columns]
        out.append("")
    out += [
        "## Reason codes (`reason_code`, `reason_ja`)",
        "",
        "Why a schedule row is unresolved, a closed set (`reason` says it for the row in words):",
        "",
        "| code | reason_ja | meaning |",
        "|---|---|---|",
        *(f"| `{code}` | {REASON_LABELS_JA[code]} | {meaning} |" for code, meaning in REASON_CODES.items()),
        "",
        "## Phases (`phases`)",
        "",
        "The phases a schedule cell names, in this order; a phase is listed when one of its words occurs",
        "in the cell (実施・検証 names both 実施 and 検証):",
        "",
        "| phase | words |",
        "|---|---|",
        *(f"| {phase} | {'、'.join(words)} |" for phase, words in PHASE_WORDS.items()),
        "",
    ]
    return "\n".join(out)
