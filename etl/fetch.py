"""Fetch committee minutes from a council's modern.gov site into data/raw/<council>/, with a manifest row each."""

from __future__ import annotations

import csv
import hashlib
import html
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from etl import modgov
from etl.manifest import COLUMNS
from etl.modgov import Committee, Item, MeetingRef, ParseError
from etl.pipeline import ROOT
from etl.polite import Client, HttpError

RAW = ROOT / "data" / "raw"
SITES = Path(__file__).with_name("sites.csv")
RULES = tomllib.loads(Path(__file__).with_name("fetch_rules.toml").read_text(encoding="utf-8"))
STATE_FILE = "fetched.csv"
LOG_FILE = "fetch_log.csv"
STATE_COLUMNS = ("url", "file", "sha256", "fetched_at")
LOG_COLUMNS = ("site", "council", "mode", "started_at", "finished_at", "meetings", "fetched", "skipped", "failed")
_HOST_PREFIXES = {"www", "democracy", "moderngov", "modgov", "committees", "committee", "minutes", "cms", "cds",
                  "councillors", "mgov", "democratic"}

Progress = Callable[[int, int, str], None]


@dataclass
class FetchSummary:
    """What one fetch of one site did."""

    site: str
    council: str
    mode: str = "web service"
    committees: list[str] = field(default_factory=list)
    meetings: int = 0
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def fail(self, what: str, reason: str) -> None:
        """Record one thing that could not be fetched; the run goes on."""
        self.failed += 1
        self.errors.append((what, reason))

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a fetch."""
        out = [f"{self.council} ({self.site}, {self.mode}): {len(self.committees)} committees, "
               f"{self.meetings} meetings; fetched {self.fetched}, skipped {self.skipped}, failed {self.failed}"]
        out += [f"  committee: {name}" for name in self.committees]
        out += [f"  failed: {what}: {reason}" for what, reason in self.errors]
        return out


def load_sites(path: Path = SITES) -> list[dict[str, str]]:
    """The council,base_url rows of sites.csv."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def add_site(council: str, base_url: str, path: Path = SITES) -> tuple[str, str]:
    """Add (or keep) a council's modern.gov base URL in sites.csv; raise ValueError for a URL that is not http(s)."""
    council, base_url = council.strip(), base_url.strip().rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{base_url!r} is not a web address like https://democracy.example.gov.uk")
    if not council:
        raise ValueError("give the council's name")
    if any(row["base_url"].rstrip("/") == base_url for row in load_sites(path)):
        return council, base_url
    _append_csv(path, ("council", "base_url"), [council, base_url])
    return council, base_url


def resolve_site(site: str, sites: Iterable[dict[str, str]] | None = None) -> tuple[str, str]:
    """(council, base URL) for a base URL or a council named in sites.csv.

    >>> resolve_site("https://democracy.example.gov.uk/", [])
    ('Example', 'https://democracy.example.gov.uk')
    >>> resolve_site("bromley", [{"council": "Bromley", "base_url": "https://cds.bromley.gov.uk"}])
    ('Bromley', 'https://cds.bromley.gov.uk')
    """
    rows = list(load_sites() if sites is None else sites)
    for row in rows:
        if site.strip().lower() == row["council"].lower() or site.rstrip("/") == row["base_url"].rstrip("/"):
            return row["council"], row["base_url"].rstrip("/")
    if not urlsplit(site).scheme.startswith("http"):
        raise ValueError(f"{site!r} is neither a http(s) base URL nor a council in {SITES.name}")
    labels = [p for p in (urlsplit(site).hostname or "").split(".") if p not in _HOST_PREFIXES]
    return (labels[0].replace("-", " ").title() if labels else "Unknown"), site.rstrip("/")


def slug(text: str) -> str:
    """A file-name-safe lower-case slug.

    >>> slug("Children's Services & Education – Performance Report (Q3)")
    'children-s-services-education-performance-report-q3'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "untitled"


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether text mentions any of the words or phrases, as whole words.

    >>> mentions("Children and Young People Select Committee", RULES["committee_words"])
    True
    >>> mentions("Planning Committee", RULES["committee_words"]), mentions("Childhood obesity", ["child"])
    (False, False)
    """
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in words)


def choose_committees(committees: list[Committee], wanted: Iterable[str]) -> list[Committee]:
    """Committees named or numbered in wanted, or (when none is given) those whose names match the rules."""
    wanted = [w.strip() for w in wanted if w.strip()]
    if not wanted:
        return [c for c in committees if mentions(c.title, RULES["committee_words"])]
    return [c for c in committees if any(w == c.id or w.lower() in c.title.lower() for w in wanted)]


def fetch_site(site: str, out_dir: Path = RAW, committees: Iterable[str] = (), start: date | None = None,
               end: date | None = None, council: str | None = None, client: Client | None = None,
               progress: Progress | None = None) -> FetchSummary:
    """Fetch the minutes (and report PDFs) of a site's matching committees' meetings between start and end."""
    found_council, base = resolve_site(site)
    council = council or found_council
    end = end or date.today()
    start = start or end - timedelta(days=365)
    client = client or Client()
    summary = FetchSummary(site=base, council=council)
    store = _Store(out_dir, slug(council))
    started = datetime.now()
    source = _open_source(client, base, summary)
    if source is not None:
        _fetch_meetings(source, base, council, list(committees), start, end, store, summary, progress)
    _append_csv(out_dir / LOG_FILE, LOG_COLUMNS, [base, council, summary.mode, started.isoformat(timespec="seconds"),
                datetime.now().isoformat(timespec="seconds"), summary.meetings, summary.fetched, summary.skipped,
                summary.failed])
    return summary


def fetched_sites(out_dir: Path = RAW) -> list[dict[str, str]]:
    """The latest fetch of each site from the fetch log, newest first (for the Sources page)."""
    path = out_dir / LOG_FILE
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        latest = {row["site"]: row for row in csv.DictReader(f)}
    return sorted(latest.values(), key=lambda r: r["finished_at"], reverse=True)


# --- The two ways to read a site -------------------------------------------------------------------------


class _Service:
    """The mgWebService.asmx calls."""

    mode = "web service"

    def __init__(self, client: Client, base: str, committees: list[Committee]):
        self.client, self.base, self.committees = client, base, committees

    def meetings(self, committee: Committee, start: date, end: date) -> list[MeetingRef]:
        url = modgov.service_url(self.base, "GetMeetings", lCommitteeId=committee.id,
                                 sFromDate=start.strftime(modgov.UK_DATE), sToDate=end.strftime(modgov.UK_DATE))
        return modgov.parse_meetings(self.client.get(url), committee.id)

    def items(self, meeting: MeetingRef, store: _Store, summary: FetchSummary) -> list[Item]:
        url = modgov.service_url(self.base, "GetMeeting", lMeetingId=meeting.id)
        return modgov.parse_meeting(self.client.get(url), self.base)


class _Pages:
    """The public pages, for sites whose web service is switched off."""

    mode = "public pages"

    def __init__(self, client: Client, base: str, committees: list[Committee]):
        self.client, self.base, self.committees = client, base, committees

    def meetings(self, committee: Committee, start: date, end: date) -> list[MeetingRef]:
        url = modgov.page_url(self.base, "ieListMeetings.aspx", CId=committee.id, Year="0")
        return modgov.parse_meetings_page(self.client.get(url), committee.id)

    def items(self, meeting: MeetingRef, store: _Store, summary: FetchSummary) -> list[Item]:
        url = modgov.page_url(self.base, "ieListDocuments.aspx", CId=meeting.committee_id, MId=meeting.id)
        items = modgov.parse_documents_page(self.client.get(url), self.base)
        for item in items:
            item_url = modgov.item_url(self.base, item.id)
            if store.known(item_url):
                continue
            try:
                item.minutes_html, item.attachments = modgov.parse_item_page(self.client.get(item_url), self.base)
            except (HttpError, ParseError) as exc:
                summary.fail(item_url, str(exc))
        return items


def _open_source(client: Client, base: str, summary: FetchSummary) -> _Service | _Pages | None:
    """The web service when it answers, else the public pages, else None with the reasons recorded."""
    try:
        raw = client.get(modgov.service_url(base, "GetCommittees", lDays="0"))
        return _Service(client, base, modgov.parse_committees(raw))
    except (HttpError, ParseError) as service_error:
        summary.mode = "public pages"
        try:
            raw = client.get(modgov.page_url(base, "mgListCommittees.aspx"))
            return _Pages(client, base, modgov.parse_committees_page(raw))
        except (HttpError, ParseError) as page_error:
            summary.fail(base, f"web service: {service_error}; public pages: {page_error}")
            return None


def _fetch_meetings(source: _Service | _Pages, base: str, council: str, wanted: list[str], start: date, end: date,
                    store: _Store, summary: FetchSummary, progress: Progress | None) -> None:
    chosen = choose_committees(source.committees, wanted)
    summary.committees = [c.title for c in chosen]
    if not chosen:
        names = "; ".join(c.title for c in source.committees[:30]) or "none"
        summary.fail(base, f"no committee matched {wanted or 'the children/families words'}; the site lists: {names}")
        return
    todo: list[tuple[Committee, MeetingRef]] = []
    for committee in chosen:
        try:
            refs = source.meetings(committee, start, end)
        except (HttpError, ParseError) as exc:
            summary.fail(f"{committee.title} meetings", str(exc))
            continue
        todo += [(committee, m) for m in refs if start <= m.day <= end]  # some sites ignore the window
    todo.sort(key=lambda cm: (cm[1].day, cm[1].id))
    summary.meetings = len(todo)
    for i, (committee, meeting) in enumerate(todo):
        if progress:
            progress(i, len(todo), f"{committee.title} {meeting.day}")
        try:
            items = source.items(meeting, store, summary)
        except (HttpError, ParseError) as exc:
            summary.fail(f"{committee.title} {meeting.day} (meeting {meeting.id})", str(exc))
            continue
        for item in items:
            _save_item(source.client, base, council, committee, meeting, item, store, summary)
    if progress:
        progress(len(todo), len(todo), "")


def _save_item(client: Client, base: str, council: str, committee: Committee, meeting: MeetingRef, item: Item,
               store: _Store, summary: FetchSummary) -> None:
    """Save one item's minutes and its report PDFs, skipping what was fetched before."""
    stem = f"{store.council_slug}-{meeting.day}-m{meeting.id}"
    meta = {"council": council, "committee": committee.title, "meeting_date": meeting.day.isoformat()}
    url = modgov.item_url(base, item.id)
    if item.minutes_html.strip():
        page = _minutes_page(council, committee.title, meeting.day, item)
        store.save(f"{stem}-item-{slug(item.id)}.html", page.encode("utf-8"), url, meta, summary)
    elif store.known(url):
        summary.skipped += 1
    for doc in item.attachments:
        if not mentions(doc.title, RULES["attachment_words"]):
            continue
        if urlsplit(doc.url).hostname != urlsplit(base).hostname:
            summary.fail(doc.url, "link to another site; not fetched")
            continue
        if store.known(doc.url):
            summary.skipped += 1
            continue
        try:
            raw = client.get(doc.url)
        except HttpError as exc:
            summary.fail(doc.url, str(exc))
            continue
        if not raw.startswith(b"%PDF"):
            summary.fail(doc.url, "not a PDF")
            continue
        store.save(f"{stem}-{slug(doc.title)}.pdf", raw, doc.url, meta, summary)


def _minutes_page(council: str, committee: str, day: date, item: Item) -> str:
    """One agenda item's minutes as a standalone HTML file whose title names the meeting."""
    heading = f"{item.number}. {item.title}" if item.number else item.title
    title = html.escape(f"{committee}, {day:%-d %B %Y}: {heading}")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head><body>\n'
            f"<h1>{html.escape(council)}: {html.escape(committee)}</h1>\n<p>Meeting held on {day:%-d %B %Y}</p>\n"
            f"<h2>{html.escape(heading)}</h2>\n{item.minutes_html}\n</body></html>\n")


# --- What is on disk: files, manifest and resume state ----------------------------------------------------


class _Store:
    """Files under out_dir/<council>/, manifest.csv rows, and fetched.csv (url, file, sha256) for resuming."""

    def __init__(self, out_dir: Path, council_slug: str):
        self.out_dir, self.council_slug = out_dir, council_slug
        self.by_url: dict[str, tuple[str, str]] = {}
        state = out_dir / STATE_FILE
        if state.is_file():
            with open(state, newline="", encoding="utf-8") as f:
                self.by_url = {r["url"]: (r["file"], r["sha256"]) for r in csv.DictReader(f)}
        self.by_sha = {sha: file for file, sha in self.by_url.values()}

    def known(self, url: str) -> bool:
        """Whether url was fetched before and its file is still there."""
        file = self.by_url.get(url, ("", ""))[0]
        return bool(file) and (self.out_dir / file).is_file()

    def save(self, name: str, raw: bytes, url: str, meta: dict[str, str], summary: FetchSummary) -> None:
        """Write raw unless the same bytes are already on disk; add its manifest and state rows."""
        sha = hashlib.sha256(raw).hexdigest()
        if self.known(url) and self.by_url[url][1] == sha:
            summary.skipped += 1
            return
        if sha in self.by_sha and (self.out_dir / self.by_sha[sha]).is_file():
            summary.skipped += 1
            return
        file = f"{self.council_slug}/{name}"
        path = self.out_dir / file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(raw)
        os.replace(tmp, path)
        _append_csv(self.out_dir / "manifest.csv", COLUMNS,
                    [file, meta["council"], meta["committee"], meta["meeting_date"], url])
        fetched_at = datetime.now().isoformat(timespec="seconds")
        _append_csv(self.out_dir / STATE_FILE, STATE_COLUMNS, [url, file, sha, fetched_at])
        self.by_url[url] = (file, sha)
        self.by_sha[sha] = file
        summary.fetched += 1
        summary.files.append(file)


def _append_csv(path: Path, columns: tuple[str, ...], row: list) -> None:
    """Append one row, writing the header first when the file is new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.is_file() or path.stat().st_size == 0
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(columns)
        writer.writerow(row)
