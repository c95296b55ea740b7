#!/usr/bin/env python3
# ruff: noqa  (verbatim copy of /work/shared/tools/score_extraction.py, the fallback for test_extraction_score)
"""Score the output of `python -m etl extract` against a hand-made answer key.

    score_extraction.py GOLD_DIR EXTRACT_JSON [--json] [--min-f1 X] [--verbose]
                        [--catalogue PATH]

GOLD_DIR holds `gold.json`; EXTRACT_JSON is the extractor's JSON array, or `-`
for standard input. Both formats are described in
`../spec/extraction-contract.md`. Standard library only.

Extracted documents are paired with gold documents by the file name at the end
of `source` (a path or a URL). Within a document, figures are matched greedily
and one to one:

- metric and kind are equal (a missing kind is "actual");
- the value is within 0.5% of the gold value (1e-9 when the gold value is 0);
  for a gold range, `low` and `high` must each be within 0.5% instead;
- where the gold `as_of` is given, the extracted `as_of` has the same year.

Each gold figure, in order, takes the first unmatched extracted figure that
matches, preferring one whose `as_of` is exactly the gold's. Extracted figures
whose metric is not in the catalogue count as false positives.

Exit status: 0 ok, 1 when F1 is below --min-f1, 2 when an input is unreadable.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

REL_TOL = 0.005
ABS_TOL = 1e-9
DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "spec" / "kpi_catalogue.csv"
UNKNOWN_FAMILY = "(not in catalogue)"


class InputError(Exception):
    """An input file is missing or not in the expected shape."""


# --------------------------------------------------------------------------- loading


def load_catalogue(path: Path) -> dict[str, str]:
    """Return {metric id: family} from kpi_catalogue.csv."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return {row["metric"]: row["family"] for row in csv.DictReader(f)}
    except (OSError, KeyError) as exc:
        raise InputError(f"cannot read catalogue {path}: {exc}") from exc


def load_gold(gold_dir: Path) -> list[dict]:
    """Return the documents of GOLD_DIR/gold.json."""
    path = gold_dir / "gold.json"
    data = _read_json(path, str(path))
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
        raise InputError(f"{path}: expected an object with a 'documents' list")
    return docs


def load_extraction(name: str) -> list[dict]:
    """Return the extractor's documents from a file, or from stdin when name is '-'."""
    if name == "-":
        try:
            data = json.loads(sys.stdin.read())
        except json.JSONDecodeError as exc:
            raise InputError(f"stdin: not valid JSON ({exc})") from exc
    else:
        data = _read_json(Path(name), name)
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise InputError(f"{name}: expected a JSON array of document objects")
    return data


def _read_json(path: Path, label: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{label}: cannot read ({exc.strerror or exc})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{label}: not valid JSON ({exc})") from exc


# --------------------------------------------------------------------------- normalising


def basename(source: str) -> str:
    """File name at the end of a path or URL.

    >>> basename("https://example.gov.uk/minutes/kent-2019.html?id=4")
    'kent-2019.html'
    >>> basename("data/minutes/kent-2019.txt")
    'kent-2019.txt'
    """
    if "://" in source:
        source = unquote(urlsplit(source).path)
    return re.split(r"[\\/]", source.rstrip("/\\"))[-1]


def canonical_council(name: str | None) -> str | None:
    """Council name reduced for comparison; None for no name.

    >>> canonical_council("The Brighton & Hove Council")
    'brighton and hove'
    >>> canonical_council("City of York Council")
    'york'
    """
    if not isinstance(name, str) or not name.strip():
        return None
    name = " ".join(name.lower().replace("&", " and ").split())
    name = name.removeprefix("the ").removeprefix("city of ")
    return name.removesuffix(" council")


def _kind(fig: dict) -> str:
    return fig.get("kind") or "actual"


def _number(x) -> float | None:
    if isinstance(x, bool):
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _close(extracted, gold) -> bool:
    e, g = _number(extracted), _number(gold)
    if e is None or g is None:
        return False
    return abs(e - g) <= max(REL_TOL * abs(g), ABS_TOL)


def _is_range(fig: dict) -> bool:
    return fig.get("low") is not None and fig.get("high") is not None


def _has_scope(fig: dict) -> bool:
    scope = fig.get("scope")
    return scope is not None and str(scope).strip() != ""


# --------------------------------------------------------------------------- matching


def figures_match(gold: dict, extracted: dict) -> bool:
    """True when an extracted figure counts as finding the gold figure."""
    if extracted.get("metric") != gold.get("metric") or _kind(extracted) != _kind(gold):
        return False
    if _is_range(gold):
        if not _is_range(extracted):
            return False
        if not (_close(extracted["low"], gold["low"]) and _close(extracted["high"], gold["high"])):
            return False
    elif not _close(extracted.get("value"), gold.get("value")):
        return False
    if gold.get("as_of") is not None:
        as_of = extracted.get("as_of")
        return as_of is not None and str(as_of)[:4] == str(gold["as_of"])[:4]
    return True


def match_figures(gold_figs: list[dict], extracted_figs: list[dict], catalogue: dict[str, str]):
    """Greedy one-to-one matching of one document's figures.

    Returns (pairs, missed, false_positives): pairs are (gold, extracted) tuples.
    """
    candidates = [f for f in extracted_figs if f.get("metric") in catalogue]
    used = [False] * len(candidates)
    pairs, missed = [], []
    for g in gold_figs:
        hits = [i for i, e in enumerate(candidates) if not used[i] and figures_match(g, e)]
        exact = [i for i in hits if candidates[i].get("as_of") == g.get("as_of")]
        chosen = (exact or hits or [None])[0]
        if chosen is None:
            missed.append(g)
        else:
            used[chosen] = True
            pairs.append((g, candidates[chosen]))
    unmatched = [e for e, u in zip(candidates, used) if not u]
    not_in_catalogue = [f for f in extracted_figs if f.get("metric") not in catalogue]
    return pairs, missed, unmatched + not_in_catalogue


# --------------------------------------------------------------------------- scoring


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def score(gold_docs: list[dict], extracted_docs: list[dict], catalogue: dict[str, str]) -> dict:
    """Compare extracted documents with gold documents; return the full report."""
    by_name: dict[str, dict] = {}
    unpaired = []
    for doc in extracted_docs:
        name = basename(str(doc.get("source") or ""))
        if name in by_name:
            unpaired.append(str(doc.get("source")))
        else:
            by_name[name] = doc
    gold_names = {basename(str(g.get("file") or "")) for g in gold_docs}
    unpaired += [str(d.get("source")) for n, d in by_name.items() if n not in gold_names]

    counts = {}  # family -> [tp, fp, fn]
    council_ok, date_ok, as_of_ok, qualifier_ok, scope_ok = [], [], [], [], []
    documents = []

    def add(metric, slot):
        counts.setdefault(catalogue.get(metric, UNKNOWN_FAMILY), [0, 0, 0])[slot] += 1

    for g in gold_docs:
        name = basename(str(g.get("file") or ""))
        ext = by_name.get(name)
        ext_figs = (ext or {}).get("figures") or []
        if not isinstance(ext_figs, list) or not all(isinstance(f, dict) for f in ext_figs):
            raise InputError(f"{name}: extracted 'figures' must be a list of objects")
        pairs, missed, false_pos = match_figures(g.get("figures") or [], ext_figs, catalogue)
        for gold_fig, ext_fig in pairs:
            add(gold_fig.get("metric"), 0)
            as_of_ok.append(gold_fig.get("as_of") == ext_fig.get("as_of"))
            qualifier_ok.append(gold_fig.get("qualifier") == ext_fig.get("qualifier"))
            scope_ok.append(_has_scope(gold_fig) == _has_scope(ext_fig))
        for f in false_pos:
            add(f.get("metric"), 1)
        for f in missed:
            add(f.get("metric"), 2)

        council = ext is not None and (
            canonical_council(g.get("council")) == canonical_council(ext.get("council"))
        )
        council_ok.append(council)
        date = None
        if g.get("meeting_date_in_text"):
            got = (ext or {}).get("meeting_date")
            date = isinstance(got, str) and got.startswith(str(g.get("meeting_date")))
            date_ok.append(date)

        documents.append({
            "file": name,
            "source": ext.get("source") if ext else None,
            "tp": len(pairs), "fp": len(false_pos), "fn": len(missed),
            "council_ok": council, "meeting_date_ok": date,
            "missed": [_brief(f, "evidence") for f in missed],
            "false_positives": [_brief(f, "quote") for f in false_pos],
        })

    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "overall": _prf(*totals),
        "families": {fam: _prf(*c) for fam, c in sorted(counts.items())},
        "council_accuracy": _share(council_ok),
        "meeting_date_accuracy": _share(date_ok),
        "attributes": {
            "matched": len(as_of_ok),
            "as_of": _share(as_of_ok),
            "qualifier": _share(qualifier_ok),
            "scope_presence": _share(scope_ok),
        },
        "documents": documents,
        "unpaired_extracted": unpaired,
    }


def _brief(fig: dict, text_key: str) -> dict:
    return {k: fig.get(k) for k in ("metric", "value", "low", "high", "as_of", "kind", text_key)}


# --------------------------------------------------------------------------- output


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.3f}"


def _row(label: str, s: dict) -> str:
    return (f"{label:<22} P {_pct(s['precision'])}  R {_pct(s['recall'])}  F1 {_pct(s['f1'])}"
            f"  tp {s['tp']:>4}  fp {s['fp']:>4}  fn {s['fn']:>4}")


def format_report(report: dict, verbose: bool = False) -> str:
    """The compact human-readable table (with per-document detail when verbose)."""
    docs = report["documents"]
    lines = [_row("overall", report["overall"])]
    lines += [_row("  " + fam, s) for fam, s in report["families"].items()]
    n_council = sum(d["council_ok"] for d in docs)
    dated = [d for d in docs if d["meeting_date_ok"] is not None]
    attrs = report["attributes"]
    lines += [
        f"{'council':<22} {_pct(report['council_accuracy'])}  ({n_council}/{len(docs)} documents)",
        f"{'meeting date':<22} {_pct(report['meeting_date_accuracy'])}"
        f"  ({sum(d['meeting_date_ok'] for d in dated)}/{len(dated)} dated in text)",
        f"{'attributes':<22} as_of {_pct(attrs['as_of'])}  qualifier {_pct(attrs['qualifier'])}"
        f"  scope {_pct(attrs['scope_presence'])}  ({attrs['matched']} matched figures)",
        "",
        f"{'document':<56} {'tp':>3} {'fp':>3} {'fn':>3}  council  date",
    ]
    for d in docs:
        date = {None: "-", True: "ok", False: "WRONG"}[d["meeting_date_ok"]]
        council = "ok" if d["council_ok"] else "WRONG"
        missing = "" if d["source"] else "  (not extracted)"
        lines.append(f"{d['file']:<56} {d['tp']:>3} {d['fp']:>3} {d['fn']:>3}  {council:<7}  {date}{missing}")
        if verbose:
            lines += [f"    missed  {_describe(f, 'evidence')}" for f in d["missed"]]
            lines += [f"    extra   {_describe(f, 'quote')}" for f in d["false_positives"]]
    if verbose and report["unpaired_extracted"]:
        lines += ["", "extracted documents with no gold document (ignored):"]
        lines += [f"    {s}" for s in report["unpaired_extracted"]]
    return "\n".join(lines)


def _describe(fig: dict, text_key: str) -> str:
    value = fig["value"] if fig.get("low") is None else f"{fig['low']}-{fig['high']}"
    kind = " target" if fig.get("kind") == "target" else ""
    return f"{fig.get('metric')} = {value}{kind} (as_of {fig.get('as_of')}): {fig.get(text_key)!r}"


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold_dir", type=Path, help="folder holding gold.json")
    parser.add_argument("extract_json", help="output of `python -m etl extract`, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--min-f1", type=float, help="exit 1 when overall F1 is below this")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra figures")
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE,
                        help="kpi_catalogue.csv (default: ../spec/kpi_catalogue.csv)")
    args = parser.parse_args(argv)

    try:
        report = score(load_gold(args.gold_dir), load_extraction(args.extract_json),
                       load_catalogue(args.catalogue))
    except InputError as exc:
        print(f"score_extraction: error: {exc}", file=sys.stderr)
        return 2

    print(json.dumps(report, indent=2) if args.json else format_report(report, args.verbose))
    f1 = report["overall"]["f1"]
    if args.min_f1 is not None and f1 < args.min_f1:
        print(f"score_extraction: overall F1 {f1:.3f} is below --min-f1 {args.min_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
