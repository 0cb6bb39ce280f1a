"""Opening the store's two files: creating, migrating, switching to WAL, and what to do
when a file cannot be used.

A damaged or newer file is set aside (``_prepare``) and what can be read of a damaged
user data file is salvaged (``repair``, imported only then). A file that cannot be
written (a read-only folder, a full disk) still opens: the cache in memory, the user's
data read into memory that refuses every write with a StoreError saying why.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from paperreader.core.paths import Paths
from paperreader.core.store.base import StoreError, _explain, utcnow
from paperreader.core.store.schema import CACHE_MIGRATIONS, USER_MIGRATIONS, _migrate, _NewerSchema


def open_files(paths: Paths) -> tuple[sqlite3.Connection, list[str], bool]:
    """The connection over both files (the user file attached as ``user``), the notices
    for the user (a file set aside, data that cannot be saved) and whether the cache may
    lack bookmarked papers: it is new, set aside, migrated or in memory, or the user's
    file was salvaged (otherwise nothing ever removes a paper from it); see
    ``Store.open``."""
    notices: list[str] = []
    try:
        paths.cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"Cannot create {paths.cache_dir}: {error.strerror or error}") from None
    connection, renewed = _open_cache(paths, notices)
    unwritable: _Unwritable | None = None
    try:
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        _prepare(paths.user_db, USER_MIGRATIONS, "user data", notices, salvage=True)[0].close()
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
            from paperreader.core.store.repair import _insert_user_rows, _read_user_rows

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
    return connection, notices, renewed or bool(notices)


def open_memory() -> sqlite3.Connection:
    """Both schemas in memory: a throwaway store for tests and benchmarks."""
    connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    connection.execute("ATTACH DATABASE ':memory:' AS user")
    _migrate(connection, "main", CACHE_MIGRATIONS)
    _migrate(connection, "user", USER_MIGRATIONS)
    return connection


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


def _open_cache(paths: Paths, notices: list[str]) -> tuple[sqlite3.Connection, bool]:
    """The cache file, prepared and opened; when it cannot be written (a full disk, a
    read-only folder) a cache in memory, with a notice: the app still starts, the user's
    bookmarked papers come back from their snapshots, and what is fetched is shown (and
    forgotten on quitting). True with it: the cache is new or changed (see ``_prepare``)."""
    try:
        return _prepare(paths.cache_db, CACHE_MIGRATIONS, "cache", notices)
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
    return connection, True


def _prepare(
    path: Path,
    migrations: Sequence[str],
    what: str,
    notices: list[str],
    *,
    salvage: bool = False,
) -> tuple[sqlite3.Connection, bool]:
    """Bring a file up to the current schema; set aside a file that cannot be read.
    Returns the connection that checked it, open and ready (a second one would read the
    schema again), and whether the file is new, was set aside or was migrated.

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
        except BaseException:
            connection.close()
            raise
        return connection, version < len(migrations)
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
    connection = _prepare(path, migrations, what, notices)[0]
    if salvage:
        from paperreader.core.store.repair import _salvage

        connection.close()  # the salvage writes the fresh file on its own connection
        notices[at] += " " + _salvage(aside, path)
        return _connect(path), True
    return connection, True


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
