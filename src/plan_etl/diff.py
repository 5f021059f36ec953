"""What changed between two editions of a report: items added or removed, titles, departments,
schedule cells per year, and text fields (with a short inline diff).

`diff_reports(old, new)` returns `Change`s in item order. Text is compared with whitespace removed,
so a different line wrap is not a change. The results label (R6実績 -> R7実績) is the edition's own
year, not a change of the item.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

from plan_etl.form.characters import squash
from plan_etl.form.ids import item_order
from plan_etl.schemas import Initiative, Report, ScheduleRow

TEXT_FIELDS = ("content", "effects", "results")
CONTEXT = 8
"""Characters of unchanged text shown around a change in the inline diff."""


@dataclass(frozen=True)
class Change:
    item_id: str
    part: int | None
    change: str  # added, removed, title, departments, schedule, schedule_row_added, ...
    field: str | None = None
    year: str | None = None
    old: str | None = None
    new: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _key(rec: Initiative) -> tuple[str, int | None]:
    return rec.item_id, rec.part


def _order(key: tuple[str, int | None]) -> int:
    return item_order(*key)


_squash = squash  # NFKC too: validate and diff compare text alike


def diff_reports(old: Report, new: Report) -> list[Change]:
    """Every change from `old` to `new`, in item order."""
    before = {_key(r): r for r in old.initiatives}
    after = {_key(r): r for r in new.initiatives}
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        a, b = before.get(key), after.get(key)
        if a is None and b is not None:
            changes.append(Change(key[0], key[1], "added", "title", new=b.title))
        elif b is None and a is not None:
            changes.append(Change(key[0], key[1], "removed", "title", old=a.title))
        elif a is not None and b is not None:
            changes += diff_initiative(a, b)
    return changes


def diff_initiative(a: Initiative, b: Initiative) -> list[Change]:
    """Changes within one item present in both editions."""
    out: list[Change] = []
    item, part = a.item_id, a.part
    if _squash(a.title) != _squash(b.title):
        out.append(Change(item, part, "title", "title", old=a.title, new=b.title))
    if a.departments != b.departments:
        gone = [d for d in a.departments if d not in b.departments]
        came = [d for d in b.departments if d not in a.departments]
        detail = " ".join([*(f"-{d}" for d in gone), *(f"+{d}" for d in came)]) or "reordered"
        out.append(
            Change(
                item,
                part,
                "departments",
                "departments",
                old="、".join(a.departments),
                new="、".join(b.departments),
                detail=detail,
            )
        )
    out += _diff_schedule(item, part, a.schedule, b.schedule)
    for name in TEXT_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if _squash(x) != _squash(y):
            out.append(Change(item, part, "text", name, old=x, new=y, detail=inline_diff(x or "", y or "")))
    return out


def _row_key(row: ScheduleRow) -> str:
    return str(row.number) if row.number is not None else _squash(row.label)


def _diff_schedule(item: str, part: int | None, a: list[ScheduleRow], b: list[ScheduleRow]) -> list[Change]:
    out: list[Change] = []
    rows_a = {_row_key(r): r for r in a}
    rows_b = {_row_key(r): r for r in b}
    for key, ra in rows_a.items():
        rb = rows_b.get(key)
        if rb is None:
            out.append(Change(item, part, "schedule_row_removed", ra.label, old=ra.label))
            continue
        for year in ra.cells.keys() | rb.cells.keys():
            x, y = ra.cells.get(year), rb.cells.get(year)
            if _squash(x) != _squash(y):
                out.append(Change(item, part, "schedule", rb.label, year, x, y))
    out += [
        Change(item, part, "schedule_row_added", rb.label, new=rb.label)
        for key, rb in rows_b.items()
        if key not in rows_a
    ]
    return sorted(out, key=lambda c: (c.change != "schedule", c.field or "", c.year or ""))


def inline_diff(old: str, new: str, context: int = CONTEXT) -> str:
    """A one-line view of what changed: 「…前後[-削除-]{+追加+}前後…」, whitespace ignored."""
    a, b = _squash(old), _squash(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            text = a[i1:i2]
            if len(text) > 2 * context:
                head = text[:context] if n else ""
                tail = text[-context:] if n < len(ops) - 1 else ""
                text = f"{head}…{tail}"
            parts.append(text)
        else:
            if i2 > i1:
                parts.append(f"[-{a[i1:i2]}-]")
            if j2 > j1:
                parts.append(f"{{+{b[j1:j2]}+}}")
    return "".join(parts)


def changes_csv(changes: list[Change], raw: bool = False) -> str:
    """The changes as CSV text for Excel (a BOM, a header row, a row per change); a text cell a
    spreadsheet would run as a formula gets a leading ' unless `raw` (see writers/flat.py)."""
    import csv
    import io

    from plan_etl.writers.flat import csv_value

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=list(Change.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_value(v, raw) for k, v in c.as_dict().items()} for c in changes)
    return out.getvalue()
