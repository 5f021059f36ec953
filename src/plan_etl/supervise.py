"""Work on input files in watched worker processes: each job runs in a process of its own (its own
process group, with any page workers it starts), which is killed when it runs over its wall time
or when one of its processes runs over its memory; the job is then reported as failed with a
one-line reason naming the limit and its option, and the other jobs go on.

Workers are forked (Linux): they start at once with the modules already imported. Memory is each
process's resident set, read from /proc every `POLL_S` seconds (not watched where there is no /proc).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from plan_etl.errors import InputError, WorkerCrash
from plan_etl.limits import Limits, MiB

POLL_S = 0.05
"""How often a running job's time and memory are checked."""

GC_GEN0 = 20_000
"""The collector's first-generation threshold in a worker and while PDF pages are read (Python's
default: 700). A parse makes many short-lived objects and little cyclic garbage (a page's tens of
thousands of characters and runs, none in a cycle); collecting every 700 allocations spends a tenth
of the time scanning them. Memory stays bounded by the worker's limit either way."""


@contextlib.contextmanager
def kept_objects() -> Iterator[None]:
    """The collector paused while the block makes objects that are kept (a report received or
    read), then those and everything older frozen: tens of thousands of new objects would each few
    hundred set off a collection, and those scan the whole heap (pyarrow's, numpy's, pydantic's
    modules) again and again. Receiving the parsed report took 19 ms that way, and 4 ms paused.
    Frozen objects are still freed when the last reference goes; only cycles among them are not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Done:
    """A job's end: its result, or why it failed (one line)."""

    index: int
    result: Any = None
    error: str | None = None
    crashed: bool = False
    """The error is an unexpected exception (a bug), not a bad input or a limit."""


@dataclass
class _Running:
    index: int
    name: str
    process: Any  # multiprocessing.Process
    conn: Connection
    started: float


def run_watched(
    jobs: Sequence[tuple[str, Callable[..., Any], tuple[Any, ...]]],
    workers: int,
    limits: Limits,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Done]:
    """Run each job (`name` for messages, a function and its arguments) in a worker, `workers` at a
    time; yield each job's Done as it ends. An InputError raised by a job is its one-line error;
    another exception is named with its type. `meanwhile()` is called once the first workers have
    started: work of this process that runs beside them (importing the writers), never in a
    thread, which a later fork could catch holding a lock."""
    ctx = multiprocessing.get_context("fork")
    pending = deque(enumerate(jobs))
    running: list[_Running] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                index, (name, fn, args) = pending.popleft()
                receive, send = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_work, args=(send, fn, args, receive), daemon=False)
                process.start()
                send.close()
                with contextlib.suppress(OSError):
                    os.setpgid(process.pid, process.pid)  # also done by the child: whichever is first
                running.append(_Running(index, name, process, receive, time.monotonic()))
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            ready = set(wait([r.conn for r in running], timeout=POLL_S))
            for job in list(running):
                done = _received(job) if job.conn in ready else _over_limit(job, limits)
                if done is not None:
                    running.remove(job)
                    yield done
    finally:
        for job in running:
            _kill(job)


def run_one(
    name: str,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    limits: Limits,
    meanwhile: Callable[[], None] | None = None,
) -> Any:
    """`fn(*args)` in a worker held to `limits`' wall time and memory: what every command that opens
    an input runs its reading in. InputError (one line) saying why it failed, WorkerCrash for a bug."""
    [done] = run_watched([(name, fn, args)], 1, limits, meanwhile)
    if done.crashed:
        raise WorkerCrash(done.error)
    if done.error is not None:
        raise InputError(done.error)
    return done.result


def _work(
    send: Connection, fn: Callable[..., Any], args: tuple[Any, ...], receive: Connection | None = None
) -> None:
    """The worker: its own process group, tied to its parent's life, holding nothing of the
    parent's (the pipe's reading end, the output lock, the terminal); then the job, its result or
    error sent back."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the tie was made
        os._exit(1)
    if receive is not None:
        receive.close()  # so that a send to a dead parent fails rather than blocks
    for fd in tuple(PARENT_ONLY_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _quiet_stdio()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()  # what the parent made is not garbage: the collector need not scan it again here
    gc.set_threshold(GC_GEN0, *gc.get_threshold()[1:])
    try:
        message: tuple[str, Any] = ("ok", fn(*args))
    except InputError as exc:
        message = ("error", str(exc))
    except MemoryError:
        message = ("crash", "out of memory")
    except Exception as exc:
        message = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        send.send(message)
    except Exception as exc:  # a result that cannot be sent back (too large to pickle)
        send.send(("error", f"cannot hand the result back ({type(exc).__name__}: {exc})"))
    send.close()


PARENT_ONLY_FDS: set[int] = set()
"""File descriptors a worker closes at once (the output directory's lock: a worker that outlived
its parent would hold it). Register with `parent_only`."""


def parent_only(fd: int, held: bool = True) -> None:
    """Mark `fd` as the parent's alone (closed in every worker), or unmark it."""
    (PARENT_ONLY_FDS.add if held else PARENT_ONLY_FDS.discard)(fd)


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG), so that a
    parse killed with SIGKILL leaves no worker behind; elsewhere, nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _quiet_stdio() -> None:
    """Standard output and error to /dev/null: a worker says everything through its pipe, and a
    caller waiting for the parent's output to end is not kept waiting by a worker's copy."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)


def _received(job: _Running) -> Done:
    """The job's message; a worker that died before sending one (killed by the system's OOM
    killer, a crash in a C library) is reported with its signal."""
    try:
        with kept_objects():
            status, value = job.conn.recv()
    except (EOFError, OSError):
        job.process.join(5)
        code = job.process.exitcode
        _kill(job)
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return Done(job.index, error=f"{job.name}: the worker died ({how}) before it finished")
    job.process.join(5)
    _kill(job)  # its page workers, if any are left
    if status == "ok":
        return Done(job.index, result=value)
    if status == "crash":  # an InputError's message names its file; an exception's may not
        return Done(job.index, error=f"{job.name}: {value}", crashed=True)
    return Done(job.index, error=value)


def _over_limit(job: _Running, limits: Limits) -> Done | None:
    """A Done (and the worker killed) when the job has run over its time or memory; else None."""
    elapsed = time.monotonic() - job.started
    if limits.timeout_s and elapsed > limits.timeout_s:
        _kill(job)
        return Done(
            job.index,
            error=f"{job.name}: still running after {limits.timeout_s:g} s: over the time limit "
            f"(raise it with {limits.option('timeout_s')})",
        )
    if limits.max_memory_mb:
        rss = max((_rss(pid) for pid in _group(job.process.pid)), default=0)
        if rss > limits.max_memory_mb * MiB:
            _kill(job)
            return Done(
                job.index,
                error=f"{job.name}: a worker used more than {limits.max_memory_mb} MiB: over the memory "
                f"limit (raise it with {limits.option('max_memory_mb')})",
            )
    return None


def _kill(job: _Running) -> None:
    """Kill the job's process group (the worker and any page workers it started), then reap it."""
    with contextlib.suppress(OSError):
        os.killpg(job.process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, ValueError):
        job.process.kill()
    job.process.join(5)
    job.conn.close()


def _group(pgid: int) -> list[int]:
    """The processes of a process group (from /proc; empty where there is none)."""
    members = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


def _rss(pid: int) -> int:
    """A process's resident memory in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0
