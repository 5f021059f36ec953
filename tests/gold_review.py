"""The answer key's cut of each row to review, in the table's fragment numbers: what a reviewer who
knows the answer would type at `plan-etl review` (tests build their corrections from gold_dev
with it; the parser never reads the answer key)."""

from __future__ import annotations

from collections.abc import Sequence

from plan_etl.form.characters import squash
from plan_etl.parsers.yearly_plan.review import OpenTable, format_cut
from plan_etl.schemas import YEARS, ScheduleRow


def row_text(label: str, cells: dict) -> tuple:
    return (squash(label), *(squash(cells.get(y)) for y in YEARS))


def gold_cuts(table: OpenTable, gold_rows: Sequence[dict], parsed: Sequence[ScheduleRow]) -> dict[str, str]:
    """Row label (as the parser left it) -> the key's cut (as typed), for the key's rows of this
    table that the parse does not state exactly (`parsed`: the record's rows). The fragments of
    rows stated exactly stay theirs; each other key row takes, from the rest, fragments whose texts
    spell its label and each cell (a cell the same as the year before, and not spelled again, is
    `=`), and decides the row its label's first fragment belongs to."""
    key = {row_text(g["label"], g["cells"]) for g in gold_rows}
    right = {row_text(r.label, r.cells) for r in parsed if r.resolved} & key
    texts = [squash(p.text) for p in table.fragments]
    used = {
        n
        for r in table.rows
        if r.resolved and row_text(r.label, _cells(r, parsed)) in right
        for n in r.fragments
    }
    out: dict[str, str] = {}
    for g in gold_rows:
        if any(g["cells"].get(y) is None for y in YEARS) or row_text(g["label"], g["cells"]) in right:
            continue
        targets = [squash(g["label"]), *(squash(g["cells"][y]) for y in YEARS)]
        parts: list[tuple[int, ...] | None] = []
        taken: set[int] = set()
        for k, target in enumerate(targets):
            spelled = _spell(target, texts, used | taken)
            if spelled is None and k > 1 and target == targets[k - 1]:
                parts.append(None)  # printed once for both years
                continue
            if spelled is None:
                break
            parts.append(spelled)
            taken |= set(spelled)
        if len(parts) != len(targets) or not parts[0]:
            continue
        owner = table.owners[parts[0][0]]
        if owner is None or table.rows[owner].label in out:
            continue
        out[table.rows[owner].label] = format_cut(parts)
        used |= taken
    return out


def _cells(row, parsed: Sequence[ScheduleRow]) -> dict:
    return next((r.cells for r in parsed if r.label == row.label), {})


def _spell(
    target: str, texts: Sequence[str], used: set[int], chosen: tuple[int, ...] = ()
) -> tuple[int, ...] | None:
    """Unused fragments whose texts make `target` (in print order where they can, else in the order
    the cell reads), else None."""
    if not target:
        return chosen
    last = chosen[-1] if chosen else -1
    order = [n for n in range(last + 1, len(texts))] + [n for n in range(last + 1)]
    for n in order:
        if n in used or n in chosen or not texts[n] or not target.startswith(texts[n]):
            continue
        found = _spell(target[len(texts[n]) :], texts, used, (*chosen, n))
        if found is not None:
            return found
    return None
