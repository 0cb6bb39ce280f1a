"""The paper model and the tolerant parser for items of the Hugging Face papers API.

One parser reads all three shapes the API returns:

* a ``/api/daily_papers`` item: ``{"paper": {...}, "numComments": ..., "submittedBy": ...}``
* a ``/api/papers/search`` item: the same shape without ``submittedBy``
* a ``/api/papers/{id}`` body: the bare paper object

Every field outside the id and the title may be missing, null or of the wrong type; an
item without a usable arXiv-style id or title is skipped (and counted), never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, NamedTuple

from paperreader.core.text import (
    clean_paragraphs,
    clean_text,
    mark_controls,
    safe_url,
)

HF_BASE = "https://huggingface.co"

# New-style arXiv identifiers (2007 onwards), optionally with a version suffix that we drop.
# Nothing else is accepted: an id ends up in URLs and in the store, so "../../x" must not.
_ARXIV_ID = re.compile(r"^([0-9]{4}\.[0-9]{4,5})(?:v[0-9]{1,3})?$")


def normalize_id(value: object) -> str | None:
    """Return the canonical arXiv id (``2608.09888``) or None if it is not one."""
    if not isinstance(value, str):
        return None
    match = _ARXIV_ID.match(value.strip())
    return match.group(1) if match else None


class Link(NamedTuple):
    """A link of a paper: what it is, and where it goes (``safe`` if it may be opened)."""

    label: str
    url: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Paper:
    id: str
    title: str
    summary: str = ""
    authors: tuple[str, ...] = ()
    listing_day: date | None = None
    published: date | None = None
    upvotes: int = 0
    comments: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str = ""
    ai_keywords: tuple[str, ...] = ()
    organization: str | None = None
    submitter: str | None = None
    #: The Hugging Face user names (handles) beside the display names above.
    organization_handle: str | None = None
    submitter_handle: str | None = None
    #: When the paper was withdrawn (``withdrawnAt``), if it was.
    withdrawn: date | None = None
    thumbnail: str | None = None
    media: tuple[str, ...] = ()  # ``mediaUrls``: images and videos of the paper

    # Links derived from the id -------------------------------------------------------
    @property
    def hf_url(self) -> str:
        return f"{HF_BASE}/papers/{self.id}"

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.id}"

    @property
    def links(self) -> tuple[Link, ...]:
        """Every link of the paper, in the order they are offered to the user."""
        links = [
            Link("Hugging Face", self.hf_url),
            Link("arXiv", self.arxiv_url),
            Link("PDF", self.pdf_url),
        ]
        if self.github_repo:
            links.append(Link("Code", self.github_repo, safe_url(self.github_repo) is not None))
        if self.project_page:
            links.append(
                Link("Project page", self.project_page, safe_url(self.project_page) is not None)
            )
        if self.organization_handle:
            links.append(Link("Organization", f"{HF_BASE}/{self.organization_handle}"))
        if self.submitter_handle:
            links.append(Link("Submitter", f"{HF_BASE}/{self.submitter_handle}"))
        for number, url in enumerate(self.media, 1):
            label = "Media" if len(self.media) == 1 else f"Media {number}"
            links.append(Link(label, url, safe_url(url) is not None))
        if self.thumbnail:
            links.append(Link("Thumbnail", self.thumbnail, safe_url(self.thumbnail) is not None))
        return tuple(links)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings); ``from_dict`` reads it back."""
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["ai_keywords"] = list(self.ai_keywords)
        data["listing_day"] = self.listing_day.isoformat() if self.listing_day else None
        data["published"] = self.published.isoformat() if self.published else None
        data["withdrawn"] = self.withdrawn.isoformat() if self.withdrawn else None
        data["media"] = list(self.media)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Paper:
        return cls(
            id=data["id"],
            title=data["title"],
            summary=data.get("summary") or "",
            authors=tuple(data.get("authors") or ()),
            listing_day=_date(data.get("listing_day")),
            published=_date(data.get("published")),
            upvotes=_count(data.get("upvotes")) or 0,
            comments=_count(data.get("comments")),
            github_repo=data.get("github_repo"),
            github_stars=_count(data.get("github_stars")),
            project_page=data.get("project_page"),
            ai_summary=data.get("ai_summary") or "",
            ai_keywords=tuple(data.get("ai_keywords") or ()),
            organization=data.get("organization"),
            submitter=data.get("submitter"),
            organization_handle=handle(data.get("organization_handle")),
            submitter_handle=handle(data.get("submitter_handle")),
            withdrawn=_date(data.get("withdrawn")),
            thumbnail=_link(data.get("thumbnail")),
            media=link_list(data.get("media")),
        )


class ParseResult(NamedTuple):
    """Papers parsed from a response, and how many items were skipped as unusable."""

    papers: tuple[Paper, ...] = ()
    skipped: int = 0
    duplicates: int = 0


# Field readers: each returns a value of the right type or None ---------------------------

_INTEGER = re.compile(r"^-?[0-9]{1,15}$")
#: The largest integer SQLite stores (int64); a bigger one is no count, it is refused.
MAX_INT = 2**63 - 1


def _int(value: object) -> int | None:
    """An integer that fits in SQLite (int64), else None: a number from the network
    beyond that (``upvotes: 1e30``, ``2**64``) is a broken field, never a crash."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -MAX_INT - 1 <= value <= MAX_INT else None
    if isinstance(value, float) and value == value and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    return None


def _count(value: object) -> int | None:
    """A count (upvotes, comments, stars): an integer from 0 to ``MAX_INT``, else None."""
    number = _int(value)
    return number if number is not None and number >= 0 else None


def _date(value: object) -> date | None:
    """The date part of an ISO timestamp (``2026-08-11T00:00:00.000Z``) or date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _person(value: object) -> str | None:
    """A user or organization object as a name to show: full name, else handle."""
    obj = _mapping(value)
    name = clean_text(obj.get("fullname")) or clean_text(obj.get("name"))
    return name or None


#: A Hugging Face user or organization name: it ends up in a URL, so nothing else passes.
_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


def handle(value: object) -> str | None:
    """A user or organization name (``janchorowski``) fit for ``huggingface.co/NAME``."""
    if isinstance(value, Mapping):
        value = value.get("name")
    if not isinstance(value, str) or not _HANDLE.match(value) or ".." in value:
        return None
    return value


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = []
    for author in value:
        if isinstance(author, str):
            name = clean_text(author)
        elif isinstance(author, Mapping):
            if author.get("hidden") is True:
                continue
            name = clean_text(author.get("name"))
        else:
            continue
        if name:
            names.append(name)
    return tuple(names)


def _keywords(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    seen: dict[str, None] = {}
    for keyword in value:
        text = clean_text(keyword)
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def _link(value: object) -> str | None:
    """A link as given (kept even if unsafe, so it can be shown as such); None if empty."""
    text = mark_controls(value)
    return text or None


def link_list(value: object, most: int = 50) -> tuple[str, ...]:
    """A list of links (``mediaUrls``), each as given, empty ones dropped."""
    if not isinstance(value, list):
        return ()
    found = (_link(url) for url in value[:most] if isinstance(url, str))
    return tuple(dict.fromkeys(url for url in found if url))


def parse_paper(item: object) -> Paper | None:
    """Parse one API item of any shape; None when it has no usable id or title."""
    if not isinstance(item, Mapping):
        return None
    inner = item.get("paper")
    paper = _mapping(inner) if isinstance(inner, Mapping) else item
    outer = item if isinstance(inner, Mapping) else {}

    paper_id = normalize_id(paper.get("id"))
    # TeX is kept as written (``\$0.0007``, ``\{x_i\}``), as the website shows it.
    title = clean_text(paper.get("title")) or clean_text(outer.get("title"))
    if paper_id is None or not title:
        return None

    summary = clean_paragraphs(paper.get("summary")) or clean_paragraphs(outer.get("summary"))
    return Paper(
        id=paper_id,
        title=title,
        summary=summary,
        authors=_authors(paper.get("authors")),
        listing_day=_date(paper.get("submittedOnDailyAt")),
        published=_date(paper.get("publishedAt")),
        upvotes=_count(paper.get("upvotes")) or 0,
        comments=_count(outer.get("numComments")),
        github_repo=_link(paper.get("githubRepo")),
        github_stars=_count(paper.get("githubStars")),
        project_page=_link(paper.get("projectPage")),
        ai_summary=clean_text(paper.get("ai_summary")),
        ai_keywords=_keywords(paper.get("ai_keywords")),
        organization=_person(paper.get("organization")) or _person(outer.get("organization")),
        submitter=_person(paper.get("submittedOnDailyBy")) or _person(outer.get("submittedBy")),
        organization_handle=(
            handle(paper.get("organization")) or handle(outer.get("organization"))
        ),
        submitter_handle=(
            handle(paper.get("submittedOnDailyBy")) or handle(outer.get("submittedBy"))
        ),
        withdrawn=_date(paper.get("withdrawnAt")) or _date(outer.get("withdrawnAt")),
        thumbnail=_link(outer.get("thumbnail")) or _link(paper.get("thumbnail")),
        media=link_list(paper.get("mediaUrls")) or link_list(outer.get("mediaUrls")),
    )


def parse_papers(items: object) -> ParseResult:
    """Parse a response body; anything that is not a list of items gives no papers."""
    if not isinstance(items, list):
        return ParseResult()
    papers: dict[str, Paper] = {}
    skipped = duplicates = 0
    for item in items:
        paper = parse_paper(item)
        if paper is None:
            skipped += 1
        elif paper.id in papers:
            duplicates += 1
        else:
            papers[paper.id] = paper
    return ParseResult(tuple(papers.values()), skipped, duplicates)
