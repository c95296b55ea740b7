"""Extraction of the dev, seed and held-out corpora, scored in-process against their answer keys.

heldout … heldout7: 12 invented minutes each, written blind to the extractor (November 2026) to check that rules
generalise. First (blind) scores: heldout F1 0.778, heldout2 0.807 (6 txt, 3 modern.gov html, 3 real PDFs),
heldout3 0.771 (7 txt, 3 html, 2 PDFs), heldout4 0.722 (6 txt, 3 html, 3 two-page PDFs), heldout5 0.778 (hard-wrapped
txt, Q&A at full council, IRO and fostering reports), heldout6 0.806 (measure-column and £m variance tables, an
audit committee, a schools forum), heldout7 0.807 (aligned quarterly scorecards, a joint scrutiny, youth justice).
The general fixes each prompted brought them to 0.995, 0.958, 0.973, 0.950, 0.949, 0.946 and 0.919. heldout2's
remaining misses are mostly where its answer key reads the contract differently from dev's (a "Quarter 3" report
dates undated figures by the quarter in dev, by the meeting in heldout2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from etl.manifest import load_manifest
from etl.pipeline import extract_paths

TESTS = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared" / "tools"
sys.path.insert(0, str(SHARED if (SHARED / "score_extraction.py").exists() else TESTS))
import score_extraction  # noqa: E402 - found on the path set just above

CATALOGUE = TESTS.parent / "etl" / "kpi_catalogue.csv"


def _report(corpus: str) -> dict:
    folder = TESTS / "corpora" / corpus
    manifest = load_manifest(folder / "manifest.csv")
    docs = [doc.to_json() for _, doc in extract_paths([folder], manifest) if not isinstance(doc, Exception)]
    return score_extraction.score(score_extraction.load_gold(folder), docs,
                                  score_extraction.load_catalogue(CATALOGUE))


@pytest.mark.parametrize("corpus, overall, family", [("dev", 0.92, 0.85), ("seeds", 0.95, 0.0), ("heldout", 0.95, 0.9),
                                                      ("heldout2", 0.92, 0.85), ("heldout3", 0.92, 0.85),
                                                      ("heldout4", 0.90, 0.85), ("heldout5", 0.88, 0.80),
                                                      ("heldout6", 0.88, 0.80), ("heldout7", 0.85, 0.72)])
def test_corpus_f1_meets_thresholds(corpus, overall, family):
    report = _report(corpus)
    assert report["overall"]["f1"] >= overall
    low = {name: round(s["f1"], 3) for name, s in report["families"].items() if s["f1"] < family}
    assert not low
