"""A fake modern.gov site on 127.0.0.1 serving the fixture XML and HTML in tests/fixtures/modgov.

Shaped like the real thing: mgWebService.asmx/GetCommittees, GetMeetings (which, like many real sites, ignores
the date window), GetMeeting, the public pages mgListCommittees.aspx, ieListMeetings.aspx, ieListDocuments.aspx,
mgAi.aspx, and PDFs under documents/ and mgConvert2PDF.aspx. Tests switch on faults: the service off, 500s, stalls,
replacement bodies and endless responses.
"""

from __future__ import annotations

import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).with_name("fixtures") / "modgov"

_ROUTES = {  # path -> (query parameter naming the fixture, fixture name pattern)
    "/mgwebservice.asmx/getcommittees": (None, "GetCommittees.xml"),
    "/mgwebservice.asmx/getmeetings": ("lCommitteeId", "GetMeetings-{}.xml"),
    "/mgwebservice.asmx/getmeeting": ("lMeetingId", "GetMeeting-{}.xml"),
    "/mglistcommittees.aspx": (None, "mgListCommittees.html"),
    "/ielistmeetings.aspx": ("CId", "ieListMeetings-{}.html"),
    "/ielistdocuments.aspx": ("MId", "ieListDocuments-{}.html"),
    "/mgai.aspx": ("ID", "mgAi-{}.html"),
}


@cache
def fixture_pdf(title: str) -> bytes:
    """A small real PDF whose text names its title and states a figure."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, f"{title}\n\nThe overspend on children's placements was 2.1 million pounds.")
    return bytes(pdf.output())


class FakeModgov:
    """A running fake site; use as a context manager, read .base, set faults, inspect .log."""

    def __init__(self) -> None:
        self.service_on = True
        self.failures: dict[str, int] = {}  # request prefix -> how many more 500s to send
        self.stalls: dict[str, float] = {}  # request prefix -> seconds to wait before answering
        self.bodies: dict[str, bytes] = {}  # request prefix -> body to send instead of the fixture
        self.endless: set[str] = set()  # request prefixes answered with an endless body
        self.log: list[tuple[str, str]] = []  # (path?query, User-Agent) of every request
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> FakeModgov:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def requests_to(self, fragment: str) -> int:
        """How many requests asked for something containing fragment."""
        return sum(fragment.lower() in target.lower() for target, _ in self.log)

    def _match(self, table: dict | set, target: str):
        return next((key for key in table if target.lower().startswith(key.lower())), None)

    def respond(self, target: str) -> tuple[int, bytes, str]:
        """Status, body and content type for one request target (path?query)."""
        if (key := self._match(self.failures, target)) and self.failures[key] > 0:
            self.failures[key] -= 1
            return 500, b"<html><body>Server Error in '/' Application.</body></html>", "text/html"
        if (key := self._match(self.stalls, target)) is not None:
            time.sleep(self.stalls[key])
        if (key := self._match(self.bodies, target)) is not None:
            return 200, self.bodies[key], "text/xml; charset=utf-8"
        parts = urlsplit(target)
        path = unquote(parts.path).lower()
        if path.startswith("/mgwebservice.asmx") and not self.service_on:
            return 404, b"<html><body>The resource cannot be found.</body></html>", "text/html"
        if path.startswith("/documents/") or path == "/mgconvert2pdf.aspx":
            return 200, fixture_pdf(unquote(target)), "application/pdf"
        if path not in _ROUTES:
            return 404, b"<html><body>Not found</body></html>", "text/html"
        param, pattern = _ROUTES[path]
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        file = FIXTURES / pattern.format(query.get(param.lower(), "") if param else "")
        if not file.is_file():
            return 404, b"<html><body>Not found</body></html>", "text/html"
        kind = "text/xml; charset=utf-8" if file.suffix == ".xml" else "text/html; charset=utf-8"
        return 200, file.read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8"), kind


def _handler(site: FakeModgov) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site._lock:
                site.log.append((self.path, self.headers.get("User-Agent", "")))
                site._in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site._in_flight)
            done = threading.Event()
            try:
                if site._match(site.endless, self.path) is not None:
                    self._send_endless()
                else:
                    status, body, kind = site.respond(self.path)
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    # The request stops counting as in flight before its last byte goes out: once the
                    # client has the whole answer it may rightly ask again before this thread runs on.
                    self.wfile.write(body[:-1])
                    self._finish(done)
                    self.wfile.write(body[-1:])
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self._finish(done)

        def _finish(self, done: threading.Event) -> None:
            with site._lock:
                if not done.is_set():
                    done.set()
                    site._in_flight -= 1

        def _send_endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            chunk = b"%PDF-1.4\n" + b"0" * 65527
            for _ in range(2000):  # up to 128 MB, until the client hangs up
                self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
