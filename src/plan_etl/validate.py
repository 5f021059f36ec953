"""Checks that a parse lost nothing: the report's own table of contents against the records, every
field present, every source line accounted for, and the parser's own doubts.

`validate(report)` returns `Issue`s (the type of the parser's warnings too). Errors: a document
with nothing in it (`empty_document`) or no contents list (`empty_toc`), two differing records for
one item (`conflicting_records`; identical ones: `duplicate_record`, a warning), a contents item
with no record (`missing_record`), a record the contents do not list (`unlisted_record`), an
initiative missing a field (`missing_field`), a record whose goal is not its id's (`wrong_goal`:
``goal: 99`` on item 1-1), copies of a table that differ
(`conflicting_duplicate`), source lines in no field and no role (`lost_lines`). Warnings: a title
that differs from the contents (`title_differs`), a table printed twice with identical copies
(`duplicate_item`), unresolved schedule rows (`unresolved_schedule`), schedule text that fits no
row (`unplaced_schedule_text`), tables printed out of the contents' page order (`out_of_order`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plan_etl.coverage import coverage
from plan_etl.form.characters import squash
from plan_etl.form.ids import item_order, parse_item_id
from plan_etl.parsers.accounting import record_lines
from plan_etl.schemas import Initiative, Issue, IssueCode, Report

_norm = squash


def lost_against(report: Report, source_lines: Iterable[int]) -> list[int]:
    """The source's non-blank lines (numbers) that no field of a record and no role of `report`
    holds: lost text counted afresh, so a record or row deleted from report.json shows. A table's
    schedule lines count through its rows (the record's `schedule` list repeats them)."""
    held = record_lines(
        report.initiatives, report.goals, report.toc, report.sections, frozenset({"schedule"})
    )
    held.update(n for nos in report.line_roles.values() for n in nos)
    return [n for n in source_lines if n not in held]


def validate(report: Report, lost: list[int] | None = None) -> list[Issue]:
    """Every problem found in a parsed report, errors first, then in item order. `lost`: the lines
    lost as counted against the source (lost_against); without it, what the report says."""
    problems: list[Issue] = []
    problems += _emptiness(report)
    problems += _same_key(report)
    problems += _coverage(report)
    problems += _fields(report)
    problems += _goals(report)
    problems += _titles(report)
    problems += _carried_warnings(report)
    problems += _unresolved(report)
    problems += _order(report)
    lost = report.unaccounted_lines if lost is None else lost
    if lost:
        shown = ", ".join(map(str, lost[:20]))
        more = len(lost) - 20
        problems.append(
            Issue.error(
                IssueCode.lost_lines,
                f"{len(lost)} source line(s) in no field and no role: {shown}"
                + (f" (+{more} more)" if more > 0 else ""),
                lines=list(lost),
            )
        )
    return sorted(problems, key=lambda p: (p.level != "error", item_order(p.item_id or "")))


def _emptiness(report: Report) -> list[Issue]:
    """A document with nothing in it, or with no contents list to check the records against."""
    if not report.toc and not report.initiatives:
        return [Issue.error(IssueCode.empty_document, "no table of contents and no initiative records")]
    if not report.toc:
        return [Issue.error(IssueCode.empty_toc, "the table of contents lists no items to check against")]
    return []


def _same_key(report: Report) -> list[Issue]:
    """Two records for one item (and part): an error when they differ, a warning when identical.
    A parse keeps one copy; a report.json edited or merged by hand may not."""
    by_key: dict[str, list[Initiative]] = {}
    for rec in report.initiatives:
        by_key.setdefault(rec.record_id, []).append(rec)
    out: list[Issue] = []
    for key, recs in by_key.items():
        if len(recs) < 2:
            continue
        same = all(r == recs[0] for r in recs[1:])
        out.append(
            (Issue.warning if same else Issue.error)(
                IssueCode.duplicate_record if same else IssueCode.conflicting_records,
                f"{key}: {len(recs)} records" + (", identical" if same else " that differ"),
                recs[0].item_id,
                sorted({n for r in recs for n in r.header_lines}),
            )
        )
    return out


def _coverage(report: Report) -> list[Issue]:
    cov = coverage(report)
    missing, extra = set(cov.missing), set(cov.extra)  # linear in the records, not a scan each
    out = [
        Issue.error(
            IssueCode.missing_record,
            f"listed in the contents (P.{t.page}) but no table was parsed",
            t.item_id,
        )
        for t in report.toc
        if t.item_id in missing
    ]
    out += [
        Issue.error(
            IssueCode.unlisted_record,
            "a table was parsed but the contents do not list it",
            r.item_id,
            r.header_lines,
        )
        for r in report.initiatives
        if r.item_id in extra
    ]
    return out


def _fields(report: Report) -> list[Issue]:
    """Content, schedule rows, effects, and results where the report has a results column at all."""
    has_results = any(r.results_label for r in report.initiatives)
    out: list[Issue] = []
    for rec in report.initiatives:
        missing = [name for name in ("content", "effects") if not getattr(rec, name)]
        if not rec.schedule:
            missing.append("schedule")
        if has_results and not rec.results:
            missing.append("results")
        if missing:
            out.append(
                Issue.error(
                    IssueCode.missing_field,
                    f"{rec.record_id}: no {', '.join(missing)}",
                    rec.item_id,
                    rec.header_lines,
                )
            )
    return out


def _goals(report: Report) -> list[Issue]:
    """An item id names its goal (1-8 is goal 1's): a record with another goal was edited wrongly."""
    out: list[Issue] = []
    for rec in report.initiatives:
        parsed = parse_item_id(rec.item_id)
        if parsed is not None and parsed[1] != rec.goal:
            out.append(
                Issue.error(
                    IssueCode.wrong_goal,
                    f"{rec.record_id}: goal {rec.goal}, but the id is goal {parsed[1]}'s",
                    rec.item_id,
                    rec.header_lines,
                )
            )
    return out


def _titles(report: Report) -> list[Issue]:
    toc = {t.item_id: t for t in report.toc}
    out: list[Issue] = []
    for rec in report.initiatives:
        entry = toc.get(rec.item_id)
        if entry and _norm(entry.title) != _norm(rec.title):
            out.append(
                Issue.warning(
                    IssueCode.title_differs,
                    f"contents 「{entry.title}」 vs table 「{rec.title}」",
                    rec.item_id,
                    [entry.line, *rec.header_lines[:1]],
                )
            )
    return out


def _carried_warnings(report: Report) -> list[Issue]:
    """The parser's own findings about duplicates and schedule text it could not place."""
    codes = {IssueCode.duplicate_item, IssueCode.conflicting_duplicate, IssueCode.unplaced_schedule_text}
    return [w for w in report.warnings if w.code in codes]


def _unresolved(report: Report) -> list[Issue]:
    out: list[Issue] = []
    for rec in report.initiatives:
        rows = [r for r in rec.schedule if not r.resolved]
        if rows:
            cells = sum(1 for r in rows for v in r.cells.values() if v is None)
            out.append(
                Issue.warning(
                    IssueCode.unresolved_schedule,
                    f"{rec.record_id}: {cells} schedule cell(s) in {len(rows)} row(s) left unresolved",
                    rec.item_id,
                    sorted({n for r in rows for n in r.source_lines}),
                )
            )
    return out


def _order(report: Report) -> list[Issue]:
    """Tables come in the contents' page order; one printed after a later page's table was moved."""
    out: list[Issue] = []
    latest: Initiative | None = None
    for rec in report.initiatives:
        if rec.page is None:
            continue
        if latest is not None and latest.page is not None and rec.page < latest.page:
            out.append(
                Issue.warning(
                    IssueCode.out_of_order,
                    f"listed on P.{rec.page} but printed after {latest.item_id} (P.{latest.page})",
                    rec.item_id,
                    rec.header_lines,
                )
            )
        else:
            latest = rec
    return out


@dataclass(frozen=True)
class Verdict:
    """What validate decided about a parse: its problems, the counts, and the exit status."""

    source: str
    problems: list[Issue]
    strict: bool = False
    lines_in: str = ""
    """The file the problems' line numbers are of (the report's text or PDF; for a report.json, its
    source when found); `source` when empty."""
    items: tuple[str, ...] = ()
    """The item ids of the report's item list, in order (one CI test case each)."""

    @property
    def line_file(self) -> str:
        return self.lines_in or self.source

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def exit_code(self) -> int:
        """1 on an error (a warning too when `strict`), else 0."""
        return 1 if self.errors or (self.strict and self.warnings) else 0

    def as_json(self) -> dict[str, object]:
        """The document `plan-etl validate --json` prints."""
        return {
            "source": self.source,
            "valid": self.valid,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.model_dump() for p in self.problems],
        }


def verdict(
    report: Report,
    source: str,
    strict: bool = False,
    lost: list[int] | None = None,
    notes: Sequence[Issue] = (),
    lines_in: str = "",
) -> Verdict:
    """Validate a report and decide: see Verdict. `notes`: problems found before (the source)."""
    problems = sorted([*notes, *validate(report, lost)], key=lambda p: p.level != "error")
    items = tuple(dict.fromkeys(t.item_id for t in report.toc))
    return Verdict(source, problems, strict, lines_in, items)


def unreadable(source: str, message: str) -> Verdict:
    """The verdict on an input that could not be read: one error, so machine formats still print a
    document (and CI shows why)."""
    return Verdict(source, [Issue.error(IssueCode.unreadable_input, message)])
