"""The reading logic shared by the app and every CLI command: which listing, from where.

One load policy (``Library.load``) answers every way in (a day, a week, a month, the
latest day, trending, bookmarks, the archive):

1. at once from the store: a day, week or month is built from every stored paper whose
   listing day falls in it, whichever request stored it (a day, a month, ``sync``, a
   search); "latest" is the newest stored day;
2. then, when the network is allowed, from Hugging Face, and what it returns is stored;
3. only when the store holds no paper at all and the network failed (or is not used):
   the bundled sample, which is never written to the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from paperreader.core.errors import BadRequest, HFError, NetworkError
from paperreader.core.models import Paper
from paperreader.core.periods import Period, Unit
from paperreader.core.store import Listing, Row, Store, StoreError, utcnow
from paperreader.core.text import clean_text

if TYPE_CHECKING:  # the client (and httpx) is imported on the first request only
    from paperreader.core.backup import ImportResult
    from paperreader.core.client import HFClient
    from paperreader.core.export import ExportEntry
    from paperreader.core.follow import Suggestion, Watch
    from paperreader.core.paperpage import Answer, Comment, PaperDetails
    from paperreader.core.query import Query

#: The default size limit of stored full texts, in MB (the config's full_text_cache_mb).
FULL_TEXT_CACHE_MB = 200

#: Pages of 100 fetched of the trending list (it ranks the whole archive).
TRENDING_PAGES = 2
#: Search results shown while typing: the best ones (a screen shows about 40); fewer rows
#: to build keeps every keystroke fast at 100,000 papers.
SEARCH_LIMIT = 500
#: Papers shown "like this one" (``m``).
SIMILAR_LIMIT = 50
#: Sources answered from the store by ``core.follow`` (issue #13).
FOLLOW_KINDS = ("watch", "similar", "for_you")


#: Rows read for the first screen of the archive, a listing or a watch (the rest follows
#: in the background): more than the tallest terminal shows (a month's first page of 200
#: rows took 0.8 ms more to read than of 120).
FIRST_PAGE = 120
#: Where the app keeps what it remembers between launches (sort, period unit, theme…).
UI_SETTINGS = "ui."

#: Why the network was not asked, when it was not.
OFFLINE_REASON = "offline mode: the network is not used"


class Source(NamedTuple):
    """What a view lists. ``period=None`` is the latest day."""

    kind: str = "listing"  # "listing", "bookmarks", "archive", "watch", "similar", "for_you"
    period: Period | None = None
    trending: bool = False
    unit: str = "day"  # for the latest listing (period=None): its day, week or month
    key: str = ""  # the watch's name; the paper id of "similar"

    @property
    def sort(self) -> str:
        return "trending" if self.trending else "publishedAt"

    def accepts(self, other: Source) -> bool:
        """Whether a result for ``other`` answers a request for this source."""
        if (self.kind, self.trending, self.key) != (other.kind, other.trending, other.key):
            return False
        return self.kind != "listing" or self.trending or self.period in (None, other.period)


class Loaded(NamedTuple):
    """A source's rows and where they came from."""

    source: Source
    rows: tuple[Row, ...]
    origin: str  # "cache", "network", "sample", "store", "none"
    fetched_at: datetime | None = None
    problem: str = ""
    partial: bool = False  # the first rows only; the rest is on its way
    offline: bool = False  # the refresh failed for want of a network (not a bad answer)
    #: Why a paper is there, by id ("for you": "like: <title of a kept paper>").
    reasons: Mapping[str, str] = MappingProxyType({})


class UserState(NamedTuple):
    """What the reader needs of the user's data before it shows anything."""

    read: set[str]
    bookmarks: set[str]
    annotated: set[str]  # papers with a note or tags
    settings: dict[str, str]  # the app's saved settings, without the "ui." prefix
    first: Loaded | None = None  # the first screen of the view it opens on, when asked


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
    """Where a listing lives in the store: (unit, key); the trending list is
    ("trending", "all")."""
    if sort == "trending":
        return ("trending", "all")
    if period is None:
        raise ValueError("the latest listing is stored under its day")
    return (period.unit, period.key)


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
        self._sample: tuple[Paper, ...] | None = None
        self._cancelled = False
        #: Bytes of full text kept in the store (least recently read forgotten first).
        self.full_text_limit = FULL_TEXT_CACHE_MB * 1024 * 1024

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

    def user_state(self) -> UserState:
        """Read marks, bookmarks, annotated papers and the app's settings."""
        store = self.store
        return UserState(
            read=store.read_ids(),
            bookmarks=store.bookmark_ids(),
            annotated=store.noted_ids() | store.tagged_ids(),
            settings=store.settings(UI_SETTINGS),
        )

    # The user's data: the app and the commands come through here ------------------
    @property
    def notices(self) -> list[str]:
        """What the user should be told about opening the store (a file set aside...)."""
        return self.store.notices

    def read_ids(self) -> set[str]:
        return self.store.read_ids()

    def bookmark_ids(self) -> set[str]:
        return self.store.bookmark_ids()

    def set_read(self, paper_ids: Sequence[str], read: bool = True) -> list[str]:
        """Mark papers read (or unread); returns those whose mark changed."""
        return self.store.set_read(paper_ids, read)

    def set_bookmark(self, paper_id: str, on: bool) -> Paper:
        """Bookmark a paper (or remove the bookmark); returns the paper."""
        paper = self.paper(paper_id)
        if paper is None:
            raise StoreError("the paper is no longer in the store")
        self.store.set_bookmark(paper, on)
        return paper

    def annotations(self, paper_id: str) -> tuple[str, tuple[str, ...]]:
        """A paper's note and tags."""
        return self.store.annotations([paper_id]).get(paper_id, ("", ()))

    def annotate(
        self, paper: Paper, *, note: str | None = None, tags: Sequence[str] | None = None
    ) -> tuple[str, tuple[str, ...]]:
        """Save a paper's note and/or tags (None: unchanged); returns both as stored."""
        if note is not None:
            self.store.set_note(paper, note)
        if tags is not None:
            self.store.set_tags(paper, tags)
        return self.annotations(paper.id)

    def known_tags(self) -> list[str]:
        """Every tag in use, most used first."""
        return [tag for tag, _ in self.store.all_tags()]

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(key, value)

    def reading_position(self, paper_id: str) -> tuple[int, int]:
        """Where the full-text reader left a paper: (Markdown line, lines past it)."""
        return self.store.reading_position(paper_id)

    def set_reading_position(self, paper_id: str, line: int, offset: int = 0) -> None:
        self.store.set_reading_position(paper_id, line, offset)

    def backup(self) -> dict[str, Any]:
        """Everything the user made, as ``paperreader backup`` writes it."""
        from paperreader.core.backup import make_backup

        return make_backup(self.store)

    def restore(self, data: Any) -> ImportResult:
        """Merge a backup (or an export) into the user's data."""
        from paperreader.core.backup import restore_backup

        return restore_backup(self.store, data)

    def first_screen(self, source: Source, order: str = "upvotes") -> Loaded | None:
        """What a view shows first, from the store alone (read before the app starts, so
        that its first frame shows papers): the first page of the archive, of a watch
        (newest first) or of a listing's stored answer (in the user's ``order``); partial
        when more may follow. None when the store has nothing for it (the app loads it
        then). WatchError for a watch that does not exist."""
        if source.kind in ("archive", "watch"):
            if source.kind == "archive":
                rows = self.archive_rows(limit=FIRST_PAGE)
            else:
                rows = self.watch_rows(source.key, limit=FIRST_PAGE)
            return Loaded(source, rows, "store", partial=len(rows) >= FIRST_PAGE)
        if source.kind == "listing":
            return self.stored(source, first_page=order)
        return None

    # The load policy --------------------------------------------------------------
    def load(
        self,
        source: Source,
        *,
        network: bool = True,
        today: date | None = None,
        known: Loaded | None = None,
    ) -> Iterator[Loaded]:
        """Every answer for ``source``, best last: what the store has at once, then what
        the network brings (or why it could not). ``network=False`` never asks it; an
        offline library never does. The archive comes as its first page, then whole.

        ``known``: the store's first answer, already shown (``first_screen``): it is not
        read again, only the rest is (the whole archive, the network's listing)."""
        today = today or date.today()
        if source.kind == "bookmarks":
            yield Loaded(source, self.bookmark_rows(), "store")
            return
        if source.kind in FOLLOW_KINDS:
            yield from self._follow(source, known)
            return
        if source.kind == "archive":
            first = known or self.first_screen(source)
            if known is None and first is not None:
                yield first
            if first is not None and first.partial:
                yield Loaded(source, self.archive_rows(), "store")
            return
        stored: Loaded | None
        if known is not None and known.partial:  # its first page was shown: the rest
            stored = self.stored(source)
            if stored is not None:
                yield stored
        elif known is not None:
            stored = known
        else:
            stored = self.stored(source)
            if stored is not None:
                yield stored
        if not (network and self.online):
            if stored is None:
                yield self._nothing(source, OFFLINE_REASON)
            return
        try:
            fetched = self.fetch(source.period, source.sort)
            if source.period is None and source.unit != "day" and fetched.period is not None:
                # The latest week (month): the one holding the latest day listed.
                unit: Unit = "week" if source.unit == "week" else "month"
                fetched = self.fetch(Period.of(unit, fetched.period.start), source.sort)
        except (HFError, StoreError) as error:
            reason = explain_failure(source, error, stored is not None, today)
            offline = isinstance(error, NetworkError)
            if stored is not None:
                yield stored._replace(problem=reason, offline=offline)
            else:
                yield self._nothing(source, reason)._replace(offline=offline)
            return
        skipped = f"{fetched.skipped} malformed item(s) were skipped." if fetched.skipped else ""
        period = fetched.period or source.period
        if period is not None and not source.trending:
            # The listing as stored papers make it now: the fetched ones and any other
            # stored paper of that day (a listing grows during its day).
            rebuilt = self.store.period_listing(period)
            rows = rebuilt.rows if rebuilt is not None else fetched.listing.rows
        else:
            rows = fetched.listing.rows
        yield Loaded(
            source._replace(period=period),
            rows,
            "network",
            fetched.listing.fetched_at,
            skipped,
        )

    def load_final(self, source: Source, *, network: bool = True) -> Loaded:
        """The best answer of ``load`` (what a script wants)."""
        last: Loaded | None = None
        for last in self.load(source, network=network):  # noqa: B007
            pass
        assert last is not None
        return last

    def stored(self, source: Source, *, first_page: str | None = None) -> Loaded | None:
        """What the store answers for a listing, or None when nothing is stored for it;
        ``first_page``: only its first rows in that order (partial if more may follow)."""
        if source.trending:
            listing = self.store.listing("trending", "all", sort="trending")
            if listing is None:
                return None
            return Loaded(source, listing.rows, "cache", listing.fetched_at)
        period = source.period
        if period is None:  # the latest: the newest stored day (its week, its month)
            newest = self.store.newest_day()
            if newest is None:
                return None
            unit: Unit = "week" if source.unit == "week" else "month"
            period = Period.day(newest) if source.unit == "day" else Period.of(unit, newest)
        if first_page is None:
            listing = self.store.period_listing(period)
        else:
            listing = self.store.period_listing(period, limit=FIRST_PAGE, order=first_page)
        if listing is None:
            return None
        partial = first_page is not None and len(listing.rows) >= FIRST_PAGE
        resolved = source._replace(period=period)
        return Loaded(resolved, listing.rows, "cache", listing.fetched_at, partial=partial)

    def cached(self, period: Period | None, sort: str = "publishedAt") -> Listing | None:
        """The stored listing (see ``stored``) as a Listing."""
        found = self.stored(Source(period=period, trending=sort == "trending"))
        if found is None:
            return None
        unit, key = storage_key(found.source.period, sort)
        assert found.fetched_at is not None
        return Listing(unit, key, sort, found.fetched_at, found.rows)

    def _nothing(self, source: Source, reason: str) -> Loaded:
        """Nothing stored and nothing fetched: the sample if the store is empty, else say so."""
        if source.kind == "listing" and not source.trending and self.store.paper_count() == 0:
            rows = tuple(row_of(paper) for paper in self.sample_papers())
            period = source.period
            if period is not None:
                rows = tuple(
                    r for r in rows if r.listing_day and period.key_contains(r.listing_day)
                )
            if rows:
                return Loaded(source, rows, "sample", problem=reason)
        return Loaded(source, (), "none", problem=reason)

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
                self.store.save_papers(papers, complete=True)
                return Fetched(None, _empty_listing("day", "latest", sort), result.skipped)
        unit, key = storage_key(period, sort)
        self.store.save_listing(unit, key, papers, sort=sort)
        listing = self.store.listing(unit, key, sort=sort)
        assert listing is not None
        return Fetched(period, listing, result.skipped)

    def adjacent(self, period: Period, step: int) -> Period | None:
        """The nearest period of the same unit before or after with stored papers."""
        edge = period.start if step < 0 else period.end
        day = self.store.adjacent_day(edge, step)
        return Period.of(period.unit, day) if day is not None else None

    # Papers ------------------------------------------------------------------------
    def paper(self, paper_id: str) -> Paper | None:
        """A paper from the store, or from the sample while the sample is shown."""
        paper = self.store.paper(paper_id)
        if paper is None and self._sample is not None:
            paper = next((p for p in self._sample if p.id == paper_id), None)
        return paper

    def sample_papers(self) -> tuple[Paper, ...]:
        """The bundled sample of real papers, newest day first (never stored)."""
        if self._sample is None:
            from paperreader.core.sample import load_sample  # gzip and JSON: first launch only

            self._sample = tuple(
                sorted(
                    load_sample().papers,
                    key=lambda p: (p.listing_day.isoformat() if p.listing_day else "", p.upvotes),
                    reverse=True,
                )
            )
        return self._sample

    def export_entries(self, paper_ids: Sequence[str] | None = None) -> list[ExportEntry]:
        """Export entries (paper, read, bookmark date, note, tags): of ``paper_ids`` in
        that order, or of every bookmark, newest first. The one place they are built, for
        the app's export, ``export`` and ``list --json``."""
        from paperreader.core.export import ExportEntry

        store = self.store
        read = store.read_ids()
        marks = {mark.paper.id: mark for mark in store.bookmarks()}
        pairs: list[tuple[Paper, datetime | None]]
        if paper_ids is None:
            pairs = [(mark.paper, mark.created_at) for mark in marks.values()]
        else:
            pairs = []
            for paper_id in paper_ids:
                paper = self.paper(paper_id)
                if paper is not None:
                    mark = marks.get(paper_id)
                    pairs.append((paper, mark.created_at if mark else None))
        notes = store.annotations([paper.id for paper, _ in pairs])
        return [
            ExportEntry(
                paper,
                bookmarked_at=created,
                read=paper.id in read,
                note=notes.get(paper.id, ("", ()))[0],
                tags=notes.get(paper.id, ("", ()))[1],
            )
            for paper, created in pairs
        ]

    def bookmark_rows(self) -> tuple[Row, ...]:
        return self.store.bookmark_rows()

    def archive_rows(self, limit: int | None = None) -> tuple[Row, ...]:
        return self.store.archive_rows(limit)

    def search(self, query: Query) -> tuple[Row, ...]:
        """The best stored matches of a query (at most ``SEARCH_LIMIT``)."""
        return () if query.is_empty else self.store.search(query, limit=SEARCH_LIMIT)

    # Following what matters (issue #13; the work is in core.follow) -----------------
    def _follow(self, source: Source, known: Loaded | None) -> Iterator[Loaded]:
        """A watch's papers (its first page, then all; ``known``: the first page already
        shown), the papers like one, or "for you", from the store."""
        from paperreader.core.follow import WatchError

        try:
            if source.kind == "watch":
                first = known or self.first_screen(source)
                if known is None and first is not None:
                    yield first
                if first is None or not first.partial:
                    return
                rows = self.watch_rows(source.key)
            elif source.kind == "similar":
                rows = self.similar(source.key)
            else:
                suggested = self.for_you()
                rows = tuple(s.row for s in suggested)
                reasons = {s.row.id: s.reason for s in suggested if s.reason}
                yield Loaded(source, rows, "store", reasons=MappingProxyType(reasons))
                return
        except WatchError as error:
            yield Loaded(source, (), "none", problem=str(error))
            return
        yield Loaded(source, rows, "store")

    def watches(self) -> list[Watch]:
        """Every watch with its counts (total, unread, new since last opened)."""
        from paperreader.core.follow import watches

        return watches(self.store)

    def add_watch(self, name: str, query: str) -> str:
        """Save a watch; returns its name as stored. WatchError for a bad name or a
        query the search would complain about (its message), StoreError if it exists."""
        from paperreader.core.follow import check_name, check_query

        name = check_name(name)
        check_query(query)
        self.store.add_watch(name, " ".join(query.split()))
        return name

    def rename_watch(self, old: str, new: str) -> str:
        from paperreader.core.follow import check_name

        new = check_name(new)
        self.store.rename_watch(old, new)
        return new

    def remove_watch(self, name: str) -> None:
        from paperreader.core.follow import WatchError

        if not self.store.remove_watch(name):
            raise WatchError(f"no watch named {name!r} (see `paperreader watch list`)")

    def watch_rows(self, name: str, limit: int = -1) -> tuple[Row, ...]:
        """Every stored paper of a watch (the first ``limit``, if given), newest listing
        day first (WatchError if there is no such watch)."""
        from paperreader.core.follow import watch_query

        return self.store.watch_rows(watch_query(self.store, name), limit)

    def mark_watch_opened(self, name: str) -> None:
        """The user saw the watch's papers: none of them is new any more."""
        self.store.mark_watch_opened(name)

    def similar(self, paper_id: str, limit: int = SIMILAR_LIMIT) -> tuple[Row, ...]:
        """The stored papers closest in text (title, abstract, AI keywords and summary)
        to ``paper_id``, never itself, best first; offline."""
        return self.store.similar_rows(paper_id, limit) if limit > 0 else ()

    def for_you(self, rows: Sequence[Row] | None = None) -> list[Suggestion]:
        """``rows`` (or the last 7 stored days) ranked by closeness to the bookmarks,
        tags and notes, each with its reason ("like: <title>")."""
        from paperreader.core.follow import for_you

        return for_you(self.store, rows)

    def search_online(self, text: str) -> OnlineSearch:
        """Ask the Hugging Face search API and keep what it returns in the store."""
        client = self.client
        if client is None:
            raise RuntimeError("offline: no client")
        result = client.search(text)
        new = sum(1 for paper in result.papers if self.store.paper(paper.id) is None)
        self.store.save_papers(result.papers)  # partial: search items lack daily fields
        return OnlineSearch(len(result.papers), new, result.skipped)

    # The paper page: full text, linked repositories, comments -------------------------
    def full_text(
        self, paper_id: str, *, network: bool = True, refresh: bool = False
    ) -> Answer[str]:
        """A paper's full text (Markdown): from the store if it is there (a text does not
        change), else from the network, then stored. ``refresh`` asks the network even
        when stored (and keeps the stored text if that fails). A 404 is ``missing``."""
        from paperreader.core.errors import NoFullText
        from paperreader.core.paperpage import Answer, arxiv_hint

        stored = self.store.full_text(paper_id)
        if stored is not None and not refresh:
            return Answer(stored.text, "cache", stored.fetched_at)
        client = self.client if network else None
        if client is None:
            if stored is not None:
                return Answer(stored.text, "cache", stored.fetched_at, OFFLINE_REASON)
            problem = f"its full text is not stored, and {OFFLINE_REASON}"
            return Answer(None, "none", problem=problem, offline=True)
        try:
            text = client.full_text(paper_id)
        except NoFullText:
            problem = f"Hugging Face has no text for {paper_id}; {arxiv_hint(paper_id)}"
            if stored is not None:
                return Answer(stored.text, "cache", stored.fetched_at, problem)
            return Answer(None, "none", problem=problem, missing=True)
        except HFError as error:
            problem = clean_text(str(error))
            offline = isinstance(error, NetworkError)
            if stored is not None:
                return Answer(stored.text, "cache", stored.fetched_at, problem, offline=offline)
            return Answer(None, "none", problem=problem, offline=offline)
        now = utcnow()
        try:
            self.store.save_full_text(paper_id, text, limit=self.full_text_limit, fetched_at=now)
        except StoreError as error:
            return Answer(text, "network", now, f"not kept for offline reading: {error}")
        return Answer(text, "network", now)

    def paper_details(
        self, paper_id: str, *, network: bool = True
    ) -> Iterator[Answer[PaperDetails]]:
        """A paper's linked models, datasets and Spaces: the stored ones at once, then the
        network's (stored too; the paper it carries fills gaps in the stored paper)."""
        from paperreader.core.paperpage import Answer

        stored = self.store.details(paper_id)
        if stored is not None:
            yield Answer(stored[0], "cache", stored[1])
        yield from self._page_part(
            paper_id, stored, network, lambda c: c.paper_details(paper_id), self._keep_details
        )

    def _keep_details(self, paper_id: str, details: PaperDetails) -> None:
        self.store.save_details(paper_id, details)
        if details.paper is not None and details.paper.id == paper_id:
            self.store.save_papers([details.paper])  # partial: fills gaps only

    def comments(
        self, paper_id: str, *, network: bool = True
    ) -> Iterator[Answer[tuple[Comment, ...]]]:
        """A paper's comments, oldest first: the stored ones at once, then the network's."""
        from paperreader.core.paperpage import Answer

        stored = self.store.comments(paper_id)
        if stored is not None:
            yield Answer(stored[0], "cache", stored[1])
        yield from self._page_part(
            paper_id, stored, network, lambda c: c.comments(paper_id), self.store.save_comments
        )

    def _page_part(
        self,
        paper_id: str,
        stored: tuple[Any, datetime] | None,
        network: bool,
        fetch: Callable[[HFClient], Any],
        keep: Callable[[str, Any], None],
    ) -> Iterator[Answer[Any]]:
        from paperreader.core.errors import NotFound
        from paperreader.core.paperpage import Answer

        client = self.client if network else None
        if client is None:
            if stored is None:
                yield Answer(None, "none", problem=OFFLINE_REASON, offline=True)
            return
        try:
            value = fetch(client)
        except HFError as error:
            problem = clean_text(str(error))
            offline = isinstance(error, NetworkError)
            missing = isinstance(error, NotFound)
            if stored is not None:
                yield Answer(stored[0], "cache", stored[1], problem, missing, offline)
            else:
                yield Answer(None, "none", None, problem, missing, offline)
            return
        now = utcnow()
        problem = ""
        try:
            keep(paper_id, value)
        except StoreError as error:
            problem = f"not kept for offline reading: {error}"
        yield Answer(value, "network", now, problem)

    def page_parts(self, paper_id: str, *, network: bool = False) -> PageParts:
        """What the detail pane shows of a paper's page: its linked repositories and
        comments (the stored ones; with ``network``, refreshed first, a failure keeping
        what is stored) and whether its full text is stored."""
        details: PaperDetails | None = None
        comments: tuple[Comment, ...] | None = None
        for found in self.paper_details(paper_id, network=network):
            details = found.value if found.value is not None else details
        for said in self.comments(paper_id, network=network):
            comments = said.value if said.value is not None else comments
        return PageParts(details, comments, self.store.has_full_text(paper_id))

    def fetch_full_texts(
        self,
        paper_ids: Sequence[str] | None = None,
        *,
        on_progress: Callable[[int, int, str, str], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> dict[str, int]:
        """Fetch and store the full texts of ``paper_ids`` (default: every bookmark)
        that are not stored yet. ``on_progress(done, total, paper_id, outcome)`` after
        each; the client's rate-limit handling paces the requests; a rate limit that does
        not go away, or no network, stops it (raised). Returns counts: stored, missing
        (404), failed, already (stored before)."""
        from paperreader.core.errors import NoFullText, RateLimited

        client = self.client
        if client is None:
            raise RuntimeError("offline: no client")
        if paper_ids is None:
            paper_ids = [mark.paper.id for mark in self.store.bookmarks()]
        ids = list(paper_ids)
        have = self.store.full_text_ids()
        counts = dict.fromkeys(("stored", "missing", "failed", "already"), 0)
        todo = [paper_id for paper_id in dict.fromkeys(ids) if paper_id not in have]
        counts["already"] = len(ids) - len(todo)
        for done, paper_id in enumerate(todo, 1):
            if stop is not None and stop():
                break
            try:
                text = client.full_text(paper_id)
            except NoFullText:
                outcome = "missing"
            except (NetworkError, RateLimited):
                raise
            except HFError:
                outcome = "failed"
            else:
                self.store.save_full_text(paper_id, text, limit=self.full_text_limit)
                outcome = "stored"
            counts[outcome] += 1
            if on_progress is not None:
                on_progress(done, len(todo), paper_id, outcome)
        return counts


class PageParts(NamedTuple):
    """The parts of a paper's page the detail pane shows (None: not known)."""

    details: PaperDetails | None
    comments: tuple[Comment, ...] | None
    full_text: bool


class OnlineSearch(NamedTuple):
    """What an online search brought: how many results, and how many were new here."""

    found: int
    new: int
    skipped: int


def _empty_listing(unit: str, key: str, sort: str) -> Listing:
    return Listing(unit, key, sort, utcnow(), ())


def row_of(paper: Paper) -> Row:
    """The list row of a paper that is not in the store (the sample)."""
    authors = paper.authors[0] if paper.authors else ""
    if len(paper.authors) > 1:
        authors += " et al."
    return Row(
        paper.id,
        paper.title,
        paper.upvotes,
        paper.comments,
        paper.github_stars,
        authors,
        paper.organization,
        paper.listing_day.isoformat() if paper.listing_day else None,
        paper.withdrawn.isoformat() if paper.withdrawn else None,
    )


def explain_failure(source: Source, error: Exception, stored: bool, today: date) -> str:
    """Why a listing could not be fetched, in words for the user."""
    period = source.period
    recent = period is not None and period.end >= today - timedelta(days=1)
    if isinstance(error, BadRequest) and period is not None and recent and not stored:
        return (
            f"No listing for {period.label} yet: Daily Papers publishes each "
            "evening (New York time)."
        )
    return clean_text(str(error))
