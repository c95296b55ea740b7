"""Extraction on a dask.distributed cluster, for corpora one machine cannot keep up with.

The engine has the same shape as `parallel.extract_many`: tasks in, (path, Document or reason) out.
Workers must see the minutes at the same paths (a shared or network file system); this process
still writes the database, so the result is the same as a local run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from etl.parallel import DEFAULT_TIMEOUT, Outcome, Task, extract_one


def dask_engine(scheduler: str | None = None, file_timeout: float = DEFAULT_TIMEOUT,
                window: int | None = None) -> Callable[..., Iterator[Outcome]]:
    """An engine running on the dask scheduler at `scheduler`, or on a new local cluster when None."""

    def run(tasks: Iterable[Task], max_bytes: int) -> Iterator[Outcome]:
        from distributed import Client, LocalCluster

        if scheduler:
            with Client(scheduler) as client:
                yield from _extract_on(client, tasks, max_bytes, file_timeout, window)
        else:
            with LocalCluster(dashboard_address=None, host="127.0.0.1") as cluster, Client(cluster) as client:
                yield from _extract_on(client, tasks, max_bytes, file_timeout, window)

    return run


def _extract_on(client, tasks: Iterable[Task], max_bytes: int, file_timeout: float,
                window: int | None) -> Iterator[Outcome]:
    """Keep at most `window` files in flight on the cluster (default two per worker thread).

    The time limit counts from submission, so it is stretched by how many tasks can queue ahead.
    """
    from distributed import wait

    threads = max(1, sum(client.nthreads().values()))
    window = window or 2 * threads
    file_timeout *= max(1.0, window / threads)
    pending = iter(tasks)
    flight: dict = {}  # future -> (path, submitted at)
    while True:
        while len(flight) < window and (task := next(pending, None)) is not None:
            future = client.submit(extract_one, task[0], task[1], max_bytes, pure=False)
            flight[future] = (task[0], time.monotonic())
        if not flight:
            return
        oldest = min(started for _, started in flight.values())
        try:
            done, _ = wait(list(flight), timeout=max(0.1, oldest + file_timeout - time.monotonic()),
                           return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        for future in done:
            path, _ = flight.pop(future)
            yield path, _result(future)
        for future, (path, started) in list(flight.items()):
            if time.monotonic() - started >= file_timeout:
                future.cancel()  # dask cannot stop a running thread; the result is dropped
                del flight[future]
                yield path, f"timed out after {file_timeout:g} s; skipped"


def _result(future):
    """The task's Document or reason; a task the cluster lost is reported, not raised."""
    try:
        return future.result()
    except Exception as exc:
        return f"could not be processed on the cluster ({type(exc).__name__}: {exc})"
