"""Repair and salvage: reading what can still be read of a damaged (or unwritable) user
data file, every row checked, and putting it into a fresh one.

Imported only when such a file is met (see ``opening``): a healthy start never loads it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paperreader.core.models import Paper
from paperreader.core.store import opening
from paperreader.core.store.base import (
    _MAX_ROWID,
    _MIN_ROWID,
    _explain,
    _tolerant_text,
    _valid_id,
    _valid_stamp,
)
from paperreader.core.store.papers import _snapshot
from paperreader.core.wording import noun


def _salvage(aside: Path, path: Path) -> str:
    """Copy what can be read of the user data file ``aside`` into the fresh file ``path``;
    returns a sentence saying what was recovered."""
    rows = _read_user_rows(aside)
    try:
        connection = opening._connect(path)  # looked up there: one place to replace in tests
        try:
            counts = _insert_user_rows(connection, "main", rows)
        finally:
            connection.close()
    except sqlite3.Error as error:
        return f"Nothing could be recovered from it ({_explain(error)})."
    return _recovered(counts)


def _recovered(counts: dict[str, int]) -> str:
    def many(count: int, word: str) -> str:
        return f"{count} {noun(count, word)}"

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


def _clean_watch(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    name, query, created, opened, seen, notified, digest = row
    if not (isinstance(name, str) and name.strip() and isinstance(query, str)):
        return None
    numbers = [n if isinstance(n, int) and 0 <= n <= _MAX_ROWID else 0 for n in (seen, notified)]
    opened = _valid_stamp(opened) if opened is not None else None
    digest = _valid_stamp(digest) if digest is not None else None
    return name, query, _valid_stamp(created), opened, *numbers, digest


#: The user data tables a damaged file is read back from: columns, and how each row is
#: checked (a row from a damaged page may hold anything).
_USER_TABLES: tuple[tuple[str, str, Any], ...] = (
    ("bookmarks", "paper_id, created_at, paper", _clean_bookmark),
    ("read_marks", "paper_id, read_at", _clean_mark),
    ("notes", "paper_id, note, updated_at", _clean_note),
    ("tags", "paper_id, tag, created_at", _clean_tag),
    ("snapshots", "paper_id, paper", _clean_snapshot),
    ("settings", "key, value", _clean_setting),
    (
        "watches",
        "name, query, created_at, opened_at, seen_rowid, notified_rowid, digest_at",
        _clean_watch,
    ),
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
