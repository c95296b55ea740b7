"""Lay out the briefing's sections from the gathered data; every number goes through Notes for its footnote."""

from __future__ import annotations

import calendar
import string
from datetime import date

import pandas as pd

from dashboard import formatting
from etl.brief import charts
from etl.brief.data import BriefData, months_between, polarity, settings
from etl.brief.pack import Bullets, Chart, Charts, Heading, Inline, Notes, Pack, Para, Table, figure_text, official_text
from etl.brief.questions import Fig, Measure, Official, Question, words

SECTIONS = ["Where the council stands", "Since the last meeting", "Trends", "Beside other councils and England",
            "Targets set in committee", "Figures to check", "Questions to ask", "Sources"]


def compose(data: BriefData, questions: list[Question]) -> Pack:
    """The whole briefing, section by section, with its footnotes."""
    notes = Notes()
    subtitle = f"Figures said in committee up to {_day(data.as_of)}"
    if data.comparators:
        subtitle += f", beside {_and(data.comparators)}"
    pack = Pack(f"Children's services scrutiny briefing: {data.council}", subtitle)
    pack.blocks += _intro(data)
    for title, section in zip(SECTIONS, (_standing, _since_last, _trends, _beside, _targets, _to_check),
                              strict=False):
        pack.blocks.append(Heading(title))
        pack.blocks += section(data, notes)
    pack.blocks.append(Heading("Questions to ask"))
    pack.blocks += _questions(questions, notes)
    pack.blocks.append(Heading("Sources"))
    pack.notes = notes.items
    pack.questions = [q.rule for q in questions]
    return pack


def _intro(data: BriefData) -> list:
    return [Para([
        f"Built from the figures officers gave in {data.council}'s committee minutes. Every number is followed by "
        "a footnote mark in square brackets; the Sources section at the end gives the meeting, its date and the "
        "sentence the number came from. † marks a figure that no person has reviewed yet: it was read from the minutes "
        "automatically. Suggested questions come from rules over the figures and cite the figures they rest on."
    ], small=True)]


def _standing(data: BriefData, notes: Notes) -> list:
    metrics = data.metrics()[: settings()["max_headline"]]
    if not metrics:
        return [Para([f"No figures for {data.council} in the minutes up to {_day(data.as_of)}."])]
    rows = []
    for metric in metrics:
        series = data.actuals(metric)
        latest = series.iloc[-1]
        rows.append([[str(latest.label)], figure_text(notes, latest), [_describes(latest)],
                     _direction(series, notes)])
    return [Table(["Measure", "Latest figure", "Describes", "Direction of travel"], rows, [0.26, 0.2, 0.18, 0.36])]


def _direction(series: pd.DataFrame, notes: Notes) -> Inline:
    if len(series) < 2:
        return ["first figure reported"]
    prev, now = series.iloc[-2], series.iloc[-1]
    if now.value == prev.value:
        return ["no change from ", *figure_text(notes, prev), f" ({_describes(prev)})"]
    up = now.value > prev.value
    sense = polarity(str(now.metric))
    verdict = "" if not sense else (", better" if up == (sense > 0) else ", worse")
    return [f"{'↑ up' if up else '↓ down'} from ", *figure_text(notes, prev), f" ({_describes(prev)}{verdict})"]


def _since_last(data: BriefData, notes: Notes) -> list:
    mine = data.figures[data.figures.council == data.council]
    days = sorted(set(mine.meeting_day.dropna()))
    if not days:
        return [Para(["No meeting with figures yet."])]
    last = days[-1]
    said = mine[mine.meeting_day == last]
    first = said.iloc[0]
    blocks = [Para([f"At the {first.committee or 'committee'} meeting of {formatting.period(first.meeting_date)}:"])]
    items: list[Inline] = []
    for metric in data.metrics():
        now = data.actuals(metric)
        now_rows = now[now.meeting_day == last]
        if now_rows.empty:
            continue
        row = now_rows.iloc[-1]
        before = now[now.meeting_day < last]
        item: Inline = [f"{row.label}: ", *figure_text(notes, row)]
        if before.empty:
            item.append(" (first time reported)")
        else:
            prev = before.iloc[-1]
            item += [", against ", *figure_text(notes, prev), f" at the {formatting.period(prev.meeting_date)} meeting"]
        items.append(item)
    for _, target in said[said.kind == "target"].iterrows():
        items.append([f"New target for {str(target.label).lower()}: ", *figure_text(notes, target)])
    if len(days) == 1:
        items.append(["This is the only meeting with figures in the database, so there is nothing earlier to "
                      "compare with."])
    blocks.append(Bullets(items or [["No figures were reported."]]))
    return blocks


def _trends(data: BriefData, notes: Notes) -> list:
    movers = []
    for metric in data.metrics():
        series = data.actuals(metric)
        if len(series) >= 2:
            first, last = series.value.iloc[0], series.value.iloc[-1]
            movers.append((abs(last - first) / abs(first) if first else float("inf"), metric, series))
    movers.sort(key=lambda m: -m[0])
    if not movers:
        return [Para(["No measure has two or more figures yet, so there is no trend to draw."])]
    targets = data.targets().set_index("metric")
    drawn = []
    for _, metric, series in movers[: settings()["max_charts"]]:
        target = float(targets.value[metric]) if metric in targets.index else None
        label = str(series.label.iloc[0])
        caption: Inline = [f"{label}: "]
        for i, (_, row) in enumerate(series.iterrows()):
            caption += [", " if i else "", *figure_text(notes, row), f" ({_describes(row)})"]
        if target is not None:
            caption += ["; target ", *figure_text(notes, targets.loc[metric].to_dict() | {"metric": metric})]
        alt = charts.trend_alt(series, label, data.council, target)
        drawn.append(Chart(charts.trend_png(series, label, target), alt, caption))
    return [Para(["The measures that moved most, oldest figure to latest."], small=True), Charts(drawn)]


def _beside(data: BriefData, notes: Notes) -> list:
    columns = [data.council, *data.comparators]
    have = [m for m in dict.fromkeys(m for c in columns for m in data.metrics(c))]
    order = settings()["headline"]
    have = sorted(have, key=lambda m: order.index(m) if m in order else len(order))[: settings()["max_headline"]]
    blocks = []
    if not data.comparators:
        blocks.append(Para(["No comparator councils chosen."], small=True))
    if data.official is None:
        blocks.append(Para(["No official statistics loaded, so England is not shown."], small=True))
    if not have:
        return [*blocks, Para(["No figures to compare."])]
    rows = []
    for metric in have:
        label = data.figures[data.figures.metric == metric].label.iloc[0]
        row: list[Inline] = [[str(label)]]
        for council in columns:
            series = data.actuals(metric, council)
            row.append(["–"] if series.empty else [*figure_text(notes, series.iloc[-1]),
                                                    f" {_short(series.iloc[-1])}"])
        if data.official is not None:
            england = data.england(metric)
            row.append(["–"] if england is None else [*official_text(notes, england),
                                                      f" {_abbreviate(formatting.period(str(england.period)[:7]))}"])
        rows.append(row)
    header = ["Measure", *columns] + (["England"] if data.official is not None else [])
    first = 0.24
    widths = [first] + [(1 - first) / (len(header) - 1)] * (len(header) - 1)
    return [*blocks, Table(header, rows, widths, caption="Latest figure for each council, with when it describes.")]


def _targets(data: BriefData, notes: Notes) -> list:
    targets = data.targets()
    if targets.empty:
        return [Para([f"No targets recorded in {data.council}'s minutes up to {_day(data.as_of)}."])]
    rows = []
    for _, target in targets.iterrows():
        acts = data.actuals(str(target.metric))
        since = acts[acts.meeting_day >= target.meeting_day]
        sense = {"at_least": 1, "at_most": -1}.get(target.qualifier or "", polarity(str(target.metric)))
        if since.empty:
            latest, verdict = ["none reported"], "No figure since"
        else:
            last = since.iloc[-1]
            latest = figure_text(notes, last)
            ok = last.value >= target.value if sense > 0 else last.value <= target.value
            verdict = "Cannot tell" if not sense else ("Meets" if ok else "Does not meet")
        rows.append([[str(target.label)], figure_text(notes, target), [formatting.period(target.meeting_date)],
                     latest, [verdict]])
    return [Table(["Measure", "Target", "Set in", "Latest figure since", "Verdict"], rows,
                  [0.27, 0.18, 0.17, 0.2, 0.18])]


def _to_check(data: BriefData, notes: Notes) -> list:
    items: list[Inline] = []
    if data.checks is None:
        items.append(["No official statistics loaded, so no figure was checked against the Department for "
                      "Education's."])
    elif data.checks.empty:
        items.append(["Every figure that could be checked against official statistics agrees with them."])
    figures = data.figures.set_index("figure_key", drop=False)
    for _, check in (data.checks if data.checks is not None else pd.DataFrame()).iterrows():
        if check.figure_key in figures.index:
            row = figures.loc[check.figure_key]
            items.append([f"{row.label}: minutes say ", *figure_text(notes, row), " (said in "
                          f"{formatting.period(row.meeting_date)}); official statistics for "
                          f"{formatting.period(str(check.period)[:7])} say ", *official_text(notes, check)])
    limit = settings()["stale_months"]
    for metric in data.metrics():
        latest = data.actuals(metric).sort_values("meeting_day", kind="stable").iloc[-1]
        age = months_between(latest.meeting_day, data.as_of)
        if age > limit:
            items.append([f"{latest.label}: last reported as ", *figure_text(notes, latest),
                          f" in {formatting.period(latest.meeting_date)}, {_months(age)} before this briefing "
                          "(stale)"])
    mine = data.figures[data.figures.council == data.council]
    reviewed = mine.reviewed.astype(bool)
    if not mine.empty and not reviewed.any():
        items.append([f"No figure of {data.council}'s has been reviewed by a person yet; all are marked †."])
    elif not reviewed.all():
        items.append(["Figures marked † have not been reviewed by a person yet."])
    return [Bullets(items)]


def _questions(questions: list[Question], notes: Notes) -> list:
    if not questions:
        return [Para(["None of the question rules fired on these figures."])]
    return [Bullets([fill(q.wording, q.fields, notes) for q in questions], numbered=True)]


def fill(wording: str, fields: dict[str, object], notes: Notes) -> Inline:
    """A question's wording with its fields written in; figures get their footnotes."""
    out: Inline = []
    for literal, name, _spec, _conv in string.Formatter().parse(wording):
        out.append(literal)
        if name is not None:
            out += _field(fields[name], notes)
    return [p for p in out if p != ""]


def _field(value: object, notes: Notes) -> Inline:
    if isinstance(value, list):
        parts: Inline = []
        for i, item in enumerate(value):
            parts += ([" and " if i == len(value) - 1 else ", "] if i else []) + _field(item, notes)
        return parts
    if isinstance(value, Fig):
        return figure_text(notes, value.row)
    if isinstance(value, Official):
        return official_text(notes, value.row)
    if isinstance(value, Measure):
        row = value.row
        return [f"{str(row.label).lower()} (", *figure_text(notes, row), f", {formatting.period(row.meeting_date)})"]
    return [str(value)]


def _describes(row: pd.Series) -> str:
    return formatting.period(row.as_of if isinstance(row.as_of, str) and row.as_of else row.meeting_date)


def _short(row: pd.Series) -> str:
    """When a figure describes, with the month abbreviated for narrow table cells."""
    return _abbreviate(_describes(row))


def _abbreviate(text: str) -> str:
    """Month names shortened.

    >>> _abbreviate("13 September 2023")
    '13 Sep 2023'
    """
    for month, abbr in zip(calendar.month_name[1:], calendar.month_abbr[1:], strict=True):
        text = text.replace(month, abbr)
    return text


def _day(d: date) -> str:
    return formatting.period(d.isoformat())


def _and(names: list[str]) -> str:
    """Names joined the way a sentence lists them.

    >>> _and(["Wiltshire"]), _and(["Wiltshire", "Bradford", "Bristol"])
    ('Wiltshire', 'Wiltshire, Bradford and Bristol')
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _months(n: int) -> str:
    """How long ago, in words.

    >>> _months(13), _months(30)
    ('more than a year', 'more than two years')
    """
    return "more than a year" if n < 24 else f"more than {words(n // 12)} years"



