"""Backing up the user's own data (bookmarks, read marks, notes, tags) and restoring it.

``make_backup`` gives a JSON-ready dict::

    {"format": "paperreader-backup", "version": 1, "exported_at": "2026-08-17T12:00:00Z",
     "bookmarks": [{"paper": {...Paper.to_dict()...}, "bookmarked_at": "..."}],
     "read": [{"id": "2608.09888", "read_at": "..."}],
     "notes": [{"id": ..., "note": ..., "updated_at": ...}],
     "tags": [{"id": ..., "tags": ["rl", "to-read"], "tagged_at": ...}],
     "snapshots": [{...Paper.to_dict() of each noted or tagged paper...}]}

``restore_backup`` merges such a dict, or the list ``paperreader export --format json``
writes, into a store, in one transaction. A file is someone's input like any other:
every id goes through ``normalize_id``, every text is cleaned, an item that cannot be
used is skipped and said why (``ImportResult.problems``), and a file that is not a backup
at all is a ``BackupError`` with a one-line message.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from paperreader import __version__
from paperreader.core.limits import MAX_NOTE_CHARS
from paperreader.core.models import Paper, handle, link_list, normalize_id
from paperreader.core.store import Bookmark, Store
from paperreader.core.store.user import WatchRecord
from paperreader.core.text import (
    clean_paragraphs,
    clean_text,
    mark_controls,
    parse_tags,
    strip_controls,
)
from paperreader.core.wording import noun

__all__ = [
    "FORMAT",
    "VERSION",
    "BackupError",
    "ImportResult",
    "dump_backup",
    "load_backup",
    "make_backup",
    "read_backup",
    "restore_backup",
]

FORMAT = "paperreader-backup"
VERSION = 1

#: The sections of a backup, each a list. ``watches`` came later (same version: an older
#: paperreader ignores it, and a backup without it imports as before).
_SECTIONS = ("bookmarks", "read", "notes", "tags", "snapshots", "watches")
#: How many skipped items ``ImportResult.summary`` names (the rest are counted).
_NAMED_PROBLEMS = 3
# Tags as the tag editor makes them (``paperreader.ui.screens.annotate.parse_tags``):
# lower case, letters, digits and ``_ . + -`` only, at most 40 characters.
#: Integers beyond this are not counts (and would not fit in SQLite).
_MAX_INT = 2**53


class BackupError(ValueError):
    """The data is not a backup this paperreader can read (the message is one line)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import added, and each item skipped with the reason."""

    bookmarks: int = 0
    read: int = 0
    notes: int = 0
    tags: int = 0
    watches: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """``Imported 2 bookmarks, 1 read mark, 0 notes, 0 tags (1 skipped: ...)``."""
        counts = ", ".join(
            _many(count, word)
            for count, word in (
                (self.bookmarks, "bookmark"),
                (self.read, "read mark"),
                (self.notes, "note"),
                (self.tags, "tag"),
            )
        )
        if self.watches:
            counts += f", {self.watches} watch{'es' * (self.watches != 1)}"
        text = f"Imported {counts}"
        if self.problems:
            named = "; ".join(self.problems[:_NAMED_PROBLEMS])
            more = len(self.problems) - _NAMED_PROBLEMS
            if more > 0:
                named += f"; and {more} more"
            text += f" ({len(self.problems)} skipped: {named})"
        return text


def _many(count: int, word: str) -> str:
    return f"{count} {noun(count, word)}"  # (no thousands separator: as it always said)


# Backing up ---------------------------------------------------------------------------------


def make_backup(store: Store, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything the user made, as a JSON-ready dict (lists newest first)."""
    data = store.user_data()
    tags: dict[str, tuple[list[str], datetime]] = {}
    for paper_id, tag, created in data.tags:
        names, latest = tags.get(paper_id, ([], created))
        names.append(tag)
        tags[paper_id] = (names, max(latest, created))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _stamp(now or datetime.now(UTC)),
        "generator": f"paperreader {__version__}",
        "bookmarks": [
            {"paper": mark.paper.to_dict(), "bookmarked_at": _stamp(mark.created_at)}
            for mark in data.bookmarks
        ],
        "read": [{"id": paper_id, "read_at": _stamp(at)} for paper_id, at in data.read],
        "notes": [
            {"id": paper_id, "note": note, "updated_at": _stamp(at)}
            for paper_id, note, at in data.notes
        ],
        "tags": [
            {"id": paper_id, "tags": sorted(names), "tagged_at": _stamp(at)}
            for paper_id, (names, at) in tags.items()
        ],
        "snapshots": [paper.to_dict() for paper in data.snapshots],
        "watches": [
            {"name": w.name, "query": w.query, "created_at": _stamp(w.created_at)}
            for w in data.watches
        ],
    }


def dump_backup(data: Any) -> str:
    """A backup (or anything JSON-ready) as the text of a file."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_backup(raw: bytes | str) -> Any:
    """Parse the text of a backup file; BackupError if it is not JSON."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BackupError(f"not UTF-8 text (byte {error.start})") from None
    return _parse(lambda: json.loads(raw.removeprefix("\ufeff")))


def read_backup(stream: BinaryIO) -> Any:
    """Parse a backup file read from ``stream``, however big: it is decoded as it is read
    (never held as bytes and text at once); BackupError if it is not UTF-8 JSON."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        return _parse(lambda: json.load(text))
    finally:
        text.detach()  # the caller closes the stream


def _parse(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except json.JSONDecodeError as error:
        raise BackupError(
            f"not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise BackupError("not a backup (nested too deeply)") from None
    except UnicodeDecodeError:  # read from a stream (bytes given are decoded first)
        raise BackupError("not UTF-8 text") from None
    except ValueError as error:  # a number of more than 4300 digits...
        raise BackupError(f"not JSON ({error})") from None


# Restoring ----------------------------------------------------------------------------------


def restore_backup(store: Store, data: Any, *, now: datetime | None = None) -> ImportResult:
    """Merge a backup (``make_backup``'s dict) or an export (``export --format json``'s
    list) into ``store``, in one transaction; never deletes or overwrites anything.

    Raises BackupError when ``data`` is neither (or a backup of an unknown version),
    StoreError when the store cannot be written (then nothing was imported).
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    reader = _Reader(moment)
    if isinstance(data, Mapping):
        reader.backup(data)
    elif isinstance(data, list):
        reader.export(data)
    else:
        raise BackupError(
            "not a paperreader backup (expected a JSON object from `paperreader backup` "
            f"or a list from `paperreader export --format json`, not {_json_type(data)})"
        )
    counts = store.import_user_data(
        Store.UserData(
            reader.bookmarks,
            reader.read,
            reader.notes,
            reader.tags,
            reader.snapshots,
            reader.watches,
        )
    )
    if counts.get("notes_too_long"):
        reader.problems.append(
            f"{_many(counts['notes_too_long'], 'note')}: the stored note and the imported "
            f"one together would be longer than {MAX_NOTE_CHARS:,} characters"
        )
    return ImportResult(
        bookmarks=counts["bookmarks"],
        read=counts["read"],
        notes=counts["notes"],
        tags=counts["tags"],
        watches=counts.get("watches", 0),
        problems=reader.problems,
    )


class _Reader:
    """Checks each item of a backup or an export, keeping what can be used."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.bookmarks: list[Bookmark] = []
        self.read: list[tuple[str, datetime]] = []
        self.notes: list[tuple[str, str, datetime]] = []
        self.tags: list[tuple[str, str, datetime]] = []
        self.snapshots: list[Paper] = []
        self.watches: list[WatchRecord] = []
        self.problems: list[str] = []

    # The backup format -------------------------------------------------------------------
    def backup(self, data: Mapping[str, Any]) -> None:
        kind = data.get("format")
        if kind != FORMAT:
            if kind is None:
                raise BackupError(f"not a paperreader backup (no {'format'!r} field)")
            raise BackupError(f"not a paperreader backup (its format is {_show(kind)})")
        version = data.get("version")
        if isinstance(version, float) and version.is_integer():
            version = int(version)  # 1.0 is version 1
        if isinstance(version, float):
            raise BackupError(f"the backup's version {version:g} is not a whole number")
        if version is None:
            raise BackupError("the backup has no version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise BackupError(f"the backup's version is not a number (it is {_show(version)})")
        if version != VERSION:
            newer = " (written by a newer paperreader: update paperreader)"
            shown = str(version) if abs(version) < 10**9 else "too big"
            raise BackupError(
                f"the backup is version {shown}; this paperreader reads version {VERSION} "
                f"only{newer if version > VERSION else ''}"
            )
        sections = {}
        for name in _SECTIONS:
            value = data.get(name)
            if value is None:
                value = []
            if not isinstance(value, list):
                raise BackupError(f"the backup's {name!r} is not a list ({_json_type(value)})")
            sections[name] = value
        for number, item in enumerate(sections["bookmarks"], 1):
            self._bookmark(f"bookmark {number}", item)
        for number, item in enumerate(sections["read"], 1):
            self._read_mark(f"read mark {number}", item)
        for number, item in enumerate(sections["notes"], 1):
            self._note(f"note {number}", item)
        for number, item in enumerate(sections["tags"], 1):
            self._tags(f"tags {number}", item)
        for number, item in enumerate(sections["snapshots"], 1):
            paper = self._paper(f"snapshot {number}", item)
            if paper is not None:
                self.snapshots.append(paper)
        for number, item in enumerate(sections["watches"], 1):
            self._watch(f"watch {number}", item)

    def _watch(self, where: str, item: object) -> None:
        from paperreader.core.follow import WatchError, check_name, check_query

        if not isinstance(item, Mapping):
            self.problems.append(f"{where}: not an object")
            return
        name, query = item.get("name"), item.get("query")
        if not isinstance(name, str) or not isinstance(query, str):
            self.problems.append(f"{where}: no name or query")
            return
        try:
            name = check_name(name)
            check_query(query)
        except WatchError as error:
            self.problems.append(f"{where} ({_show(name)}): {error}")
            return
        query = " ".join(strip_controls(query).split())
        self.watches.append(WatchRecord(name, query, self._moment(item.get("created_at"))))

    def _bookmark(self, where: str, item: object) -> None:
        if not isinstance(item, Mapping):
            self.problems.append(f"{where}: not an object")
            return
        paper = self._paper(where, item.get("paper"))
        if paper is not None:
            self.bookmarks.append(Bookmark(paper, self._moment(item.get("bookmarked_at"))))

    def _read_mark(self, where: str, item: object) -> None:
        found = self._id(where, item)
        if found is not None:
            paper_id, fields = found
            self.read.append((paper_id, self._moment(fields.get("read_at"))))

    def _note(self, where: str, item: object) -> None:
        found = self._id(where, item)
        if found is None:
            return
        paper_id, fields = found
        note = _note_text(fields.get("note"))
        if not note:
            self.problems.append(f"{where} ({paper_id}): no text")
            return
        if self._too_long(where, paper_id, note):
            return
        self.notes.append((paper_id, note, self._moment(fields.get("updated_at"))))

    def _too_long(self, where: str, paper_id: str, note: str) -> bool:
        """A note longer than a note may be is skipped (and said), never cut short: the
        file keeps it whole, to be split by hand."""
        if len(note) <= MAX_NOTE_CHARS:
            return False
        self.problems.append(
            f"{where} ({paper_id}): the note is {len(note):,} characters long; "
            f"a note holds at most {MAX_NOTE_CHARS:,}"
        )
        return True

    def _tags(self, where: str, item: object) -> None:
        found = self._id(where, item)
        if found is not None:
            paper_id, fields = found
            at = self._moment(fields.get("tagged_at"))
            self._add_tags(where, paper_id, fields.get("tags"), at)

    def _add_tags(self, where: str, paper_id: str, names: object, at: datetime) -> int:
        """Add the tags of a list; returns how many could be used."""
        if not isinstance(names, list):
            self.problems.append(f"{where} ({paper_id}): 'tags' is not a list")
            return 0
        used = 0
        for name in names:
            tags = _tags_in(name)
            if not tags:
                self.problems.append(f"{where} ({paper_id}): {_show(name)} is not a tag")
            for tag in tags:
                self.tags.append((paper_id, tag, at))
                used += 1
        return used

    def _id(self, where: str, item: object) -> tuple[str, Mapping[str, Any]] | None:
        """The paper id of an item (an object with an ``id``), and the item."""
        if not isinstance(item, Mapping):
            self.problems.append(f"{where}: not an object")
            return None
        paper_id = normalize_id(item.get("id"))
        if paper_id is None:
            self.problems.append(f"{where}: {_show(item.get('id'))} is not an arXiv id")
            return None
        return paper_id, item

    def _paper(self, where: str, item: object) -> Paper | None:
        """A paper of ``Paper.to_dict``'s shape, every field checked and cleaned."""
        if not isinstance(item, Mapping):
            self.problems.append(f"{where}: no paper")
            return None
        return self._checked_paper(where, item, item)

    def _checked_paper(
        self, where: str, item: Mapping[str, Any], links: Mapping[str, Any]
    ) -> Paper | None:
        paper_id = normalize_id(item.get("id"))
        if paper_id is None:
            self.problems.append(f"{where}: {_show(item.get('id'))} is not an arXiv id")
            return None
        title = clean_text(item.get("title"))
        if not title:
            self.problems.append(f"{where} ({paper_id}): no title")
            return None
        stars = _count(item.get("github_stars"))
        return Paper(
            id=paper_id,
            title=title,
            summary=clean_paragraphs(item.get("summary")),
            authors=_texts(item.get("authors")),
            listing_day=_day(item.get("listing_day")),
            published=_day(item.get("published")),
            upvotes=_count(item.get("upvotes")) or 0,
            comments=_count(item.get("comments")),
            github_repo=mark_controls(links.get("github_repo")) or None,
            github_stars=stars,
            project_page=mark_controls(links.get("project_page")) or None,
            ai_summary=clean_text(item.get("ai_summary")),
            ai_keywords=_texts(item.get("ai_keywords")),
            organization=clean_text(item.get("organization")) or None,
            submitter=clean_text(item.get("submitter")) or None,
            organization_handle=handle(item.get("organization_handle")),
            submitter_handle=handle(item.get("submitter_handle")),
            withdrawn=_day(item.get("withdrawn")),
            thumbnail=mark_controls(item.get("thumbnail")) or None,
            media=link_list(item.get("media") or links.get("media")),
        )

    def _moment(self, value: object) -> datetime:
        """A timestamp as given (UTC), else now; never later than now."""
        moment = _moment(value)
        return self.now if moment is None or moment > self.now else moment

    # The export format (``paperreader export --format json``, ``list --json``) -----------
    def export(self, items: list[Any]) -> None:
        for number, item in enumerate(items, 1):
            where = f"item {number}"
            if not isinstance(item, Mapping):
                self.problems.append(f"{where}: not an object")
                continue
            given = item.get("links")
            given = given if isinstance(given, Mapping) else {}
            links = {"github_repo": given.get("code"), "project_page": given.get("project")}
            paper = self._checked_paper(where, item, links)
            if paper is None:
                continue
            marked = item.get("bookmarked_at")
            if marked or item.get("bookmarked") is True:
                self.bookmarks.append(Bookmark(paper, self._moment(marked)))
            if item.get("read") is True:
                self.read.append((paper.id, self.now))
            note = _note_text(item.get("note"))
            if note and self._too_long(where, paper.id, note):
                note = ""
            if note:
                self.notes.append((paper.id, note, self.now))
            tags = item.get("tags")
            tagged = self._add_tags(where, paper.id, tags, self.now) if tags else 0
            if note or tagged:
                self.snapshots.append(paper)


# Field checks ---------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # year 1 minus an offset
        return None


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _count(value: object) -> int | None:
    """A non-negative integer that fits (a count of upvotes, comments, stars), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < _MAX_INT else None


def _texts(value: object) -> tuple[str, ...]:
    """A list of strings, cleaned, without blanks or repeats."""
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(t for t in (clean_text(v) for v in value) if t))


def _note_text(value: object) -> str:
    """A note with control characters and escape sequences removed ('' if blank)."""
    if not isinstance(value, str):
        return ""
    text = strip_controls(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else ""


def _tags_in(value: object) -> list[str]:
    """The tags in a string, as the tag editor reads what is typed."""
    return list(parse_tags(value))


def _show(value: object) -> str:
    """A value from the file, made safe and short to quote in a message."""
    text = clean_text(value) if isinstance(value, str) else _json_type(value)
    text = text[:40] + "…" if len(text) > 40 else text
    return repr(text) if isinstance(value, str) else text


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
