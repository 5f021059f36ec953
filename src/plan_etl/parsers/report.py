"""The whole report: document metadata, goals, table of contents and initiatives in one Report."""

from __future__ import annotations

from collections.abc import Sequence

from plan_etl.extract.base import Line, SourceDocument, TableLines
from plan_etl.parsers.accounting import account, record_lines
from plan_etl.parsers.front.document import parse_title
from plan_etl.parsers.front.goals import parse_goals
from plan_etl.parsers.front.sections import parse_sections
from plan_etl.parsers.front.toc import parse_toc
from plan_etl.parsers.initiative.initiatives import initiative_section, parse_initiatives, toc_end
from plan_etl.parsers.provenance import add_provenance
from plan_etl.parsers.yearly_plan.cut_model import CutSettings
from plan_etl.parsers.yearly_plan.review import Decision
from plan_etl.schemas import DocumentMeta, Initiative, Issue, IssueCode, Report

REPEAT_PROBE = 20
"""How many of the report's first non-blank lines, found again further down, mark where a repeated
copy of the whole report starts (a file saved or concatenated twice)."""


def split_repeats(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The report's first copy, and the copies after it that repeat it line for line. A copy that
    starts like the report but differs is not split off: the file is parsed as it is."""
    texts = [ln.text.strip() for ln in lines]  # a copy glued on may carry the last line's spaces
    probe = texts[:REPEAT_PROBE]
    if len(lines) < 2 * len(probe) or not probe:
        return lines, []
    starts = [0] + [
        i
        for i in range(len(probe), len(lines) - len(probe) + 1)
        if texts[i] == probe[0] and texts[i : i + len(probe)] == probe
    ]
    if len(starts) == 1:
        return lines, []
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    first = texts[: bounds[0][1]]
    if any(texts[a:b] != first for a, b in bounds[1:]):
        return lines, []
    copies = [lines[a:b] for a, b in bounds]
    return copies[0], copies[1:]


def first_copy(doc: SourceDocument) -> tuple[list[Line], list[list[Line]], tuple[TableLines, ...]]:
    """The document's non-blank lines of its first copy, the repeated copies after it, and the
    tables the extractor read in the first copy (what is parsed)."""
    lines, repeats = split_repeats(doc.nonblank())
    tables = doc.tables
    if repeats:
        last = lines[-1].no
        tables = tuple(t for t in tables if not t.header or t.header[0] <= last)
    return lines, repeats, tables


def _undecodable(doc: SourceDocument) -> list[Issue]:
    """A warning per page whose text held code units no text can hold, now U+FFFD: the page and
    the lines, so the damage is seen rather than the parse stopped."""
    by_page: dict[int | None, list[tuple[int, int]]] = {}
    for no, n in doc.replaced:
        box = doc.box_of(no)
        by_page.setdefault(box[0] if box else None, []).append((no, n))
    return [
        Issue.warning(
            IssueCode.undecodable_text,
            f"{sum(n for _, n in hits)} character(s) could not be decoded"
            + (f" on page {page}" if page is not None else "")
            + " and are shown as U+FFFD (a damaged content stream or an unmapped glyph)",
            lines=[no for no, _ in hits],
        )
        for page, hits in by_page.items()
    ]


def parse_lines(
    doc: SourceDocument, settings: CutSettings | None = None, reviewed: Sequence[Decision] = ()
) -> Report:
    """Parse an extracted document into a Report, with the rows a review decided (`reviewed`);
    problems found become warnings, not exceptions."""
    lines, repeats, tables = first_copy(doc)
    issues: list[Issue] = _undecodable(doc)
    title, year = parse_title(lines)
    toc = parse_toc(lines, issues)
    goals = parse_goals(lines, issues)
    sections = parse_sections(lines)
    initiatives, init_issues, seg = parse_initiatives(lines, tables, settings, reviewed)
    issues.extend(init_issues)
    initiatives, duplicates = drop_repeated_tables(initiatives, issues)
    if repeats:
        issues.extend(_repeat_issues(initiatives, repeats))
    add_provenance(doc, initiatives)
    toc_goal = {t.item_id: t.goal for t in toc}
    toc_page = {t.item_id: t.page for t in toc}
    for rec in initiatives:
        rec.page = toc_page.get(rec.item_id)
        if rec.item_id in toc_goal and toc_goal[rec.item_id] != rec.goal:
            issues.append(
                Issue.warning(
                    IssueCode.goal_mismatch,
                    f"goal {rec.goal} by its id, {toc_goal[rec.item_id]} in the contents",
                    item_id=rec.item_id,
                )
            )
    roles, lost = account(
        [*lines, *(ln for copy in repeats for ln in copy)],
        record_lines(initiatives, goals, toc, sections),
        seg,
        initiative_section(lines),
        toc_end(lines),
        duplicates,
        repeated=[ln.no for copy in repeats for ln in copy],
    )
    return Report(
        document=DocumentMeta(
            title=title,
            report_fiscal_year=year,
            source_file=doc.source_file,
            source_sha256=doc.source_sha256,
        ),
        toc=toc,
        goals=goals,
        initiatives=initiatives,
        sections=sections,
        warnings=issues,
        line_roles=roles,
        unaccounted_lines=lost,
    )


def _repeat_issues(records: list[Initiative], repeats: list[list[Line]]) -> list[Issue]:
    """A warning for the report as a whole, then one per item, for copies of the report after the
    first (identical to it line for line, so only the first is parsed)."""
    times = len(repeats) + 1
    spans = ", ".join(f"lines {c[0].no}-{c[-1].no}" for c in repeats[:3]) + (" …" if len(repeats) > 3 else "")
    out = [
        Issue.warning(
            IssueCode.repeated_report,
            f"the whole report is printed {times} times; the copies after the first ({spans}) "
            "are identical to it and were not parsed again",
            lines=[c[0].no for c in repeats],
        )
    ]
    out += [
        Issue.warning(
            IssueCode.duplicate_item,
            f"printed {times} times (the whole report repeats); the copies are identical",
            item_id=rec.item_id,
            lines=rec.header_lines[:1],
        )
        for rec in records
    ]
    return out


def _content_key(rec: Initiative) -> str:
    """What a printed copy says, without where it was printed."""
    return rec.model_dump_json(
        exclude={"source_lines": True, "page": True, "schedule": {"__all__": {"source_lines"}}}
    )


def drop_repeated_tables(
    records: list[Initiative], issues: list[Issue]
) -> tuple[list[Initiative], list[Initiative]]:
    """Keep the first copy of a table printed twice: a warning if the copies agree, an error if not.

    Returns the kept records and the dropped copies."""
    kept: dict[tuple[str, int | None], Initiative] = {}
    out: list[Initiative] = []
    dropped: list[Initiative] = []
    for rec in records:
        key = (rec.item_id, rec.part)
        first = kept.get(key)
        if first is None:
            kept[key] = rec
            out.append(rec)
            continue
        dropped.append(rec)
        same = _content_key(first) == _content_key(rec)
        lines = rec.header_lines
        issues.append(
            Issue.warning(
                IssueCode.duplicate_item, "printed twice; the copies are identical", rec.item_id, lines
            )
            if same
            else Issue.error(
                IssueCode.conflicting_duplicate,
                "printed twice and the copies differ; the first is kept",
                rec.item_id,
                lines,
            )
        )
    _drop_copy_warnings(dropped, issues)
    return out, dropped


def _drop_copy_warnings(dropped: list[Initiative], issues: list[Issue]) -> None:
    """A dropped copy's own warnings (its schedule rows) repeat the kept copy's: remove them."""
    for rec in dropped:
        mine = {n for rows in rec.source_lines.values() for n in rows}
        mine.update(n for row in rec.schedule for n in row.source_lines)
        issues[:] = [
            i
            for i in issues
            if not (
                i.item_id == rec.item_id
                and i.code != IssueCode.duplicate_item
                and i.lines
                and set(i.lines) <= mine
            )
        ]
