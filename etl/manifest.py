"""The optional manifest CSV (file,council,committee,meeting_date,url) that overrides what the text says."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ("file", "council", "committee", "meeting_date", "url")


def load_manifest(path: Path | None) -> dict[str, dict[str, str]]:
    """Rows keyed by file name; blank cells are dropped so they override nothing."""
    if path is None:
        return {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("file",) if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: manifest needs a 'file' column")
        rows = {}
        for row in reader:
            name = Path((row.get("file") or "").strip()).name
            if name:
                rows[name] = {k: v.strip() for k, v in row.items() if k in COLUMNS and k != "file" and v and v.strip()}
        return rows


def find_manifest(paths: list[Path]) -> Path | None:
    """A manifest.csv inside the first folder given, if there is one."""
    for path in paths:
        candidate = path / "manifest.csv"
        if path.is_dir() and candidate.is_file():
            return candidate
    return None


def manifest_problems(path: Path | None, files: list[Path]) -> list[tuple[str, str]]:
    """Manifest rows that point outside the minutes folder or name a file that was not found, as (file, reason)."""
    if path is None:
        return []
    names = {f.name for f in files}
    problems = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            given = (row.get("file") or "").strip()
            if not given:
                continue
            if given.startswith("/") or ".." in given.replace("\\", "/").split("/"):  # absolute, or climbs out
                problems.append((path.name, f"row '{given}' points outside the minutes folder; "
                                            "only its file name is used and nothing outside is read"))
            elif Path(given).name not in names:  # the name load_manifest keys the row by
                problems.append((path.name, f"row '{given}' names a file that was not found; ignored"))
    return problems
