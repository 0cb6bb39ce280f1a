"""The reading logic shared by the app and the CLI: which listing, from where.

A listing is looked up in the store first (instant, offline), refreshed from the network
when allowed, and, on a machine with neither, replaced by the bundled sample.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from paperreader.core.models import Paper
from paperreader.core.periods import Period
from paperreader.core.store import Listing, Row, Store, utcnow

if TYPE_CHECKING:  # the client (and httpx) is imported on the first request only
    from paperreader.core.client import HFClient
    from paperreader.core.query import Query

SAMPLE_KIND = "sample"
SAMPLE_KEY = "bundled"
#: Pages of 100 fetched of the trending list (it ranks the whole archive).
TRENDING_PAGES = 2
#: Search results shown while typing: the best ones (a screen shows about 40); fewer rows
#: to build keeps every keystroke fast at 100,000 papers.
SEARCH_LIMIT = 500


#: Rows of the archive read for its first screen (the rest follows in the background).
ARCHIVE_FIRST_PAGE = 200
#: Where the app keeps what it remembers between launches (sort, period kind, theme…).
UI_SETTINGS = "ui."


class UserState(NamedTuple):
    """What the reader needs of the user's data before it shows anything."""

    read: set[str]
    bookmarks: set[str]
    annotated: set[str]  # papers with a note or tags
    settings: dict[str, str]  # the app's saved settings, without the "ui." prefix
    first_rows: tuple[Row, ...] | None = None  # the archive's first page, when asked


class Fetched(NamedTuple):
    """A listing fresh from the network, stored, and what the parser had to skip."""

    period: Period | None
    listing: Listing
    skipped: int


def listing_day(papers: Sequence[Paper]) -> Period | None:
    """The day a 'latest' listing is for: the listing day most of its papers share."""
    days = Counter(p.listing_day for p in papers if p.listing_day)
    return Period.day(days.most_common(1)[0][0]) if days else None


def storage_key(period: Period | None, sort: str) -> tuple[str, str]:
    """Where a listing lives in the store: (kind, key)."""
    if sort == "trending":
        return ("trending", "all")
    if period is None:
        raise ValueError("the latest listing is stored under its day")
    return (period.kind, period.key)


class Library:
    def __init__(
        self,
        store: Store,
        client: HFClient | None = None,
        *,
        connect: Callable[[], HFClient] | None = None,
    ) -> None:
        """``client``, or ``connect`` to make one on first use; neither: offline."""
        self.store = store
        self._client = client
        self._connect = connect
        self._cancelled = False

    @property
    def online(self) -> bool:
        return self._client is not None or self._connect is not None

    @property
    def client(self) -> HFClient | None:
        if self._client is None and self._connect is not None:
            self._client = self._connect()
            if self._cancelled:  # made after cancel_network(): it fails at once
                self._client.close()
        return self._client

    def cancel_network(self) -> None:
        """Stop the network work at once, from any thread (the app is quitting): the
        client is closed, so a request or a wait in flight raises ``Cancelled``."""
        self._cancelled = True
        if self._client is not None:
            self._client.close()

    def close(self) -> None:
        """Close the client (if one was made) and the store."""
        if self._client is not None:
            self._client.close()
        self.store.close()

    def user_state(self, *, archive_page: int = 0) -> UserState:
        """Read marks, bookmarks, annotated papers and the app's settings; with
        ``archive_page``, also the archive's first rows (all a first screen needs)."""
        store = self.store
        return UserState(
            read=store.read_ids(),
            bookmarks=store.bookmark_ids(),
            annotated=store.noted_ids() | store.tagged_ids(),
            settings=store.settings(UI_SETTINGS),
            first_rows=store.archive_rows(archive_page) if archive_page else None,
        )

    def cached(self, period: Period | None, sort: str = "publishedAt") -> Listing | None:
        """The stored listing; for ``period=None`` (latest) the newest stored day."""
        if period is None and sort != "trending":
            key = self.store.latest_listing_key("day")
            if key is None:
                return None
            period = Period.parse(key)
        kind, key = storage_key(period, sort)
        return self.store.listing(kind, key, sort=sort)

    def fetch(self, period: Period | None, sort: str = "publishedAt") -> Fetched:
        """Fetch a listing from the network and store it; raises the client's errors."""
        client = self.client
        if client is None:
            raise RuntimeError("offline: no client")
        if sort == "trending":  # one global ranking: its head is what people read
            result = client.daily_papers(None, sort=sort, max_pages=TRENDING_PAGES)
        else:
            result = client.daily_papers(period, sort=sort)
        papers = list(result.papers)
        if period is None and sort != "trending":
            period = listing_day(papers)
            if period is None:  # nothing listed at all: keep what we had
                self.store.save_papers(papers)
                return Fetched(None, _empty_listing("day", "latest", sort), result.skipped)
        kind, key = storage_key(period, sort)
        self.store.save_listing(kind, key, papers, sort=sort)
        listing = self.store.listing(kind, key, sort=sort)
        assert listing is not None
        return Fetched(period, listing, result.skipped)

    def adjacent(self, period: Period, step: int) -> Period | None:
        """The nearest stored listing of the same kind before or after (for offline moves)."""
        key = self.store.adjacent_listing_key(period.kind, period.key, step)
        return Period.parse(key) if key else None

    def bookmark_rows(self) -> tuple[Row, ...]:
        return self.store.bookmark_rows()

    def archive_rows(self, limit: int | None = None) -> tuple[Row, ...]:
        return self.store.archive_rows(limit)

    def search(self, query: Query) -> tuple[Row, ...]:
        """The best stored matches of a query (at most ``SEARCH_LIMIT``)."""
        return () if query.is_empty else self.store.search(query, limit=SEARCH_LIMIT)

    def search_online(self, text: str) -> OnlineSearch:
        """Ask the Hugging Face search API and keep what it returns in the store."""
        client = self.client
        if client is None:
            raise RuntimeError("offline: no client")
        result = client.search(text)
        new = sum(1 for paper in result.papers if self.store.paper(paper.id) is None)
        self.store.save_papers(result.papers)
        return OnlineSearch(len(result.papers), new, result.skipped)

    def sample(self) -> Listing:
        """The bundled sample of real papers, stored under its own name (not as a cache)."""
        listing = self.store.listing(SAMPLE_KIND, SAMPLE_KEY)
        if listing is None or not listing.rows:
            from paperreader.core.sample import load_sample  # gzip and JSON: first launch only

            papers = sorted(
                load_sample().papers,
                key=lambda p: (p.listing_day.isoformat() if p.listing_day else "", p.upvotes),
                reverse=True,
            )
            self.store.save_listing(SAMPLE_KIND, SAMPLE_KEY, papers)
            listing = self.store.listing(SAMPLE_KIND, SAMPLE_KEY)
            assert listing is not None
        return listing


class OnlineSearch(NamedTuple):
    """What an online search brought: how many results, and how many were new here."""

    found: int
    new: int
    skipped: int


def _empty_listing(kind: str, key: str, sort: str) -> Listing:
    return Listing(kind, key, sort, utcnow(), ())
