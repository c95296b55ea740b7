"""Turn a minutes file (.txt, modern.gov .html, .pdf) into one normalised text and its title."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from etl.model import ReadError

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024
MAX_HTML_DEPTH = 500  # real minutes pages nest under 50 levels; browsers stop nesting at 512
MAX_PDF_INFLATE = 100_000_000  # bytes one PDF stream may inflate to; beyond that it is a decompression bomb
_DROP_TAGS = "script, style, noscript, nav, header, footer, form, iframe, svg, button, select, template"
_DROP_CLASSES = ("breadcrumb", "mglinks", "mgnav", "mgfooter", "mgheader", "mgsidebar", "cookie", "skip", "menu")
_BLOCKS = {
    "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "blockquote", "dd", "dt", "pre", "caption", "title",
}
_LINES = {"tr", "li", "br"}  # each ends a line but does not start a paragraph
_TABLE_GAP = re.compile(r"\S {3,}\S")  # a layout line with a wide gap between words is a table row
_WRAPPED = 0.7  # a PDF line at least this share of the page's widest line is wrapped prose
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|-\s*\d{1,4}\s*-", re.IGNORECASE)
_SENTENCE_ENDS = ".!?:;)\"”’"  # a page ending in one of these did not break a sentence
_NEW_ITEM = re.compile(r"\s*(?:\d+(?:\.\d+)*[.)]?\s|[-•*·▪]\s|\(?[a-z]{1,3}\)\s|RESOLVED|Resolved)")


@dataclass
class Table:
    """An HTML table as cells: the header row (may be empty) and the body rows."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Read:
    """What a reader makes of one file: the text, its title and, for HTML, its tables as cells."""

    text: str
    title: str | None = None
    tables: list[Table] = field(default_factory=list)
    sha256: str | None = None  # of the raw bytes read, when read from a file


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
        raise ReadError(f"too large: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit")
    raw = path.read_bytes()
    read = read_bytes(raw, kind)
    read.sha256 = hashlib.sha256(raw).hexdigest()
    return read


def read_bytes(raw: bytes, kind: str) -> Read:
    """Read raw bytes of the given kind ('text', 'html' or 'pdf') and normalise the text once."""
    if not raw:
        raise ReadError("empty file")
    if kind == "pdf":
        read = _read_pdf(raw)
    elif kind == "html":
        read = _read_html(decode(raw))
    else:
        read = Read(decode(raw))
    text = normalise(read.text)
    if not text.strip():
        raise ReadError("no text found" + (" (a scanned PDF needs OCR first)" if kind == "pdf" else ""))
    return Read(text, read.title, read.tables)


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as cp1252 (Latin-1 where cp1252 has a hole)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("etl_cp1252", _cp1252_bytes)


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), cp1252 or Latin-1, even mixed; binary is refused.

    >>> decode("caf\\u00e9 \\u00a340.8m".encode("cp1252"))
    'café £40.8m'
    >>> decode(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9 \\x80 5 \\x81")
    'café € 5 \\x81'
    >>> decode(b"caf\\xef\\xbf\\xbd")
    'caf�'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:65536]:
        raise ReadError("binary file (contains NUL bytes), not text")
    return raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="etl_cp1252")


def normalise(text: str) -> str:
    """One space between words, one blank line between paragraphs, no control characters.

    >>> normalise("a\\u00a0 b\\r\\n\\r\\n\\r\\n  c\\t d")
    'a b\\n\\nc d'
    >>> normalise("e\\u00adnd of the \\ufb01rst line")
    'end of the first line'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]", " ", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b\ufeff]", "", text)
    text = re.sub(r" +", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------- PDF


_INFLATION_LIMITS = (  # pypdf's settings that stop inflating a stream at a length (we set them to MAX_PDF_INFLATE)
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "brotli_maximum_output_length", "stream_decoding_work_maximum_length")
_INFLATION_LIMIT = re.compile(r"Limit reached while decompressing|Stream decoding exceeded")  # pypdf's words


def _read_pdf(raw: bytes) -> Read:
    from pypdf import PdfReader, apply_configuration

    if not raw.lstrip()[:5].startswith(b"%PDF"):
        raise ReadError("not a PDF (no %PDF header)")
    try:
        with apply_configuration(**dict.fromkeys(_INFLATION_LIMITS, MAX_PDF_INFLATE)):
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                raise ReadError("encrypted PDF; remove the password and try again")
            pages = [_page_text(page) for page in reader.pages]
            title = reader.metadata.get("/Title") if reader.metadata else None
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        if _inflated_too_far(exc):
            raise ReadError(f"PDF content inflates beyond {MAX_PDF_INFLATE / 1e6:g} MB "
                            "(a decompression bomb?); not read") from exc
        reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadError(f"unreadable PDF: {reason}") from exc
    return Read(_join_pages(_without_running_lines(pages)), str(title) if title else None)


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without their page numbers, and without the headers or footers repeated at the top or foot of most
    pages after their first showing (a council's name in a running header still names it once).

    >>> _without_running_lines(["Bexley\\nThe rate was 12%.\\nPage 1 of 2", "Bexley\\nIt fell.\\nPage 2 of 2"])
    ['Bexley\\nThe rate was 12%.', 'It fell.']
    """
    edges = [{line: _running_key(line) for line in _edge_lines(page)} for page in pages]
    seen = Counter(key for keys in edges for key in set(keys.values()))
    running = {key for key, n in seen.items() if len(pages) > 1 and n * 2 >= len(pages)}
    out, shown = [], set()
    for page, keys in zip(pages, edges, strict=True):
        drop = {line for line, key in keys.items() if _PAGE_NUMBER.fullmatch(line.strip())
                or (key in running and key in shown)}
        shown |= set(keys.values())
        out.append("\n".join(line for line in page.split("\n") if line not in drop).strip("\n"))
    return out


def _edge_lines(page: str) -> list[str]:
    """The first two and last two non-empty lines of a page, where running headers and footers stand."""
    lines = [line for line in page.split("\n") if line.strip()]
    return lines[:2] + lines[-2:] if len(lines) > 4 else lines


def _running_key(line: str) -> str:
    """A line with its digits made alike, so "Page 3" and "Page 4" count as one running footer."""
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _join_pages(pages: list[str]) -> str:
    """Pages one after another; a sentence broken by a page break is joined again ("between 80 and" + "85 by")."""
    parts: list[str] = []
    for page in pages:
        if not page:
            continue
        if parts:
            last = parts[-1]
            broken = (page[:1].islower() or page[:1].isdigit()) and last[-1:] not in _SENTENCE_ENDS \
                and not _TABLE_GAP.search(last[last.rfind("\n") + 1:])
            parts.append(" " if broken else "\n\n")
        parts.append(page)
    return "".join(parts)


def _page_text(page) -> str:
    """A page's text with table rows on one line and wrapped prose lines joined."""
    try:
        layout = page.extract_text(extraction_mode="layout")
    except Exception as exc:  # layout mode is newer and fussier; plain mode still gives the words
        if _inflated_too_far(exc):  # but a bomb is a bomb in either mode
            raise
        return page.extract_text() or ""
    return _join_layout_lines((layout or "").splitlines())


def _inflated_too_far(exc: Exception) -> bool:
    """Whether pypdf stopped because a stream inflated past MAX_PDF_INFLATE."""
    from pypdf.errors import LimitReachedError

    return isinstance(exc, LimitReachedError) and _INFLATION_LIMIT.match(str(exc)) is not None


def _join_layout_lines(lines: list[str]) -> str:
    """Collapse pypdf layout lines: a table row stays one line, a wrapped prose line joins the next.

    >>> print(_join_layout_lines(["The measures in the table were set", "out below.",
    ...                           "  Measure        Value", "  Children looked after     486"]))
    The measures in the table were set out below.
    Measure Value
    Children looked after 486
    """
    lines = [line.rstrip() for line in lines]
    widest = max((len(line.strip()) for line in lines if not _TABLE_GAP.search(line)), default=0)
    out: list[str] = []
    joining = False
    for line in lines:
        text = " ".join(line.split())
        if joining and text and not _TABLE_GAP.search(line) and not _NEW_ITEM.match(text):
            out[-1] += " " + text
        else:
            out.append(text)
        joining = bool(text) and not _TABLE_GAP.search(line) and len(line.strip()) >= _WRAPPED * widest
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML


_HTML_TAG = re.compile(r"""
    <!--.*?(?:-->|\Z)                                        # a comment
  | <(script|style|textarea|title|xmp)\b.*?(?:</\1\s*>|\Z)    # raw text: what looks like tags in it is not
  | <(/?)([a-z][^\s/>]*)[^>]*?(/?)>                          # a start or end tag (and a self-closing slash)
""", re.I | re.S | re.X)


def _tags(names: str) -> frozenset[str]:
    """A set of tag names from a space-separated list."""
    return frozenset(names.split())


_UNNESTED = _tags(  # void elements, and the three a page has once each
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr "
    "html head body")
_SPECIAL = _tags(  # HTML's "special" elements an implied end never looks past (less address, div, p and voids)
    "applet aside article blockquote button caption center colgroup dd details dir dl dt fieldset figcaption "
    "figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup iframe li listing main marquee menu nav "
    "noembed noframes noscript object ol plaintext pre search section select summary table tbody td template "
    "tfoot th thead tr ul")
_ENDS_P = _tags("address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
                "footer form h1 h2 h3 h4 h5 h6 header hgroup main menu nav ol p pre section summary table ul")
_LOOK_DOWN = 16  # open elements an implied end looks through; real pages leave only a few inline tags open


def _ends(tags: str, in_table: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    """The open tags a start tag ends, and the open tags it cannot look past to find them."""
    ends = _tags(tags)
    return ends, frozenset({"table"}) if in_table else _SPECIAL - ends


_IMPLIED_ENDS = {  # a start tag -> the open tags it ends (HTML parsers close them without an end tag)
    **{tag: _ends("p") for tag in _ENDS_P},
    "li": _ends("li p"), "dd": _ends("dd dt p"), "dt": _ends("dd dt p"), "a": _ends("a"),
    "option": _ends("option"), "optgroup": _ends("optgroup option"), "tr": _ends("tr", in_table=True),
    "td": _ends("td th", in_table=True), "th": _ends("td th", in_table=True),
    **{tag: _ends("thead tbody tfoot", in_table=True) for tag in ("thead", "tbody", "tfoot")},
}


def _nesting_depth(html: str, limit: int) -> int:
    """The deepest the tags nest, as an HTML parser would build them, in one pass; stops counting past `limit`.

    >>> _nesting_depth("<div><ul><li><p>One<li><p>Two <b>bold</b></ul><p>Three<p>Four</div>", 500)
    5
    >>> _nesting_depth("<div>" * 600, 500)
    501
    """
    stack: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    for match in _HTML_TAG.finditer(html):
        slash, tag, self_closing = match.group(2, 3, 4)
        if tag is None or (tag := tag.lower()) in _UNNESTED:
            continue
        if slash:  # an end tag closes its element and whatever was left open inside it
            if open_count.get(tag):
                while (top := stack.pop()) != tag:
                    open_count[top] -= 1
                open_count[tag] -= 1
            continue
        if self_closing and (open_count.get("svg") or open_count.get("math")):
            continue
        rule = _IMPLIED_ENDS.get(tag)
        if rule is not None and any(map(open_count.get, rule[0])):
            _end_implied(stack, open_count, *rule)
        stack.append(tag)
        open_count[tag] = open_count.get(tag, 0) + 1
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > limit:
                break
    return deepest


def _end_implied(stack: list[str], open_count: dict[str, int], ends: frozenset[str], barrier: frozenset[str]) -> None:
    """Pop the deepest of `ends` found near the top of the stack, and all above it, unless a barrier comes first."""
    cut = None
    for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _LOOK_DOWN), -1):
        if stack[i] in ends:
            cut = i
        elif stack[i] in barrier:
            break
    if cut is not None:
        for top in stack[cut:]:
            open_count[top] -= 1
        del stack[cut:]


def _read_html(html: str) -> Read:
    if _nesting_depth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH:  # lexbor's tree building slows with depth squared
        raise ReadError(f"HTML nested more than {MAX_HTML_DEPTH:,} levels deep; not read")
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[id], [class]"):
        marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}".lower()
        if any(word in marker for word in _DROP_CLASSES):
            node.decompose()
    tables = [_table_cells(table) for table in tree.css("table")]
    body = tree.body or tree.root
    parts: list[str] = []
    if body is not None:
        _walk(body, parts)
    return Read("".join(parts), title or None, [t for t in tables if t.rows or t.header])


def _cell_text(cell: Node) -> str:
    return " ".join(cell.text(separator=" ").split())


def _table_cells(table: Node) -> Table:
    """The header row (th cells, or the thead row) and the body rows of one table."""
    header: list[str] = []
    rows: list[list[str]] = []
    for row in table.css("tr"):
        cells = [_cell_text(cell) for cell in row.css("th, td")]
        in_head = row.parent is not None and row.parent.tag == "thead"
        if not header and not rows and (in_head or all(cell.tag == "th" for cell in row.css("th, td"))):
            header = cells
        else:
            rows.append(cells)
    return Table(header, rows)


def _spaced(node: Node) -> str:
    """A text node with HTML's whitespace rule applied: any run of spaces and newlines is one space."""
    raw = node.text(deep=False)
    words = " ".join(raw.split())
    return (" " if raw[:1].isspace() else "") + words + (" " if words and raw[-1:].isspace() else "")


def _walk(node: Node, parts: list[str]) -> None:
    """Visible text in document order, a line break around block elements, a table row per line."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text(deep=False) if node.tag == "pre" else _spaced(child))
        elif tag in ("td", "th"):
            parts.append(" " + _cell_text(child) + " ")
        elif tag == "-comment":
            continue
        elif tag in _LINES:
            _walk(child, parts)
            parts.append("\n")
        else:
            is_block = tag in _BLOCKS
            if is_block:
                parts.append("\n\n")
            _walk(child, parts)
            if is_block:
                parts.append("\n\n")
