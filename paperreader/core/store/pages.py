"""The paper page in the cache: full texts (zlib-compressed, with a word index of their
own, evicted least recently read first past a size limit, never a bookmarked paper's),
linked repositories and comments (JSON per paper), and reading positions (settings).
"""

from __future__ import annotations

# ``json`` is imported by the functions that use it: nothing before the app's first
# frame reads or writes JSON, and its import is a millisecond of the start.
import sqlite3
import zlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from paperreader.core.store.base import StoreError, _iso, _parse_iso, utcnow
from paperreader.core.store.papers import PaperCache

if TYPE_CHECKING:
    from paperreader.core.paperpage import Comment, PaperDetails, StoredText

#: The default size limit of stored full texts (their uncompressed size).
DEFAULT_TEXT_LIMIT = 200 * 1024 * 1024
#: Where a paper's reading position lives among the user's settings.
POSITION_PREFIX = "text_position."


def _moment() -> str:
    """Now, to the microsecond (the order of reads within a second matters)."""
    return utcnow().isoformat(timespec="microseconds").replace("+00:00", "Z")


def _inflate(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", "replace")


class PaperPages(PaperCache):
    """Full texts, linked repositories and comments of papers (the cache file)."""

    # Full texts ----------------------------------------------------------------------
    def save_full_text(
        self,
        paper_id: str,
        text: str,
        *,
        limit: int = DEFAULT_TEXT_LIMIT,
        fetched_at: datetime | None = None,
    ) -> list[str]:
        """Store a paper's full text (replacing an older one) and its words in the index;
        then, past ``limit`` bytes of text, forget the least recently read texts of papers
        that are not bookmarked (never this one). Returns the ids forgotten."""
        stamp = _iso(fetched_at or utcnow())
        raw = text.encode("utf-8")
        blob = zlib.compress(raw, 6)
        with self._write(f"the full text of {paper_id}") as db:
            self._drop_text(db, paper_id)
            cursor = db.execute(
                "INSERT INTO full_texts (paper_id, body, size, fetched_at, read_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (paper_id, blob, len(raw), stamp, _moment()),
            )
            db.execute(
                "INSERT INTO full_texts_fts (rowid, body) VALUES (?, ?)", (cursor.lastrowid, text)
            )
            return self._evict(db, limit, keep=paper_id)

    @staticmethod
    def _drop_text(db: sqlite3.Connection, paper_id: str) -> bool:
        """Remove a stored text and its words from the index (the index holds no text:
        the words to remove are given back to it, from the stored text)."""
        found = db.execute(
            "SELECT rowid, body FROM full_texts WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        if found is None:
            return False
        rowid, blob = found
        try:
            old = _inflate(blob)
        except zlib.error:
            old = None
        if old is not None:
            db.execute(
                "INSERT INTO full_texts_fts (full_texts_fts, rowid, body) VALUES ('delete', ?, ?)",
                (rowid, old),
            )
        db.execute("DELETE FROM full_texts WHERE rowid = ?", (rowid,))
        return True

    def _evict(self, db: sqlite3.Connection, limit: int, *, keep: str) -> list[str]:
        (total,) = db.execute("SELECT coalesce(sum(size), 0) FROM full_texts").fetchone()
        if total <= limit:
            return []
        candidates = db.execute(
            "SELECT paper_id, size FROM full_texts WHERE paper_id != ? "
            "AND paper_id NOT IN (SELECT paper_id FROM user.bookmarks) "
            "ORDER BY read_at, rowid",
            (keep,),
        ).fetchall()
        dropped = []
        for paper_id, size in candidates:
            if total <= limit:
                break
            self._drop_text(db, paper_id)
            total -= size
            dropped.append(paper_id)
        return dropped

    def full_text(self, paper_id: str, *, touch: bool = True) -> StoredText | None:
        """A stored full text (None if none); ``touch`` notes that it was read now (the
        eviction forgets the least recently read first)."""
        from paperreader.core.paperpage import StoredText

        rows = self._read(
            "SELECT body, fetched_at, size FROM full_texts WHERE paper_id = ?", (paper_id,)
        )
        if not rows:
            return None
        blob, fetched, size = rows[0]
        try:
            text = _inflate(blob)
        except zlib.error:
            return None  # damaged: as if not stored (the next fetch replaces it)
        if touch:
            try:
                with self._write("when the full text was read") as db:
                    db.execute(
                        "UPDATE full_texts SET read_at = ? WHERE paper_id = ?",
                        (_moment(), paper_id),
                    )
            except StoreError:  # a read-only cache still reads
                pass
        return StoredText(text, _parse_iso(fetched), int(size))

    def full_text_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT paper_id FROM full_texts")}

    def has_full_text(self, paper_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM full_texts WHERE paper_id = ?", (paper_id,)))

    def full_text_usage(self) -> tuple[int, int, int]:
        """(texts stored, their size, their compressed size) in bytes."""
        count, size, stored = self._read(
            "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(length(body)), 0) "
            "FROM full_texts"
        )[0]
        return int(count), int(size), int(stored)

    def forget_full_text(self, paper_id: str) -> bool:
        with self._write(f"the full text of {paper_id}") as db:
            return self._drop_text(db, paper_id)

    # Linked repositories and comments ------------------------------------------------
    def save_details(
        self, paper_id: str, details: PaperDetails, *, fetched_at: datetime | None = None
    ) -> None:
        import json

        stamp = _iso(fetched_at or utcnow())
        with self._write(f"the linked repositories of {paper_id}") as db:
            db.execute(
                "INSERT OR REPLACE INTO paper_details "
                "(paper_id, details, models, datasets, spaces, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    paper_id,
                    json.dumps(details.to_dict(), ensure_ascii=False),
                    details.total("model"),
                    details.total("dataset"),
                    details.total("space"),
                    stamp,
                ),
            )

    def details(self, paper_id: str) -> tuple[PaperDetails, datetime] | None:
        from paperreader.core.paperpage import PaperDetails

        rows = self._read(
            "SELECT details, fetched_at FROM paper_details WHERE paper_id = ?", (paper_id,)
        )
        if not rows:
            return None
        data = _json_object(rows[0][0])
        if data is None:
            return None
        return PaperDetails.from_dict(data), _parse_iso(rows[0][1])

    def save_comments(
        self,
        paper_id: str,
        comments: tuple[Comment, ...],
        *,
        fetched_at: datetime | None = None,
    ) -> None:
        import json

        stamp = _iso(fetched_at or utcnow())
        with self._write(f"the comments of {paper_id}") as db:
            db.execute(
                "INSERT OR REPLACE INTO paper_comments (paper_id, comments, count, fetched_at) "
                "VALUES (?, ?, ?, ?)",
                (
                    paper_id,
                    json.dumps([c.to_dict() for c in comments], ensure_ascii=False),
                    len(comments),
                    stamp,
                ),
            )

    def comments(self, paper_id: str) -> tuple[tuple[Comment, ...], datetime] | None:
        import json

        from paperreader.core.paperpage import Comment, oldest_first

        rows = self._read(
            "SELECT comments, fetched_at FROM paper_comments WHERE paper_id = ?", (paper_id,)
        )
        if not rows:
            return None
        try:
            items = json.loads(rows[0][0])
        except (TypeError, ValueError):
            return None
        found = [Comment.from_dict(i) for i in items if isinstance(i, dict)]
        return oldest_first(c for c in found if c is not None), _parse_iso(rows[0][1])

    # Reading positions (the user's settings) -----------------------------------------
    def reading_position(self, paper_id: str) -> tuple[int, int]:
        """Where the reader left a paper's text: (Markdown line, lines laid out past its
        first); (0, 0) when never read."""
        rows = self._read(
            "SELECT value FROM user.settings WHERE key = ?", (POSITION_PREFIX + paper_id,)
        )
        line, _, offset = str(rows[0][0]).partition(":") if rows else ("0", "", "0")
        try:
            return max(int(line), 0), max(int(offset or 0), 0)
        except ValueError:
            return 0, 0

    def set_reading_position(self, paper_id: str, line: int, offset: int = 0) -> None:
        with self._write("the reading position") as db:
            key = POSITION_PREFIX + paper_id
            if line <= 0 and offset <= 0:
                db.execute("DELETE FROM user.settings WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO user.settings (key, value) VALUES (?, ?)",
                    (key, f"{int(line)}:{int(offset)}"),
                )


def _json_object(text: Any) -> dict[str, Any] | None:
    import json

    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
