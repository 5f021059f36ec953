"""Records of one parsed report (the JSON document of CONTRACT.md and the Parquet tables)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer, model_validator

YEARS: tuple[str, ...] = ("R6", "R7", "R8", "R9")
"""The plan's four years, the columns of every 年次別計画 table."""


Int = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
"""An integer as the tables store it (int64): a larger one read back from a JSON file is a
validation error, not an overflow when the tables are written."""

Count = Annotated[int, Field(ge=0, le=2**63 - 1)]
"""A number printed or counted in the report (a page, a goal, a row or part number): never
negative, so a report.json with ``page: -2**63`` is not a report."""

Line = Annotated[int, Field(ge=1, le=2**63 - 1)]
"""A source line number (or a PDF page), from 1."""

V = TypeVar("V")
_YEAR_RANK = {y: k for k, y in enumerate(YEARS)}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentMeta(_Record):
    title: str = Field(description="Report title as printed (表題)")
    report_fiscal_year: Int | None = Field(
        description="Western year in which the reported fiscal year starts (令和６年度 -> 2024)"
    )
    source_file: str = Field(description="File name of the parsed input")
    source_sha256: str = Field(description="SHA-256 of the input file's bytes")


class TocEntry(_Record):
    item_id: str = Field(description="Item id in ASCII, e.g. 1-8 (項目番号)")
    id_raw: str = Field(description="Item id as printed, e.g. 1-８")
    title: str = Field(description="Item title as listed in the table of contents (取組み項目一覧)")
    page: Count = Field(description="Printed page number (P.)")
    goal: Count = Field(description="Goal number the item belongs to (到達点)")
    line: Line = Field(description="Source line of the entry")


class Amount(_Record):
    label: str = Field(description="Label as printed, e.g. R6予算額 (ASCII R and digits)")
    fiscal_year: Int = Field(description="Western year the fiscal year starts")
    kind: Literal["budget", "settlement"] = Field(description="予算額 -> budget, 決算額 -> settlement")
    million_yen: Int = Field(description="Amount in millions of yen (百万円)")


class HoursReduced(_Record):
    label: str = Field(description="Label as printed, e.g. R6削減時間")
    fiscal_year: Int = Field(description="Western year the fiscal year starts")
    hours: Int = Field(description="Working hours reduced (約1.9万時間 -> 19000)")


class Goal(_Record):
    goal: Count = Field(description="Goal number (到達点)")
    name: str = Field(description="Goal name")
    description: str = Field(description="Goal description paragraph")
    effect_category: str = Field(description="主な効果・成果例: the category")
    effect_examples: list[str] = Field(description="主な効果・成果例: the examples (➢ bullets)")
    amounts: list[Amount] = Field(description="Budget and settlement amounts (予算額 / 決算額)")
    hours_reduced: list[HoursReduced] = Field(description="Hours reduced in a year (削減時間)")
    hours_target: Count | None = Field(description="Hours to reduce over the plan period, where stated")
    source_lines: list[Line] = Field(default_factory=list, description="Source lines read")


class Box(_Record):
    """Where a text was printed in a PDF: the page (from 1, as the PDF counts them) and the box
    around the text, in points from the page's top-left corner."""

    page: Line = Field(description="PDF page, from 1")
    x0: float = Field(description="Left edge, points from the page's left")
    top: float = Field(description="Top edge, points from the page's top")
    x1: float = Field(description="Right edge, points from the page's left")
    bottom: float = Field(description="Bottom edge, points from the page's top")


class IssueCode(StrEnum):
    """Every kind of problem a parse or `validate` reports, and its Japanese label (`.ja`, the HTML
    report): the codes are defined here once; `Issue.code` holds the machine name."""

    block_without_header = "block_without_header", "項目番号のない表"
    conflicting_duplicate = "conflicting_duplicate", "二重掲載の内容が異なる"
    conflicting_records = "conflicting_records", "同じ項目の記録が異なる"
    duplicate_goal = "duplicate_goal", "到達点の重複"
    duplicate_item = "duplicate_item", "二重掲載（同一内容）"
    duplicate_record = "duplicate_record", "同じ記録の重複"
    duplicate_toc_item = "duplicate_toc_item", "項目一覧の重複"
    empty_document = "empty_document", "内容のない文書"
    empty_toc = "empty_toc", "項目一覧が空"
    goal_hours_guessed = "goal_hours_guessed", "削減時間の推定"
    goal_hours_unplaced = "goal_hours_unplaced", "削減時間の位置不明"
    goal_mismatch = "goal_mismatch", "到達点の不一致"
    goal_no_amounts = "goal_no_amounts", "予算額・決算額なし"
    goal_number_inferred = "goal_number_inferred", "到達点番号の推定"
    lost_lines = "lost_lines", "欠落した行"
    missing_field = "missing_field", "欄の欠落"
    missing_record = "missing_record", "記録のない項目"
    out_of_order = "out_of_order", "掲載順の入れ替わり"
    repeated_report = "repeated_report", "報告書の重複"
    source_not_found = "source_not_found", "元ファイルが見つからない"
    stale_correction = "stale_correction", "古い修正"
    title_differs = "title_differs", "項目名の相違"
    toc_goal_mismatch = "toc_goal_mismatch", "項目一覧の到達点の不一致"
    toc_no_goal_heading = "toc_no_goal_heading", "項目一覧に到達点の見出しなし"
    toc_no_page = "toc_no_page", "項目一覧に頁番号なし"
    undecodable_text = "undecodable_text", "読めない文字"
    unlisted_record = "unlisted_record", "項目一覧にない記録"
    unplaced_schedule_text = "unplaced_schedule_text", "どの行にも属さない年次別計画の文字"
    unreadable_input = "unreadable_input", "読めない入力"
    unresolved_schedule = "unresolved_schedule", "未確定の年次別計画"
    unresolved_schedule_row = "unresolved_schedule_row", "未確定の年次別計画の行"
    wrong_goal = "wrong_goal", "項目番号と到達点の不一致"

    def __new__(cls, value: str, ja: str = "") -> IssueCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.ja = ja
        return member

    ja: str


ISSUE_LABELS_JA: dict[str, str] = {c.value: c.ja for c in IssueCode}
"""Each problem code's Japanese label (the HTML report; `Issue.code` stays the machine name)."""

LEVEL_LABELS_JA: dict[str, str] = {"error": "エラー", "warning": "警告"}

REASON_LABELS_JA: dict[str, str] = {
    "low_confidence": "確信度不足",
    "leftover_text": "どの行にも属さない文字あり",
    "too_few_fragments": "断片が足りない",
    "bare_number": "番号のみの見出し行",
    "detached_cells": "離れて印字されたセル",
    "nested_parts": "①②③の部分が揃わない",
    "empty_cells": "空のセル",
    "pdf_geometry": "PDFの配置で決まらない",
    "page_break": "改ページで分かれた行",
}
"""Each reason code's Japanese label (the Excel sheets, the HTML report, `reason_ja`)."""

REASON_CODES: dict[str, str] = {
    "low_confidence": "the most likely cut into label and cells is below the confidence a row is stated at",
    "leftover_text": "the table has schedule text that fits no row, which any of its rows may lack",
    "too_few_fragments": "too few fragments for a label and four cells (a cell printed once for "
    "several years, or text lost)",
    "bare_number": "the label is a bare number over named sub-rows",
    "detached_cells": "cells printed in two places whose year order is unknown",
    "nested_parts": "cells made of ①②③ parts, but not four of them",
    "empty_cells": "a cell of the row is empty (in a table read from a PDF's grid, or left undecided)",
    "pdf_geometry": "a PDF's geometry does not decide the row (text across a column edge, year "
    "columns that cut a header)",
    "page_break": "a page break parts the row or two rows, and neither the row marks nor the cells' "
    "words say which",
}
"""Why a schedule row is unresolved: the closed set of `ScheduleRow.reason_code`, each with what it
means (`reason` says it for the row, in words)."""

ReasonCode = Literal[
    "low_confidence",
    "leftover_text",
    "too_few_fragments",
    "bare_number",
    "detached_cells",
    "nested_parts",
    "empty_cells",
    "pdf_geometry",
    "page_break",
]


class ScheduleRow(_Record):
    number: Count | None = Field(description="The row's ①②③ number, null for an unnumbered row")
    label: str = Field(description="Row label as printed, with its ①②③ number")
    cells: dict[str, str | None] = Field(
        description="Cell text per plan year R6..R9; null where the text does not decide it"
    )
    phases: dict[str, list[str]] = Field(
        default_factory=dict, description="Phases named in each cell (検討, 実施, 検証, ...)"
    )
    resolved: bool = Field(True, description="False when some cell could not be placed")
    confidence: float | None = Field(
        None,
        description="Posterior probability of the row's cut into label and cells under the fitted "
        "model; null where no model chose it (cells read from a ruled grid, or cut at each ①)",
    )
    raw: str | None = Field(None, description="The row's raw text when it is unresolved")
    reason: str | None = Field(None, description="Why the row is unresolved (null when resolved)")
    reason_code: ReasonCode | None = Field(
        None, description="Why the row is unresolved, as a code of a closed set (null when resolved)"
    )
    resolved_by: Literal["parser", "review"] | None = Field(
        None,
        description="Who decided a resolved row: the parser, or a review (the corrections file); "
        "null when unresolved",
    )
    source_lines: list[Line] = Field(default_factory=list, description="Source lines of the row")
    provenance: list[Box] = Field(
        default_factory=list,
        description="Where the row was printed in the PDF, a box per page (empty for text input)",
    )

    @model_validator(mode="after")
    def _decided_by(self) -> ScheduleRow:
        """A resolved row is the parser's unless a review decided it; an open one is no one's."""
        if not self.resolved:
            self.resolved_by = None
        elif self.resolved_by is None:
            self.resolved_by = "parser"
        return self

    @field_serializer("cells", "phases")
    def _year_maps_in_order(self, value: dict[str, V]) -> dict[str, V]:
        """Plan years first, in plan order, whatever order the map was built in."""
        return {k: value[k] for k in sorted(value, key=lambda k: _YEAR_RANK.get(k, len(YEARS)))}


class Initiative(_Record):
    item_id: str = Field(description="Item id in ASCII (項目)")
    id_raw: str = Field(description="Item id as printed")
    part: Count | None = Field(None, description="Part number for items printed in parts (5-13① -> 1)")
    goal: Count = Field(description="Goal number (到達点)")
    title: str = Field(description="Title as printed in the table")
    departments: list[str] = Field(description="Responsible departments (所管部), as printed")
    content: str | None = Field(description="What the initiative does (取組み内容); paragraph breaks kept")
    schedule: list[ScheduleRow] = Field(description="年次別計画 rows in number order")
    unplaced_schedule: list[str] = Field(
        default_factory=list, description="年次別計画 text that fits no row, kept as printed"
    )
    effects: str | None = Field(description="Effects and outcomes aimed at (目指すべき効果・成果)")
    results_label: str | None = Field(
        description="Results label, one spelling (NFKC, no spaces) whatever the width printed: R6実績"
    )
    results: str | None = Field(description="Results text (実績)")
    page: Count | None = Field(None, description="Printed page the table is on")
    source_lines: dict[str, list[Line]] = Field(
        default_factory=dict, description="Source lines each field was read from"
    )
    provenance: dict[str, list[Box]] = Field(
        default_factory=dict,
        description="Where each field was printed in the PDF, a box per page it spans (keys as "
        "source_lines; empty for text input)",
    )

    @computed_field(description="The record's key: item_id, plus #part if printed in parts (5-13#1)")
    @property
    def record_id(self) -> str:
        return record_id(self.item_id, self.part)

    @property
    def header_lines(self) -> list[int]:
        """The source lines of its 項目 header (where a problem with the whole record points)."""
        return self.source_lines.get("header", [])

    @model_validator(mode="before")
    @classmethod
    def _drop_record_id(cls, data: Any) -> Any:
        """A record read back from JSON carries its record_id: it must be the one computed."""
        if isinstance(data, dict) and "record_id" in data:
            data = dict(data)
            given = data.pop("record_id")
            if given != record_id(str(data.get("item_id")), data.get("part")):
                raise ValueError(f"record_id {given!r} does not match item_id and part")
        return data


def record_id(item_id: str, part: int | None) -> str:
    """The key of an initiative record: "1-1", or "5-13#1" for part 1 of an item printed in parts."""
    return item_id if part is None else f"{item_id}#{part}"


def item_of(key: str) -> str:
    """The item id of a record key (record_id's inverse, less the part): "5-13#1" -> "5-13"."""
    return key.partition("#")[0]


class Issue(_Record):
    level: Literal["warning", "error"] = Field(description="warning or error")
    code: str = Field(description="Machine-readable kind, e.g. duplicate_item")
    message: str = Field(description="What is wrong, for a person")
    item_id: str | None = Field(None, description="Item concerned, if any")
    lines: list[Line] = Field(default_factory=list, description="Source lines concerned")

    @classmethod
    def warning(
        cls, code: IssueCode, message: str, item_id: str | None = None, lines: Iterable[int] = ()
    ) -> Issue:
        """A warning: the records stand, but look here."""
        return cls(level="warning", code=code.value, message=message, item_id=item_id, lines=list(lines))

    @classmethod
    def error(
        cls, code: IssueCode, message: str, item_id: str | None = None, lines: Iterable[int] = ()
    ) -> Issue:
        """An error: a record is missing, wrong or in conflict."""
        return cls(level="error", code=code.value, message=message, item_id=item_id, lines=list(lines))


class Section(_Record):
    title: str = Field(description="Heading line as printed (1 主旨, Ⅰ プランの位置づけ, ...)")
    text: str = Field(description="The section's text, line wraps joined")
    source_lines: list[Line] = Field(default_factory=list, description="Source lines, heading included")


class Report(_Record):
    document: DocumentMeta
    toc: list[TocEntry]
    goals: list[Goal]
    initiatives: list[Initiative]
    sections: list[Section] = Field(default_factory=list, description="Narrative front matter")
    warnings: list[Issue] = Field(default_factory=list)
    line_roles: dict[str, list[Line]] = Field(
        default_factory=dict,
        description="Non-blank source lines that are not in a record's field, by role "
        "(page_header, page_number, section_intro, field_label, example_page, duplicate_copy, ...)",
    )
    unaccounted_lines: list[Line] = Field(
        default_factory=list, description="Non-blank source lines in no field and no role: lost text"
    )
