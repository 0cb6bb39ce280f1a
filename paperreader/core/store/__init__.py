"""The local store: papers and listings fetched (cache), bookmarks and read marks (user data).

Two SQLite files, both in WAL mode with a schema version and forward migrations:

* ``papers.sqlite3`` in the cache folder: every paper fetched and every listing (a day,
  week or month, or the trending list) with its order and when it was fetched. Deleting
  it, or the whole cache folder, only costs a refetch.
* ``user.sqlite3`` in the data folder: bookmarks (with a snapshot of the paper, so a
  bookmark stays viewable without the cache), read marks and UI settings.

The cache file is the main database and the user file is attached as ``user``, so one
query can join them. Every write is one transaction. All methods are thread-safe (one
connection behind a lock), so the app can call them from worker threads.

``Store`` is one object made of layers, one module each:

* ``base``: the connection, its lock, one transaction per write, tolerant reads;
* ``schema``: the migrations of both files;
* ``opening``: opening the files, setting aside damaged ones, the read-only fallbacks;
* ``repair``: salvaging a damaged user file (imported only when one is met);
* ``papers``: the paper cache, listings, the archive, sync progress;
* ``pages``: full texts, linked repositories, comments, reading positions;
* ``user``: read marks, bookmarks, notes, tags, settings, backup and import;
* ``search``: the search planner (imported by the first search).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from paperreader.core.paths import Paths
from paperreader.core.rows import Listing, Row
from paperreader.core.store.base import StoreError, utcnow
from paperreader.core.store.opening import open_files, open_memory
from paperreader.core.store.pages import PaperPages
from paperreader.core.store.papers import ROW_COLUMNS, SORTS
from paperreader.core.store.schema import CACHE_MIGRATIONS, USER_MIGRATIONS
from paperreader.core.store.user import Bookmark, UserRecords

if TYPE_CHECKING:  # the search language is imported by the first search, not at start
    from paperreader.core.query import Query
    from paperreader.core.store.follow import Counts, FollowPlanner

_T = TypeVar("_T")

__all__ = [
    "CACHE_MIGRATIONS",
    "ROW_COLUMNS",
    "SORTS",
    "USER_MIGRATIONS",
    "Bookmark",
    "Listing",
    "Row",
    "Store",
    "StoreError",
    "utcnow",
]


class Store(UserRecords, PaperPages):
    """Papers, listings, bookmarks and read marks. Open with ``Store.open(paths)``."""

    @classmethod
    def open(cls, paths: Paths | None = None) -> Store:
        """Open (creating, migrating, repairing as needed) the store's two files.

        A damaged or newer file is set aside (see ``opening._prepare``), and what can be
        read of a damaged user data file is recovered. When the user data file cannot be
        written (a read-only data folder, a full disk), the store still opens: the user's
        data is read (read-only) into memory, a notice says why nothing can be saved, and
        every write to it raises StoreError saying so.
        """
        paths = paths or Paths.default()
        connection, notices, renewed = open_files(paths)
        store = cls(connection, paths, notices)
        if renewed:  # (a millisecond of every start otherwise, at 100,000 papers)
            store._restore_bookmarked_papers()
        return store

    @classmethod
    def open_memory(cls) -> Store:
        """A throwaway store for tests and benchmarks (nothing on disk)."""
        return cls(open_memory(), Paths.under(Path(":memory:")), [])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(
        self, query: Query, *, limit: int = 2000, prefix_last: bool = True
    ) -> tuple[Row, ...]:
        """Stored papers matching a query, at most ``limit``.

        With words or phrases: best match first (bm25, title weighing most; ties go to the
        most upvoted). To stay fast on a big archive, bm25 ranks at most
        ``Planner._RANK_AT_MOST`` papers: when more match, papers matching in the title
        come first (and alone, if they fill ``limit``), then the others; a group too big
        to rank is newest first. Filters leaving few papers rank those few.
        With filters only: newest listing day first, then most upvoted. An empty query
        gives the whole archive in that order.

        ``prefix_last`` (while typing) matches the last word as a prefix, if it is long
        enough (see ``Planner._shortest_prefix``). A query's ``errors`` are the caller's
        to show: the rest of the query is used. Raises StoreError only if the database
        cannot be read. The planner is in ``search``, imported here by the first search.
        """
        from paperreader.core.store.search import Planner

        if limit <= 0:
            return ()
        with self._lock:  # one consistent view across the planner's few statements
            return Planner(self._read).search(query, limit=limit, prefix_last=prefix_last)

    # Following (issue #13): the planner is in ``follow``, imported by the first use --
    def follow(self, work: Callable[[FollowPlanner], _T]) -> _T:
        """``work(planner)`` under the lock: one consistent view of the store (see
        ``store.follow``)."""
        from paperreader.core.store.follow import FollowPlanner

        with self._lock:
            return work(FollowPlanner(self._read))

    def watch_counts(self, queries: Sequence[tuple[Query, int]]) -> list[Counts]:
        """Total, unread and new papers of each (query, rowid seen up to).

        With several watches, every other one is counted at the same time on a second,
        read-only connection (SQLite works without the interpreter's lock, so the two
        halves run on two cores); the others as usual. Where there is no second
        connection to be had (a store in memory, a user file read into memory), all of
        them are counted here."""
        half = len(queries) // 2
        helper = self._reader() if half >= 2 else None
        if helper is None:
            return self.follow(lambda planner: planner.counts(queries))
        from concurrent.futures import ThreadPoolExecutor

        from paperreader.core.store.follow import FollowPlanner

        def read(query: str, params: Sequence[Any] = ()) -> list[Any]:
            return helper.execute(query, params).fetchall()

        odd, even = list(queries[1::2]), list(queries[0::2])
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                second = pool.submit(lambda: FollowPlanner(read).counts(odd))
                first = self.follow(lambda planner: planner.counts(even))
                try:
                    rest = second.result()
                except sqlite3.Error:  # the second connection failed: count here
                    rest = self.follow(lambda planner: planner.counts(odd))
        finally:
            helper.close()
        found: list[Counts] = []
        for index in range(len(queries)):
            found.append(first[index // 2] if index % 2 == 0 else rest[index // 2])
        return found

    def _reader(self) -> sqlite3.Connection | None:
        """A second connection that only reads both files (for counting beside the
        first), or None when the files cannot be opened so."""
        if self.notices:  # opened in a degraded way (a file in memory): this one only
            return None
        if not self.paths.cache_db.is_file() or not self.paths.user_db.is_file():
            return None
        try:
            connection = sqlite3.connect(
                f"{self.paths.cache_db.as_uri()}?mode=ro",
                uri=True,
                check_same_thread=False,
            )
        except (sqlite3.Error, ValueError):
            return None
        try:
            connection.execute(
                "ATTACH DATABASE ? AS user", (f"{self.paths.user_db.as_uri()}?mode=ro",)
            )
        except sqlite3.Error:
            connection.close()
            return None
        return connection

    def watch_rows(self, query: Query, limit: int = -1) -> tuple[Row, ...]:
        """Every stored paper matching ``query`` (the first ``limit``, if given), newest
        listing day first."""
        return self.follow(lambda planner: planner.rows_matching(query, limit))

    def similar_rows(self, paper_id: str, limit: int) -> tuple[Row, ...]:
        """The stored papers closest in text to ``paper_id`` (never itself), best first."""

        def work(planner: FollowPlanner) -> tuple[Row, ...]:
            found = planner.paper_texts(paper_id)
            if found is None:
                return ()
            rowid, texts = found
            ranked = planner.similar(rowid, texts, limit)
            return planner.rows_in_order([rowid for rowid, _ in ranked])

        return self.follow(work)
