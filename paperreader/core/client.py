"""A small synchronous client for the Hugging Face papers API.

Every failure surfaces as an ``HFError`` subclass whose ``str()`` is one line a person can
act on. Waits (rate limits, back-off) go through an injectable ``sleep`` so that tests run
instantly, and an optional ``on_wait`` hook lets a UI say what it is waiting for.

``close()`` may be called from another thread to stop the client at once: a wait between
tries ends, a request waiting for an answer has its connection shut down, and the request
raises ``Cancelled``. The address (``HF_ENDPOINT``) is checked by ``endpoint()``; any
credentials in it are used but never appear in a message.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn, Self
from urllib.parse import urlsplit

import httpx

from paperreader import __version__
from paperreader.core.endpoint import BadEndpoint, endpoint, redact
from paperreader.core.errors import (
    BadRequest,
    BadResponse,
    Cancelled,
    HFError,
    InvalidJSON,
    InvalidPaperId,
    NetworkError,
    NoFullText,
    NotFound,
    RateLimited,
    ServerError,
)
from paperreader.core.models import Paper, ParseResult, normalize_id, parse_paper, parse_papers
from paperreader.core.periods import Period
from paperreader.core.text import clean_text, strip_controls

if TYPE_CHECKING:
    from paperreader.core.paperpage import Comment, PaperDetails

__all__ = [
    "BadEndpoint",
    "BadRequest",
    "BadResponse",
    "Cancelled",
    "HFClient",
    "HFError",
    "InvalidJSON",
    "InvalidPaperId",
    "NetworkError",
    "NoFullText",
    "NotFound",
    "RateLimited",
    "ServerError",
]

USER_AGENT = f"paperreader/{__version__} (+https://github.com/paperreader/paperreader)"
DAILY_LIMIT_MAX = 100
SEARCH_LIMIT_MAX = 120
#: Below this many remaining requests (with a known reset time) requests are spread out.
LOW_REMAINING = 5
_ERROR_TEXT_MAX = 200
#: Seconds to wait for a connection, and (``timeout``) for each read of an answer.
CONNECT_TIMEOUT = 5.0
#: Tries given to a 2xx answer that is not JSON (a proxy's error page, a cut-off body).
JSON_RETRIES = 2


# Header parsing --------------------------------------------------------------------------

_RATE_ITEM = re.compile(r"""\b([rt])\s*=\s*"?\s*(\d+(?:\.\d+)?)""", re.IGNORECASE)


def parse_rate_limit(value: str | None) -> tuple[int | None, float | None]:
    """Read ``"api";r=<remaining>;t=<seconds>`` into ``(r, t)``; None where absent.

    With several comma-separated policies the one with the fewest requests left wins.
    """
    if not value:
        return None, None
    best: tuple[int | None, float | None] = (None, None)
    for item in value.split(","):
        found: dict[str, str] = {}
        for key, number in _RATE_ITEM.findall(item):
            found.setdefault(key.lower(), number)
        if not found:
            continue
        remaining = int(float(found["r"])) if "r" in found else None
        reset = float(found["t"]) if "t" in found else None
        if best == (None, None) or (
            remaining is not None and (best[0] is None or remaining < best[0])
        ):
            best = (remaining, reset)
    return best


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def _seconds(value: float) -> str:
    return f"{max(math.ceil(value), 1)} s"


def _connect_detail(error: Exception) -> str:
    text = str(error).lower()
    if any(
        hint in text
        for hint in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "name resolution",
            "no address associated",
        )
    ):
        return "name lookup failed"
    if "refused" in text:
        return "connection refused"
    if "unreachable" in text:
        return "network unreachable"
    return clean_text(str(error))[:80] or "connection failed"


# The client ------------------------------------------------------------------------------


class HFClient:
    """Fetches Daily Papers listings, search results and single papers."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] | None = None,
        max_body_bytes: int = 32 * 1024 * 1024,
        on_wait: Callable[[float, str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base = endpoint(base_url or None)  # None: HF_ENDPOINT, else huggingface.co
        self.base_url: str = base
        #: The address as messages show it: without credentials.
        self.shown_url: str = redact(base)
        userinfo = urlsplit(base).netloc.rpartition("@")[0]
        self._secrets = tuple(
            {part for part in (userinfo, *userinfo.split(":", 1)[1:]) if len(part) > 0}
        )
        self.requests_made: int = 0
        self.rate_limit_remaining: int | None = None
        self.max_retries = max(max_retries, 0)
        self.max_wait = max_wait
        self.max_body_bytes = max_body_bytes
        self.on_wait = on_wait
        #: Called with the status code after every HTTP answer (a page of a listing, a
        #: retried error...), e.g. to show progress; it may raise to abandon the request.
        self.on_response: Callable[[int], None] | None = None
        #: Set by ``close()``: waits end and no request starts or goes on.
        self._cancelled = threading.Event()
        # The sockets of this client's connections, shut down by ``close()`` to wake a
        # thread blocked reading one (closing a socket does not).
        self._sockets: list[socket.socket] = []
        self._sockets_lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock
        self._timeout = timeout
        # Clock times before which the next request should wait (rate limit pacing).
        self._next_allowed: float | None = None
        self._reset_at: float | None = None
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )

    # Public API ------------------------------------------------------------------------

    def daily_papers(
        self,
        period: Period | None = None,
        *,
        sort: str = "publishedAt",
        limit: int = DAILY_LIMIT_MAX,
        submitter: str | None = None,
        max_pages: int = 1000,
        first_page: int = 0,
        on_page: Callable[[int, tuple[Paper, ...]], None] | None = None,
    ) -> ParseResult:
        """Every page of a Daily Papers listing (the latest day when ``period`` is None).

        ``first_page`` skips the pages before it (a listing fetched in part before);
        ``on_page(page, papers)`` is called with each page's new papers as it comes.
        """
        limit = max(1, min(DAILY_LIMIT_MAX, limit))
        params: dict[str, str | int] = dict(period.api_params) if period else {}
        params.update(limit=limit, sort=sort)
        if submitter:
            params["submitter"] = submitter
        papers: dict[str, Paper] = {}
        skipped = duplicates = 0
        for page in range(max(first_page, 0), max(max_pages, 0)):
            items = self._get("/api/daily_papers", {**params, "p": page})
            if not isinstance(items, list):
                raise _shape_error(items, "a list of papers")
            result = parse_papers(items)
            skipped += result.skipped
            duplicates += result.duplicates
            fresh = []
            for paper in result.papers:
                if paper.id in papers:
                    duplicates += 1
                else:
                    papers[paper.id] = paper
                    fresh.append(paper)
            new = len(fresh)
            if on_page is not None:
                on_page(page, tuple(fresh))
            if len(items) < limit:
                break
            if new == 0 and result.skipped == 0:
                break  # a full page of papers already seen: the server ignores ``p``
        return ParseResult(tuple(papers.values()), skipped, duplicates)

    def search(self, query: str, *, limit: int = SEARCH_LIMIT_MAX) -> ParseResult:
        """Papers matching ``query``, most relevant first (no paging)."""
        query = query.strip()
        if not query:
            return ParseResult()
        limit = max(1, min(SEARCH_LIMIT_MAX, limit))
        items = self._get("/api/papers/search", {"q": query, "limit": limit})
        if not isinstance(items, list):
            raise _shape_error(items, "a list of papers")
        return parse_papers(items)

    def paper(self, paper_id: str) -> Paper:
        """One paper by arXiv id (a version suffix is dropped)."""
        canonical = normalize_id(paper_id)
        if canonical is None:
            shown = clean_text(paper_id)[:40] if isinstance(paper_id, str) else repr(paper_id)
            raise InvalidPaperId(f"{shown!r} is not an arXiv id (expected e.g. 2501.12345)")
        body = self._get(
            f"/api/papers/{canonical}",
            {},
            not_found=f"No paper {canonical} on {self._host}",
        )
        if not isinstance(body, Mapping):
            raise _shape_error(body, "a paper object")
        paper = parse_paper(body)
        if paper is None:
            raise BadResponse(f"The server's answer for {canonical} is not a usable paper")
        return paper

    def paper_details(self, paper_id: str) -> PaperDetails:
        """A paper's linked models, datasets and Spaces, with totals (``/api/papers/{id}``)."""
        from paperreader.core.paperpage import parse_details

        canonical = self._canonical(paper_id)
        body = self._get(
            f"/api/papers/{canonical}", {}, not_found=f"No paper {canonical} on {self._host}"
        )
        if not isinstance(body, Mapping):
            raise _shape_error(body, "a paper object")
        return parse_details(body)

    def comments(self, paper_id: str) -> tuple[Comment, ...]:
        """A paper's discussion, oldest first (``/api/papers/{id}?field=comments``)."""
        from paperreader.core.paperpage import parse_comments

        canonical = self._canonical(paper_id)
        body = self._get(
            f"/api/papers/{canonical}",
            {"field": "comments"},
            not_found=f"No paper {canonical} on {self._host}",
        )
        if not isinstance(body, Mapping | list):
            raise _shape_error(body, "an object with comments")
        return parse_comments(body)

    def full_text(self, paper_id: str) -> str:
        """The whole paper as Markdown (``/papers/{id}.md``), cleaned of control
        characters. ``NoFullText`` (a ``NotFound``) when Hugging Face has none."""
        canonical = self._canonical(paper_id)
        body = self._get(
            f"/papers/{canonical}.md",
            {},
            not_found=f"Hugging Face has no text for {canonical}; "
            f"read it on arXiv: https://arxiv.org/abs/{canonical}",
            accept="text/markdown",
        )
        assert isinstance(body, bytes)
        return strip_controls(body.decode("utf-8", "replace").replace("\r\n", "\n"))

    def _canonical(self, paper_id: str) -> str:
        canonical = normalize_id(paper_id)
        if canonical is None:
            shown = clean_text(paper_id)[:40] if isinstance(paper_id, str) else repr(paper_id)
            raise InvalidPaperId(f"{shown!r} is not an arXiv id (expected e.g. 2501.12345)")
        return canonical

    @property
    def closed(self) -> bool:
        return self._cancelled.is_set()

    def close(self) -> None:
        """Stop everything, from any thread: a wait between tries ends, a request in
        flight has its connection shut down, and both raise ``Cancelled``."""
        self._cancelled.set()
        with self._sockets_lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut_down(sock)
        # Another thread may be using the pool: whatever this says, that thread ends.
        with contextlib.suppress(Exception):
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Requests --------------------------------------------------------------------------

    @property
    def _host(self) -> str:
        return urlsplit(self.shown_url).netloc

    def _scrub(self, text: str) -> str:
        """``text`` (from httpx, say) with the address's credentials blotted out."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled(f"Stopped: the request to {self._host} was cancelled")

    def _wait(self, seconds: float, reason: str) -> None:
        seconds = max(0.0, min(seconds, self.max_wait))
        self._check_cancelled()
        if self.on_wait is not None:
            self.on_wait(seconds, reason)
        if self._sleep is None:
            self._cancelled.wait(seconds)
        else:
            self._sleep(seconds)
        self._check_cancelled()

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's ``trace`` hook: keep every socket this client connects, so that
        ``close()`` can shut it down; refuse to connect once closed."""
        if event.endswith((".connect_tcp.started", ".start_tls.started")):
            self._check_cancelled()
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._sockets_lock:
            self._sockets = [s for s in self._sockets if s.fileno() != -1]
            self._sockets.append(sock)
        if self._cancelled.is_set():  # closed while this one was connecting
            _shut_down(sock)
            self._check_cancelled()

    def _pace(self) -> None:
        """Spread the requests left in the rate-limit window over the time it has left."""
        if self._next_allowed is None:
            return
        now = self._clock()
        wait = self._next_allowed - now
        reset_in = (self._reset_at or now) - now
        if wait > 0 and self.rate_limit_remaining == 0 and reset_in > self.max_wait:
            # Sending would only earn a 429: say how long instead (state kept for next time).
            raise RateLimited(
                f"Rate limit of {self._host} used up: wait {_seconds(reset_in)} and try again",
                retry_after=reset_in,
            )
        self._next_allowed = self._reset_at = None
        if wait > 0:
            self._wait(wait, "rate limit low")

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        remaining, reset = parse_rate_limit(headers.get("RateLimit"))
        if remaining is None:
            return
        self.rate_limit_remaining = remaining
        if reset is not None and remaining < LOW_REMAINING:
            now = self._clock()
            self._next_allowed = now + reset / max(remaining, 1)
            self._reset_at = now + reset
        else:
            self._next_allowed = self._reset_at = None

    def _send(
        self, url: str, params: Mapping[str, str | int], accept: str | None = None
    ) -> tuple[httpx.Response, bytes]:
        """One GET; the body read as a stream and cut off at ``max_body_bytes``."""
        self.requests_made += 1
        try:
            return self._send_once(url, params, accept)
        except (httpx.HTTPError, RuntimeError):
            # A connection shut down by close(), or httpx's "the client has been closed":
            # the app is quitting, not the network failing.
            self._check_cancelled()
            raise

    def _send_once(
        self, url: str, params: Mapping[str, str | int], accept: str | None = None
    ) -> tuple[httpx.Response, bytes]:
        too_large = BadResponse(
            f"Response too large: {self._host} sent more than {self.max_body_bytes:,} bytes"
        )
        headers = {"Accept": accept} if accept else None
        with self._http.stream(
            "GET", url, params=params, headers=headers, extensions={"trace": self._trace}
        ) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise too_large
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise too_large
                chunks.append(chunk)
        if self.on_response is not None:
            self.on_response(response.status_code)
        return response, b"".join(chunks)

    def _get(
        self,
        path: str,
        params: Mapping[str, str | int],
        *,
        not_found: str | None = None,
        accept: str | None = None,
    ) -> Any:
        """GET ``path`` with retries; the decoded JSON body of a 2xx answer (with
        ``accept``, another type than JSON: the body's bytes as they came)."""
        url = self.base_url + path
        retries = 0
        while True:
            self._check_cancelled()
            self._pace()
            try:
                response, body = self._send(url, params, accept)
            except httpx.TimeoutException:
                if retries < self.max_retries:
                    self._wait(0.5 * 2**retries, "timed out")
                    retries += 1
                    continue
                raise NetworkError(
                    f"Timed out: {self.shown_url} did not answer within "
                    f"{_seconds(self._timeout)} ({retries + 1} tries)",
                    reason="timed out",
                ) from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                if retries < self.max_retries:
                    self._wait(0.5 * 2**retries, "connection dropped")
                    retries += 1
                    continue
                raise NetworkError(
                    f"Connection dropped: {self.shown_url} closed the connection "
                    f"({retries + 1} tries)",
                    reason="connection dropped",
                ) from None
            except httpx.DecodingError:
                raise BadResponse(f"The response from {self._host} could not be decoded") from None
            except httpx.TooManyRedirects:
                raise BadResponse(f"Too many redirects from {self._host}") from None
            except httpx.ConnectError as error:
                raise NetworkError(
                    f"No network: could not reach {self.shown_url} "
                    f"({self._scrub(_connect_detail(error))})",
                    reason="no network",
                ) from None
            except httpx.HTTPError as error:
                detail = self._scrub(clean_text(str(error)))[:80] or type(error).__name__
                raise NetworkError(
                    f"No network: could not reach {self.shown_url} ({detail})",
                    reason="no network",
                ) from None

            self._note_rate_limit(response.headers)
            status = response.status_code
            if 200 <= status < 300:
                if accept is not None:
                    return body
                try:
                    return _decode(body)
                except InvalidJSON:
                    if retries < min(self.max_retries, JSON_RETRIES):
                        self._wait(0.5 * 2**retries, "not valid JSON")
                        retries += 1
                        continue
                    tries = f"{retries + 1} {'try' if retries == 0 else 'tries'}"
                    raise InvalidJSON(
                        f"{self._host} sent something that is not valid JSON ({tries}); "
                        "a proxy or a mirror may be in the way"
                    ) from None
            if status == 429:
                retries = self._retry_rate_limited(response, retries)
                continue
            if status >= 500:
                if retries < self.max_retries:
                    self._wait(0.5 * 2**retries, "server error")
                    retries += 1
                    continue
                raise ServerError(
                    f"Server error at {self._host} (HTTP {status}, "
                    f"{retries + 1} {'try' if retries == 0 else 'tries'}); try again later",
                    status=status,
                )
            if status == 404:
                if accept is not None:
                    raise NoFullText(not_found or f"Not found on {self._host}: {path}")
                raise NotFound(not_found or f"Not found on {self._host}: {path}")
            if 400 <= status < 500:
                text = _error_text(body)
                raise BadRequest(
                    f"{self._host} refused the request (HTTP {status})"
                    + (f": {text}" if text else "")
                )
            raise BadResponse(f"Unexpected answer from {self._host} (HTTP {status})")

    def _retry_rate_limited(self, response: httpx.Response, retries: int) -> int:
        """Wait as a 429 asks and return the new retry count, or raise ``RateLimited``."""
        _, reset = parse_rate_limit(response.headers.get("RateLimit"))
        asked = reset if reset else parse_retry_after(response.headers.get("Retry-After"))
        if retries >= self.max_retries or (asked is not None and asked > self.max_wait):
            self._raise_rate_limited(asked)
        self._wait(asked if asked is not None else 2.0**retries, "rate limited")
        # That wait was the server's own reset time: no further pacing for it.
        self._next_allowed = self._reset_at = None
        return retries + 1

    def _raise_rate_limited(self, asked: float | None) -> NoReturn:
        when = f"wait {_seconds(asked)}" if asked is not None else "wait a minute"
        raise RateLimited(f"Rate limited by {self._host}: {when} and try again", retry_after=asked)


def _shut_down(sock: socket.socket) -> None:
    """Shut a socket down both ways: a thread blocked reading it wakes up at once."""
    with contextlib.suppress(OSError):  # closed already, or never connected
        sock.shutdown(socket.SHUT_RDWR)


# Bodies ----------------------------------------------------------------------------------


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidJSON("not valid JSON") from None


def _error_text(body: bytes) -> str:
    """The server's ``{"error": "..."}`` text, cleaned and shortened; '' if none."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    return _error_field(data)


def _error_field(data: object) -> str:
    if not isinstance(data, Mapping):
        return ""
    text = clean_text(data.get("error"))
    if len(text) > _ERROR_TEXT_MAX:
        text = text[: _ERROR_TEXT_MAX - 1].rstrip() + "…"
    return text


def _shape_error(body: object, expected: str) -> BadResponse:
    got = (
        "an object"
        if isinstance(body, Mapping)
        else "a list"
        if isinstance(body, list)
        else "a string"
        if isinstance(body, str)
        else "something else"
    )
    message = f"Unexpected response: expected {expected}, got {got}"
    text = _error_field(body)
    if text:
        message += f" ({text})"
    return BadResponse(message)
