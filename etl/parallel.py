"""Extract many files at once in worker processes, each file under a time and memory limit.

The parent hands one file at a time to each idle worker and reads results as they come, so no more
than `workers` documents are ever held in flight however large the corpus. A worker that runs past
the per-file time limit, or dies, is killed and replaced; its file is reported with the reason and
the run goes on.

Workers come from a forkserver (never a fork of a process holding DuckDB threads). As with any
multiprocessing, a script that calls this must guard its own work with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from etl.model import Document, ReadError
from etl.pipeline import extract_file

Task = tuple[Path, dict[str, str] | None]
Outcome = tuple[Path, Document | str]  # the Document, or the one-line reason the file was not loaded
Extract = Callable[[Path, dict[str, str] | None, int], Document | str]
DEFAULT_TIMEOUT = 120.0
DEFAULT_WORKER_MB = 2048


def extract_one(path: Path, overrides: dict[str, str] | None, max_bytes: int) -> Document | str:
    """One file's Document, or the reason it could not be loaded; never raises for a bad file."""
    try:
        return extract_file(path, overrides, max_bytes)
    except ReadError as exc:
        return str(exc)
    except MemoryError:
        return "needs more memory than a worker may use (a compression or PDF bomb?)"
    except RecursionError:
        return "nested too deeply to read"
    except Exception as exc:  # one bad file must never abort the run
        return f"could not be processed ({type(exc).__name__}: {exc})"


def extract_many(tasks: Iterable[Task], workers: int, max_bytes: int, file_timeout: float = DEFAULT_TIMEOUT,
                 worker_mb: int = DEFAULT_WORKER_MB, extract: Extract = extract_one) -> Iterator[Outcome]:
    """Each task's outcome, in completion order, from `workers` processes working side by side.

    `extract` runs in the workers, so it must be a module-level function.
    """
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["etl.pipeline"])
    pending = iter(tasks)
    first = next(pending, None)
    if first is None:  # nothing to extract: start no processes
        return
    pending = itertools.chain([first], pending)
    pool = [_Worker.start(ctx, worker_mb, extract) for _ in range(max(1, workers))]
    exhausted = False
    try:
        while True:
            for w in pool:
                if w.task is None and not exhausted:
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                    else:
                        w.give(task, max_bytes)
            busy = [w for w in pool if w.task is not None]
            if not busy:
                return
            deadline = min(w.started for w in busy) + file_timeout
            ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            for i, w in enumerate(pool):
                if w.task is None:
                    continue
                if w.conn in ready:
                    path, result = w.collect()
                elif time.monotonic() - w.started >= file_timeout:
                    path, result = w.task[0], f"timed out after {file_timeout:g} s; skipped"
                else:
                    continue
                if w.task is not None:  # timed out or died: replace the process
                    w.stop()
                    pool[i] = _Worker.start(ctx, worker_mb, extract)
                yield path, str(result) if isinstance(result, str) else result
    finally:
        for w in pool:
            w.stop()


class _Died(str):
    """The reason a worker process ended while reading a file."""


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Hide the main script's file while a worker starts: workers need only etl.pipeline, and re-running
    a main script that has no `__main__` guard (a Streamlit page, a test harness) would fail in the worker."""
    main = sys.modules["__main__"]
    saved = main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        if saved is not None:
            main.__file__ = saved


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    task: Task | None = None
    started: float = 0.0

    @classmethod
    def start(cls, ctx: mp.context.BaseContext, worker_mb: int, extract: Extract) -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, worker_mb, extract), daemon=True)
        with _main_not_rerun():
            proc.start()
        child.close()
        return cls(proc, parent)

    def give(self, task: Task, max_bytes: int) -> None:
        self.conn.send((task[0], task[1], max_bytes))
        self.task, self.started = task, time.monotonic()

    def collect(self) -> tuple[Path, Document | str]:
        """The finished task's result; a _Died reason when the process ended instead of answering."""
        path = self.task[0]
        try:
            result = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(1)
            code = self.proc.exitcode
            return path, _Died(f"the reading process stopped (exit code {code}) on this file; skipped")
        self.task = None
        return path, result

    def stop(self) -> None:
        if self.proc.is_alive():
            if self.task is None:
                try:
                    self.conn.send(None)
                    self.proc.join(2)
                except OSError:
                    pass
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(5)
        self.conn.close()


def _serve(conn: Connection, worker_mb: int, extract: Extract) -> None:
    """A worker's loop: read tasks from the pipe, answer with a Document or a reason, until None."""
    limit = worker_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        task = conn.recv()
        if task is None:
            return
        conn.send(extract(*task))
