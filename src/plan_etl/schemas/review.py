"""What `plan-etl review --list --json` prints: the rows the parser left open, table by table, with
the table's open fragments numbered and the cuts the parser considered (published as
schemas/review.schema.json)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from plan_etl.schemas.records import Int, ReasonCode


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewFragment(_View):
    n: Int = Field(description="The fragment's number in its table (what a cut names)")
    text: str = Field(description="Its text as printed")
    line: Int = Field(description="Its source line")
    box: Int = Field(description="The first line of its text box (lines with no blank line between)")


class ReviewCandidate(_View):
    cut: str = Field(description="The cut: fragment numbers for label | R6 | R7 | R8 | R9")
    label: str
    cells: dict[str, str] = Field(description="R6..R9 as the cut gives them")
    confidence: float | None = Field(description="Its posterior under the fitted model, where one chose it")


class ReviewRow(_View):
    label: str = Field(description="The row's label as the parser left it (the decision's key)")
    resolved: bool = Field(description="Stated by the parser (else open: what a review is for)")
    reason_code: ReasonCode | None
    reason: str | None
    confidence: float | None = Field(description="The best cut's confidence")
    fragments: list[Int] = Field(description="The row's own fragments")
    decided: str | None = Field(description="The cut a corrections file already gives it, if any")
    candidates: list[ReviewCandidate]


class ReviewTable(_View):
    record_id: str
    fingerprint: str = Field(description="Of the table's open fragments: a decision holds while it matches")
    fragments: list[ReviewFragment] = Field(description="The table's open fragments, in print order")
    unplaced: list[Int] = Field(description="Fragments that fit no row")
    rows: list[ReviewRow] = Field(description="Every row of the table, open or stated")


class ReviewList(_View):
    source_file: str
    corrections_file: str
    tables: list[ReviewTable] = Field(description="The tables with an open row (with --all: every table)")
