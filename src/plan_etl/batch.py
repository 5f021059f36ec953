"""Many report files at once: expand folders, parse in parallel processes, hand back each result.

Each worker parses one file (a PDF's pages then in the same process: `workers=1` inside) and
returns the Report as JSON, which pickles faster than the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from plan_etl.errors import InputError
from plan_etl.schemas import Report


@dataclass
class Outcome:
    path: Path
    report: Report | None
    error: str | None


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder gives its regular files (not hidden ones), sorted by name."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


def _parse_one(path: str, engine: str | None = None) -> tuple[str, str | None, str | None]:
    from plan_etl.api import parse_report

    try:
        return path, parse_report(path, workers=1, engine=engine).model_dump_json(), None
    except InputError as exc:
        return path, None, str(exc)
    except Exception as exc:  # one bad file must not stop the batch
        return path, None, f"{path}: {type(exc).__name__}: {exc}"


def parse_many(paths: list[Path], workers: int = 1, engine: str | None = None) -> Iterator[Outcome]:
    """Parse every file, `workers` at a time (PDFs read with `engine`); outcomes come as files finish."""
    if workers <= 1 or len(paths) <= 1:
        for p in paths:
            yield _outcome(*_parse_one(str(p), engine))
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
        futures = [pool.submit(_parse_one, str(p), engine) for p in paths]
        for fut in as_completed(futures):
            yield _outcome(*fut.result())


def _outcome(path: str, doc: str | None, error: str | None) -> Outcome:
    return Outcome(Path(path), Report.model_validate_json(doc) if doc else None, error)
