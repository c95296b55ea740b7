"""The synthetic corpus: deterministic, minutes-like, every known figure stated in its file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from etl.readers import read_file
from etl.synth import write_corpus


def test_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 15, seed=3)
    write_corpus(tmp_path / "b", 15, seed=3)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_every_gold_figure_is_stated_in_its_file_as_read(synth_corpus: Path) -> None:
    gold = json.loads((synth_corpus / "gold.json").read_text(encoding="utf-8"))["documents"]
    paths = {p.name: p for p in synth_corpus.rglob("*") if p.suffix in (".txt", ".html")}
    checked = 0
    for doc in gold:
        if doc["file"] in paths:
            text = read_file(paths[doc["file"]]).text
            assert all(fig["evidence"] in text for fig in doc["figures"]), doc["file"]
            checked += 1
    assert checked > 100 and sum(len(d["figures"]) for d in gold) > 500


def test_manifest_names_every_file_with_council_and_date(synth_corpus: Path) -> None:
    with open(synth_corpus / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    files = {p.name for p in synth_corpus.rglob("*") if p.suffix in (".txt", ".html", ".pdf")}
    assert {r["file"] for r in rows} == files and len(files) == 120
    assert all(r["council"] and r["meeting_date"][:2] == "20" for r in rows)
