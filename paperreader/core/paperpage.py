"""What a paper's page holds besides the listing fields: its linked models, datasets and
Spaces (``/api/papers/{id}``), its discussion (``/api/papers/{id}?field=comments``), and
the answers the library gives for them and for the full text (``/papers/{id}.md``).

Parsers are tolerant as ``models.parse_paper`` is: every field but a repository's ``id``
may be missing, null or of the wrong type; what cannot be used is skipped. Everything a
stranger wrote is cleaned of control characters (``text.strip_controls``) here, before it
is stored or shown; markup is left as written (the UI shows text as text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, NamedTuple, TypeVar

from paperreader.core.models import HF_BASE, Link, Paper, parse_paper
from paperreader.core.text import clean_text, strip_controls

#: The kinds of linked repositories, in the order they are shown.
REPO_KINDS: tuple[str, ...] = ("model", "dataset", "space")
_PLURAL = {"model": "models", "dataset": "datasets", "space": "Spaces"}
_URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
#: A Hub repository id: ``owner/name`` (or a bare legacy ``name``), fit for a URL.
_REPO_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
#: Linked repositories kept per kind (the API caps its lists too).
MAX_REPOS = 200
#: Comments kept per paper, and characters kept per comment.
MAX_COMMENTS = 1000
MAX_COMMENT_CHARS = 20_000


def _int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (value == value and abs(value) < 2**53):
        return None
    number = int(value)
    return number if 0 <= number < 2**63 else None


def _stamp(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class LinkedRepo:
    """A model, dataset or Space that cites the paper."""

    kind: str  # "model", "dataset" or "space"
    id: str  # owner/name
    likes: int = 0
    downloads: int | None = None
    tag: str = ""  # pipeline_tag (models) or sdk (Spaces)

    @property
    def url(self) -> str:
        return f"{HF_BASE}/{_URL_PREFIX[self.kind]}{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "likes": self.likes,
            "downloads": self.downloads,
            "tag": self.tag,
            "url": self.url,
        }


def _repo(kind: str, item: object) -> LinkedRepo | None:
    if not isinstance(item, Mapping):
        return None
    repo_id = item.get("id")
    if not isinstance(repo_id, str) or not _REPO_ID.match(repo_id) or ".." in repo_id:
        return None
    tag = item.get("pipeline_tag" if kind == "model" else "sdk") or item.get("tag")
    return LinkedRepo(
        kind,
        repo_id,
        likes=_int(item.get("likes")) or 0,
        downloads=_int(item.get("downloads")) if kind != "space" else None,
        tag=clean_text(tag)[:40],
    )


def _repos(kind: str, items: object) -> tuple[LinkedRepo, ...]:
    if not isinstance(items, list):
        return ()
    found: dict[str, LinkedRepo] = {}
    for item in items[: MAX_REPOS * 2]:
        repo = _repo(kind, item)
        if repo is not None:
            found.setdefault(repo.id, repo)
    # The most liked first (the API's order, made sure of); ties keep the API's order.
    return tuple(sorted(found.values(), key=lambda r: -r.likes)[:MAX_REPOS])


@dataclass(frozen=True, slots=True)
class PaperDetails:
    """The linked repositories of a paper, with the API's totals (its lists may be cut)."""

    models: tuple[LinkedRepo, ...] = ()
    datasets: tuple[LinkedRepo, ...] = ()
    spaces: tuple[LinkedRepo, ...] = ()
    total_models: int = 0
    total_datasets: int = 0
    total_spaces: int = 0
    #: The paper itself as the same answer gave it (None when unusable).
    paper: Paper | None = None

    def repos(self, kind: str) -> tuple[LinkedRepo, ...]:
        return {"model": self.models, "dataset": self.datasets, "space": self.spaces}[kind]

    def total(self, kind: str) -> int:
        totals = {
            "model": self.total_models,
            "dataset": self.total_datasets,
            "space": self.total_spaces,
        }
        return max(totals[kind], len(self.repos(kind)))

    @property
    def links(self) -> tuple[Link, ...]:
        """A link per linked repository (for the copy menu), models first."""
        return tuple(
            Link(f"{kind.capitalize()} {repo.id}", repo.url)
            for kind in REPO_KINDS
            for repo in self.repos(kind)
        )

    def summary(self) -> str:
        """``3 models · 1 dataset · 0 Spaces``."""
        parts = []
        for kind in REPO_KINDS:
            count = self.total(kind)
            word = _PLURAL[kind] if count != 1 else ("Space" if kind == "space" else kind)
            parts.append(f"{count:,} {word}")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "models": [r.to_dict() for r in self.models],
            "datasets": [r.to_dict() for r in self.datasets],
            "spaces": [r.to_dict() for r in self.spaces],
            "total_models": self.total("model"),
            "total_datasets": self.total("dataset"),
            "total_spaces": self.total("space"),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PaperDetails:
        def read(kind: str, key: str) -> tuple[LinkedRepo, ...]:
            return _repos(kind, data.get(key))

        return cls(
            models=read("model", "models"),
            datasets=read("dataset", "datasets"),
            spaces=read("space", "spaces"),
            total_models=_int(data.get("total_models")) or 0,
            total_datasets=_int(data.get("total_datasets")) or 0,
            total_spaces=_int(data.get("total_spaces")) or 0,
        )


def parse_details(body: object) -> PaperDetails:
    """The linked repositories of a ``/api/papers/{id}`` answer (none if it has none)."""
    if not isinstance(body, Mapping):
        return PaperDetails()
    return PaperDetails(
        models=_repos("model", body.get("linkedModels")),
        datasets=_repos("dataset", body.get("linkedDatasets")),
        spaces=_repos("space", body.get("linkedSpaces")),
        total_models=_int(body.get("numTotalModels")) or 0,
        total_datasets=_int(body.get("numTotalDatasets")) or 0,
        total_spaces=_int(body.get("numTotalSpaces")) or 0,
        paper=parse_paper(body),
    )


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment of a paper's discussion: its text is plain text, never markup."""

    id: str
    author: str  # the display name (full name, else handle)
    handle: str | None
    created: datetime | None
    text: str
    hidden: bool = False
    parent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "handle": self.handle,
            "created": self.created.isoformat() if self.created else None,
            "text": self.text,
            "hidden": self.hidden,
            "parent": self.parent,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comment | None:
        return _comment(
            {
                "id": data.get("id"),
                "author": {"fullname": data.get("author"), "name": data.get("handle")},
                "createdAt": data.get("created"),
                "data": {
                    "latest": {"raw": data.get("text")},
                    "hidden": data.get("hidden"),
                    "parentCommentId": data.get("parent"),
                },
            }
        )


_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


def comment_text(value: object) -> str:
    """A comment's text as plain text: controls removed, line breaks kept, cut if huge."""
    if not isinstance(value, str):
        return ""
    text = strip_controls(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", "    ")
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > MAX_COMMENT_CHARS:
        text = text[: MAX_COMMENT_CHARS - 1].rstrip() + "…"
    return text


def _comment(item: object) -> Comment | None:
    if not isinstance(item, Mapping):
        return None
    data = item.get("data") if isinstance(item.get("data"), Mapping) else {}
    assert isinstance(data, Mapping)
    comment_id = clean_text(item.get("id") or data.get("id"))[:100]
    author = item.get("author") if isinstance(item.get("author"), Mapping) else {}
    assert isinstance(author, Mapping)
    name = author.get("name")
    handle = name if isinstance(name, str) and _HANDLE.match(name) else None
    shown = clean_text(author.get("fullname"))[:100] or clean_text(name)[:100] or "(unknown)"
    latest = data.get("latest") if isinstance(data.get("latest"), Mapping) else {}
    assert isinstance(latest, Mapping)
    raw = latest.get("raw")
    if not isinstance(raw, str):
        raw = item.get("raw") if isinstance(item.get("raw"), str) else ""
    hidden = data.get("hidden") is True or item.get("hidden") is True
    parent = data.get("parentCommentId") or item.get("parentCommentId")
    parent_id = clean_text(parent)[:100] or None
    if not comment_id and not raw:
        return None
    return Comment(
        id=comment_id,
        author=shown,
        handle=handle,
        created=_stamp(item.get("createdAt")),
        text=comment_text(raw),
        hidden=hidden,
        parent=parent_id if parent_id != comment_id else None,
    )


def parse_comments(body: object) -> tuple[Comment, ...]:
    """The comments of a ``?field=comments`` answer, oldest first (a list under
    ``comments``, or a bare list)."""
    items = body.get("comments") if isinstance(body, Mapping) else body
    if not isinstance(items, list):
        return ()
    found = [c for c in map(_comment, items[:MAX_COMMENTS]) if c is not None]
    return oldest_first(found)


def oldest_first(comments: Iterable[Comment]) -> tuple[Comment, ...]:
    """Sorted by time (the ones without a time keep their place at the end)."""
    listed = list(comments)
    return tuple(
        sorted(listed, key=lambda c: (c.created is None, c.created.timestamp() if c.created else 0))
    )


def threaded(comments: Sequence[Comment]) -> list[tuple[int, Comment]]:
    """(depth, comment) in reading order: each reply under its parent, oldest first; a
    reply whose parent is unknown stays at the top level. Depth stops at 4."""
    ids = {c.id for c in comments if c.id}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.parent if comment.parent in ids else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[int, Comment]] = []
    seen: set[int] = set()
    stack: list[tuple[int, Comment]] = [(0, c) for c in reversed(children.get(None, []))]
    while stack:
        depth, comment = stack.pop()
        if id(comment) in seen:
            continue
        seen.add(id(comment))
        ordered.append((depth, comment))
        for child in reversed(children.get(comment.id, []) if comment.id else []):
            stack.append((min(depth + 1, 4), child))
    # Cycles (a parent chain that loops) leave comments out: add them flat.
    ordered += [(0, c) for c in comments if id(c) not in seen]
    return ordered


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """What the library has for a part of a paper's page, and where it came from.

    ``origin``: "cache" (the store), "network", or "none" (nothing to show: ``problem``
    says why). ``missing``: Hugging Face answered 404 (it has no such thing).
    """

    value: T | None
    origin: str
    fetched_at: datetime | None = None
    problem: str = ""
    missing: bool = False
    offline: bool = False

    @property
    def found(self) -> bool:
        return self.value is not None


class StoredText(NamedTuple):
    """A full text from the store."""

    text: str
    fetched_at: datetime
    size: int


def arxiv_hint(paper_id: str) -> str:
    return f"read it on arXiv: https://arxiv.org/abs/{paper_id}"
