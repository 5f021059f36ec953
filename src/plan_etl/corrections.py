"""The corrections file: a reviewer's decisions, kept beside the report as TOML (human-readable,
diff-friendly; comments and hand edits are kept when `plan-etl review` adds a decision).

    # plan-etl corrections for setagaya_plan_r6_progress.txt: one [[row]] per reviewed row.
    [[row]]
    record_id = "1-5"
    label = "①地区情報共有プラットフォームの整備"   # the label the parser left the row with
    fingerprint = "3f2a9c01d4e5"                    # of the table's open fragments
    cut = "0-1 | 2 | 3 | = | 4"                     # fragments for the label | R6 | R7 | R8 | R9

What a decision may do is checked where it is applied (`plan_etl.parsers.yearly_plan.review`).
"""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from plan_etl.inputs import corrections_path
from plan_etl.parsers.yearly_plan.review import CorrectionError, Decision, parse_cut
from plan_etl.writers.atomic import atomic_write

__all__ = ["corrections_path", "load_corrections", "remove_decision", "save_decision"]

KEYS = ("record_id", "label", "fingerprint", "cut")


def load_corrections(path: Path) -> list[Decision]:
    """The decisions of a corrections file; CorrectionError (one line, naming the entry) for a
    file that is not one."""
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorrectionError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise CorrectionError(f"{path}: not TOML ({exc})") from None
    rows = doc.get("row", [])
    if not isinstance(rows, list):
        raise CorrectionError(f"{path}: `row` must be an array of tables ([[row]])")
    out = []
    for k, entry in enumerate(rows, 1):
        where = f"{path.name} entry {k}"
        if not isinstance(entry, dict) or set(entry) != set(KEYS):
            raise CorrectionError(f"{where}: an entry has exactly {', '.join(KEYS)}")
        if not all(isinstance(entry[key], str) for key in KEYS):
            raise CorrectionError(f"{where}: {', '.join(KEYS)} are strings")
        where = f"{where} ({entry['record_id']} {str(entry['label'])[:20]!r})"
        cut = parse_cut(str(entry["cut"]), where)
        out.append(
            Decision(str(entry["record_id"]), str(entry["label"]), str(entry["fingerprint"]), cut, where)
        )
    return out


def save_decision(path: Path, decision: Decision, source: str = "") -> None:
    """Add a decision to the file (made if need be), replacing one for the same row (of this table,
    or a stale one of its earlier text); written whole or not at all, the file's comments kept."""
    doc = _document(path, source)
    rows = doc.setdefault("row", tomlkit.aot())
    entry = tomlkit.table()
    for key in KEYS[:3]:
        entry.add(key, getattr(decision, key))
    entry.add("cut", decision.cut_text)
    for k, old in enumerate(rows):
        if _same_row(old, decision, any_fingerprint=True):
            rows[k] = entry
            break
    else:
        rows.append(entry)
    _write(path, doc)


def remove_decision(path: Path, decision: Decision) -> None:
    """Take a decision out of the file (a row reviewed again, or left open after all)."""
    if not path.exists():
        return
    doc = _document(path)
    rows = doc.get("row", [])
    keep = [r for r in rows if not _same_row(r, decision)]
    if len(keep) != len(rows):
        del doc["row"]
        if keep:
            doc["row"] = tomlkit.aot()
            for r in keep:
                doc["row"].append(r)
        _write(path, doc)


def _same_row(entry: object, d: Decision, any_fingerprint: bool = False) -> bool:
    if not isinstance(entry, dict):
        return False
    same = (entry.get("record_id"), entry.get("label")) == (d.record_id, d.label)
    return same and (any_fingerprint or entry.get("fingerprint") == d.fingerprint)


def _document(path: Path, source: str = "") -> tomlkit.TOMLDocument:
    if path.exists():
        try:
            return tomlkit.parse(path.read_text(encoding="utf-8"))
        except (TOMLKitError, UnicodeDecodeError) as exc:
            raise CorrectionError(f"{path}: not TOML ({exc})") from None
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            f"plan-etl corrections{' for ' + source if source else ''}: one [[row]] per reviewed row."
        )
    )
    doc.add(tomlkit.comment("cut: the table's fragments (numbered as `plan-etl review` shows them) for"))
    doc.add(tomlkit.comment("label | R6 | R7 | R8 | R9; `=` repeats the year before (a cell printed once)."))
    return doc


def _write(path: Path, doc: tomlkit.TOMLDocument) -> None:
    text = tomlkit.dumps(doc)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
