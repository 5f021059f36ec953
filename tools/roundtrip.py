"""Compare the records read back from a rendering with the records it was rendered from.

usage: python tools/roundtrip.py ORIGINAL(.txt|.json) RENDERED(.pdf|.json) [--details]

Prints, per field, how many records agree (text compared after NFKC with all whitespace removed), and
for the 年次別計画 the rows read back exactly, stated but wrong (resolved, yet a cell differs, or under a
label the original has not), and withheld (resolved: false); then `roundtrip_accuracy=`, the share
of fields that agree.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence

from plan_etl.form.characters import squash
from plan_etl.schemas import Initiative, Report

FIELDS = ("title", "departments", "content", "effects", "results_label", "results")


norm = squash
"""Text compared as the project compares it (NFKC, whitespace removed)."""


def row_key(row) -> tuple:
    """A schedule row as compared: its label and cells, squashed."""
    return (norm(row.label), tuple(norm(row.cells.get(y)) for y in ("R6", "R7", "R8", "R9")))


def compare(original: Report, rendered: Report) -> tuple[Counter, list[str]]:
    """Counts of agreement between two reports' records, and one line per disagreement."""
    got: dict[str, Initiative] = {r.record_id: r for r in rendered.initiatives}
    counts: Counter = Counter()
    details: list[str] = []
    for want in original.initiatives:
        counts["records"] += 1
        have = got.get(want.record_id)
        if have is None:
            counts["records_missing"] += 1
            details.append(f"{want.record_id}: no record")
            continue
        for field in FIELDS:
            a, b = getattr(want, field), getattr(have, field)
            if field == "departments":
                same = [norm(x) for x in a] == [norm(x) for x in b]
            else:
                same = norm(a) == norm(b)
            counts[f"field.{field}"] += same
            counts["fields"] += 1
            counts["fields_same"] += same
            if not same:
                details.append(f"{want.record_id} {field}: {b!r} for {a!r}")
        rows = {row_key(r)[0]: r for r in have.schedule}
        same_rows = [row_key(r) for r in want.schedule] == [row_key(r) for r in have.schedule]
        counts["fields"] += 1
        counts["fields_same"] += same_rows
        counts["field.schedule"] += same_rows
        for r in want.schedule:
            counts["rows"] += 1
            mine = rows.get(norm(r.label))
            if mine is None:
                counts["rows_missing"] += 1
                details.append(f"{want.record_id} row {r.label!r}: not read")
            elif not mine.resolved:
                counts["rows_withheld"] += 1
            elif row_key(mine) == row_key(r):
                counts["rows_exact"] += 1
            else:
                counts["rows_stated_but_wrong"] += 1
                details.append(f"{want.record_id} row {r.label!r}: {dict(mine.cells)} for {dict(r.cells)}")
        # a row read back under a label the original has not (a row cut in two) is stated wrong too
        labels = {norm(r.label) for r in want.schedule}
        for r in have.schedule:
            if r.resolved and norm(r.label) not in labels:
                counts["rows_stated_but_wrong"] += 1
                details.append(f"{want.record_id} row {r.label!r}: stated, but the original has no such row")
    return counts, details


def summary(counts: Counter) -> list[str]:
    out = [f"records: {counts['records'] - counts['records_missing']}/{counts['records']}"]
    for field in (*FIELDS, "schedule"):
        out.append(f"field.{field}: {counts[f'field.{field}']}/{counts['records']}")
    for k in ("rows_exact", "rows_stated_but_wrong", "rows_withheld", "rows_missing"):
        out.append(f"{k}: {counts[k]}/{counts['rows']}")
    out.append(f"roundtrip_accuracy={counts['fields_same'] / max(counts['fields'], 1):.4f}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    details = "--details" in args
    args = [a for a in args if a != "--details"]
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    from plan_etl.api import load_report

    counts, lines = compare(load_report(args[0]), load_report(args[1]))
    print("\n".join((lines if details else []) + summary(counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
