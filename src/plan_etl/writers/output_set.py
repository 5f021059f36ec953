"""An output directory written as one set: one run at a time, the whole set swapped in at once.

A run takes a lock beside the directory (`.<name>.lock`, an advisory `flock`; a second run into the
same directory stops with a one-line error), writes every file into a staging directory beside it
(`.<name>.staging-*`), and then exchanges the staging directory with the output directory in one
step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, the previous set put back by the
next run if it was stopped between them). So a reader, or a run stopped at any point (SIGTERM, a
full disk, SIGKILL), finds the previous set or the new one, never a mix, and no temporary file is
left in the directory. Staging directories left by a killed run are removed by the next run.

The directory must hold only what plan-etl writes there: a directory that holds other files (or the
working directory itself) is refused rather than swapped away.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from plan_etl.errors import OutputError
from plan_etl.supervise import parent_only
from plan_etl.writers.atomic import current_umask

MANIFEST = "manifest.json"
"""The run's manifest: it lists the files of the set (see writers/manifest.py)."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_set(
    out_dir: str | Path,
    write: Callable[[Path], list[Path]],
    owned: Callable[[Path], bool],
    carry_over: bool = False,
) -> list[Path]:
    """Call `write(staging)` and swap the staging directory in as `out_dir`; return the written
    paths as they are under `out_dir`. `owned(path)` tells whether an entry of an existing `out_dir`
    (a path relative to it) is one plan-etl writes; `carry_over` first links the existing files into
    the staging directory (a dataset that gains an edition keeps the others). OutputError (one line)
    when the directory is busy, is not plan-etl's, or cannot be written. An `out_dir` that is a
    symbolic link is written through: the set is swapped in where it points, the link stays."""
    out_dir = through_links(out_dir)
    with output_lock(out_dir):
        _recover(out_dir)
        _check_owned(out_dir, owned)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
        try:
            os.chmod(staging, 0o777 & ~current_umask())
            if carry_over and out_dir.is_dir():
                _link_tree(out_dir, staging)
            written = write(staging)
            _fsync_dir(staging)
            previous = _swap(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        _fsync_dir(out_dir.parent)
    return [out_dir / p.relative_to(staging) for p in written]


def through_links(out_dir: str | Path) -> Path:
    """The directory a path names, absolute, a symbolic link (or links) followed: where the set is
    written, so that a link the user made stays a link."""
    path = Path(out_dir).absolute()
    return path.resolve() if path.is_symlink() else path


def manifest_files(out_dir: Path) -> set[str] | None:
    """The files (relative paths) the set's manifest lists, with the manifest; None without one."""
    try:
        doc = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = doc["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict):
        return None
    return {str(f) for f in files} | {MANIFEST}


def _check_target(out_dir: Path) -> None:
    """Refuse a directory that holds the working directory (`-o .`): a set is swapped whole."""
    here = Path.cwd().resolve()
    target = out_dir.resolve()
    if target == here or target in here.parents:
        raise OutputError(
            f"--out-dir {out_dir} is the working directory or holds it; "
            "give the outputs a directory of their own"
        )
    if target.exists() and not target.is_dir():
        raise OutputError(f"--out-dir {out_dir} is a file, not a directory")


def _check_owned(out_dir: Path, owned: Callable[[Path], bool]) -> None:
    """OutputError naming a file in `out_dir` that plan-etl did not write (swapping it away would
    lose it). Temp files of an earlier plan-etl version (`.<name>.*.tmp`) count as ours."""
    if not out_dir.is_dir():
        return
    listed = manifest_files(out_dir)
    for entry in sorted(out_dir.rglob("*")):
        rel = entry.relative_to(out_dir)
        if entry.is_dir() and not entry.is_symlink():
            continue
        if entry.name.startswith(".") and entry.name.endswith((".tmp", ".tmp.wal")):
            continue
        if (listed is not None and str(rel) in listed) or owned(rel):
            continue
        raise OutputError(
            f"--out-dir {out_dir} holds {rel}, which plan-etl did not write; "
            "give an empty directory or one plan-etl wrote"
        )


_held: set[Path] = set()
"""The output directories this process holds the lock of (a lock taken again is already held)."""


@contextlib.contextmanager
def output_lock(out_dir: str | Path) -> Iterator[int | None]:
    """Hold the lock of `out_dir` for a whole run (parse and write), so that a second run into the
    same directory stops at once rather than after its parse; OutputError if another run holds it."""
    out_dir = through_links(out_dir)
    _check_target(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir.parent}: {exc.strerror or exc}") from None
    with _locked(out_dir) as stale:
        yield stale


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[int | None]:
    """Hold `.<name>.lock` beside `out_dir` (flock, not blocking); OutputError if another run holds
    it. The lock file is removed on release (checked by inode, so a run never holds a stale one).
    Taken again in the same process, it is already held. Yields the pid a lock file left behind
    names (a run killed before it could remove it: its lock went with it, so it is taken over),
    else None."""
    if out_dir in _held:
        yield None
        return
    lock = out_dir.parent / f".{out_dir.name}.lock"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot lock {out_dir}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                who = f" (pid {holder})" if holder else ""
                raise OutputError(
                    f"another plan-etl run{who} is writing {out_dir}; run again when it has finished"
                ) from None
            raise OutputError(f"cannot lock {out_dir}: {exc.strerror or exc}") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed it as we opened it: take the new one
    stale = _read_pid(fd)
    _held.add(out_dir)
    parent_only(fd)  # a worker forked meanwhile closes it: only this process holds the lock
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield stale if stale != os.getpid() else None
    finally:
        _held.discard(out_dir)
        parent_only(fd, held=False)
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _read_pid(fd: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(os.pread(fd, 32, 0).decode().strip() or 0) or None
    return None


def _recover(out_dir: Path) -> None:
    """Put back a previous set a stopped run had moved aside (only between two renames, where the
    exchange is not available), then remove what stopped runs left beside the directory."""
    parent, name = out_dir.parent, out_dir.name
    aside = sorted(parent.glob(f".{name}.old-*"), key=lambda p: p.stat().st_mtime)
    if aside and not out_dir.exists():
        os.rename(aside.pop(), out_dir)
    for left in [*aside, *parent.glob(f".{name}.staging-*")]:
        shutil.rmtree(left, ignore_errors=True)


def _swap(staging: Path, out_dir: Path) -> Path | None:
    """Make `staging` the new `out_dir`; return where the previous set now is (None if none)."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return None
    if _exchange(staging, out_dir):
        return staging
    aside = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    os.rename(out_dir, aside)
    os.rename(staging, out_dir)
    return aside


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two directories in one step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link every file under `src` into the same place under `dst` (copy where links fail)."""
    for entry in src.rglob("*"):
        target = dst / entry.relative_to(src)
        if entry.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(entry, target)
        except OSError:
            shutil.copy2(entry, target)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
