"""Minutes uploaded in the app: checked, saved under a safe name, then run through the ETL."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from dashboard import queries
from etl import warehouse
from etl.readers import SUFFIXES

SUFFIXES_ALLOWED = sorted(s.lstrip(".") for s in SUFFIXES)
MAX_MB = int(os.environ.get("KPI_UPLOAD_MB") or 20)


class UploadError(ValueError):
    """An upload refused before it reaches the ETL; the message names the file and the reason."""


def upload_dir() -> Path:
    """Where uploads are kept: $KPI_UPLOADS, else data/uploads."""
    return Path(os.environ.get("KPI_UPLOADS") or queries.ROOT / "data" / "uploads")


def safe_name(name: str) -> str:
    """A file name that cannot leave the upload folder or surprise a shell.

    >>> safe_name("../../etc/Minutes 5 Feb 2019.PDF"), safe_name("Ünïcode–report (1).html")
    ('Minutes-5-Feb-2019.pdf', 'Unicode-report-1.html')
    >>> safe_name("notes.exe")
    Traceback (most recent call last):
    ...
    dashboard.uploads.UploadError: notes.exe: only .htm, .html, .pdf, .text, .txt files can be loaded
    """
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    if suffix.lower().lstrip(".") not in SUFFIXES_ALLOWED:
        allowed = ", ".join(f".{s}" for s in SUFFIXES_ALLOWED)
        raise UploadError(f"{base[:80]}: only {allowed} files can be loaded")
    plain = "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))
    clean = re.sub(r"[^A-Za-z0-9._]+", "-", plain).strip("-._")[:100] or "minutes"
    return f"{clean}{suffix.lower()}"


def save(name: str, data: bytes, folder: Path | None = None, max_mb: int = MAX_MB) -> Path:
    """Check and write one upload; a different file with the same name is kept beside it, not overwritten."""
    clean = safe_name(name)
    if not data:
        raise UploadError(f"{clean}: the file is empty")
    if len(data) > max_mb * 1024 * 1024:
        raise UploadError(f"{clean}: {len(data) / 1024 / 1024:.1f} MB is over the {max_mb} MB limit")
    folder = folder or upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / clean
    if target.exists() and target.read_bytes() != data:
        stem, suffix = os.path.splitext(clean)
        target = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}"
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def load(paths: list[Path], progress: warehouse.Progress | None = None) -> warehouse.RunSummary:
    """Run the ETL over the saved uploads into the app's database (published atomically)."""
    return warehouse.run(paths, queries.db_path(), progress=progress, max_bytes=MAX_MB * 1024 * 1024)
