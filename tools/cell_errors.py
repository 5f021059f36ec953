"""Schedule cells that a parse states wrongly, as opposed to leaving them null (unresolved).

usage: python tools/cell_errors.py PARSED.json GOLD.json [--details]

score.py counts a null cell and a wrong cell alike as a miss; an analyst is hurt far more by the
second. Rows are matched as score.py matches them (by label, else by position); only rows the key
marks certain or likely (with cells) are counted.
"""

from __future__ import annotations

import json
import sys
import unicodedata

from plan_etl.schemas.records import record_id

YEARS = ("R6", "R7", "R8", "R9")


def norm(s: str | None) -> str | None:
    return None if s is None else "".join(unicodedata.normalize("NFKC", s).split())


def key_of(rec: dict) -> str:
    """The record's key, as the model computes it (a parse's JSON and the answer key alike)."""
    return record_id(str(rec["item_id"]), rec.get("part") or None)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit("usage: python tools/cell_errors.py PARSED.json GOLD.json [--details]")
    with open(args[0], encoding="utf-8") as f:
        parsed = json.load(f)
    with open(args[1], encoding="utf-8") as f:
        gold = json.load(f)
    records: dict[str, dict] = {}
    for rec in parsed.get("initiatives", []):
        records.setdefault(key_of(rec), rec)
    right = null = wrong = 0
    details = []
    for g in gold["initiatives"]:
        rows = (records.get(g["key"]) or {}).get("schedule") or []
        for i, row in enumerate(g["schedule"]):
            if row["cells"] is None:
                continue
            match = next((r for r in rows if norm(r.get("label")) == norm(row["label"])), None)
            if match is None and i < len(rows):
                match = rows[i]
            cells = (match or {}).get("cells") or {}
            for y in YEARS:
                got, want = cells.get(y), row["cells"][y]
                if norm(got) == norm(want):
                    right += 1
                elif got is None:
                    null += 1
                else:
                    wrong += 1
                    details.append(f"{g['key']} {row['label']!r} {y}: {got!r} != {want!r}")
    total = right + null + wrong
    print(f"sched.cell_null: {null}/{total}")
    print(f"sched.cell_wrong_confident: {wrong}/{total}")
    if "--details" in sys.argv:
        print("\n".join(details))


if __name__ == "__main__":
    main()
