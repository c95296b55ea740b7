"""Turn a minutes file (.txt, modern.gov .html, .pdf) into one normalised text and its title."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from etl.model import ReadError

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024
_DROP_TAGS = "script, style, noscript, nav, header, footer, form, iframe, svg, button, select"
_DROP_CLASSES = ("breadcrumb", "mglinks", "mgnav", "mgfooter", "mgheader", "cookie", "skip", "menu")
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
    "section", "article", "blockquote", "dd", "dt", "pre", "caption", "title",
}


@dataclass
class Read:
    """What a reader makes of one file."""

    text: str
    title: str | None = None


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Read:
    """Read one minutes file; raise ReadError with a one-line reason when it is not usable minutes."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReadError(f"unsupported file type {path.suffix or '(none)'}; expected .txt, .html or .pdf")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}") from exc
    if size == 0:
        raise ReadError("empty file")
    if size > max_bytes:
        raise ReadError(f"too large: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    raw = path.read_bytes()
    return read_bytes(raw, kind)


def read_bytes(raw: bytes, kind: str) -> Read:
    """Read raw bytes of the given kind ('text', 'html' or 'pdf')."""
    if kind == "pdf":
        read = _read_pdf(raw)
    elif kind == "html":
        read = _read_html(decode(raw))
    else:
        read = Read(decode(raw))
    text = normalise(read.text)
    if not text.strip():
        raise ReadError("no text found" + (" (a scanned PDF needs OCR first)" if kind == "pdf" else ""))
    return Read(text, read.title)


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else cp1252, else Latin-1; binary is refused.

    >>> decode("caf\\u00e9 \\u00a340.8m".encode("cp1252"))
    'café £40.8m'
    """
    if b"\x00" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary file (contains NUL bytes), not text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def normalise(text: str) -> str:
    """One space between words, one blank line between paragraphs, no control characters.

    >>> normalise("a\\u00a0 b\\r\\n\\r\\n\\r\\n  c\\t d")
    'a b\\n\\nc d'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]", " ", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]", "", text)
    text = re.sub(r" +", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _read_pdf(raw: bytes) -> Read:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ReadError("encrypted PDF; remove the password and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ReadError(f"unreadable PDF: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return Read("\n\n".join(pages), str(title) if title else None)


def _read_html(html: str) -> Read:
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[id], [class]"):
        marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}".lower()
        if any(word in marker for word in _DROP_CLASSES):
            node.decompose()
    body = tree.body or tree.root
    parts: list[str] = []
    if body is not None:
        _walk(body, parts)
    return Read("".join(parts), title)


def _walk(node: Node, parts: list[str]) -> None:
    """Visible text in document order, a line break around block elements, a table row per line."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text(deep=False))
        elif tag in ("td", "th"):
            parts.append(" " + child.text(separator=" ", strip=True) + " ")
        elif tag == "-comment":
            continue
        else:
            is_block = tag in _BLOCKS
            if is_block:
                parts.append("\n")
            _walk(child, parts)
            if is_block:
                parts.append("\n")
