"""Extraction speed and memory: a corpus built by repeating the dev texts, read on one core.

    python benchmarks/extract_speed.py [--mb 20]

Prints MB/s (wall clock and CPU time of this process) and peak traced memory for two corpus sizes
(half and full), to show memory stays flat. Speed is timed without tracemalloc (which slows Python
down several times); memory is a second pass under tracemalloc. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.figures import find_figures
from etl.model import Meeting
from etl.readers import read_file

DEV = Path(__file__).resolve().parents[1] / "tests" / "corpora" / "dev"


def build_corpus(folder: Path, megabytes: float) -> list[Path]:
    """Write copies of the dev texts (as read) into ``folder`` until they hold ``megabytes``."""
    texts = [read_file(p).text for p in sorted(DEV.iterdir()) if p.suffix in (".txt", ".html", ".pdf")]
    paths, size, n = [], 0, 0
    while size < megabytes * 1e6:
        text = texts[n % len(texts)]
        path = folder / f"doc{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        size += len(text.encode("utf-8"))
        n += 1
    return paths


def run(paths: list[Path]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, MB read and figures found, extracting one file at a time."""
    wall, cpu, size, found = time.perf_counter(), time.process_time(), 0, 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        size += len(text.encode("utf-8"))
        figures, _ = find_figures(text, Meeting(meeting_date="2020-01-01"))
        found += len(figures)
    return time.perf_counter() - wall, time.process_time() - cpu, size / 1e6, found


def peak_mb(paths: list[Path]) -> float:
    """Peak traced memory (MB) while extracting ``paths``."""
    tracemalloc.start()
    run(paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the larger corpus in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_corpus(Path(tmp), args.mb)
        for share in (0.5, 1.0):
            subset = paths[: max(1, int(len(paths) * share))]
            wall, cpu, mb, found = run(subset)
            print(f"{mb:6.1f} MB  {wall:6.1f} s wall {mb / wall:5.2f} MB/s  {cpu:6.1f} s CPU {mb / cpu:5.2f} MB/s  "
                  f"peak {peak_mb(subset):6.1f} MB  ({len(subset)} documents, {found} figures)", flush=True)

if __name__ == "__main__":
    main()
