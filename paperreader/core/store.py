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
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period

if TYPE_CHECKING:  # the search language is imported by the first search, not at start
    from paperreader.core.query import Filter, Query

#: The sort orders a listing can be stored under (the API's ``sort`` values).
SORTS = ("publishedAt", "trending")


class StoreError(Exception):
    """A store operation that failed; the message says what and what to do."""


class Row(NamedTuple):
    """What the paper list needs of one paper: compact, no widget, no full text."""

    id: str
    title: str
    upvotes: int
    comments: int | None
    github_stars: int | None
    authors: str  # first author, "et al." when there are more
    organization: str | None
    listing_day: str | None
    withdrawn: str | None = None  # the day it was withdrawn, if it was


class Listing(NamedTuple):
    kind: str
    key: str
    sort: str
    fetched_at: datetime
    rows: tuple[Row, ...]


class Bookmark(NamedTuple):
    paper: Paper
    created_at: datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# Schemas: one list of migrations per file; a file's user_version is how many have run. --

CACHE_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        listing_day TEXT,
        published TEXT,
        upvotes INTEGER NOT NULL DEFAULT 0,
        comments INTEGER,
        github_repo TEXT,
        github_stars INTEGER,
        project_page TEXT,
        ai_summary TEXT NOT NULL DEFAULT '',
        ai_keywords TEXT NOT NULL DEFAULT '[]',
        organization TEXT,
        submitter TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE INDEX papers_by_day ON papers (listing_day);
    CREATE TABLE listings (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        sort TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (kind, key, sort)
    );
    CREATE TABLE listing_papers (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        sort TEXT NOT NULL,
        position INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        PRIMARY KEY (kind, key, sort, position)
    );
    """,
    # 2: full-text search over everything stored, the archive's order, and sync progress.
    """
    CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, authors, summary, ai_summary, ai_keywords, organization,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO papers_fts (rowid, title, authors, summary, ai_summary, ai_keywords, organization)
        SELECT rowid, title, authors, summary, ai_summary, ai_keywords, coalesce(organization, '')
        FROM papers;
    CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts (
            rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            new.rowid, new.title, new.authors, new.summary, new.ai_summary, new.ai_keywords,
            coalesce(new.organization, '')
        );
    END;
    CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts (
            papers_fts, rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            'delete', old.rowid, old.title, old.authors, old.summary, old.ai_summary,
            old.ai_keywords, coalesce(old.organization, '')
        );
    END;
    CREATE TRIGGER papers_fts_update AFTER UPDATE ON papers BEGIN
        INSERT INTO papers_fts (
            papers_fts, rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            'delete', old.rowid, old.title, old.authors, old.summary, old.ai_summary,
            old.ai_keywords, coalesce(old.organization, '')
        );
        INSERT INTO papers_fts (
            rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            new.rowid, new.title, new.authors, new.summary, new.ai_summary, new.ai_keywords,
            coalesce(new.organization, '')
        );
    END;
    CREATE INDEX papers_by_day_votes ON papers (listing_day DESC, upvotes DESC);
    CREATE TABLE sync_months (
        month TEXT PRIMARY KEY,
        completed_at TEXT NOT NULL,
        papers INTEGER NOT NULL
    );
    """,
    # 3: a prefix index for two-letter prefixes while typing, and an index that covers
    # what filters read, so a filter never has to read the (wide) rows of papers.
    """
    DROP TABLE papers_fts;
    CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, authors, summary, ai_summary, ai_keywords, organization,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2'
    );
    INSERT INTO papers_fts (rowid, title, authors, summary, ai_summary, ai_keywords, organization)
        SELECT rowid, title, authors, summary, ai_summary, ai_keywords, coalesce(organization, '')
        FROM papers;
    DROP INDEX papers_by_day_votes;
    CREATE INDEX papers_for_filters ON papers (
        listing_day DESC, upvotes DESC, github_stars, organization, authors, github_repo,
        project_page, id
    );
    """,
    # 4: what the website shows beside the names (user and organization handles, a
    # withdrawn paper, the thumbnail and media), and the bundled sample out of the store:
    # earlier releases stored it as a listing, over papers fetched for real. Papers the
    # sample alone brought are removed; papers it overwrote are repaired by the next fetch
    # that covers them.
    """
    ALTER TABLE papers ADD COLUMN organization_handle TEXT;
    ALTER TABLE papers ADD COLUMN submitter_handle TEXT;
    ALTER TABLE papers ADD COLUMN withdrawn TEXT;
    ALTER TABLE papers ADD COLUMN thumbnail TEXT;
    ALTER TABLE papers ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
    DELETE FROM papers WHERE id IN (
        SELECT lp.paper_id FROM listing_papers lp
        JOIN listings l ON l.kind = lp.kind AND l.key = lp.key AND l.sort = lp.sort
        JOIN papers p ON p.id = lp.paper_id
        WHERE lp.kind = 'sample' AND p.fetched_at = l.fetched_at
    ) AND id NOT IN (SELECT paper_id FROM listing_papers WHERE kind != 'sample');
    DELETE FROM listing_papers WHERE kind = 'sample';
    DELETE FROM listings WHERE kind = 'sample';
    """,
    # 5: the pages of a month fetched so far, so that a sync stopped inside a month
    # (killed, a dropped connection) goes on from the next page, not from the first.
    """
    CREATE TABLE sync_pages (
        month TEXT PRIMARY KEY,
        page_size INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        paper_ids TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
)

USER_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE bookmarks (
        paper_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        paper TEXT NOT NULL
    );
    CREATE TABLE read_marks (
        paper_id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: notes and tags, and snapshots of the papers they belong to (so that, like a
    # bookmarked paper, a noted or tagged one stays viewable without the cache).
    """
    CREATE TABLE notes (
        paper_id TEXT PRIMARY KEY,
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE tags (
        paper_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, tag)
    );
    CREATE INDEX tags_by_tag ON tags (tag);
    CREATE TABLE snapshots (
        paper_id TEXT PRIMARY KEY,
        paper TEXT NOT NULL
    );
    """,
)

_PAPER_COLUMNS = (
    "id, title, summary, authors, listing_day, published, upvotes, comments, github_repo, "
    "github_stars, project_page, ai_summary, ai_keywords, organization, submitter, "
    "organization_handle, submitter_handle, withdrawn, thumbnail, media"
)


def _paper_values(paper: Paper, fetched_at: str) -> tuple[Any, ...]:
    return (
        paper.id,
        paper.title,
        paper.summary,
        json.dumps(list(paper.authors), ensure_ascii=False),
        paper.listing_day.isoformat() if paper.listing_day else None,
        paper.published.isoformat() if paper.published else None,
        _fit(paper.upvotes) or 0,
        _fit(paper.comments),
        paper.github_repo,
        _fit(paper.github_stars),
        paper.project_page,
        paper.ai_summary,
        json.dumps(list(paper.ai_keywords), ensure_ascii=False),
        paper.organization,
        paper.submitter,
        paper.organization_handle,
        paper.submitter_handle,
        paper.withdrawn.isoformat() if paper.withdrawn else None,
        paper.thumbnail,
        json.dumps(list(paper.media), ensure_ascii=False),
        fetched_at,
    )


def _fit(count: int | None) -> int | None:
    """A count as SQLite can hold it: None for one that is not a count from 0 to int64
    (the parser already refuses those; a Paper made elsewhere must not crash a save)."""
    if isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= _MAX_ROWID:
        return count
    return None


def _paper_from_row(row: Sequence[Any]) -> Paper:
    return Paper(
        id=row[0],
        title=row[1],
        summary=row[2],
        authors=tuple(_json_list(row[3])),
        listing_day=date.fromisoformat(row[4]) if row[4] else None,
        published=date.fromisoformat(row[5]) if row[5] else None,
        upvotes=row[6],
        comments=row[7],
        github_repo=row[8],
        github_stars=row[9],
        project_page=row[10],
        ai_summary=row[11],
        ai_keywords=tuple(_json_list(row[12])),
        organization=row[13],
        submitter=row[14],
        organization_handle=row[15],
        submitter_handle=row[16],
        withdrawn=date.fromisoformat(row[17]) if row[17] else None,
        thumbnail=row[18],
        media=tuple(_json_list(row[19])),
    )


def _json_list(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


# Two ways to merge a paper into the store, by how complete its source is:
#
# * complete (a listing item of /api/daily_papers: a day, week, month, the latest day,
#   trending, sync): it says everything the API knows of the paper now, so it replaces
#   the stored values, and a field it no longer carries (a GitHub repo unlinked) is
#   cleared. Only the listing day, which a paper keeps once listed, is never cleared.
# * partial (a search result, which lacks the daily fields; a bookmark's snapshot): it
#   only fills what is missing or brings newer counts; it never makes a paper worse.
_INSERT = f"""
INSERT INTO papers ({_PAPER_COLUMNS}, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_UPSERT_COMPLETE = (
    _INSERT
    + """
ON CONFLICT (id) DO UPDATE SET
    title = excluded.title,
    summary = CASE WHEN excluded.summary != '' THEN excluded.summary ELSE summary END,
    authors = CASE WHEN excluded.authors != '[]' THEN excluded.authors ELSE authors END,
    listing_day = COALESCE(excluded.listing_day, listing_day),
    published = COALESCE(excluded.published, published),
    upvotes = excluded.upvotes,
    comments = COALESCE(excluded.comments, comments),
    github_repo = excluded.github_repo,
    github_stars = excluded.github_stars,
    project_page = excluded.project_page,
    ai_summary = excluded.ai_summary,
    ai_keywords = excluded.ai_keywords,
    organization = excluded.organization,
    submitter = COALESCE(excluded.submitter, submitter),
    organization_handle = excluded.organization_handle,
    submitter_handle = COALESCE(excluded.submitter_handle, submitter_handle),
    withdrawn = excluded.withdrawn,
    thumbnail = COALESCE(excluded.thumbnail, thumbnail),
    media = excluded.media,
    fetched_at = excluded.fetched_at
"""
)

_UPSERT_PARTIAL = (
    _INSERT
    + """
ON CONFLICT (id) DO UPDATE SET
    title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END,
    summary = CASE WHEN excluded.summary != '' THEN excluded.summary ELSE summary END,
    authors = CASE WHEN excluded.authors != '[]' THEN excluded.authors ELSE authors END,
    listing_day = COALESCE(listing_day, excluded.listing_day),
    published = COALESCE(published, excluded.published),
    upvotes = MAX(upvotes, excluded.upvotes),
    comments = COALESCE(MAX(comments, excluded.comments), comments, excluded.comments),
    github_repo = COALESCE(github_repo, excluded.github_repo),
    github_stars = COALESCE(MAX(github_stars, excluded.github_stars), github_stars,
        excluded.github_stars),
    project_page = COALESCE(project_page, excluded.project_page),
    ai_summary = CASE WHEN ai_summary != '' THEN ai_summary ELSE excluded.ai_summary END,
    ai_keywords = CASE WHEN ai_keywords != '[]' THEN ai_keywords ELSE excluded.ai_keywords END,
    organization = COALESCE(organization, excluded.organization),
    submitter = COALESCE(submitter, excluded.submitter),
    organization_handle = COALESCE(organization_handle, excluded.organization_handle),
    submitter_handle = COALESCE(submitter_handle, excluded.submitter_handle),
    withdrawn = COALESCE(withdrawn, excluded.withdrawn),
    thumbnail = COALESCE(thumbnail, excluded.thumbnail),
    media = CASE WHEN media != '[]' THEN media ELSE excluded.media END
"""
)

#: The columns of a ``Row``, computed in SQL (first author and "et al." included), so
#: that building tens of thousands of rows costs no Python work per field.
ROW_COLUMNS = (
    "p.id, p.title, p.upvotes, p.comments, p.github_stars, "
    "CASE json_array_length(p.authors) WHEN 0 THEN '' WHEN 1 THEN json_extract(p.authors, '$[0]') "
    "ELSE json_extract(p.authors, '$[0]') || ' et al.' END, "
    "p.organization, p.listing_day, p.withdrawn"
)

_ROW_QUERY = (
    f"SELECT {ROW_COLUMNS} FROM listing_papers lp JOIN papers p ON p.id = lp.paper_id "
    "WHERE lp.kind = ? AND lp.key = ? AND lp.sort = ? ORDER BY lp.position"
)


class Store:
    """Papers, listings, bookmarks and read marks. Open with ``Store.open(paths)``."""

    def __init__(self, connection: sqlite3.Connection, paths: Paths, notices: list[str]) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.paths = paths
        #: Things the user should be told about opening the store (a file set aside...).
        self.notices = notices

    # Opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, paths: Paths | None = None) -> Store:
        """Open (creating, migrating, repairing as needed) the store's two files.

        A damaged or newer file is set aside (see ``_prepare``), and what can be read of
        a damaged user data file is recovered. When the user data file cannot be written
        (a read-only data folder, a full disk), the store still opens: the user's data
        is read (read-only) into memory, a notice says why nothing can be saved, and
        every write to it raises StoreError saying so.
        """
        paths = paths or Paths.default()
        notices: list[str] = []
        try:
            paths.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"Cannot create {paths.cache_dir}: {error.strerror or error}"
            ) from None
        connection = _open_cache(paths, notices)
        unwritable: _Unwritable | None = None
        try:
            paths.data_dir.mkdir(parents=True, exist_ok=True)
            _prepare(paths.user_db, USER_MIGRATIONS, "user data", notices, salvage=True)
        except OSError as error:
            unwritable = _Unwritable(f"Cannot create {paths.data_dir}: {error.strerror or error}")
        except _Unwritable as error:
            unwritable = error
        try:
            if unwritable is None:
                connection.execute("ATTACH DATABASE ? AS user", (str(paths.user_db),))
                connection.execute("PRAGMA user.journal_mode = WAL")
                connection.execute("PRAGMA user.synchronous = FULL")
            else:
                # What the file holds, read without writing, in memory that refuses writes.
                connection.execute("ATTACH DATABASE ':memory:' AS user")
                _migrate(connection, "user", USER_MIGRATIONS)
                with contextlib.suppress(OSError):  # a folder that cannot even be listed
                    if paths.user_db.is_file():
                        _insert_user_rows(connection, "user", _read_user_rows(paths.user_db))
                if unwritable.full:
                    _forbid_writes(connection, "user", "database or disk is full")
                    notices.append(
                        f"The disk holding your data folder {paths.data_dir} is full: "
                        "bookmarks and read marks cannot be saved until some space is freed."
                    )
                else:
                    _forbid_writes(connection, "user", "attempt to write a readonly database")
                    why = "is read-only" if unwritable.read_only else "cannot be written"
                    notices.append(
                        f"Your data folder {paths.data_dir} {why}: bookmarks and read "
                        f"marks cannot be saved ({unwritable})."
                    )
        except BaseException:
            connection.close()
            raise
        store = cls(connection, paths, notices)
        store._restore_bookmarked_papers()
        return store

    @classmethod
    def open_memory(cls) -> Store:
        """A throwaway store for tests and benchmarks (nothing on disk)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        connection.execute("ATTACH DATABASE ':memory:' AS user")
        _migrate(connection, "main", CACHE_MIGRATIONS)
        _migrate(connection, "user", USER_MIGRATIONS)
        return cls(connection, Paths.under(Path(":memory:")), [])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Plumbing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One transaction; a failure rolls back and becomes a StoreError saying why.

        What a write reads (a note to merge with, a snapshot to refresh) is decoded
        tolerantly: a damaged byte in a stored text never blocks a write.
        """
        with self._lock:
            self._db.text_factory = _tolerant_text
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:  # SQLITE_FULL may have rolled it back
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                raise StoreError(f"Could not save {what}: {_explain(error)}") from None
            finally:
                self._db.text_factory = str

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._reading(lambda: self._db.execute(query, params).fetchall())

    def _reading(self, read: Callable[[], _T]) -> _T:
        """``read()`` under the lock, its failure a StoreError. A stored text that is not
        UTF-8 (one damaged byte) is read again with the bytes that do not decode replaced
        by U+FFFD, and the store says so once (in ``notices``). Only then: decoding
        tolerantly (in Python) makes every read of text slower."""
        with self._lock:
            try:
                try:
                    return read()
                except sqlite3.OperationalError as error:
                    if not _undecodable(error):
                        raise
                if self._db.in_transaction:  # a read within BEGIN ... COMMIT
                    self._db.execute("ROLLBACK")
                self._report_undecodable()
                self._db.text_factory = _tolerant_text
                try:
                    return read()
                finally:
                    self._db.text_factory = str
            except sqlite3.Error as error:
                raise StoreError(f"Could not read the store: {_explain(error)}") from None

    def _report_undecodable(self) -> None:
        if _UNDECODABLE_NOTICE not in self.notices:
            self.notices.append(_UNDECODABLE_NOTICE)

    # Papers and listings -------------------------------------------------------------
    def save_papers(
        self,
        papers: Iterable[Paper],
        *,
        complete: bool = False,
        fetched_at: datetime | None = None,
    ) -> int:
        """Insert or update papers (and the snapshots of bookmarked ones).

        ``complete``: the papers come from a daily listing of the API and replace what is
        stored; otherwise (a search result, a snapshot) they only fill gaps (see
        ``_UPSERT_PARTIAL``).
        """
        stamp = _iso(fetched_at or utcnow())
        papers = list(papers)
        with self._write("papers") as db:
            self._upsert(db, papers, stamp, complete=complete)
        return len(papers)

    @staticmethod
    def _count_stored(db: sqlite3.Connection, ids: Sequence[str]) -> int:
        """How many of ``ids`` (distinct) are papers in the store."""
        stored = 0
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT count(*) FROM papers WHERE id IN ({marks})"
            stored += int(db.execute(query, chunk).fetchone()[0])
        return stored

    def _upsert(
        self, db: sqlite3.Connection, papers: Sequence[Paper], stamp: str, *, complete: bool
    ) -> None:
        upsert = _UPSERT_COMPLETE if complete else _UPSERT_PARTIAL
        db.executemany(upsert, (_paper_values(p, stamp) for p in papers))
        # Keep bookmark snapshots current, from the merged row in the cache.
        ids = [p.id for p in papers]
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN ({marks}) "
                "AND id IN (SELECT paper_id FROM user.bookmarks)",
                chunk,
            ).fetchall()
            db.executemany(
                "UPDATE user.bookmarks SET paper = ? WHERE paper_id = ?",
                ((json.dumps(_paper_from_row(r).to_dict()), r[0]) for r in rows),
            )
            rows = db.execute(
                f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN ({marks}) "
                "AND id IN (SELECT paper_id FROM user.snapshots)",
                chunk,
            ).fetchall()
            db.executemany(
                "UPDATE user.snapshots SET paper = ? WHERE paper_id = ?",
                ((json.dumps(_paper_from_row(r).to_dict()), r[0]) for r in rows),
            )

    def save_listing(
        self,
        kind: str,
        key: str,
        papers: Sequence[Paper],
        *,
        sort: str = "publishedAt",
        fetched_at: datetime | None = None,
    ) -> int:
        """Store a listing's papers in the order given, replacing what it held before;
        returns how many of its papers were new to the store (counted in the same
        transaction, so papers another thread or instance saves meanwhile never count).

        A listing is the API's own daily listing: its papers are complete."""
        stamp = _iso(fetched_at or utcnow())
        with self._write(f"the {kind} listing {key}") as db:
            ids = list(dict.fromkeys(p.id for p in papers))
            stored = self._count_stored(db, ids)
            self._upsert(db, papers, stamp, complete=True)
            db.execute(
                "DELETE FROM listing_papers WHERE kind = ? AND key = ? AND sort = ?",
                (kind, key, sort),
            )
            db.executemany(
                "INSERT INTO listing_papers (kind, key, sort, position, paper_id) "
                "VALUES (?, ?, ?, ?, ?)",
                ((kind, key, sort, i, p.id) for i, p in enumerate(papers)),
            )
            db.execute(
                "INSERT OR REPLACE INTO listings (kind, key, sort, fetched_at, size) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, key, sort, stamp, len(papers)),
            )
        return len(ids) - stored

    def listing(self, kind: str, key: str, *, sort: str = "publishedAt") -> Listing | None:
        """A stored listing with its rows in order, or None if it was never fetched."""
        found = self._read(
            "SELECT fetched_at FROM listings WHERE kind = ? AND key = ? AND sort = ?",
            (kind, key, sort),
        )
        if not found:
            return None
        rows = tuple(map(Row._make, self._read(_ROW_QUERY, (kind, key, sort))))
        return Listing(kind, key, sort, _parse_iso(found[0][0]), rows)

    def period_listing(self, period: Period) -> Listing | None:
        """A day, week or month as the stored papers make it: every paper whose listing
        day falls in it, whichever request stored it, most upvoted first (the site's
        order). None when nothing is stored for it: no paper, and no fetched listing that
        covers it (an empty day that was fetched is a listing with no rows)."""
        first, last = period.start.isoformat(), period.end.isoformat()
        rows = tuple(
            map(
                Row._make,
                self._read(
                    f"SELECT {ROW_COLUMNS} FROM papers p WHERE p.listing_day BETWEEN ? AND ? "
                    "ORDER BY p.upvotes DESC, p.listing_day, p.id",
                    (first, last),
                ),
            )
        )
        fetched = self._covering_fetch(period)
        if fetched is None and rows:
            found = self._read(
                "SELECT max(fetched_at) FROM papers WHERE listing_day BETWEEN ? AND ?",
                (first, last),
            )
            fetched = found[0][0]
        if fetched is None:
            return None
        return Listing(period.kind, period.key, "publishedAt", _parse_iso(fetched), rows)

    def _covering_fetch(self, period: Period) -> str | None:
        """When the period's listing was last fetched whole: its own listing, or the
        listings of the months (or, for a day, the week) around it, fetched after it ended."""
        exact = self._read(
            "SELECT fetched_at FROM listings WHERE kind = ? AND key = ? AND sort = 'publishedAt'",
            (period.kind, period.key),
        )
        if exact:
            return str(exact[0][0])
        # Fetched after the period's last day: a stamp past "YYYY-MM-DD~" ('~' sorts after
        # the 'T' of every stamp of that day), with no date arithmetic at 9999-12-31.
        after = period.end.isoformat() + "~"
        covers = [{Period.month_of(period.start).key, Period.month_of(period.end).key}]
        kinds = ["month"]
        if period.kind == "day":
            covers.append({Period.week_of(period.start).key})
            kinds.append("week")
        for kind, keys in zip(kinds, covers, strict=True):
            marks = ",".join("?" * len(keys))
            found = self._read(
                f"SELECT min(fetched_at), count(*) FROM listings WHERE kind = ? "
                f"AND sort = 'publishedAt' AND key IN ({marks}) AND fetched_at > ?",
                (kind, *sorted(keys), after),
            )
            if found and found[0][1] == len(keys):
                return str(found[0][0])
        return None

    def newest_day(self) -> date | None:
        """The newest listing day of any stored paper (offline, the 'latest day')."""
        found = self._read("SELECT max(listing_day) FROM papers")
        return date.fromisoformat(found[0][0]) if found and found[0][0] else None

    def adjacent_day(self, day: date, step: int) -> date | None:
        """The nearest listing day of a stored paper before ``day`` (step < 0) or after."""
        if step < 0:
            query = "SELECT max(listing_day) FROM papers WHERE listing_day < ?"
        else:
            query = "SELECT min(listing_day) FROM papers WHERE listing_day > ?"
        found = self._read(query, (day.isoformat(),))
        return date.fromisoformat(found[0][0]) if found and found[0][0] else None

    def paper(self, paper_id: str) -> Paper | None:
        """A paper from the cache, or from its bookmark snapshot if the cache lost it."""
        rows = self._read(f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id = ?", (paper_id,))
        if rows:
            return _paper_from_row(rows[0])
        rows = self._read(
            "SELECT paper FROM user.bookmarks WHERE paper_id = ? "
            "UNION ALL SELECT paper FROM user.snapshots WHERE paper_id = ?",
            (paper_id, paper_id),
        )
        return _snapshot(rows[0][0]) if rows else None

    def paper_count(self) -> int:
        return int(self._read("SELECT count(*) FROM papers")[0][0])

    def archive_rows(self, limit: int | None = None) -> tuple[Row, ...]:
        """Every stored paper, newest listing day first, then by upvotes."""
        query = f"SELECT {ROW_COLUMNS} FROM papers p ORDER BY p.listing_day DESC, p.upvotes DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return tuple(map(Row._make, self._read(query)))

    # Sync progress -------------------------------------------------------------------
    def synced_months(self) -> set[str]:
        """Months (``YYYY-MM``) whose listing was fetched whole after the month ended."""
        return {r[0] for r in self._read("SELECT month FROM sync_months")}

    def mark_month_synced(self, month: str, papers: int) -> None:
        with self._write(f"the sync progress of {month}") as db:
            db.execute(
                "INSERT OR REPLACE INTO sync_months (month, completed_at, papers) VALUES (?, ?, ?)",
                (month, _iso(utcnow()), papers),
            )

    def forget_synced_months(self) -> None:
        with self._write("the sync progress") as db:
            db.execute("DELETE FROM sync_months")
            db.execute("DELETE FROM sync_pages")

    def month_pages(
        self, month: str, page_size: int, *, newer_than: datetime | None = None
    ) -> tuple[int, list[str]]:
        """How many pages (of ``page_size`` papers) of a month a stopped sync fetched and
        saved, and the ids of their papers in order; ``(0, [])`` when none (or when they
        were fetched with another page size, or before ``newer_than``)."""
        rows = self._read(
            "SELECT page_size, pages, paper_ids, updated_at FROM sync_pages WHERE month = ?",
            (month,),
        )
        if not rows or rows[0][0] != page_size:
            return 0, []
        _, pages, ids, updated = rows[0]
        if newer_than is not None and _parse_iso(updated) <= newer_than:
            return 0, []
        return int(pages), _json_list(ids)

    def save_month_page(
        self, month: str, page_size: int, page: int, papers: Sequence[Paper]
    ) -> int:
        """Save one page of a month being synced, and that it was fetched, in one
        transaction; returns how many of its papers were new to the store."""
        stamp = _iso(utcnow())
        with self._write(f"the papers of {month}") as db:
            new = len(papers) - self._count_stored(db, [p.id for p in papers])
            self._upsert(db, papers, stamp, complete=True)  # daily listing items
            found = db.execute(
                "SELECT page_size, paper_ids FROM sync_pages WHERE month = ?", (month,)
            ).fetchone()
            ids = _json_list(found[1]) if found and found[0] == page_size and page > 0 else []
            ids.extend(p.id for p in papers)
            db.execute(
                "INSERT OR REPLACE INTO sync_pages (month, page_size, pages, paper_ids, "
                "updated_at) VALUES (?, ?, ?, ?, ?)",
                (month, page_size, page + 1, json.dumps(list(dict.fromkeys(ids))), stamp),
            )
        return new

    def forget_month_pages(self, month: str) -> None:
        with self._write(f"the sync progress of {month}") as db:
            db.execute("DELETE FROM sync_pages WHERE month = ?", (month,))

    # Search --------------------------------------------------------------------------
    #: Column weights of bm25 over (title, authors, summary, ai_summary, ai_keywords,
    #: organization): a word in the title counts most.
    _BM25 = "bm25(papers_fts, 10.0, 5.0, 1.0, 2.0, 3.0, 4.0)"
    #: At most this many matches are ranked with bm25 (about 2 µs each); past it, title
    #: matches come first and each group is ranked, or if still too big, newest first.
    _RANK_AT_MOST = 3000
    #: Read or bookmarked papers are looked up one by one (then sorted) when there are at
    #: most this many marks; with more, each paper is checked as the archive is walked.
    _LOOK_UP_AT_MOST = 8000
    #: The order conditions are tested in while walking the listing-day index: first
    #: comparisons on the index's own columns (no row needed), then the words (a lookup
    #: by rowid in the set of matches), then what needs the paper's row.
    _COMPARE, _WORDS, _ROW = range(3)

    def search(
        self, query: Query, *, limit: int = 2000, prefix_last: bool = True
    ) -> tuple[Row, ...]:
        """Stored papers matching a query, at most ``limit``.

        With words or phrases: best match first (bm25, title weighing most; ties go to the
        most upvoted). To stay fast on a big archive, bm25 ranks at most
        ``_RANK_AT_MOST`` papers: when more match, papers matching in the title come
        first (and alone, if they fill ``limit``), then the others; a group too big to
        rank is newest first. Filters leaving few papers rank those few.
        With filters only: newest listing day first, then most upvoted. An empty query
        gives the whole archive in that order.

        ``prefix_last`` (while typing) matches the last word as a prefix, if it is long
        enough (see ``_shortest_prefix``). A query's ``errors`` are the caller's to show:
        the rest of the query is used. Raises StoreError only if the database cannot be
        read.
        """
        from paperreader.core.query import fts_any, fts_match

        if limit <= 0:
            return ()
        with self._lock:  # one consistent view across the few statements below
            short = self._shortest_prefix()
            match = fts_match(query, prefix_last=prefix_last, min_prefix=short)
            conditions = [self._filter_condition(f, min_prefix=short) for f in query.filters]
            if match is None:
                if (excluded := fts_any(query.excluded)) is not None:
                    # FTS5's NOT needs a left operand: with no words, exclude in SQL.
                    conditions.append(
                        (
                            self._WORDS,
                            "+p.rowid NOT IN"
                            " (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                            (excluded,),
                        )
                    )
                return self._with_notes(query, conditions, limit, self._newest(conditions, limit))
            if conditions and (few := self._few_candidates(conditions)) is not None:
                # Selective filters: rank the few papers they leave, whatever the words.
                return self._with_notes(query, conditions, limit, self._ranked(match, few, limit))
            # Title matches first: when they alone fill the list, nothing else is needed.
            title = fts_match(query, prefix_last=prefix_last, columns=("title",), min_prefix=short)
            title = title or match
            in_title = self._match_count(title)
            if in_title < limit or conditions:
                count = self._match_count(match)
                if count <= self._RANK_AT_MOST:
                    return self._with_notes(
                        query,
                        conditions,
                        limit,
                        self._search_group(match, conditions, limit, count),
                    )
            hits = self._search_group(title, conditions, limit, in_title)
            if len(hits) < limit:
                # The rest, matching outside the title: many (or the whole query would
                # have been ranked), so newest first.
                rest = f"({match}) NOT ({title})"
                hits += self._search_group(
                    rest, conditions, limit - len(hits), self._RANK_AT_MOST + 1, group=1
                )
            return self._with_notes(query, conditions, limit, hits)

    def _with_notes(
        self,
        query: Query,
        conditions: list[tuple[int, str, tuple[Any, ...]]],
        limit: int,
        hits: list[tuple[int, float, int]],
    ) -> tuple[Row, ...]:
        """The hits, after the papers whose own note holds every word (they come first)."""
        words = [*query.words, *query.phrases]
        if not words:
            return self._search_rows(hits)
        where, params = self._where(conditions)
        likes = " AND ".join("n.note LIKE ? ESCAPE '\\'" for _ in words)
        patterns = [
            "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in words
        ]
        noted = self._read(
            f"SELECT p.rowid FROM user.notes n JOIN papers p ON p.id = n.paper_id "
            f"WHERE {likes} AND {where} LIMIT ?",
            (*patterns, *params, limit),
        )
        if not noted:
            return self._search_rows(hits)
        first = [(-1, 0.0, rowid) for (rowid,) in noted]
        seen = {rowid for (rowid,) in noted}
        return self._search_rows([*first, *(h for h in hits if h[2] not in seen)][:limit])

    def _few_candidates(
        self, conditions: list[tuple[int, str, tuple[Any, ...]]]
    ) -> list[int] | None:
        """The rowids of the papers meeting ``conditions`` if there are at most
        ``_RANK_AT_MOST`` of them, else None (found out quickly: it stops there)."""
        where, params = self._where(conditions)
        sql = f"SELECT p.rowid FROM papers p WHERE {where} LIMIT ?"
        found = self._read(sql, (*params, self._RANK_AT_MOST + 1))
        return [rowid for (rowid,) in found] if len(found) <= self._RANK_AT_MOST else None

    def _ranked(self, match: str, rowids: list[int], limit: int) -> list[tuple[int, float, int]]:
        """The best ``limit`` of ``rowids`` that match, ranked by bm25."""
        # The unary + keeps FTS5 from being asked for each rowid in turn.
        sql = (
            f"SELECT rowid, {self._BM25} AS score FROM papers_fts WHERE papers_fts MATCH ?"
            " AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY score LIMIT ?"
        )
        found = self._read(sql, (match, json.dumps(rowids), limit))
        return [(0, score, rowid) for rowid, score in found]

    def _shortest_prefix(self) -> int:
        """The shortest last word searched as a prefix (a shorter one is a whole word).

        That is the shortest prefix the index keeps (``prefix = '2 3'``), but never one
        letter; with no such index, 3: two letters would merge the lists of hundreds of
        words, which takes hundreds of milliseconds on a big archive.
        """
        from paperreader.core.query import MIN_PREFIX

        found = self._read("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'")
        _, _, option = (found[0][0] if found else "").partition("prefix")
        value = option.split(",")[0].split(")")[0]  # " = '2 3'"
        lengths = [int(n) for n in value.replace("'", " ").split() if n.isdigit()]
        return max(MIN_PREFIX, min(lengths)) if lengths else 3

    def _match_count(self, match: str) -> int:
        """How many papers an FTS expression matches, up to ``_RANK_AT_MOST + 1``: enough
        to choose how to rank, and quick (it stops there; no ranking, no rows)."""
        sql = "SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)"
        return int(self._read(sql, (match, self._RANK_AT_MOST + 1))[0][0])

    def _search_group(
        self,
        match: str,
        conditions: list[tuple[int, str, tuple[Any, ...]]],
        limit: int,
        count: int | None = None,
        *,
        group: int = 0,
    ) -> list[tuple[int, float, int]]:
        """The best ``limit`` papers matching ``match`` and ``conditions``, as (group,
        score, rowid): ranked by bm25 if there are few enough (``count``, counted if
        None), else newest first (score = position), walking the listing-day index."""
        if count is None:
            count = self._match_count(match)
        where, params = self._where(conditions)
        if count <= self._RANK_AT_MOST:
            # CROSS JOIN: the matches drive, the filters are checked on each.
            join = " CROSS JOIN papers p ON p.rowid = papers_fts.rowid" if conditions else ""
            sql = (
                f"SELECT papers_fts.rowid, {self._BM25} AS score FROM papers_fts{join}"
                f" WHERE papers_fts MATCH ? AND {where} ORDER BY score LIMIT ?"
            )
            found = self._read(sql, (match, *params, limit))
            return [(group, score, rowid) for rowid, score in found]
        # The unary + keeps SQLite from looking the matches up one by one and sorting
        # them: it walks the archive in order (on an index) and stops at ``limit``.
        words = (
            self._WORDS,
            "+p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
            (match,),
        )
        return self._newest([*conditions, words], limit, group=group)

    def _newest(
        self, conditions: list[tuple[int, str, tuple[Any, ...]]], limit: int, *, group: int = 0
    ) -> list[tuple[int, float, int]]:
        """The ``limit`` newest papers meeting ``conditions`` as (group, position, rowid).

        Only rowids are selected, so an index holding the filtered columns answers it
        without reading the (wide) rows of papers.
        """
        where, params = self._where(conditions)
        sql = (
            f"SELECT p.rowid FROM papers p WHERE {where}"
            " ORDER BY p.listing_day DESC, p.upvotes DESC LIMIT ?"
        )
        found = self._read(sql, (*params, limit))
        return [(group, float(position), rowid) for position, (rowid,) in enumerate(found)]

    def _search_rows(self, hits: list[tuple[int, float, int]]) -> tuple[Row, ...]:
        """The rows of ranked hits, in order; equal scores go to the most upvoted."""
        if not hits:
            return ()
        found = self._read(
            f"SELECT p.rowid, {ROW_COLUMNS} FROM papers p"
            " WHERE p.rowid IN (SELECT value FROM json_each(?))",
            (json.dumps([rowid for _, _, rowid in hits]),),
        )
        rows = {r[0]: Row._make(r[1:]) for r in found}
        hits = [h for h in hits if h[2] in rows]
        hits.sort(key=lambda h: (h[0], h[1], -rows[h[2]].upvotes))
        return tuple(rows[rowid] for _, _, rowid in hits)

    @staticmethod
    def _where(conditions: list[tuple[int, str, tuple[Any, ...]]]) -> tuple[str, list[Any]]:
        """Conditions joined with AND, cheapest first (SQLite tests them in this order)."""
        ordered = sorted(conditions, key=lambda c: c[0])
        params = [value for _, _, values in ordered for value in values]
        return " AND ".join(clause for _, clause, _ in ordered) or "1", params

    def _filter_condition(
        self, item: Filter, *, min_prefix: int
    ) -> tuple[int, str, tuple[Any, ...]]:
        """A filter as (cost, SQL condition on ``papers p``, parameters).

        User text only ever travels as a parameter; operators come from a fixed set.
        """
        from paperreader.core.query import COMPARISONS

        match item.name:
            case "author":
                clause, params = self._text_clause("authors", str(item.value), min_prefix)
            case "org":
                clause, params = self._text_clause("organization", str(item.value), min_prefix)
            case "is":
                table = "bookmarks" if item.value == "bookmarked" else "read_marks"
                marks = f"(SELECT paper_id FROM user.{table})"
                if item.value == "unread":
                    clause = f"p.id NOT IN {marks}"
                elif not item.negated and self._count_marks(table) <= self._LOOK_UP_AT_MOST:
                    clause = f"p.id IN {marks}"  # few: look them up, then sort
                else:
                    clause = f"+p.id IN {marks}"  # many: check each paper in order
                params = ()
            case "has" if item.value == "note":
                clause, params = "p.id IN (SELECT paper_id FROM user.notes)", ()
            case "has":
                column = "p.github_repo" if item.value == "code" else "p.project_page"
                clause, params = f"coalesce({column}, '') != ''", ()
            case "tag":
                tag = str(item.value).lower().lstrip("#")
                clause = "p.id IN (SELECT paper_id FROM user.tags WHERE tag = ?)"
                params = (tag,)
            case "upvotes" | "stars":
                if item.op not in COMPARISONS:
                    raise ValueError(f"unknown comparison {item.op!r}")
                column = "p.upvotes" if item.name == "upvotes" else "p.github_stars"
                clause, params = f"{column} {item.op} ?", (item.value,)
            case "day" | "week" | "month":
                period = item.value
                if not isinstance(period, Period):
                    raise ValueError(f"{item.name} needs a Period, not {period!r}")
                clause = "p.listing_day BETWEEN ? AND ?"
                params = (period.start.isoformat(), period.end.isoformat())
            case "id":
                clause, params = "p.id = ?", (item.value,)
            case _:
                raise ValueError(f"no SQL for the filter {item.name!r}")
        if item.negated:
            clause = f"NOT coalesce(({clause}), 0)"
        indexed = item.name in ("upvotes", "day", "week", "month")
        return (self._COMPARE if indexed else self._ROW), clause, params

    def _count_marks(self, table: str) -> int:
        return int(self._read(f"SELECT count(*) FROM user.{table}")[0][0])

    @staticmethod
    def _text_clause(column: str, text: str, min_prefix: int) -> tuple[str, tuple[Any, ...]]:
        """Papers whose ``column`` (authors: any one author) holds ``text``: as a
        case-insensitive substring (LIKE, which folds ASCII letters only), or as words in
        the column's index (which folds case and diacritics: Bjorn finds Björn), the last
        word as a prefix."""
        from paperreader.core.query import tokens

        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if column == "organization":
            # The display name (Pathway) or the handle (pathwaycom).
            clause = (
                "(p.organization LIKE ? ESCAPE '\\' OR p.organization_handle LIKE ? ESCAPE '\\')"
            )
            params = [pattern, pattern]
        else:
            clause = "EXISTS (SELECT 1 FROM json_each(p.authors) WHERE value LIKE ? ESCAPE '\\')"
            params = [pattern]
            if text.isascii() and text.isprintable() and not any(c in text for c in '"\\'):
                # The raw JSON holds such text as is: a cheap test before parsing it.
                clause = f"p.authors LIKE ? ESCAPE '\\' AND {clause}"
                params.insert(0, pattern)
        words = tokens(text)
        if words:
            last = "*" if len(words[-1]) >= min_prefix else ""
            phrase = '"' + " ".join(words).replace('"', '""') + '"' + last
            clause = (
                f"({clause} OR p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?))"
            )
            params.append(f"{{{column}}} : {phrase}")
        return clause, tuple(params)

    # Read marks ----------------------------------------------------------------------
    def read_ids(self) -> set[str]:
        return self._ids("read_marks")

    def _ids(self, table: str) -> set[str]:
        """The paper ids in a table of the user's data (there can be tens of thousands of
        read marks: one joined string is twice as fast to fetch as a row per id; ids are
        printable ASCII, so the unit separator cannot occur in one)."""
        ((joined,),) = self._read(f"SELECT group_concat(paper_id, char(31)) FROM user.{table}")
        return set(joined.split("\x1f")) if joined else set()

    def is_read(self, paper_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM user.read_marks WHERE paper_id = ?", (paper_id,)))

    def set_read(self, paper_ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark papers read (or unread); returns the ids whose state changed (for undo)."""
        ids = list(dict.fromkeys(paper_ids))
        stamp = _iso(utcnow())
        changed: list[str] = []
        with self._write("the read marks") as db:
            for paper_id in ids:
                if read:
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO user.read_marks (paper_id, read_at) VALUES (?, ?)",
                        (paper_id, stamp),
                    )
                else:
                    cursor = db.execute(
                        "DELETE FROM user.read_marks WHERE paper_id = ?", (paper_id,)
                    )
                if cursor.rowcount:
                    changed.append(paper_id)
        return changed

    # Bookmarks -----------------------------------------------------------------------
    def _restore_bookmarked_papers(self) -> None:
        """Put bookmarked papers the cache lost (deleted, set aside) back from snapshots."""
        missing = self._read(
            "SELECT paper_id, paper FROM user.bookmarks "
            "WHERE paper_id NOT IN (SELECT id FROM papers) UNION ALL "
            "SELECT paper_id, paper FROM user.snapshots "
            "WHERE paper_id NOT IN (SELECT id FROM papers)"
        )
        papers: dict[str, Paper] = {}
        for paper_id, text in missing:
            paper = _snapshot(text)
            if paper is None and _valid_id(paper_id) and isinstance(text, str):
                # A damaged snapshot: a stand-in keeps the bookmark in the lists until
                # the paper is fetched again (as when salvaging a damaged file).
                paper = Paper(paper_id, paper_id)
            if paper is not None:
                papers.setdefault(paper.id, paper)
        papers_list = list(papers.values())
        if papers_list:
            with contextlib.suppress(StoreError):  # a read-only cache: snapshots still serve
                self.save_papers(papers_list)

    def bookmark_rows(self) -> tuple[Row, ...]:
        """Every bookmarked paper as a list row, newest bookmark first."""
        query = (
            f"SELECT {ROW_COLUMNS} FROM user.bookmarks b JOIN papers p ON p.id = b.paper_id "
            "ORDER BY b.created_at DESC, b.rowid DESC"
        )
        return tuple(map(Row._make, self._read(query)))

    def bookmark_ids(self) -> set[str]:
        return self._ids("bookmarks")

    def set_bookmark(self, paper: Paper, bookmarked: bool = True) -> None:
        with self._write("the bookmark") as db:
            if bookmarked:
                # A bookmarked paper is in the store (a paper of the sample, say), filling
                # gaps only: it never makes a stored copy worse.
                self._upsert(db, [paper], _iso(utcnow()), complete=False)
                db.execute(
                    "INSERT INTO user.bookmarks (paper_id, created_at, paper) VALUES (?, ?, ?) "
                    "ON CONFLICT (paper_id) DO UPDATE SET paper = excluded.paper",
                    (paper.id, _iso(utcnow()), json.dumps(paper.to_dict())),
                )
            else:
                db.execute("DELETE FROM user.bookmarks WHERE paper_id = ?", (paper.id,))

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, newest first (papers from their snapshots: no cache needed)."""
        rows = self._read(
            "SELECT paper_id, paper, created_at FROM user.bookmarks "
            "ORDER BY created_at DESC, rowid DESC"
        )
        marks = []
        for paper_id, paper_json, created in rows:
            paper = _snapshot(paper_json)
            if paper is None and _valid_id(paper_id):
                # A damaged snapshot: the cache's copy, else a stand-in; never lost.
                found = self._read(f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id = ?", (paper_id,))
                paper = _paper_from_row(found[0]) if found else Paper(paper_id, paper_id)
            if paper is not None:
                marks.append(Bookmark(paper, _parse_iso(_valid_stamp(created))))
        return marks

    # Notes and tags ------------------------------------------------------------------
    def _keep_snapshot(self, db: sqlite3.Connection, paper: Paper) -> None:
        db.execute(
            "INSERT OR REPLACE INTO user.snapshots (paper_id, paper) VALUES (?, ?)",
            (paper.id, json.dumps(paper.to_dict())),
        )

    def note(self, paper_id: str) -> str:
        rows = self._read("SELECT note FROM user.notes WHERE paper_id = ?", (paper_id,))
        return str(rows[0][0]) if rows else ""

    def set_note(self, paper: Paper, note: str) -> None:
        """Save the note on a paper (an empty note deletes it). A note longer than
        ``MAX_NOTE_CHARS`` is refused with a StoreError saying so (nothing is saved)."""
        from paperreader.core.limits import MAX_NOTE_CHARS

        if len(note) > MAX_NOTE_CHARS:
            raise StoreError(
                f"Could not save the note: it is {len(note):,} characters long; "
                f"a note holds at most {MAX_NOTE_CHARS:,}"
            )
        with self._write("the note") as db:
            if note.strip():
                db.execute(
                    "INSERT OR REPLACE INTO user.notes (paper_id, note, updated_at) "
                    "VALUES (?, ?, ?)",
                    (paper.id, note, _iso(utcnow())),
                )
                self._keep_snapshot(db, paper)
            else:
                db.execute("DELETE FROM user.notes WHERE paper_id = ?", (paper.id,))

    def noted_ids(self) -> set[str]:
        return self._ids("notes")

    def tags(self, paper_id: str) -> tuple[str, ...]:
        rows = self._read("SELECT tag FROM user.tags WHERE paper_id = ? ORDER BY tag", (paper_id,))
        return tuple(r[0] for r in rows)

    def set_tags(self, paper: Paper, tags: Iterable[str]) -> None:
        """Replace a paper's tags."""
        wanted = sorted(set(tags))
        stamp = _iso(utcnow())
        with self._write("the tags") as db:
            db.execute("DELETE FROM user.tags WHERE paper_id = ?", (paper.id,))
            db.executemany(
                "INSERT INTO user.tags (paper_id, tag, created_at) VALUES (?, ?, ?)",
                ((paper.id, tag, stamp) for tag in wanted),
            )
            if wanted:
                self._keep_snapshot(db, paper)

    def tagged_ids(self) -> set[str]:
        return self._ids("tags")

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many papers carry it, most used first."""
        rows = self._read(
            "SELECT tag, count(*) FROM user.tags GROUP BY tag ORDER BY count(*) DESC, tag"
        )
        return [(r[0], int(r[1])) for r in rows]

    def annotations(self, paper_ids: Iterable[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Notes and tags of many papers at once: id -> (note, tags)."""
        ids = list(paper_ids)
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            notes = dict(
                self._read(
                    f"SELECT paper_id, note FROM user.notes WHERE paper_id IN ({marks})", chunk
                )
            )
            tags: dict[str, list[str]] = {}
            for paper_id, tag in self._read(
                f"SELECT paper_id, tag FROM user.tags WHERE paper_id IN ({marks}) ORDER BY tag",
                chunk,
            ):
                tags.setdefault(paper_id, []).append(tag)
            for paper_id in chunk:
                if paper_id in notes or paper_id in tags:
                    found[paper_id] = (notes.get(paper_id, ""), tuple(tags.get(paper_id, ())))
        return found

    # Backup and recovery -------------------------------------------------------------
    class UserData(NamedTuple):
        """The user's own data, as backed up and restored (lists newest first)."""

        bookmarks: list[Bookmark]
        read: list[tuple[str, datetime]]  # (paper id, read at)
        notes: list[tuple[str, str, datetime]]  # (paper id, note, updated at)
        tags: list[tuple[str, str, datetime]]  # (paper id, tag, created at)
        snapshots: list[Paper]  # the noted and tagged papers

    def user_data(self) -> Store.UserData:
        """Every bookmark, read mark, note and tag, read at one moment (one transaction),
        with the papers the notes and tags belong to (from the cache, else snapshots)."""

        def read() -> Store.UserData:
            self._db.execute("BEGIN")
            try:
                return self._user_data()
            finally:
                if self._db.in_transaction:
                    self._db.execute("COMMIT")

        return self._reading(read)

    def _user_data(self) -> Store.UserData:
        db = self._db
        bookmarks = []
        for paper_id, paper_json, created in db.execute(
            "SELECT paper_id, paper, created_at FROM user.bookmarks "
            "ORDER BY created_at DESC, rowid DESC"
        ):
            paper = _snapshot(paper_json)
            if paper is None:  # a snapshot that cannot be read: the cache's copy, if any
                found = db.execute(
                    f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id = ?", (paper_id,)
                ).fetchall()
                paper = _paper_from_row(found[0]) if found else None
            if paper is None and _valid_id(paper_id):
                paper = Paper(paper_id, paper_id)  # a stand-in: the bookmark is kept
            if paper is not None:
                bookmarks.append(Bookmark(paper, _parse_iso(_valid_stamp(created))))
        read = [
            (r[0], _parse_iso(_valid_stamp(r[1])))
            for r in db.execute(
                "SELECT paper_id, read_at FROM user.read_marks ORDER BY read_at DESC, rowid DESC"
            )
        ]
        notes = [
            (r[0], r[1], _parse_iso(_valid_stamp(r[2])))
            for r in db.execute(
                "SELECT paper_id, note, updated_at FROM user.notes "
                "ORDER BY updated_at DESC, rowid DESC"
            )
        ]
        tags = [
            (r[0], r[1], _parse_iso(_valid_stamp(r[2])))
            for r in db.execute(
                "SELECT paper_id, tag, created_at FROM user.tags "
                "ORDER BY created_at DESC, paper_id, tag"
            )
        ]
        annotated = "(SELECT paper_id FROM user.notes UNION SELECT paper_id FROM user.tags)"
        snapshots = [
            _paper_from_row(r)
            for r in db.execute(
                f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN {annotated} ORDER BY id"
            )
        ]
        for (paper_json,) in db.execute(
            f"SELECT paper FROM user.snapshots WHERE paper_id IN {annotated} "
            "AND paper_id NOT IN (SELECT id FROM papers) ORDER BY paper_id"
        ):
            paper = _snapshot(paper_json)
            if paper is not None:
                snapshots.append(paper)
        return Store.UserData(bookmarks, read, notes, tags, snapshots)

    def import_user_data(self, data: Store.UserData) -> dict[str, int]:
        """Merge ``data`` into the user's data in one transaction (all or nothing).

        Nothing is ever deleted or overwritten: an existing bookmark keeps its date and
        read mark its time; a note that differs from the stored one is added to it (or
        replaces it if it already contains it), so importing the same data twice changes
        nothing the second time. Snapshots are kept for papers that have a note or tag.
        Returns how many bookmarks, read marks, notes and tags (``bookmarks``, ``read``,
        ``notes``, ``tags``) were added or changed, and (``notes_too_long``, when there
        are any) how many notes were left as they were because adding the imported one
        would make a note longer than ``MAX_NOTE_CHARS``.
        """
        counts = dict.fromkeys(("bookmarks", "read", "notes", "tags"), 0)
        with self._write("the imported data") as db:
            for mark in reversed(data.bookmarks):  # oldest first: ties keep their order
                counts["bookmarks"] += db.execute(
                    "INSERT OR IGNORE INTO user.bookmarks (paper_id, created_at, paper) "
                    "VALUES (?, ?, ?)",
                    (mark.paper.id, _iso(mark.created_at), json.dumps(mark.paper.to_dict())),
                ).rowcount
            for paper_id, read_at in reversed(data.read):
                counts["read"] += db.execute(
                    "INSERT OR IGNORE INTO user.read_marks (paper_id, read_at) VALUES (?, ?)",
                    (paper_id, _iso(read_at)),
                ).rowcount
            for paper_id, note, updated in reversed(data.notes):
                merged = self._merge_note(db, paper_id, note, _iso(updated))
                if merged < 0:  # too long once added to the stored note: left as it was
                    counts["notes_too_long"] = counts.get("notes_too_long", 0) + 1
                else:
                    counts["notes"] += merged
            for paper_id, tag, created in reversed(data.tags):
                counts["tags"] += db.execute(
                    "INSERT OR IGNORE INTO user.tags (paper_id, tag, created_at) VALUES (?, ?, ?)",
                    (paper_id, tag, _iso(created)),
                ).rowcount
            db.executemany(
                "INSERT OR IGNORE INTO user.snapshots (paper_id, paper) "
                "SELECT ?1, ?2 WHERE ?1 IN (SELECT paper_id FROM user.notes "
                "UNION SELECT paper_id FROM user.tags)",
                ((p.id, json.dumps(p.to_dict())) for p in data.snapshots),
            )
        self._restore_bookmarked_papers()  # imported papers the cache lacks, for the lists
        return counts

    @staticmethod
    def _merge_note(db: sqlite3.Connection, paper_id: str, note: str, stamp: str) -> int:
        """Add a note to what is stored; 1 if that changed anything, -1 if it would make
        the note too long (nothing changed)."""
        from paperreader.core.limits import MAX_NOTE_CHARS

        found = db.execute(
            "SELECT note, updated_at FROM user.notes WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        if found is None:
            merged = note
        else:
            stored, stored_stamp = str(found[0]), str(found[1])
            if note.strip() in stored:
                return 0
            # The imported note may be the stored one grown longer; else keep both.
            merged = note if stored.strip() in note else f"{stored.rstrip()}\n\n{note.strip()}"
            stamp = max(stamp, stored_stamp)
        if len(merged) > MAX_NOTE_CHARS:
            return -1
        db.execute(
            "INSERT OR REPLACE INTO user.notes (paper_id, note, updated_at) VALUES (?, ?, ?)",
            (paper_id, merged, stamp),
        )
        return 1

    # Settings ------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._read("SELECT value FROM user.settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def settings(self, prefix: str) -> dict[str, str]:
        """Every setting whose key starts with ``prefix``, keyed without it."""
        rows = self._read(
            "SELECT key, value FROM user.settings WHERE substr(key, 1, ?) = ?",
            (len(prefix), prefix),
        )
        return {key[len(prefix) :]: value for key, value in rows}

    def set_setting(self, key: str, value: str) -> None:
        with self._write("the settings") as db:
            db.execute(
                "INSERT OR REPLACE INTO user.settings (key, value) VALUES (?, ?)", (key, value)
            )


# Module helpers ----------------------------------------------------------------------


def _snapshot(text: str) -> Paper | None:
    try:
        return Paper.from_dict(json.loads(text))
    except (TypeError, ValueError, KeyError):
        return None


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_T = TypeVar("_T")

#: Said once when a stored text turned out not to be UTF-8 (and was read around).
_UNDECODABLE_NOTICE = (
    "Some text stored in your data is damaged (it is not UTF-8); it is shown with "
    "\N{REPLACEMENT CHARACTER} where the damaged bytes were, and the rest is intact."
)


def _undecodable(error: sqlite3.Error) -> bool:
    return str(error).startswith("Could not decode to UTF-8")


def _tolerant_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _explain(error: sqlite3.Error) -> str:
    text = str(error)
    if _undecodable(error):  # its message quotes the damaged text: never shown
        return "a stored text is damaged (not UTF-8)"
    if "Expression tree is too large" in text:  # parse_query keeps a search below it
        return "the search is too long (too many words, phrases and filters)"
    if "full" in text:
        return "the disk is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return "the data folder is read-only"
    if "locked" in text or "busy" in text:
        return "another paperreader is writing; try again in a moment"
    return text


def _connect(path: Path, *, wal: bool = True) -> sqlite3.Connection:
    connection = sqlite3.connect(
        str(path), timeout=10.0, check_same_thread=False, isolation_level=None
    )
    connection.execute("PRAGMA busy_timeout = 10000")
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _migrate(connection: sqlite3.Connection, schema: str, migrations: Sequence[str]) -> None:
    version = connection.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
    if version > len(migrations):
        raise _NewerSchema(version)
    if version == len(migrations):
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another instance starting at the same moment
        # may have migrated the file while this one waited for the lock.
        version = connection.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
        if version > len(migrations):
            raise _NewerSchema(version)
        for number in range(version, len(migrations)):
            script = migrations[number]
            if schema != "main":
                script = script.replace("CREATE TABLE ", f"CREATE TABLE {schema}.")
                script = script.replace("CREATE INDEX ", f"CREATE INDEX {schema}.")
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(f"PRAGMA {schema}.user_version = {number + 1}")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (a trigger's body holds semicolons of its own)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                yield statement
            statement = ""
    if statement.strip():
        yield statement


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version} is newer than this paperreader knows")


class _Damaged(Exception):
    """The integrity check found problems (their first lines are the message)."""


class _Unwritable(StoreError):
    """A store file that cannot be created or written: a read-only folder, a full disk."""

    def __init__(self, message: str, *, full: bool = False) -> None:
        super().__init__(message)
        self.full = full
        #: Refused for want of permission (not an I/O error, not a full disk).
        self.read_only = not full and "I/O error" not in message


# SQLite's primary result codes (the low byte of an extended code) for each kind of failure.
_CORRUPT_CODES = frozenset({11, 24, 26})  # SQLITE_CORRUPT, SQLITE_FORMAT, SQLITE_NOTADB
_UNWRITABLE_CODES = frozenset({3, 8, 14, 23})  # PERM, READONLY, CANTOPEN, AUTH
_FULL_CODE = 13  # SQLITE_FULL
_IOERR_CODE = 10  # SQLITE_IOERR


def _switch_to_wal(connection: sqlite3.Connection, *, wait: float = 10.0) -> None:
    """``PRAGMA journal_mode = WAL``, waiting out another instance opening the same file:
    SQLite answers "database is locked" at once there, without the busy timeout."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", None)
            busy = isinstance(code, int) and code & 0xFF in (5, 6)  # SQLITE_BUSY, _LOCKED
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _error_kind(error: sqlite3.Error, path: Path | None = None) -> str:
    """``corrupt``, ``unwritable``, ``full`` or ``other``: what a failure says of the file
    (``path``, whose disk is looked at when the failure is an I/O error)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    if primary in _CORRUPT_CODES or "malformed" in text or "not a database" in text:
        return "corrupt"
    if primary == _FULL_CODE or "disk is full" in text:
        return "full"
    if primary == _IOERR_CODE or "disk I/O error" in text:
        # On a full disk, creating or growing the -shm or -wal file, or writing a
        # journal, is "disk I/O error" (SQLITE_IOERR_SHMSIZE, _WRITE...), not SQLITE_FULL.
        # Either way the file cannot be used for writing: it is read, never set aside.
        return "full" if path is not None and _disk_full(path.parent) else "unwritable"
    if primary in _UNWRITABLE_CODES or "readonly" in text or "unable to open" in text:
        return "unwritable"
    return "other"


#: A disk with less room than this is full for the store (a -shm file alone takes 32 KiB).
_FULL_BELOW = 1 << 20


def _disk_full(folder: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(folder).free < _FULL_BELOW
    except OSError:
        return False


def _open_cache(paths: Paths, notices: list[str]) -> sqlite3.Connection:
    """The cache file, prepared and opened; when it cannot be written (a full disk, a
    read-only folder) a cache in memory, with a notice: the app still starts, the user's
    bookmarked papers come back from their snapshots, and what is fetched is shown (and
    forgotten on quitting)."""
    try:
        _prepare(paths.cache_db, CACHE_MIGRATIONS, "cache", notices)
        return _connect(paths.cache_db)
    except _Unwritable as error:
        unwritable = error
    except sqlite3.Error as error:
        kind = _error_kind(error, paths.cache_db)
        message = f"Cannot open the cache file {paths.cache_db}: {_explain(error)}"
        if kind not in ("unwritable", "full"):
            raise StoreError(message) from None
        unwritable = _Unwritable(message, full=kind == "full")
    connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    _migrate(connection, "main", CACHE_MIGRATIONS)
    if unwritable.full:
        why = f"The disk holding your cache folder {paths.cache_dir} is full"
    else:
        why = f"The cache cannot be written ({unwritable})"
    notices.append(f"{why}: papers are fetched but not kept after you quit.")
    return connection


def _prepare(
    path: Path,
    migrations: Sequence[str],
    what: str,
    notices: list[str],
    *,
    salvage: bool = False,
) -> None:
    """Bring a file up to the current schema; set aside a file that cannot be read.

    A damaged or newer file is never overwritten: it is renamed to ``NAME.corrupt-TIME``
    (or ``.newer-TIME``) beside the original, the user is told where, and a fresh file
    takes its place. With ``salvage`` (the user data file), every row that can still be
    read from the file set aside is copied into the fresh one, and the notice says how
    many bookmarks and read marks were recovered.

    Raises ``_Unwritable`` when the file cannot be created or written (a read-only
    folder, a full disk), and StoreError for other failures (another instance holding a
    lock too long...), which never set a file aside.
    """
    try:
        # Look before touching: the version and integrity are checked before the file is
        # switched to WAL or migrated, so a file we set aside is kept byte for byte.
        connection = _connect(path, wal=False)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > len(migrations):
                raise _NewerSchema(version)
            if salvage:
                # The user's file is small and precious: check every page of it. The cache
                # can be half a gigabyte: reading its schema shows it is a database, and a
                # damaged page met later is a StoreError for that read, never lost data.
                problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise _Damaged("; ".join(problems[:3]))
            else:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _switch_to_wal(connection)
            _migrate(connection, "main", migrations)
        finally:
            connection.close()
        return
    except _NewerSchema as error:
        reason, suffix = str(error), "newer"
    except _Damaged as error:
        reason, suffix = f"damaged: {error}", "corrupt"
    except sqlite3.Error as error:
        kind = _error_kind(error, path)
        message = f"Cannot open the {what} file {path}: {_explain(error)}"
        if kind in ("unwritable", "full"):
            raise _Unwritable(message, full=kind == "full") from None
        if kind != "corrupt":
            raise StoreError(message) from None
        reason, suffix = str(error), "corrupt"
    stamp = f"{path.name}.{suffix}-{utcnow():%Y%m%dT%H%M%S}"
    aside = path.with_name(stamp)
    number = 1
    while aside.exists():  # never overwrite an earlier damaged file
        number += 1
        aside = path.with_name(f"{stamp}-{number}")
    try:
        path.replace(aside)
    except OSError as error:  # a read-only folder: the file stays, unused
        raise _Unwritable(
            f"Cannot set aside the damaged {what} file {path}: {error.strerror or error}"
        ) from None
    for extra in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{extra}").replace(f"{aside}{extra}")
    notices.append(f"The {what} file could not be used ({reason}); it was kept as {aside}.")
    at = len(notices) - 1
    _prepare(path, migrations, what, notices)
    if salvage:
        notices[at] += " " + _salvage(aside, path)


# Salvage: reading what can be read of a damaged (or read-only) user data file. ----------


def _salvage(aside: Path, path: Path) -> str:
    """Copy what can be read of the user data file ``aside`` into the fresh file ``path``;
    returns a sentence saying what was recovered."""
    rows = _read_user_rows(aside)
    try:
        connection = _connect(path)
        try:
            counts = _insert_user_rows(connection, "main", rows)
        finally:
            connection.close()
    except sqlite3.Error as error:
        return f"Nothing could be recovered from it ({_explain(error)})."
    return _recovered(counts)


def _recovered(counts: dict[str, int]) -> str:
    def many(count: int, word: str) -> str:
        return f"{count} {word}{'s' * (count != 1)}"

    parts = [
        many(counts.get("bookmarks", 0), "bookmark"),
        many(counts.get("read_marks", 0), "read mark"),
    ]
    if counts.get("notes"):
        parts.append(many(counts["notes"], "note"))
    if counts.get("tags"):
        parts.append(many(counts["tags"], "tag"))
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Recovered {listed} from it."


def _open_read_only(path: Path, stack: contextlib.ExitStack) -> sqlite3.Connection:
    """``path`` opened so that nothing can change it, tolerant of a truncated file.

    When it cannot be opened as it is (a read-only folder, or a full disk, with no room
    for the -shm file), a -wal file holding changes is copied with it to a temporary
    folder (removed when ``stack`` closes) and the copy is read; failing that, the file
    is read alone (``immutable``), without what its -wal file holds.
    """
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "copy", "immutable=1"):
        target = path
        if mode == "copy":
            copied = _copy_with_wal(path, stack)
            if copied is None:
                continue
            target, mode = copied, "mode=rw"
        try:
            connection = sqlite3.connect(
                f"{target.resolve().as_uri()}?{mode}", uri=True, check_same_thread=False
            )
        except sqlite3.Error as error:
            last = error
            continue
        try:
            # A truncated file claims more pages than it has: SQLite refuses it whole
            # unless the schema is "writable" (nothing is written: the file is read-only).
            connection.execute("PRAGMA writable_schema = ON")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except sqlite3.Error as error:
            connection.close()
            last = error
    assert last is not None
    raise last


def _copy_with_wal(path: Path, stack: contextlib.ExitStack) -> Path | None:
    """A copy of ``path`` and its -wal file (if that holds anything) in a temporary
    folder that ``stack`` removes, or None."""
    import shutil
    import tempfile

    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0:
            return None
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="paperreader-")))
        shutil.copyfile(path, folder / path.name)
        shutil.copyfile(wal, folder / wal.name)
    except OSError:
        return None
    return folder / path.name


def _scan(source: sqlite3.Connection, table: str, columns: str) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that can be read, in rowid order, stepping over damage."""
    sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid >= ? ORDER BY rowid"
    start: int | None = _MIN_ROWID
    try:
        for row in source.execute(sql, (start,)):
            yield tuple(row[1:])
            if row[0] >= _MAX_ROWID:
                return
            start = row[0] + 1
        return
    except sqlite3.DatabaseError:
        pass
    # Damage: from here on one row at a time, as reading a row also reads ahead to the
    # next (which fails at a damaged page, and takes the good row with it).
    one = f"{sql} LIMIT 1"
    holes = 0
    while start is not None and holes < 10_000:
        try:
            row = source.execute(one, (start,)).fetchone()
        except sqlite3.DatabaseError:
            holes += 1
            start = _readable_from(source, one, start)
            continue
        if row is None:
            return
        yield tuple(row[1:])
        if row[0] >= _MAX_ROWID:
            return
        start = row[0] + 1


_MIN_ROWID, _MAX_ROWID = -(2**63), 2**63 - 1


def _readable_from(source: sqlite3.Connection, sql: str, start: int) -> int | None:
    """The smallest rowid from ``start`` on that ``sql`` reads again from, or None.

    A seek by rowid goes from the root down, so it steps over a damaged leaf page that a
    scan from the row before it walked into; the first start that works is found by
    leaping ahead, doubling, then coming back by halves.
    """

    def reads(first: int) -> bool:
        try:
            source.execute(sql, (first,)).fetchone()
        except sqlite3.DatabaseError:
            return False
        return True

    bad, step = start - 1, 1
    while True:
        good = min(start + step - 1, _MAX_ROWID)
        if reads(good):
            break
        if good == _MAX_ROWID:
            return None
        bad, step = good, step * 2
    while good - bad > 1:
        middle = (bad + good) // 2
        if reads(middle):
            good = middle
        else:
            bad = middle
    return good


def _valid_id(value: object) -> str | None:
    from paperreader.core.models import normalize_id

    return value if isinstance(value, str) and normalize_id(value) == value else None


def _valid_stamp(value: object) -> str:
    """A stored timestamp as it should be (UTC, ``Z``); now, if it cannot be read."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            moment = _parse_iso(value)
            return _iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return _iso(utcnow())


def _valid_snapshot(paper_id: str, value: object) -> str | None:
    """A paper snapshot (JSON) that reads back as the paper ``paper_id``, else None."""
    if not isinstance(value, str):
        return None
    paper = _snapshot(value)
    if paper is None or paper.id != paper_id or not isinstance(paper.title, str):
        return None
    numbers = (paper.upvotes, paper.comments, paper.github_stars)
    if any(n is not None and not _MIN_ROWID <= n <= _MAX_ROWID for n in numbers):
        return None  # would not fit in SQLite when put back in the cache
    return value


def _clean_bookmark(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    paper_id = _valid_id(row[0])
    if paper_id is None:
        return None
    # A bookmark whose snapshot is lost keeps a stand-in, refreshed when the paper is next
    # fetched: the bookmark is what the user made; the snapshot is only a copy.
    paper = _valid_snapshot(paper_id, row[2]) or json.dumps(Paper(paper_id, paper_id).to_dict())
    return paper_id, _valid_stamp(row[1]), paper


def _clean_mark(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    paper_id = _valid_id(row[0])
    return None if paper_id is None else (paper_id, _valid_stamp(row[1]))


def _clean_note(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    paper_id = _valid_id(row[0])
    if paper_id is None or not isinstance(row[1], str) or not row[1].strip():
        return None
    return paper_id, row[1], _valid_stamp(row[2])


def _clean_tag(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    paper_id = _valid_id(row[0])
    if paper_id is None or not isinstance(row[1], str) or not row[1].strip():
        return None
    return paper_id, row[1], _valid_stamp(row[2])


def _clean_snapshot(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    paper_id = _valid_id(row[0])
    paper = _valid_snapshot(paper_id, row[1]) if paper_id else None
    return None if paper is None else (paper_id, paper)


def _clean_setting(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    return row if isinstance(row[0], str) and isinstance(row[1], str) else None


#: The user data tables a damaged file is read back from: columns, and how each row is
#: checked (a row from a damaged page may hold anything).
_USER_TABLES: tuple[tuple[str, str, Any], ...] = (
    ("bookmarks", "paper_id, created_at, paper", _clean_bookmark),
    ("read_marks", "paper_id, read_at", _clean_mark),
    ("notes", "paper_id, note, updated_at", _clean_note),
    ("tags", "paper_id, tag, created_at", _clean_tag),
    ("snapshots", "paper_id, paper", _clean_snapshot),
    ("settings", "key, value", _clean_setting),
)


def _read_user_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that can be read from the user data file ``path``, checked, by table
    (a table that cannot be read at all is left out; so is everything, if the file
    cannot be opened). The file is never written to."""
    with contextlib.ExitStack() as stack:
        try:
            source = _open_read_only(path, stack)
        except sqlite3.Error:
            return {}
        source.text_factory = _tolerant_text  # a damaged byte loses a character, not a row
        try:
            return _read_rows(source)
        finally:
            source.close()


def _read_rows(source: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row ``source`` holds of the user data tables, checked, by table."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table, columns, clean in _USER_TABLES:
        try:
            source.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        except sqlite3.Error:  # not there (a newer schema), or not readable at all
            continue
        try:
            rows = [clean(row) for row in _scan(source, table, columns)]
        except sqlite3.Error:
            continue
        found[table] = [row for row in rows if row is not None]
    return found


def _insert_user_rows(
    connection: sqlite3.Connection, schema: str, rows: dict[str, list[tuple[Any, ...]]]
) -> dict[str, int]:
    """Insert salvaged rows into the user tables of ``schema`` (never replacing a row),
    in one transaction; returns how many rows of each table went in."""
    counts: dict[str, int] = {}
    connection.execute("BEGIN IMMEDIATE")
    try:
        for table, columns, _ in _USER_TABLES:
            marks = ", ".join("?" * len(columns.split(",")))
            sql = f"INSERT OR IGNORE INTO {schema}.{table} ({columns}) VALUES ({marks})"
            before = connection.total_changes
            connection.executemany(sql, rows.get(table, ()))
            counts[table] = connection.total_changes - before
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return counts


def _forbid_writes(connection: sqlite3.Connection, schema: str, message: str) -> None:
    """Make the tables of ``schema`` refuse every insert and delete with ``message``; an
    update (a snapshot refreshed along with the cache) is skipped without a word."""
    tables = [
        row[0]
        for row in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'"
        )
    ]
    quoted = message.replace("'", "''")
    for table in tables:
        for event, action in (
            ("INSERT", f"RAISE(ABORT, '{quoted}')"),
            ("DELETE", f"RAISE(ABORT, '{quoted}')"),
            ("UPDATE", "RAISE(IGNORE)"),
        ):
            connection.execute(
                f"CREATE TRIGGER {schema}.refuse_{event.lower()}_{table} "
                f"BEFORE {event} ON {table} BEGIN SELECT {action}; END"
            )
