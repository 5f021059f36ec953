"""`plan-etl review` in the terminal: the open rows one at a time, each decision checked by the
library (`parsers.review`) and saved to the corrections file as it is made.

Keys at the prompt: a candidate's number takes that cut; a cut typed out assigns the table's
fragments by number, label | R6 | R7 | R8 | R9 (`0-1 | 2 | 3 | = | 4`: `=` is a cell printed once
for several years); `o` leaves the row open; `b` goes back one row (its decision taken out of the
file); `q` quits; `?` shows the keys again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from plan_etl.corrections import remove_decision, save_decision
from plan_etl.parsers.yearly_plan.review import (
    Candidate,
    CorrectionError,
    Decision,
    OpenTable,
    check_partial,
    decided_cuts,
    decided_row,
    format_cut,
    parse_cut,
)
from plan_etl.schemas import YEARS

KEYS = (
    "[1-9] take a candidate · label | R6 | R7 | R8 | R9 by fragment (0-1 | 2 | 3 | = | 4)"
    " · o leave open · b back · q quit"
)


def list_text(tables: Sequence[OpenTable], decisions: Sequence[Decision], console: Console) -> None:
    """The open rows with their table's fragments and the candidate cuts, for reading or editing."""
    for t in tables:
        decided = decided_cuts(t, decisions)
        _show_table(t, console)
        for r in t.rows:
            state = "stated" if r.resolved else f"open: {r.reason_code}"
            mark = f"decided: {decided[r.label].cut_text}" if r.label in decided else state
            console.print(f"  row {t.rows.index(r) + 1}: {escape(r.label)}  ({escape(mark)})")
            for k, c in enumerate(r.candidates, 1):
                console.print(f"    {k}) {format_cut(c.cut)}  ({_confidence(c)})")
        console.print()


def run_review(
    tables: Sequence[OpenTable],
    decisions: list[Decision],
    corrections: Path,
    source: str,
    console: Console,
    ask: Callable[[str], str] = input,
    every_row: bool = False,
) -> int:
    """The review loop over the open rows no decision holds for (`every_row`: stated rows too);
    returns how many rows were decided."""
    todo = [
        (t, k)
        for t in tables
        for k, r in enumerate(t.rows)
        if (every_row or not r.resolved) and r.label not in decided_cuts(t, decisions)
    ]
    if not todo:
        console.print("nothing to review: every open row has a decision")
        return 0
    console.print(f"{len(todo)} row(s) to review; decisions go to {corrections}")
    console.print(KEYS)
    made: dict[int, Decision] = {}
    i = 0
    while i < len(todo):
        table, k = todo[i]
        row = table.rows[k]
        console.rule()
        console.print(f"row {i + 1}/{len(todo)} · {table.record_id} · {escape(row.label)}")
        _show_table(table, console, mark=set(row.fragments))
        if row.resolved:
            console.print("  stated by the parser (candidate 1)")
        else:
            console.print(f"  why open: {row.reason_code} ({escape(row.reason or '')})")
        for n, c in enumerate(row.candidates, 1):
            cells = " | ".join(escape(c.cells[y]) for y in YEARS)
            console.print(f"  {n}) {format_cut(c.cut)}  ({_confidence(c)})  {escape(c.label)} | {cells}")
        try:
            answer = ask("> ").strip()
        except EOFError:
            answer = "q"
        if answer == "q":
            break
        if answer in ("?", ""):
            console.print(KEYS)
            continue
        if answer == "o":
            i += 1
            continue
        if answer == "b":
            i = max(0, i - 1)
            if i in made:
                undone = made.pop(i)
                decisions.remove(undone)
                remove_decision(corrections, undone)
            continue
        try:
            cut = (
                row.candidates[int(answer) - 1].cut
                if answer.isdigit() and 0 < int(answer) <= len(row.candidates)
                else parse_cut(answer, "your cut")
            )
        except CorrectionError as exc:
            console.print(f"  [red]{escape(str(exc))}[/red]")
            continue
        d = Decision(
            table.record_id, row.label, table.fingerprint, cut, f"{corrections.name} ({table.record_id})"
        )
        mine = [x for x in decisions if x.record_id == table.record_id and x.label != row.label]
        wrong = check_partial(table, [*mine, d])
        if wrong is not None:
            console.print(f"  [red]refused: {escape(wrong)}[/red]")
            continue
        decisions[:] = [*[x for x in decisions if not _same(x, d)], d]
        made[i] = d
        save_decision(corrections, d, source)
        stated = decided_row(table, d)
        cells = " | ".join(escape(stated.cells[y] or "") for y in YEARS)
        console.print(f"  saved: {escape(stated.label)} | {cells}")
        i += 1
    return len(made)


def _same(a: Decision, b: Decision) -> bool:
    return (a.record_id, a.label, a.fingerprint) == (b.record_id, b.label, b.fingerprint)


def _show_table(t: OpenTable, console: Console, mark: set[int] | None = None) -> None:
    """The table's open fragments, numbered, each with the open row it belongs to (`mark`: the
    fragments of the row under review, starred)."""
    console.print(f"{t.record_id}  (fingerprint {t.fingerprint}): open fragments")
    for n, p in enumerate(t.fragments):
        owner = t.owners[n]
        whose = "fits no row" if owner is None else f"row {owner + 1}"
        star = "*" if mark and n in mark else " "
        box = p.box or p.line
        console.print(f"  {star}{n:>3}  l.{p.line:<5} box {box:<5} {escape(p.text)}  ({whose})")


def _confidence(c: Candidate) -> str:
    """The candidate's confidence, or where a cut the model did not score comes from."""
    if c.confidence is not None:
        return f"{c.confidence:.3f}"
    return "a cell spans years" if None in c.cut else "as read"
