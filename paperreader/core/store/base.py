"""What every part of the store shares: the connection behind a lock, one transaction per
write, reads that survive a damaged byte, the error every failure becomes, timestamps.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from paperreader.core.paths import Paths


class StoreError(Exception):
    """A store operation that failed; the message says what and what to do."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


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


#: The range of SQLite's INTEGER (a rowid, a count).
_MIN_ROWID, _MAX_ROWID = -(2**63), 2**63 - 1


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


class StoreBase:
    """The connection and how it is used; the parts of ``Store`` build on it."""

    def __init__(self, connection: sqlite3.Connection, paths: Paths, notices: list[str]) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.paths = paths
        #: Things the user should be told about opening the store (a file set aside...).
        self.notices = notices

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
