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
