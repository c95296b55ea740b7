"""read → meeting metadata → figures: one file in, one Document out."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from etl import __version__
from etl.figures import find_figures
from etl.meeting import read_meeting
from etl.model import Document, ReadError
from etl.readers import MAX_BYTES, SUFFIXES, read_file

ROOT = Path(__file__).resolve().parent.parent


@cache
def extractor_version() -> str:
    """The package version plus a digest of the extraction code and rule files, so a changed rule re-extracts."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted(p for p in here.iterdir() if p.suffix in (".py", ".csv", ".toml", ".sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def source_name(path: Path) -> str:
    """How a file is named in the database: relative to the project when inside it, else absolute (links resolved)."""
    if path.is_symlink():
        path = path.resolve()
    return os.path.join(_folder_name(path.parent), path.name)


@cache
def _folder_name(folder: Path) -> str:
    """source_name's folder part, worked out once per folder (a run names thousands of files in each)."""
    resolved = folder.resolve()
    if not resolved.is_relative_to(ROOT):
        return str(resolved)
    return "" if resolved == ROOT else str(resolved.relative_to(ROOT))


def list_files(paths: Iterable[Path]) -> list[Path]:
    """Minutes files under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def extract_file(path: Path, overrides: dict[str, str] | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read one file and extract its meeting and figures; raise ReadError when it cannot be read."""
    read = read_file(path, max_bytes)
    return extract_text(read.text, source_name(path), read.sha256, read.title, overrides)


def extract_text(text: str, source: str, sha256: str, title: str | None = None,
                 overrides: dict[str, str] | None = None) -> Document:
    """Extract meeting metadata and figures from already-read text."""
    overrides = overrides or {}
    meeting = read_meeting(text, title, source)
    for key in ("council", "committee", "meeting_date"):
        if overrides.get(key):
            setattr(meeting, key, overrides[key])
    figures, comparators = find_figures(text, meeting)
    return Document(source=source, sha256=sha256, text=text, meeting=meeting,
                    figures=figures, comparators=comparators, url=overrides.get("url"))


def extract_paths(paths: Iterable[Path], manifest: dict[str, dict[str, str]],
                  max_bytes: int = MAX_BYTES) -> Iterator[tuple[Path, Document | ReadError]]:
    """Each file with its Document, or the ReadError that says why it was skipped."""
    for path in list_files(paths):
        try:
            yield path, extract_file(path, manifest.get(path.name), max_bytes)
        except ReadError as exc:
            yield path, exc
