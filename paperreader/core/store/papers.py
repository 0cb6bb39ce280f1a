"""The paper cache: papers as fetched, merged by how complete their source is; listings
in their order; a day, week or month built from the stored papers; the archive; and how
far a sync got (months done, pages of a month fetched so far).
"""

from __future__ import annotations

# ``json`` is imported by the functions that use it: nothing before the app's first
# frame reads or writes JSON, and its import is a millisecond of the start.
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from paperreader.core.models import Paper
from paperreader.core.periods import Period
from paperreader.core.rows import Listing, Row
from paperreader.core.store.base import (
    _MAX_ROWID,
    StoreBase,
    _chunks,
    _iso,
    _parse_iso,
    utcnow,
)

#: The sort orders a listing can be stored under (the API's ``sort`` values).
SORTS = ("publishedAt", "trending")

_PAPER_COLUMNS = (
    "id, title, summary, authors, listing_day, published, upvotes, comments, github_repo, "
    "github_stars, project_page, ai_summary, ai_keywords, organization, submitter, "
    "organization_handle, submitter_handle, withdrawn, thumbnail, media"
)


def _paper_values(paper: Paper, fetched_at: str) -> tuple[Any, ...]:
    import json

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
    import json

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

# A stored listing is named by (unit, key, sort): its period's unit ("day", "week",
# "month"; "trending" for the trending list; "sample" in stores before migration 4), which
# the tables ``listings`` and ``listing_papers`` keep in their column ``kind`` (the name
# of the column stays: users' databases have it).
_ROW_QUERY = (
    f"SELECT {ROW_COLUMNS} FROM listing_papers lp JOIN papers p ON p.id = lp.paper_id "
    "WHERE lp.kind = ? AND lp.key = ? AND lp.sort = ? ORDER BY lp.position"
)


def _snapshot(text: str) -> Paper | None:
    import json

    try:
        return Paper.from_dict(json.loads(text))
    except (TypeError, ValueError, KeyError):
        return None


class PaperCache(StoreBase):
    """Papers and listings (the cache file), and the sync's progress."""

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
        import json

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
        unit: str,
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
        with self._write(f"the {unit} listing {key}") as db:
            ids = list(dict.fromkeys(p.id for p in papers))
            stored = self._count_stored(db, ids)
            self._upsert(db, papers, stamp, complete=True)
            db.execute(
                "DELETE FROM listing_papers WHERE kind = ? AND key = ? AND sort = ?",
                (unit, key, sort),
            )
            db.executemany(
                "INSERT INTO listing_papers (kind, key, sort, position, paper_id) "
                "VALUES (?, ?, ?, ?, ?)",
                ((unit, key, sort, i, p.id) for i, p in enumerate(papers)),
            )
            db.execute(
                "INSERT OR REPLACE INTO listings (kind, key, sort, fetched_at, size) "
                "VALUES (?, ?, ?, ?, ?)",
                (unit, key, sort, stamp, len(papers)),
            )
        return len(ids) - stored

    def listing(self, unit: str, key: str, *, sort: str = "publishedAt") -> Listing | None:
        """A stored listing with its rows in order, or None if it was never fetched."""
        found = self._read(
            "SELECT fetched_at FROM listings WHERE kind = ? AND key = ? AND sort = ?",
            (unit, key, sort),
        )
        if not found:
            return None
        rows = tuple(map(Row._make, self._read(_ROW_QUERY, (unit, key, sort))))
        return Listing(unit, key, sort, _parse_iso(found[0][0]), rows)

    #: SQL orders of a period's papers, as ``ordering.order_rows`` orders them.
    _PERIOD_ORDERS = {
        "upvotes": ("upvotes DESC, listing_day, id", "f.upvotes DESC, f.listing_day, f.id"),
        "newest": ("listing_day DESC, id DESC", "f.listing_day DESC, f.id DESC"),
        "stars": (
            "coalesce(github_stars, -1) DESC, upvotes DESC, listing_day, id",
            "coalesce(f.github_stars, -1) DESC, f.upvotes DESC, f.listing_day, f.id",
        ),
    }

    def period_listing(
        self, period: Period, *, limit: int | None = None, order: str = "upvotes"
    ) -> Listing | None:
        """A day, week or month as the stored papers make it: every paper whose listing
        day falls in it, whichever request stored it, most upvoted first (the site's
        order). None when nothing is stored for it: no paper, and no fetched listing that
        covers it (an empty day that was fetched is a listing with no rows).

        ``limit``: its first rows only, in ``order`` (a first screen, read before the
        app starts)."""
        first, last = period.start.isoformat(), period.end.isoformat()
        by, by_first = self._PERIOD_ORDERS.get(order, self._PERIOD_ORDERS["upvotes"])
        if limit is None:
            query = (
                f"SELECT {ROW_COLUMNS} FROM papers p WHERE p.listing_day BETWEEN ? AND ? "
                f"ORDER BY {by}"
            )
        else:
            # The first rows picked in the covering index, then only those rows read
            # (the row columns cost a JSON parse each: 2 ms for a month, not 8).
            query = (
                "WITH f AS (SELECT rowid AS r, upvotes, listing_day, id, github_stars "
                f"FROM papers WHERE listing_day BETWEEN ? AND ? ORDER BY {by} "
                f"LIMIT {int(limit)}) "
                f"SELECT {ROW_COLUMNS} FROM f JOIN papers p ON p.rowid = f.r ORDER BY {by_first}"
            )
        rows = tuple(map(Row._make, self._read(query, (first, last))))
        fetched = self._covering_fetch(period)
        if fetched is None and rows:
            found = self._read(
                "SELECT max(fetched_at) FROM papers WHERE listing_day BETWEEN ? AND ?",
                (first, last),
            )
            fetched = found[0][0]
        if fetched is None:
            return None
        return Listing(period.unit, period.key, "publishedAt", _parse_iso(fetched), rows)

    def _covering_fetch(self, period: Period) -> str | None:
        """When the period's listing was last fetched whole: its own listing, or the
        listings of the months (or, for a day, the week) around it, fetched after it ended."""
        exact = self._read(
            "SELECT fetched_at FROM listings WHERE kind = ? AND key = ? AND sort = 'publishedAt'",
            (period.unit, period.key),
        )
        if exact:
            return str(exact[0][0])
        # Fetched after the period's last day: a stamp past "YYYY-MM-DD~" ('~' sorts after
        # the 'T' of every stamp of that day), with no date arithmetic at 9999-12-31.
        after = period.end.isoformat() + "~"
        covers = [{Period.month_of(period.start).key, Period.month_of(period.end).key}]
        units = ["month"]
        if period.unit == "day":
            covers.append({Period.week_of(period.start).key})
            units.append("week")
        for unit, keys in zip(units, covers, strict=True):
            marks = ",".join("?" * len(keys))
            found = self._read(
                f"SELECT min(fetched_at), count(*) FROM listings WHERE kind = ? "
                f"AND sort = 'publishedAt' AND key IN ({marks}) AND fetched_at > ?",
                (unit, *sorted(keys), after),
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
        import json

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
