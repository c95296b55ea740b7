"""A polite HTTP GET: one request at a time per site, a pause between them, retries, and a size limit."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from etl import __version__

USER_AGENT = (f"childrens-kpi-dashboard/{__version__} (reads published committee minutes; "
              "one request at a time; see README)")
RETRY_STATUS = {429, 500, 502, 503, 504}
_CHUNK = 64 * 1024

_locks: dict[str, threading.Lock] = {}
_last_request: dict[str, float] = {}
_guard = threading.Lock()


class HttpError(Exception):
    """A GET that failed for good; status is the HTTP status when there was one."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Client:
    """GETs with a clear User-Agent, a pause per site, retries with backoff on 5xx and time-outs, and a byte limit."""

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_bytes: int = 50 * 1024 * 1024
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    requests: int = field(default=0, init=False)

    def get(self, url: str) -> bytes:
        """The body of url; raise HttpError with a one-line reason after the last try."""
        host = urlsplit(url).netloc.lower()
        with _guard:
            lock = _locks.setdefault(host, threading.Lock())
        with lock:
            reason = ""
            for attempt in range(self.retries + 1):
                if attempt:
                    self.sleep(self.backoff * 2 ** (attempt - 1))
                self._pause(host)
                try:
                    return self._get_once(url)
                except HttpError as exc:
                    if exc.status is not None and exc.status not in RETRY_STATUS:
                        raise
                    reason = str(exc)
                    if exc.status is None and reason.startswith("too large"):
                        raise
            tries = self.retries + 1
            raise HttpError(f"{reason} (gave up after {tries} tr{'y' if tries == 1 else 'ies'})")

    def _pause(self, host: str) -> None:
        wait = _last_request.get(host, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        _last_request[host] = time.monotonic()

    def _get_once(self, url: str) -> bytes:
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "*/*"})
        try:
            with urllib.request.build_opener(_SameHostRedirects).open(request, timeout=self.timeout) as response:
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > self.max_bytes:
                    raise HttpError(f"too large: {declared / 1e6:.1f} MB declared, over the "
                                    f"{self.max_bytes / 1e6:.1f} MB limit")
                return self._read_capped(response)
        except urllib.error.HTTPError as exc:
            raise HttpError(f"HTTP {exc.code} {exc.reason}", exc.code) from exc
        except TimeoutError as exc:
            raise HttpError(f"timed out after {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise HttpError(f"timed out after {self.timeout:g} s") from exc
            raise HttpError(f"cannot connect: {exc.reason}") from exc
        except (ConnectionError, OSError) as exc:
            raise HttpError(f"connection failed: {exc}") from exc

    def _read_capped(self, response) -> bytes:
        body = bytearray()
        while chunk := response.read(_CHUNK):
            body += chunk
            if len(body) > self.max_bytes:
                raise HttpError(f"too large: cut at the {self.max_bytes / 1e6:.1f} MB limit")
        return bytes(body)


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects on the same host only; a site never sends us elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).hostname != urlsplit(req.full_url).hostname:
            raise HttpError(f"redirect to another host refused: {urlsplit(newurl).hostname}", code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
