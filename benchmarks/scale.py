"""Scale benchmark: docs/s with 1 and 2 workers, peak memory, an unchanged re-run, dashboard queries while publishing.

    python benchmarks/scale.py --docs 10000 [--docs 100000] [--big-files] [--work /tmp/kpi-bench]

Each run is a real `python -m etl run` subprocess on a synthetic corpus (`python -m etl synth`); peak
memory is the largest total RSS of that process and its workers, sampled every 0.1 s. Prints one
Markdown table row per corpus size, ready for docs/scaling.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
QUERY_SECONDS = float(os.environ.get("BENCH_QUERY_SECONDS", "20"))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # the queries run outside a Streamlit server
sys.path.insert(0, str(ROOT))


def etl(*args: str) -> tuple[float, float]:
    """Run `python -m etl ...`; (seconds, peak MB of the process tree)."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = 0.0
    parent = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 1e6)
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"etl {' '.join(args)} failed:\n{out}")
    print("   ", out.strip().splitlines()[0], flush=True)
    return time.monotonic() - started, peak


def queries_while_publishing(db: Path, corpus: Path, seconds: float) -> dict[str, float]:
    """The dashboard's own queries in a loop while runs re-publish the database; latency in ms."""
    changed = sorted(corpus.rglob("*.txt"))[:50]
    stop = threading.Event()
    publishes = [0]

    def publish() -> None:
        while not stop.is_set():
            for path in changed:  # a small real change, so each run extracts and publishes
                path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
            etl("run", str(corpus), "--db", str(db), "--workers", "1")
            publishes[0] += 1

    worker = threading.Thread(target=publish)
    worker.start()
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or publishes[0] == 0:
        started = time.monotonic()
        try:
            _dashboard_queries()
            latencies.append((time.monotonic() - started) * 1000)
        except Exception:
            failures += 1
    stop.set()
    worker.join()
    latencies.sort()
    return {"queries": len(latencies), "failures": failures, "publishes": publishes[0],
            "p50_ms": statistics.median(latencies), "p95_ms": latencies[int(len(latencies) * 0.95)],
            "max_ms": latencies[-1]}


def _dashboard_queries() -> None:
    """What the Overview, Trends and Sources pages ask for, from dashboard/queries.py with its cache emptied."""
    from dashboard import queries

    queries._cached.clear()
    metrics = queries.metrics()
    councils = queries.councils().council.tolist()
    if not metrics.empty:
        queries.trend_in(metrics.metric.iloc[0], councils[:4], 0, 9999)
    if councils:
        queries.council_overview(councils[0])
    queries.document_totals()
    queries.documents(None, queries.DOCUMENTS_SHOWN)
    queries.load_errors()


def bench(docs: int, work: Path) -> dict[str, float]:
    """Every measurement for one corpus size."""
    corpus = work / f"corpus-{docs}"
    if not (corpus / ".complete").exists():
        print(f"writing {docs} synthetic documents to {corpus}", flush=True)
        etl("synth", "--docs", str(docs), "--out", str(corpus), "--seed", "1")
        (corpus / ".complete").touch()
    row: dict[str, float] = {"docs": docs}
    for workers in (1, 2):
        db = work / f"kpi-{docs}-{workers}.duckdb"
        db.unlink(missing_ok=True)
        seconds, peak = etl("run", str(corpus), "--db", str(db), "--workers", str(workers))
        os.environ["KPI_DB"] = str(db)
        row[f"docs_s_{workers}w"], row[f"peak_mb_{workers}w"] = docs / seconds, peak
        row[f"first_s_{workers}w"] = seconds
    rerun, _ = etl("run", str(corpus), "--db", str(db), "--workers", "2")
    row["rerun_s"], row["rerun_pct"] = rerun, 100 * rerun / row["first_s_2w"]
    row["db_mb"] = db.stat().st_size / 1e6
    row.update(queries_while_publishing(db, corpus, seconds=QUERY_SECONDS))
    return row


def big_files(work: Path) -> None:
    """The 1 GB file and the one-line 100 MB file, end to end."""
    folder = work / "big"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "one-gigabyte.txt", "wb") as f:
        for _ in range(1024):
            f.write(b"The vacancy rate was 12%.\n" * 40330)
    (folder / "one-line-100mb.txt").write_bytes(b"The vacancy rate was 12% and " * 3_500_000)
    db = work / "big.duckdb"
    db.unlink(missing_ok=True)
    seconds, peak = etl("run", str(folder), "--db", str(db), "--workers", "2")
    print(f"| big files, default 50 MB limit | {seconds:.1f} s | {peak:.0f} MB |")
    db.unlink(missing_ok=True)
    seconds, peak = etl("run", str(folder), "--db", str(db), "--workers", "2", "--max-mb", "200")
    print(f"| big files, --max-mb 200 (the 100 MB line is read) | {seconds:.1f} s | {peak:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, action="append", help="corpus size (repeatable; default 10000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kpi-bench"))
    parser.add_argument("--big-files", action="store_true", help="also time the 1 GB and 100 MB one-line files")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 1e9:.0f} GB", flush=True)
    print("| docs | docs/s 1 worker | docs/s 2 workers | peak MB 1w / 2w | first run 2w | unchanged re-run "
          "| DB MB | dashboard queries while publishing (p50 / p95 / max ms, failures, publishes) |")
    for docs in args.docs or [10_000]:
        r = bench(docs, args.work)
        print(f"| {docs:,} | {r['docs_s_1w']:.0f} | {r['docs_s_2w']:.0f} | {r['peak_mb_1w']:.0f} / "
              f"{r['peak_mb_2w']:.0f} | {r['first_s_2w']:.1f} s | {r['rerun_s']:.2f} s ({r['rerun_pct']:.1f}%) "
              f"| {r['db_mb']:.0f} | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['max_ms']:.0f}, "
              f"{r['failures']} of {r['queries']}, {r['publishes']} |", flush=True)
    if args.big_files:
        big_files(args.work)


if __name__ == "__main__":
    main()
