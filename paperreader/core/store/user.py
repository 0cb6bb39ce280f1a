"""The user's own data (the user file): read marks, bookmarks, notes and tags (with
snapshots of their papers, so they stay viewable without the cache), settings, and the
whole of it read at one moment (a backup) or merged in (an import).
"""

from __future__ import annotations

# ``json`` is imported by the functions that use it: nothing before the app's first
# frame reads or writes JSON, and its import is a millisecond of the start.
import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from paperreader.core.models import Paper
from paperreader.core.rows import Row
from paperreader.core.store.base import (
    StoreError,
    _chunks,
    _iso,
    _parse_iso,
    _valid_id,
    _valid_stamp,
    utcnow,
)
from paperreader.core.store.papers import (
    _PAPER_COLUMNS,
    ROW_COLUMNS,
    PaperCache,
    _paper_from_row,
    _snapshot,
)


class Bookmark(NamedTuple):
    """A bookmarked paper (from its snapshot) and when it was bookmarked."""

    paper: Paper
    created_at: datetime


class WatchRecord(NamedTuple):
    """A watch as stored: a named query, and how far the user has seen its papers (a
    rowid of the paper cache: papers stored after it are new)."""

    name: str
    query: str
    created_at: datetime
    opened_at: datetime | None = None
    seen_rowid: int = 0
    notified_rowid: int = 0
    digest_at: datetime | None = None


_WATCH_COLUMNS = "name, query, created_at, opened_at, seen_rowid, notified_rowid, digest_at"


def _watch(row: tuple[object, ...]) -> WatchRecord:
    name, query, created, opened, seen, notified, digest = row
    return WatchRecord(
        str(name),
        str(query),
        _parse_iso(_valid_stamp(created)),
        _parse_iso(_valid_stamp(opened)) if opened else None,
        seen if isinstance(seen, int) else 0,
        notified if isinstance(notified, int) else 0,
        _parse_iso(_valid_stamp(digest)) if digest else None,
    )


class UserRecords(PaperCache):
    """The user's data (the user file, attached as ``user``). It builds on the paper
    cache: a bookmarked, noted or tagged paper is kept there too, for the lists."""

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
            # NOT EXISTS looks each one up; NOT IN built a table of every paper id first
            # (1.5 ms of each start at 100,000 papers).
            "SELECT paper_id, paper FROM user.bookmarks b "
            "WHERE NOT EXISTS (SELECT 1 FROM papers WHERE id = b.paper_id) UNION ALL "
            "SELECT paper_id, paper FROM user.snapshots s "
            "WHERE NOT EXISTS (SELECT 1 FROM papers WHERE id = s.paper_id)"
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
        rows = tuple(map(Row._make, self._read(query)))
        if len(rows) < self._read("SELECT count(*) FROM user.bookmarks")[0][0]:
            # The cache lacks some (the user's file came from elsewhere, say): their
            # papers come back from the snapshots (opening does this only when the cache
            # is new or changed).
            self._restore_bookmarked_papers()
            rows = tuple(map(Row._make, self._read(query)))
        return rows

    def bookmark_ids(self) -> set[str]:
        return self._ids("bookmarks")

    def set_bookmark(self, paper: Paper, bookmarked: bool = True) -> None:
        import json

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
        import json

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
        watches: Sequence[WatchRecord] = ()  # oldest first

    def user_data(self) -> UserRecords.UserData:
        """Every bookmark, read mark, note and tag, read at one moment (one transaction),
        with the papers the notes and tags belong to (from the cache, else snapshots)."""

        def read() -> UserRecords.UserData:
            self._db.execute("BEGIN")
            try:
                return self._user_data()
            finally:
                if self._db.in_transaction:
                    self._db.execute("COMMIT")

        return self._reading(read)

    def _user_data(self) -> UserRecords.UserData:
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
        watches = [
            _watch(r)
            for r in db.execute(f"SELECT {_WATCH_COLUMNS} FROM user.watches ORDER BY created_at")
        ]
        return UserRecords.UserData(bookmarks, read, notes, tags, snapshots, watches)

    def import_user_data(self, data: UserRecords.UserData) -> dict[str, int]:
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
        import json

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
            top = self._top_rowid(db)
            for watch in data.watches:  # a watch of the same name is kept as it is
                counts["watches"] = (
                    counts.get("watches", 0)
                    + db.execute(
                        "INSERT OR IGNORE INTO user.watches (name, query, created_at, "
                        "seen_rowid, notified_rowid) VALUES (?, ?, ?, ?, ?)",
                        (watch.name, watch.query, _iso(watch.created_at), top, top),
                    ).rowcount
                )
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

    # Watches -------------------------------------------------------------------------
    @staticmethod
    def _top_rowid(db: sqlite3.Connection) -> int:
        """The largest rowid of the paper cache: what a watch has "seen" when opened."""
        return int(db.execute("SELECT coalesce(max(rowid), 0) FROM papers").fetchone()[0])

    def top_rowid(self) -> int:
        return int(self._read("SELECT coalesce(max(rowid), 0) FROM papers")[0][0])

    def watch_records(self) -> list[WatchRecord]:
        """Every watch, in the order they were made."""
        found = self._read(f"SELECT {_WATCH_COLUMNS} FROM user.watches ORDER BY created_at, rowid")
        return [_watch(row) for row in found]

    def watch_record(self, name: str) -> WatchRecord | None:
        found = self._read(f"SELECT {_WATCH_COLUMNS} FROM user.watches WHERE name = ?", (name,))
        return _watch(found[0]) if found else None

    def add_watch(self, name: str, query: str) -> None:
        """Store a new watch (StoreError if one of that name exists, in any case); the
        papers stored now count as seen."""
        with self._write("the watch") as db:
            if db.execute("SELECT 1 FROM user.watches WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"Could not save the watch: a watch named {name!r} exists")
            top = self._top_rowid(db)
            db.execute(
                "INSERT INTO user.watches (name, query, created_at, opened_at, seen_rowid, "
                "notified_rowid) VALUES (?, ?, ?, NULL, ?, ?)",
                (name, query, _iso(utcnow()), top, top),
            )

    def rename_watch(self, old: str, new: str) -> None:
        with self._write("the watch") as db:
            found = db.execute("SELECT name FROM user.watches WHERE name = ?", (old,)).fetchone()
            if found is None:
                raise StoreError(f"Could not rename the watch: no watch named {old!r}")
            clash = db.execute("SELECT name FROM user.watches WHERE name = ?", (new,)).fetchone()
            if clash is not None and clash[0] != found[0]:
                raise StoreError(f"Could not rename the watch: a watch named {new!r} exists")
            db.execute("UPDATE user.watches SET name = ? WHERE name = ?", (new, old))

    def remove_watch(self, name: str) -> bool:
        """Delete a watch; False if there was none of that name."""
        with self._write("the watches") as db:
            return bool(db.execute("DELETE FROM user.watches WHERE name = ?", (name,)).rowcount)

    def mark_watch_opened(self, name: str) -> None:
        """The watch was opened: every paper stored now is seen (none is new any more)."""
        with self._write("the watch") as db:
            db.execute(
                "UPDATE user.watches SET opened_at = ?, seen_rowid = ? WHERE name = ?",
                (_iso(utcnow()), self._top_rowid(db), name),
            )

    def mark_watches_notified(self, names: Iterable[str], rowid: int, *, digest: bool) -> None:
        """Papers up to ``rowid`` were announced for these watches (by a sync or digest)."""
        column = ", digest_at = ?" if digest else ""
        with self._write("the watches") as db:
            for name in names:
                params: tuple[object, ...] = (rowid, _iso(utcnow())) if digest else (rowid,)
                db.execute(
                    f"UPDATE user.watches SET notified_rowid = max(notified_rowid, ?){column} "
                    "WHERE name = ?",
                    (*params, name),
                )

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
