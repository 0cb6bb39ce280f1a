"""A local stand-in for the Hugging Face papers API, for tests, acceptance checks and benchmarks.

It answers the three endpoints paperreader uses the way the real API does (see the API
notes: parameters, ordering, paging with ``Link``, errors as ``{"error": ...}``, the
``RateLimit`` headers of a fixed window) from a list of items kept in memory, and it can be
told to misbehave. In tests::

    with FakeHub.from_sample() as hub:
        client = make_client(base_url=hub.url)
        ...
        hub.fault = "status:503"
        ...
        assert hub.requests[-1] == ("/api/daily_papers", {"date": "2026-08-21"})

It is a development tool, not part of the installed package. By hand, from the
repository's root, then point the app at it with ``HF_ENDPOINT=http://127.0.0.1:8765``::

    python -m tools.fakehub --port 8765 [--sample | --items FILE.json[.gz]] [--fault KIND]

Faults (set with ``fault=`` or at any time through ``hub.fault``; None for none):

* ``status:<code>``: every request gets that status and ``{"error": ...}``
* ``ratelimit`` / ``ratelimit:<n>``: the next n requests (default 1) get 429 with
  ``RateLimit: "api";r=0;t=1``
* ``cdn429`` / ``cdn429:<n>``: like ``ratelimit`` but without RateLimit headers, only
  ``Retry-After: 1`` (as 429s from the CDN come)
* ``notjson``: 200 with an HTML page
* ``truncated``: the body is cut off halfway and the connection closed
* ``drop``: the connection is closed without any answer (a dropped connection)
* ``object``: a JSON object where a list is expected (``{"papers": [...]}``)
* ``slow:<seconds>``: every answer is delayed
* ``hostile``: listings and searches start with items built to attack a terminal UI
  (markup, escape sequences, bidi and zero-width characters, bad ids, wrong types, a
  ``javascript:`` link); see ``hostile_items``. Every paper's full text, comments and
  linked repositories are hostile too (``hostile_markdown``, ``hostile_comments``)

Besides the listings it serves a paper's page, made up deterministically from its item:
``/papers/{id}.md`` (``paper_markdown``: sections, lists, a table, code, maths, a figure,
references; 404 for ids in ``hub.no_text``), ``/api/papers/{id}`` with linked models,
datasets and Spaces (``linked_repos``), and ``/api/papers/{id}?field=comments`` (as many
comments as the item's ``numComments``, some replies; ``paper_comments``).

A fault can be held back until some requests went through: ``fault_after=n`` (or
``hub.fault_after = n`` at any time) lets the first n requests the hub ever received pass,
e.g. ``FakeHub(items, fault="drop", fault_after=5)`` drops every request from the sixth on.

A refused connection is had by stopping the hub.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import random
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from paperreader.core.periods import Period, PeriodError, Unit

Item = dict[str, Any]
Query = dict[str, str]

DAILY_LIMIT_DEFAULT = 50
DAILY_LIMIT_MAX = 100
SEARCH_LIMIT_DEFAULT = 50
SEARCH_LIMIT_MAX = 120

_FAULT = re.compile(
    r"^(?:(?P<status>status):(?P<code>[1-5]\d\d)"
    r"|(?P<rl>ratelimit|cdn429)(?::(?P<n>\d+))?"
    r"|(?P<slow>slow):(?P<seconds>\d+(?:\.\d+)?)"
    r"|(?P<simple>notjson|truncated|drop|object|hostile))$"
)
_WORD = re.compile(r"\w+")
_PERIOD_PARAMS: tuple[tuple[str, Unit], ...] = (
    ("date", "day"),
    ("week", "week"),
    ("month", "month"),
)
_PAPER_PATH = re.compile(r"^/api/papers/(?P<id>[^/]+)$")
_TEXT_PATH = re.compile(r"^/papers/(?P<id>[^/]+)\.md$")


class Raw:
    """An answer that is not JSON (a paper's Markdown)."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self.body = body
        self.content_type = content_type


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# Items ---------------------------------------------------------------------------------


def _paper(item: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = item.get("paper") if isinstance(item, Mapping) else None
    return inner if isinstance(inner, Mapping) else {}


def listing_day(item: Mapping[str, Any]) -> str | None:
    """``paper.submittedOnDailyAt[:10]``, or None when the item has no usable one."""
    value = _paper(item).get("submittedOnDailyAt")
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def upvotes(item: Mapping[str, Any]) -> int:
    value = _paper(item).get("upvotes")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _submitter(item: Mapping[str, Any]) -> set[str]:
    names = set()
    for user in (item.get("submittedBy"), _paper(item).get("submittedOnDailyBy")):
        if isinstance(user, Mapping) and isinstance(user.get("name"), str):
            names.add(user["name"].lower())
    return names


def make_item(
    paper_id: str,
    title: str | None = None,
    *,
    day: str | date = "2026-08-17",
    upvotes: int = 0,
    summary: str | None = None,
    authors: Iterable[str] = ("Ada Lovelace", "Alan Turing"),
    submitter: str | None = "tester",
    comments: int = 0,
    **paper_fields: Any,
) -> Item:
    """One ``/api/daily_papers`` item with the fields the app reads (extra ones as kwargs)."""
    day_text = day.isoformat() if isinstance(day, date) else day
    title = title if title is not None else f"Paper {paper_id}"
    summary = summary if summary is not None else f"The abstract of {title}."
    user = (
        {"_id": f"user-{submitter}", "name": submitter, "fullname": submitter, "type": "user"}
        if submitter
        else None
    )
    paper: Item = {
        "id": paper_id,
        "authors": [
            {"_id": f"{paper_id}-{index}", "name": name, "hidden": False}
            for index, name in enumerate(authors)
        ],
        "publishedAt": f"{day_text}T00:00:00.000Z",
        "submittedOnDailyAt": f"{day_text}T00:00:00.000Z",
        "title": title,
        "summary": summary,
        "upvotes": upvotes,
        "discussionId": f"discussion-{paper_id}",
    }
    if user:
        paper["submittedOnDailyBy"] = user
    paper.update(paper_fields)
    item: Item = {
        "paper": paper,
        "publishedAt": paper["publishedAt"],
        "title": title,
        "summary": summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper_id}.png",
        "numComments": comments,
        "isAuthorParticipating": False,
    }
    if user:
        item["submittedBy"] = user
    return item


def make_items(
    papers_spec: Mapping[str | date, int] | Iterable[tuple[str | date, int]],
) -> list[Item]:
    """``{"2026-08-17": 30, "2026-08-18": 5}``: that many items on each day.

    Ids are ``YYMM.NNNNN`` from the day and a running number, so they are unique; upvotes
    fall within a day (the first item of a day has the most) and titles say where they
    come from (``Paper 3 of 2026-08-17``).
    """
    pairs = papers_spec.items() if isinstance(papers_spec, Mapping) else papers_spec
    items: list[Item] = []
    serial = 0
    for day, count in pairs:
        day_value = date.fromisoformat(day) if isinstance(day, str) else day
        for index in range(count):
            serial += 1
            paper_id = f"{day_value:%y%m}.{serial:05d}"
            items.append(
                make_item(
                    paper_id,
                    f"Paper {index + 1} of {day_value.isoformat()}",
                    day=day_value,
                    upvotes=count - index,
                )
            )
    return items


def hostile_items(day: str = "2026-08-17") -> list[Any]:
    """Items built to break a client or a terminal, all listed on ``day``.

    The first few are valid papers whose text attacks the display; the rest are broken
    items a tolerant parser must skip (or read around) without crashing.
    """
    stamp = f"{day}T00:00:00.000Z"
    markup = "[bold]x[/] [link=https://evil]y[/link] [@click=app.quit]z[/]"
    escapes = "\x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 \x1b]0;pwned\x07 \x1b[2J\x1b[H"
    sneaky = "\u202eevil\u202c zero\u200bwidth\u200d \ufeff\u2066iso\u2069"
    return [
        make_item(
            "2699.00001",
            f"Markup {markup}",
            day=day,
            upvotes=99,
            summary=f"Abstract with {markup} and {escapes}",
            authors=[f"Mallory {markup}", f"Eve {escapes}", f"Trudy {sneaky}"],
            submitter="[red]mallory[/red]",
            githubRepo="javascript:alert(1)",
            projectPage="https://evil.example/\x1b]52;c;aGk=\x07",
            ai_summary=f"AI {markup} {escapes}",
            ai_keywords=[markup, escapes, sneaky, 42, None],
        ),
        make_item(
            "2699.00002",
            f"Escapes {escapes}",
            day=day,
            upvotes=98,
            summary=f"Bidi and zero-width: {sneaky}\n\n\n\x00\x07\x08 controls",
            authors=[sneaky, "\x1b]0;pwned\x07"],
            githubRepo="https://github.com/evil/\u202erepo",
            organization={"name": f"org {markup}", "fullname": f"Org {escapes}"},
        ),
        make_item(
            "2699.00003",
            f"Sneaky {sneaky}",
            day=day,
            upvotes=97,
            summary="x" * 20_000,
            githubRepo="file:///etc/passwd",
            projectPage="data:text/html,<script>alert(1)</script>",
        ),
        # Broken items.
        {"paper": {"title": "No id at all", "submittedOnDailyAt": stamp, "upvotes": 5}},
        make_item("../../x", "Path traversal id", day=day, upvotes=4),
        make_item("2699.00004; rm -rf /", "Shell in the id", day=day, upvotes=4),
        {
            "paper": {
                "id": "2699.00005",
                "title": "Wrong types everywhere",
                "summary": 42,
                "authors": "not a list",
                "upvotes": "lots",
                "githubStars": -5,
                "githubRepo": ["https://github.com/a/b"],
                "projectPage": 7,
                "ai_keywords": {"a": 1},
                "organization": "a string",
                "submittedOnDailyAt": stamp,
                "publishedAt": 12345,
            },
            "numComments": "many",
            "submittedBy": ["nobody"],
            "title": None,
        },
        {"paper": {"id": 2699.00006, "title": "Numeric id", "submittedOnDailyAt": stamp}},
        {"paper": {"id": "2699.00007", "title": ["a", "list"], "submittedOnDailyAt": stamp}},
        {"paper": {"id": "2699.00008", "title": "   ", "submittedOnDailyAt": stamp}},
        {"paper": "not an object", "title": "Paper is a string"},
        "just a string",
        None,
        42,
        [],
    ]


# A paper's page ----------------------------------------------------------------------

_WORDS = [
    "model",
    "attention",
    "token",
    "latent",
    "diffusion",
    "policy",
    "reward",
    "benchmark",
    "dataset",
    "training",
    "inference",
    "scaling",
    "alignment",
    "retrieval",
    "reasoning",
    "agent",
    "vision",
    "language",
    "layer",
    "gradient",
    "sample",
    "loss",
    "encoder",
    "decoder",
    "transformer",
    "embedding",
    "context",
    "memory",
    "search",
    "planning",
]


def _sentence(rng: random.Random, words: int = 18) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def paper_markdown(item: Mapping[str, Any], *, sections: int = 5) -> str:
    """The ``/papers/{id}.md`` of an item, as Hugging Face builds it from arXiv's HTML:
    title, authors, abstract, numbered sections (lists, a table, code, inline and display
    maths, a figure as an image link, a block quote, links), references. Deterministic."""
    paper = _paper(item)
    paper_id = str(paper.get("id"))
    rng = random.Random(paper_id)
    title = paper.get("title") if isinstance(paper.get("title"), str) else paper_id
    authors = [a.get("name", "") for a in paper.get("authors") or [] if isinstance(a, Mapping)] or [
        "Anonymous"
    ]
    summary = paper.get("summary") if isinstance(paper.get("summary"), str) else ""
    parts = [
        f"# {' '.join(str(title).split())}\n",
        f"{', '.join(str(a) for a in authors)}\n",
        "## Abstract\n",
        f"{' '.join(str(summary).split()) or _paragraph(rng)}\n",
    ]
    names = ["Introduction", "Related Work", "Method", "Experiments", "Conclusion"]
    for number in range(1, sections + 1):
        name = names[(number - 1) % len(names)]
        parts.append(f"## {number} {name}\n")
        parts.append(
            f"{_paragraph(rng)} See [the project page](https://example.org/{paper_id}) "
            f"and [12]. The loss is $\\mathcal{{L}} = \\sum_i \\log p(x_i)$ for "
            f"every *sample* and **batch**.\n"
        )
        parts.append(f"### {number}.1 Details\n")
        parts.append(f"{_paragraph(rng, 3)}\n")
        if number % 2 == 1:
            parts.append(
                "- first, the `encoder` reads the input;\n- then the decoder writes;\n"
                "  - a nested point;\n- finally the loss is computed.\n"
            )
            parts.append("$$\nE = mc^2 + \\frac{a}{b}\n$$\n")
        else:
            rows = "".join(
                f"| model-{row} | {rng.randint(10, 99)}.{row} | {rng.randint(1, 9)}B |\n"
                for row in range(3)
            )
            parts.append(f"| Model | Score | Tokens |\n|---|---:|---|\n{rows}")
            parts.append("\n```python\nfor step in range(10):\n    loss = model(batch)\n```\n")
            parts.append(
                f"![Figure {number}: {_sentence(rng, 6)}](https://arxiv.org/html/{paper_id}/x{number}.png)\n"
            )
            parts.append(f"> {_sentence(rng)}\n")
    parts.append("## References\n")
    for number in range(1, 13):
        cited = f"{2400 + number}.0000{number % 10}"
        parts.append(
            f"{number}. A. Author. {_sentence(rng, 6)} "
            f"[arXiv:{cited}](https://arxiv.org/abs/{cited})\n"
        )
    return "\n".join(parts)


def linked_repos(paper_id: str) -> Item:
    """The linked models, datasets and Spaces of ``/api/papers/{id}`` (some papers none),
    most liked first, with totals past the listed ones as the API caps its lists."""
    rng = random.Random(f"repos {paper_id}")
    owner = f"lab{rng.randint(1, 30)}"
    fields: Item = {}
    for kind, key, total_key in (
        ("model", "linkedModels", "numTotalModels"),
        ("dataset", "linkedDatasets", "numTotalDatasets"),
        ("space", "linkedSpaces", "numTotalSpaces"),
    ):
        count = rng.choice((0, 0, 1, 2, 3))
        repos = []
        for index in range(count):
            repo: Item = {
                "_id": f"{paper_id}-{kind}-{index}",
                "id": f"{owner}/{kind}-{paper_id.replace('.', '-')}-{index}",
                "author": owner,
                "likes": rng.randint(0, 500),
                "private": False,
                "lastModified": "2026-08-20T10:00:00.000Z",
            }
            if kind == "model":
                repo["downloads"] = rng.randint(0, 100_000)
                repo["pipeline_tag"] = rng.choice(("text-generation", "image-to-text"))
            elif kind == "dataset":
                repo["downloads"] = rng.randint(0, 10_000)
            else:
                repo["sdk"] = rng.choice(("gradio", "streamlit"))
            repos.append(repo)
        repos.sort(key=lambda r: -int(r["likes"]))
        fields[key] = repos
        fields[total_key] = count + (rng.randint(1, 5) if count == 3 else 0)
    return fields


def paper_comments(item: Mapping[str, Any]) -> list[Item]:
    """As many comments as the item's ``numComments`` (at most 50; a few when it has
    none), oldest first, the third a reply to the first."""
    paper_id = str(_paper(item).get("id"))
    rng = random.Random(f"comments {paper_id}")
    count = item.get("numComments")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        count = rng.randint(0, 3)
    comments: list[Item] = []
    for index in range(min(count, 50)):
        name = f"reader{rng.randint(1, 99)}"
        data: Item = {
            "latest": {"raw": f"Comment {index + 1}: {_sentence(rng, 10)}", "html": "<p>…</p>"},
            "numEdits": 0,
        }
        if index == 2:
            data["parentCommentId"] = comments[0]["id"]
        comments.append(
            {
                "id": f"c{paper_id.replace('.', '')}{index:03d}",
                "author": {"name": name, "fullname": name.capitalize(), "avatarUrl": "/a.svg"},
                "createdAt": f"2026-08-{10 + index % 18:02d}T{index % 24:02d}:00:00.000Z",
                "data": data,
            }
        )
    return comments


_HOSTILE_TEXT = (
    "[bold]markup[/] [link=https://evil]y[/link] [@click=app.quit]z[/] "
    "\x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 \x1b]0;pwned\x07 \x1b[2J\u202eevil\u202c"
)


def hostile_markdown() -> str:
    """A paper text built to attack the reader: markup, escape sequences (colours, window
    title, OSC 52 clipboard), unsafe links, raw HTML, a huge line and a huge table."""
    return "\n".join(
        [
            f"# Hostile {_HOSTILE_TEXT}\n",
            f"## Section {_HOSTILE_TEXT}\n",
            f"Text {_HOSTILE_TEXT} with [a js link](javascript:alert(1)) and "
            "[a file link](file:///etc/passwd) and [data](data:text/html,x) and "
            "[an OSC link](https://ok.example/\x1b]52;c;aGk=\x07) and "
            "[a good link](https://example.org/good).\n",
            "<script>alert(1)</script> <b>html</b>\n",
            f"- item {_HOSTILE_TEXT}\n",
            f"| a {_HOSTILE_TEXT} | b |\n|---|---|\n| [x](javascript:alert(2)) | y |\n",
            f"```\ncode {_HOSTILE_TEXT}\n```\n",
            f"![img {_HOSTILE_TEXT}](javascript:alert(3))\n",
            "x" * 100_000 + "\n",
            "## End\n",
        ]
    )


def hostile_comments() -> list[Any]:
    return [
        {
            "id": "h1",
            "author": {"name": "[red]mallory[/red]", "fullname": f"Mallory {_HOSTILE_TEXT}"},
            "createdAt": "2026-08-10T00:00:00.000Z",
            "data": {"latest": {"raw": f"Hi {_HOSTILE_TEXT}\n[click](javascript:alert(1))"}},
        },
        {"id": "h2", "author": "not an object", "createdAt": 7, "data": {"latest": {"raw": 42}}},
        {"id": "h3", "data": {"hidden": True, "latest": {"raw": "hidden text"}}},
        "not a comment",
        None,
    ]


def hostile_repos() -> Item:
    return {
        "linkedModels": [
            {"id": "evil/\x1b]0;pwned\x07", "likes": 5},
            {"id": "javascript:alert(1)", "likes": 4},
            {"id": "ok/model", "likes": "many", "pipeline_tag": _HOSTILE_TEXT},
            "not a repo",
        ],
        "numTotalModels": "lots",
        "linkedDatasets": {"not": "a list"},
        "linkedSpaces": [{"id": "../../etc/passwd"}, {"id": "ok/space", "sdk": "[b]x[/b]"}],
        "numTotalSpaces": 2,
    }


# The hub -------------------------------------------------------------------------------


class FakeHub:
    """A Hugging Face papers API on 127.0.0.1, serving ``items`` from memory."""

    def __init__(
        self,
        items: list[Item],
        *,
        quota: int = 500,
        window: float = 300,
        fault: str | None = None,
        fault_after: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.items: list[Item] = list(items)
        #: The fault spares the first ``fault_after`` requests (counted in ``requests``).
        self.fault_after = fault_after
        self.quota = quota
        self.window = window
        self.clock = clock
        #: Every request received, as (path, query), in order of arrival.
        self.requests: list[tuple[str, Query]] = []
        self._lock = threading.Lock()
        self._fault: str | None = None
        self._fault_left = 0
        self._window_start: float | None = None
        self._window_count = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        #: Paper ids whose full text is "not indexed" (404), as on Hugging Face.
        self.no_text: set[str] = set()
        self.fault = fault

    @classmethod
    def from_sample(cls, **kwargs: Any) -> FakeHub:
        """A hub serving the bundled offline sample (real papers)."""
        from paperreader.core.sample import load_sample_items

        return cls(load_sample_items(), **kwargs)

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> FakeHub:
        """A hub serving the JSON list of items in ``path`` (``.json`` or ``.json.gz``)."""
        raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        items = json.loads(raw)
        if not isinstance(items, list):
            raise ValueError(f"{path}: expected a JSON list of items")
        return cls(items, **kwargs)

    # Fault injection -------------------------------------------------------------------
    @property
    def fault(self) -> str | None:
        with self._lock:
            return self._fault

    @fault.setter
    def fault(self, value: str | None) -> None:
        match = _FAULT.match(value) if value else None
        if value and not match:
            raise ValueError(f"unknown fault {value!r}")
        with self._lock:
            self._fault = value or None
            self._fault_left = int(match["n"] or 1) if match and match["rl"] else 0

    # Life cycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the hub is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        """Serve in a daemon thread; return the base URL (``http://127.0.0.1:PORT``)."""
        if self._server is not None:
            return self.url
        self._stopping.clear()
        server = _Server((host, port), _make_handler(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and drop open connections: from now on connections are refused."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> FakeHub:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Rate limit ------------------------------------------------------------------------
    def _count_request(self) -> tuple[int, int, bool]:
        """Count one request in the fixed window: (remaining, seconds to reset, allowed)."""
        now = self.clock()
        with self._lock:
            if self._window_start is None or now >= self._window_start + self.window:
                self._window_start = now
                self._window_count = 0
            self._window_count += 1
            remaining = max(self.quota - self._window_count, 0)
            reset = max(math.ceil(self._window_start + self.window - now), 0)
            return remaining, reset, self._window_count <= self.quota

    def _take_fault(self, index: int = -1) -> tuple[str | None, re.Match[str] | None]:
        """The fault for the request received ``index``-th (from 0; -1: not counted)."""
        with self._lock:
            if 0 <= index < self.fault_after:
                return None, None
            fault = self._fault
            match = _FAULT.match(fault) if fault else None
            if match and match["rl"]:
                if self._fault_left <= 0:
                    return None, None
                self._fault_left -= 1
            return fault, match

    def _policy(self) -> str:
        return f'"fixed window";"api";q={self.quota};w={math.ceil(self.window)}'

    # Endpoints -------------------------------------------------------------------------
    def _route(self, path: str, query: Query, base: str) -> tuple[Any, dict[str, str]]:
        if path == "/api/daily_papers":
            return self._daily(query, base)
        if path == "/api/papers/search":
            return self._search(query), {}
        if match := _PAPER_PATH.match(path):
            paper_id = unquote(match["id"])
            if query.get("field") == "comments":
                return self._comments(paper_id), {}
            return self._paper_by_id(paper_id), {}
        if match := _TEXT_PATH.match(path):
            return self._markdown(unquote(match["id"])), {}
        raise HttpError(404, "Not Found")

    def _item(self, paper_id: str) -> Item | None:
        for item in self.items:
            if _paper(item).get("id") == paper_id:
                return item
        if self.fault == "hostile":
            for item in hostile_items():
                if isinstance(item, dict) and _paper(item).get("id") == paper_id:
                    return item
        return None

    def _markdown(self, paper_id: str) -> Raw:
        item = self._item(paper_id)
        if item is None or paper_id in self.no_text:
            raise HttpError(404, "Not Found")
        text = hostile_markdown() if self.fault == "hostile" else paper_markdown(item)
        return Raw(text.encode("utf-8"), "text/markdown; charset=utf-8")

    def _comments(self, paper_id: str) -> Item:
        item = self._item(paper_id)
        if item is None:
            raise HttpError(404, "Not Found")
        if self.fault == "hostile":
            return {"comments": hostile_comments()}
        return {"comments": paper_comments(item)}

    def _daily(self, query: Query, base: str) -> tuple[list[Any], dict[str, str]]:
        limit = _int_param(query, "limit", DAILY_LIMIT_DEFAULT, DAILY_LIMIT_MAX)
        page = _int_param(query, "p", 0, None)
        sort = query.get("sort", "publishedAt")
        if sort not in ("publishedAt", "trending"):
            raise HttpError(400, '"sort" must be one of [publishedAt, trending]')
        items = self.items
        latest = max((d for item in items if (d := listing_day(item))), default=None)

        period = None
        if sort == "trending":
            selected = [item for item in items if isinstance(item, Mapping)]
        else:
            period = _period(query, latest)
            if period is None:
                selected = []
            else:
                first, last = period.start.isoformat(), period.end.isoformat()
                selected = [
                    item for item in items if (d := listing_day(item)) and first <= d <= last
                ]
        if submitter := query.get("submitter"):
            selected = [item for item in selected if submitter.lower() in _submitter(item)]
        selected = sorted(selected, key=upvotes, reverse=True)

        start = page * limit
        body: list[Any] = selected[start : start + limit]
        headers: dict[str, str] = {}
        if start + limit < len(selected):
            after = {**query, "p": str(page + 1), "limit": str(limit)}
            headers["Link"] = f'<{base}/api/daily_papers?{urlencode(after)}>; rel="next"'
        if self.fault == "hostile" and page == 0:
            day = period.start.isoformat() if period else latest
            body = hostile_items(day or "2026-08-17") + body
        return body, headers

    def _search(self, query: Query) -> list[Any]:
        limit = _int_param(query, "limit", SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX)
        words = {word.lower() for word in _WORD.findall(query.get("q", ""))}
        hits: list[tuple[int, int, int, Item]] = []
        for index, item in enumerate(self.items):
            paper = _paper(item)
            title = paper.get("title")
            title = title if isinstance(title, str) else ""
            summary = paper.get("summary")
            summary = summary if isinstance(summary, str) else ""
            title_words = {w.lower() for w in _WORD.findall(title)}
            all_words = title_words | {w.lower() for w in _WORD.findall(summary)}
            if words and words <= all_words:
                hits.append((-len(words & title_words), -upvotes(item), index, item))
        hits.sort(key=lambda hit: hit[:3])
        results: list[Any] = []
        for *_, item in hits[:limit]:
            result = {k: v for k, v in item.items() if k != "submittedBy"}
            result["upvoted"] = False
            results.append(result)
        if self.fault == "hostile":
            results = [
                {k: v for k, v in item.items() if k != "submittedBy"}
                if isinstance(item, dict)
                else item
                for item in hostile_items()
            ] + results
        return results[:limit]

    def _paper_by_id(self, paper_id: str) -> Item:
        for item in self.items:
            paper = _paper(item)
            if paper.get("id") == paper_id:
                if self.fault == "hostile":
                    return {**paper, **hostile_repos()}
                return {**paper, **linked_repos(paper_id)}
        if self.fault == "hostile":
            for item in hostile_items():
                if isinstance(item, dict) and _paper(item).get("id") == paper_id:
                    return {**_paper(item), **hostile_repos()}
        raise HttpError(404, "Not Found")


def _int_param(query: Query, name: str, default: int, maximum: int | None) -> int:
    text = query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise HttpError(400, f'"{name}" must be a number') from None
    minimum = 1 if name == "limit" else 0
    if value < minimum:
        raise HttpError(400, f'"{name}" expected number to be >={minimum}')
    if maximum is not None and value > maximum:
        raise HttpError(400, f'"{name}" expected number to be <={maximum}')
    return value


def _period(query: Query, latest: str | None) -> Period | None:
    """The period asked for, or the latest day present when none is; None if no papers."""
    for name, unit in _PERIOD_PARAMS:
        if name in query:
            try:
                period = Period.parse_unit(unit, query[name])
            except PeriodError:
                raise HttpError(400, f'"{name}" must be a valid {unit}') from None
            if unit == "day" and latest and period.start.isoformat() > latest:
                raise HttpError(400, f'"date" must be on or before {latest}')
            return period
    return Period.day(date.fromisoformat(latest)) if latest else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up mid-answer (killed, timed out): nothing to report
        super().handle_error(request, client_address)


def _make_handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeHub/1.0"
        timeout = 30  # an idle keep-alive connection is dropped after this
        disable_nagle_algorithm = True  # headers and body go out in separate writes

        def setup(self) -> None:
            super().setup()
            with hub._lock:
                hub._connections.add(self.connection)

        def finish(self) -> None:
            with hub._lock:
                hub._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            _handle(hub, self)

        def do_HEAD(self) -> None:
            self.send_error(405)

        do_POST = do_PUT = do_DELETE = do_HEAD

    return Handler


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    content_type: str = "application/json; charset=utf-8",
    cut: bool = False,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    if cut:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2] if cut else body)
    handler.wfile.flush()


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _handle(hub: FakeHub, handler: BaseHTTPRequestHandler) -> None:
    """Answer one request: count it, apply the fault if any, then route it."""
    parts = urlsplit(handler.path)
    query: Query = dict(parse_qsl(parts.query, keep_blank_values=True))
    with hub._lock:
        hub.requests.append((parts.path, query))
        index = len(hub.requests) - 1

    remaining, reset, allowed = hub._count_request()
    headers = {
        "RateLimit": f'"api";r={remaining};t={reset}',
        "RateLimit-Policy": hub._policy(),
    }
    fault, match = hub._take_fault(index)

    if match and match["slow"] and hub._stopping.wait(float(match["seconds"])):
        return
    if match and match["rl"]:
        if match["rl"] == "ratelimit":
            headers = {"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": hub._policy()}
        else:
            headers = {"Retry-After": "1"}
        _send(handler, 429, _dump({"error": "Too Many Requests"}), headers)
        return
    if fault == "drop":
        handler.close_connection = True  # no answer at all: the client sees a hang-up
        return
    if not allowed:
        _send(handler, 429, _dump({"error": "Too Many Requests"}), headers)
        return
    if match and match["status"]:
        code = int(match["code"])
        _send(handler, code, _dump({"error": f"Injected failure: HTTP {code}"}), headers)
        return
    if fault == "notjson":
        page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
        _send(handler, 200, page, headers, content_type="text/html; charset=utf-8")
        return

    host = handler.headers.get("Host") or "127.0.0.1"
    try:
        data, extra = hub._route(parts.path, query, f"http://{host}")
    except HttpError as error:
        _send(handler, error.status, _dump({"error": error.message}), headers)
        return
    if isinstance(data, Raw):
        _send(
            handler,
            200,
            data.body,
            {**headers, **extra},
            content_type=data.content_type,
            cut=fault == "truncated",
        )
        return
    if fault == "object":
        data = {"papers": data} if isinstance(data, list) else {"paper": data}
    _send(handler, 200, _dump(data), {**headers, **extra}, cut=fault == "truncated")


# Command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.fakehub",
        description="Serve a local Hugging Face papers API (point HF_ENDPOINT at it).",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--sample", action="store_true", help="the bundled sample (default)")
    source.add_argument("--items", type=Path, help="a JSON list of API items (.json or .json.gz)")
    parser.add_argument(
        "--fault",
        help="status:503, ratelimit[:n], cdn429[:n], notjson, "
        "truncated, drop, object, slow:SECONDS, hostile",
    )
    parser.add_argument(
        "--fault-after", type=int, default=0, metavar="N", help="let N requests pass first"
    )
    parser.add_argument("--quota", type=int, default=500, help="requests per window")
    parser.add_argument("--window", type=float, default=300, help="window length in seconds")
    args = parser.parse_args(argv)

    options: dict[str, Any] = {
        "quota": args.quota,
        "window": args.window,
        "fault_after": args.fault_after,
    }
    try:
        hub = (
            FakeHub.from_file(args.items, **options)
            if args.items
            else FakeHub.from_sample(**options)
        )
        hub.fault = args.fault
        url = hub.start(args.port, args.host)
    except (OSError, ValueError) as error:
        print(f"fakehub: {error}", file=sys.stderr)
        return 1
    days = sorted({d for item in hub.items if (d := listing_day(item))})
    span = f"{days[0]} .. {days[-1]}" if days else "no listing days"
    print(f"fakehub: {len(hub.items)} items ({span}) on {url}", file=sys.stderr)
    print(f"  export HF_ENDPOINT={url}", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
