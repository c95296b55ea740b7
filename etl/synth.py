"""A synthetic corpus for benchmarks: minutes-like files with known figures, a manifest and a gold.json.

The files are invented: real council names and plausible committee business, one figure sentence per
item drawn from `synth_sentences.csv`. The same seed always writes the same files.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from etl.pipeline import ROOT

SENTENCES = Path(__file__).with_name("synth_sentences.csv")
COUNCILS = ROOT / "data" / "reference" / "councils.csv"
COMMITTEES = ("Children and Young People Scrutiny Committee", "Children's Services Overview and Scrutiny Panel",
              "Corporate Parenting Board", "People Scrutiny Commission", "Children, Education and Families Committee")
ITEMS = ("Children's Social Care Workforce Update", "Performance Report: Quarter {q}", "Budget Monitoring",
         "Placement Sufficiency Strategy", "Improvement Plan Progress", "Annual Report of the Virtual School")
FILLER = (
    "Present: the Chair and Members of the Committee as listed in the attendance record.",
    "Apologies for absence were received from two Members. There were no substitutions.",
    "The minutes of the previous meeting were confirmed as a correct record and signed by the Chair.",
    "Members asked how the service compared with its statistical neighbours and were told that a "
    "benchmarking report would follow.",
    "The Chair thanked officers for the report and for the work of front-line staff.",
    "A Member asked about the emotional health of children in care; officers undertook to circulate a briefing note.",
    "RESOLVED: that the report be noted and that a further update be brought to a future meeting.",
    "Officers explained that recruitment and retention remained the service's highest priority, with a "
    "new career pathway and a market supplement for experienced staff.",
)


@dataclass
class Written:
    """What write_corpus wrote."""

    docs: int
    figures: int


def write_corpus(out: Path, docs: int, seed: int = 0, pdf_share: float = 0.0) -> Written:
    """Write `docs` minutes files under out/<council>/, with manifest.csv and gold.json at the top."""
    rng = random.Random(seed)
    sentences = _sentences()
    councils = _councils()
    out.mkdir(parents=True, exist_ok=True)
    figures = 0
    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as man, \
         open(out / "gold.json", "w", encoding="utf-8") as gold:
        manifest = csv.writer(man)
        manifest.writerow(["file", "council", "committee", "meeting_date", "url"])
        gold.write('{"documents": [\n')
        for i in range(docs):
            council = councils[i % len(councils)]
            text, facts, meta = _document(rng, council, sentences)
            name = f"{_slug(council)}-{meta['meeting_date']}-{_slug(meta['committee'])}-{i:06d}"
            kind = "html" if rng.random() < 0.15 else "txt"
            if pdf_share and rng.random() < pdf_share:
                kind = "pdf"
            path = out / _slug(council) / f"{name}.{kind}"
            path.parent.mkdir(exist_ok=True)
            _write(path, kind, meta["title"], text)
            manifest.writerow([path.name, council, meta["committee"], meta["meeting_date"], ""])
            gold.write(("," if i else "") + json.dumps({"file": path.name, "council": council,
                                                        "meeting_date": meta["meeting_date"], "figures": facts}) + "\n")
            figures += len(facts)
        gold.write("]}\n")
    return Written(docs, figures)


def _document(rng: random.Random, council: str, sentences: list[dict]) -> tuple[str, list[dict], dict]:
    """One meeting: a heading, procedural business and a few agenda items each stating figures."""
    year, month, day = rng.randint(2010, 2025), rng.randint(1, 12), rng.randint(1, 28)
    committee = rng.choice(COMMITTEES)
    date_words = f"{day} {_MONTHS[month - 1]} {year}"
    title = f"{council} Council, {committee}, {date_words}"
    paras = [title, "Minutes", *rng.sample(FILLER[:3], 3)]
    facts = []
    for number in range(1, rng.randint(3, 6) + 1):
        paras.append(f"Item {number + 4}: {rng.choice(ITEMS).format(q=rng.randint(1, 4))}")
        paras.append(" ".join(rng.sample(FILLER[3:], 3)))
        for row in rng.sample(sentences, rng.randint(1, 3)):
            sentence, value = _say(rng, row)
            paras.append(f"{number + 4}.{len(facts) + 1} {sentence} " + " ".join(rng.sample(FILLER[3:], 2)))
            as_of = str(year if month >= 4 else year - 1) if row["dated"] == "financial_year" \
                else f"{year}-{month:02d}-{day:02d}"  # "in the year": the financial year the meeting falls in
            facts.append({"metric": row["metric"], "value": value, "unit": row["unit"], "kind": "actual",
                          "as_of": as_of, "evidence": sentence})
    paras.append(FILLER[-2])
    meta = {"committee": committee, "meeting_date": f"{year}-{month:02d}-{day:02d}", "title": title}
    return "\n\n".join(paras) + "\n", facts, meta


def _say(rng: random.Random, row: dict) -> tuple[str, float]:
    """A sentence stating one value of the row's metric, and that value."""
    low, high, step = float(row["low"]), float(row["high"]), float(row["step"])
    value = round(round(rng.uniform(low, high) / step) * step, 6)
    if row["unit"] == "gbp":
        return row["sentence"].format(m=f"{value:g}"), value * 1_000_000
    shown = f"{value:,.0f}" if step >= 1 else f"{value:g}"
    return row["sentence"].format(n=shown, pct=f"{shown}%"), value


def _write(path: Path, kind: str, title: str, text: str) -> None:
    if kind == "txt":
        path.write_text(text, encoding="utf-8")
    elif kind == "html":
        body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n")[1:])
        path.write_text(f"<html><head><title>{title}</title></head><body><nav>Home</nav>"
                        f"<div class='mgContent'>{body}</div></body></html>", encoding="utf-8")
    else:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 5, text.replace("£", "GBP "))
        pdf.output(str(path))


def _sentences() -> list[dict]:
    with open(SENTENCES, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _councils() -> list[str]:
    with open(COUNCILS, newline="", encoding="utf-8") as f:
        return sorted(row["name"] for row in csv.DictReader(f) if not row["valid_to"])


def _slug(text: str) -> str:
    """A file-name-safe lower-case form.

    >>> _slug("Children's Services Overview & Scrutiny")
    'childrens-services-overview-scrutiny'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
