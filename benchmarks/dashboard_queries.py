"""How long each dashboard page's queries take on a large warehouse (1,000,000 synthetic figures).

    python benchmarks/dashboard_queries.py [--figures 1000000] [--db PATH] [--repeat 5]

Builds the database once (150 councils, 35 metrics, meetings 2010–2025, about 100 figures a meeting), then
runs every query each page makes, uncached, several times and reports the median and worst time per page.
Target: at most 150 ms per page.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import warehouse  # noqa: E402

TARGET_MS = 150
COUNCILS, FIRST_YEAR, LAST_YEAR, MEETINGS_PER_YEAR = 150, 2010, 2025, 4
UNIT_SCALE = {"pct": (5, 95), "gbp": (1e5, 5e7), "count": (1, 2000), "cases": (8, 30), "fte": (1, 60),
              "days": (3, 20), "per_10k": (30, 150)}


def _catalogue() -> pd.DataFrame:
    return pd.read_csv(warehouse.CATALOGUE)


def _councils() -> list[str]:
    with open(warehouse.COUNCILS, newline="", encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f)][:COUNCILS]


def build(db: Path, n_figures: int, seed: int = 7) -> None:
    """Write a warehouse with n_figures council figures spread over meetings of 150 councils."""
    rng = np.random.default_rng(seed)
    cat = _catalogue()
    councils = _councils()
    meetings = [(c, y, m) for c in councils for y in range(FIRST_YEAR, LAST_YEAR + 1)
                for m in range(1, 13, 12 // MEETINGS_PER_YEAR)]
    per_doc = -(-n_figures // len(meetings))
    docs = pd.DataFrame({
        "id": [f"doc{i:06d}" for i in range(len(meetings))],
        "council": [m[0] for m in meetings],
        "meeting_date": [f"{m[1]}-{m[2]:02d}" for m in meetings],
        "meeting_day": [date(m[1], m[2], 1) for m in meetings],
    })
    docs["source"] = "synthetic/" + docs.id + ".txt"
    docs["file_name"] = docs.id + ".txt"
    docs["committee"] = "Children's Services Scrutiny Committee"
    docs["title"] = docs.council + " children's services scrutiny, " + docs.meeting_date
    sentence = "Officers reported the figure {} for this measure at the meeting."
    docs["text"] = [" ".join(sentence.format(j) for j in range(per_doc)) for _ in range(len(docs))]

    doc_idx = np.repeat(np.arange(len(docs)), per_doc)[:n_figures]
    slot = np.tile(np.arange(per_doc), len(docs))[:n_figures]
    metric_idx = rng.integers(0, len(cat), n_figures)
    units = cat.unit.to_numpy()[metric_idx]
    lo = np.array([UNIT_SCALE[u][0] for u in cat.unit])[metric_idx]
    hi = np.array([UNIT_SCALE[u][1] for u in cat.unit])[metric_idx]
    value = np.round(lo + rng.random(n_figures) * (hi - lo), 1)
    starts = np.array([len(" ".join(sentence.format(j) for j in range(k))) + (1 if k else 0)
                       for k in range(per_doc)])
    lengths = np.array([len(sentence.format(j)) for j in range(per_doc)])
    is_target = rng.random(n_figures) < 0.05
    ranged = rng.random(n_figures) < 0.1
    meeting_day = docs.meeting_day.to_numpy()[doc_idx]
    figs = pd.DataFrame({
        "figure_key": [f"f{i:08d}" for i in range(n_figures)],
        "document_id": docs.id.to_numpy()[doc_idx],
        "role": "council",
        "metric": cat.metric.to_numpy()[metric_idx],
        "value": value,
        "low": np.where(ranged, value * 0.95, np.nan),
        "high": np.where(ranged, value * 1.05, np.nan),
        "unit": units,
        "as_of": [None if t else f"{d.year}-{d.month:02d}" for t, d in zip(is_target, meeting_day, strict=True)],
        "as_of_day": [None if t else d for t, d in zip(is_target, meeting_day, strict=True)],
        "kind": np.where(is_target, "target", "actual"),
        "qualifier": np.where(rng.random(n_figures) < 0.1, "approx", None),
        "scope": None,
        "quote": [sentence.format(j) for j in slot],
        "start": starts[slot],
        "end": starts[slot] + lengths[slot],
        "confidence": 0.8,
        "extractor_version": "benchmark",
    })
    db.unlink(missing_ok=True)
    with warehouse.building(db) as con:
        now = datetime.now()
        con.register("docs_df", docs)
        con.execute("""INSERT INTO documents SELECT id, source, file_name, NULL, title, council, committee,
                       meeting_date, meeting_day, text, 'benchmark', 'benchmark', ? FROM docs_df""", [now])
        con.register("figs_df", figs)
        con.execute("""INSERT INTO figures SELECT figure_key, document_id, role, metric, value, low, high, unit,
                       as_of, as_of_day, kind, qualifier, scope, quote, "start", "end", []::VARCHAR[], confidence,
                       extractor_version FROM figs_df""")
        con.execute("INSERT INTO load_errors VALUES ('synthetic/bad.pdf', 'bad.pdf', 'the PDF is truncated', "
                    "'benchmark', ?)", [now])


def page_queries(councils: list[str]) -> dict[str, list]:
    """Every query each page runs for a typical first view, as (function, args) pairs."""
    from dashboard import queries as q

    one, some, metric = councils[0], councils[:4], "agency_staff_pct"
    span = (FIRST_YEAR, LAST_YEAR)
    no_filter = ([], [], [], [], None)
    return {
        "overview": [(q.has_figures, ()), (q.gazetteer, ()), (q.council_overview, (one,))],
        "trends": [(q.has_figures, ()), (q.metrics, ()), (q.councils, (metric,)), (q.year_span, ()),
                   (q.trend_in, (metric, some, *span)), (q.official_metrics, ())],
        "compare": [(q.has_figures, ()), (q.gazetteer, ()), (q.latest_values, (councils[:8],))],
        "evidence (no filter)": [(q.has_figures, ()), (q.gazetteer, ()), (q.metrics, ()), (q.year_span, ()),
                                 (q.evidence_count, no_filter), (q.evidence, (*no_filter, 1000))],
        "evidence (one council)": [(q.evidence_count, ([one], [], [], [], None)),
                                   (q.evidence, ([one], [], [], [], None, 1000))],
        "evidence (source document)": [(q.figure, ("f00000001",)), (q.document, ("doc000000",))],
        "sources": [(q.documents, ()), (q.load_errors, ())],
    }


def measure(repeat: int, verbose: bool = False) -> dict[str, list[float]]:
    """Milliseconds per page, uncached (the query cache is cleared before every page view), repeat times."""
    from dashboard import queries as q

    timings: dict[str, list[float]] = {}
    each: dict[str, list[float]] = {}
    for page, calls in page_queries(_councils()).items():
        for _ in range(repeat):
            q._cached.clear()
            t0 = time.perf_counter()
            for fn, args in calls:
                t1 = time.perf_counter()
                fn(*args)
                each.setdefault(f"{page}: {fn.__name__}", []).append((time.perf_counter() - t1) * 1000)
            timings.setdefault(page, []).append((time.perf_counter() - t0) * 1000)
    if verbose:
        for name, ms in each.items():
            print(f"  {name:50} {statistics.median(ms):6.0f} ms")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/kpi-benchmark.duckdb"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--verbose", action="store_true", help="also time each query")
    args = parser.parse_args()
    if not (args.reuse and args.db.exists()):
        t0 = time.perf_counter()
        build(args.db, args.figures)
        print(f"built {args.db} with {args.figures:,} figures in {time.perf_counter() - t0:.1f} s "
              f"({args.db.stat().st_size / 1e6:.0f} MB)")
    os.environ["KPI_DB"] = str(args.db)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    worst = 0.0
    print(f"{'page':28} {'median ms':>10} {'worst ms':>10}")
    for page, ms in measure(args.repeat, args.verbose).items():
        worst = max(worst, statistics.median(ms))
        flag = "" if statistics.median(ms) <= TARGET_MS else "  over target"
        print(f"{page:28} {statistics.median(ms):10.0f} {max(ms):10.0f}{flag}")
    print(f"target {TARGET_MS} ms per page: {'met' if worst <= TARGET_MS else 'NOT met'}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
