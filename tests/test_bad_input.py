"""Bad input: every hostile or broken file is reported with its name and reason, loses nothing, hangs nothing.

One run over a good corpus plus every bad file; each test checks one file's outcome.
"""

from __future__ import annotations

import io
import shutil
import time
import zlib
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from etl.synth import write_corpus

TIME_LIMIT = 4


def _pdf(encrypt: bool = False, truncate: bool = False, bomb_mb: int = 0) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    if bomb_mb:  # a content stream of a few hundred kB that inflates to bomb_mb MB
        squeeze = zlib.compressobj(1)
        stream = StreamObject()
        stream._data = b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(bomb_mb)) + squeeze.flush()
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    if encrypt:
        writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()[:150] if truncate else buf.getvalue()


def _nested_html(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + "The vacancy rate was 12%." + "</div>" * depth).encode()


SENTENCE = b"The vacancy rate for social workers was 12%.\n"
BAD = {  # file name -> (bytes, or a size for a sparse file; what the reason must say)
    "empty.txt": (b"", "empty file"),
    "binary.txt": (bytes(range(256)) * 64, "binary"),
    "nul-bytes.txt": (b"Minutes\x00\x00 of the meeting\x00" + SENTENCE, "binary"),
    "one-gigabyte.txt": (1 << 30, "too large"),
    "one-line-100mb.txt": (b"The vacancy rate was 12% and " * 3_500_000, "too large"),
    "bomb.pdf": (lambda: _pdf(bomb_mb=150), "PDF content inflates beyond 100 MB (a decompression bomb?)"),
    "truncated.pdf": (lambda: _pdf(truncate=True), "PDF"),
    "encrypted.pdf": (lambda: _pdf(encrypt=True), "encrypted PDF"),
    "nested-5k.html": (lambda: _nested_html(5_000), "HTML nested more than 500 levels deep"),
    "nested-150k.html": (lambda: _nested_html(150_000), "HTML nested more than 500 levels deep"),
    "missing.txt": (None, "cannot open"),
}
LOADED = {  # file name -> bytes that load (their text is stored as text, never as markup)
    "invalid-utf8.txt": b"The vacancy rate was 12% \xff\xfe caf\xe9 \x81.\n",
    "script.html": b'<html><body><p onclick="steal()">The vacancy rate was 12%.</p><script>alert("x")</script>'
                   b'<img src=x onerror="alert(2)"><a href="javascript:alert(3)">link</a></body></html>',
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[warehouse.RunSummary, Path, list, float]:
    """Load a good corpus, then run again over it plus every bad file; (summary, db, documents before, seconds)."""
    root = tmp_path_factory.mktemp("bad")
    good, db = root / "minutes", root / "kpi.duckdb"
    write_corpus(good, 10, seed=1)
    warehouse.run([good], db, good / "manifest.csv")
    before = _documents(db)
    shutil.copy(next(good.rglob("*.txt")), good / "copy-under-another-name.txt")
    bad = root / "bad"
    bad.mkdir()
    for name, (content, _) in BAD.items():
        if isinstance(content, int):
            with open(bad / name, "wb") as f:
                f.truncate(content)
        elif content is not None:
            (bad / name).write_bytes(content() if callable(content) else content)
    for name, content in LOADED.items():
        (bad / name).write_bytes(content)
    manifest = root / "manifest.csv"
    manifest.write_text((good / "manifest.csv").read_text(encoding="utf-8") +
                        "../../etc/passwd,Bromley,,2019,\nnot-here.txt,Bromley,,2019,\n", encoding="utf-8")
    started = time.monotonic()
    files = [good, *sorted(bad.iterdir()), bad / "missing.txt"]
    summary = warehouse.run(files, db, manifest, workers=2, file_timeout=TIME_LIMIT)
    return summary, db, before, time.monotonic() - started


def _documents(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT id, source, text FROM documents ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_reported_with_its_name_and_reason(bad_run, name: str) -> None:
    summary, db, _, _ = bad_run
    reasons = dict(summary.errors)
    assert BAD[name][1] in reasons[name]
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("SELECT reason FROM load_errors WHERE file_name = ?", [name]).fetchall()
    finally:
        con.close()
    assert stored == [(reasons[name],)]


def test_documents_loaded_before_are_all_kept(bad_run) -> None:
    summary, db, before, _ = bad_run
    assert set(before) <= set(_documents(db))
    assert summary.failed == len(BAD)


def test_nothing_hangs_the_run(bad_run) -> None:
    assert not [name for name, why in bad_run[0].errors if "timed out" in why]  # each refused before costly work
    assert bad_run[3] < 30


def test_duplicate_content_under_another_name_is_noted_not_loaded_twice(bad_run) -> None:
    summary, db, before, _ = bad_run
    assert any(name == "copy-under-another-name.txt" and "same content as" in why for name, why in summary.notes)
    assert len(_documents(db)) == len(before) + len(LOADED)


def test_manifest_rows_outside_the_folder_or_naming_missing_files_are_noted(bad_run) -> None:
    notes = [why for name, why in bad_run[0].notes if name == "manifest.csv"]
    assert any("../../etc/passwd" in n and "outside" in n for n in notes)
    assert any("not-here.txt" in n and "not found" in n for n in notes)


def test_html_script_and_event_handlers_are_dropped_and_text_kept(bad_run) -> None:
    text = next(t for _, source, t in _documents(bad_run[1]) if source.endswith("script.html"))
    assert "The vacancy rate was 12%." in text
    assert not any(bad in text for bad in ("alert", "steal", "onclick", "onerror", "<"))


def test_invalid_utf8_loads_as_text(bad_run) -> None:
    text = next(t for _, source, t in _documents(bad_run[1]) if source.endswith("invalid-utf8.txt"))
    assert text.startswith("The vacancy rate was 12%") and "café" in text
