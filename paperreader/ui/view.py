"""The reader's view state, and the words the reader shows for it.

``View`` is immutable: a change replaces it whole (``view._replace(...)``), and the reader
screen redraws once per change. The wording (title, notice, empty states) is plain
functions of a view, tested without the Pilot.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import datetime
from typing import NamedTuple

from paperreader.core.library import OFFLINE_REASON, Loaded, Source
from paperreader.core.periods import FIRST_DAY
from paperreader.core.rows import Row
from paperreader.core.views import ORDER_LABELS, count_unread


class View(NamedTuple):
    """What the list shows: a source seen through an order and the unread filter, or,
    while searching, the search results over everything stored."""

    source: Source = Source()
    loaded: Loaded | None = None  # None: loading
    order: str = "upvotes"
    unread_only: bool = False
    query: str | None = None  # None: not searching
    search_rows: tuple[Row, ...] = ()
    search_note: str = ""
    search_errors: str = ""
    sync_text: str = ""  # a background sync's progress

    @property
    def searching(self) -> bool:
        return self.query is not None

    @property
    def sortable(self) -> bool:
        """Whether the user's order applies (day, week and month listings)."""
        return self.source.kind == "listing" and not self.source.trending and not self.searching


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 paper``, ``2 papers``, ``1,234 papers``."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def view_name(view: View) -> str:
    source = view.source
    if view.searching:
        return f"Search “{view.query}”"
    if source.kind == "bookmarks":
        return "Bookmarks"
    if source.kind == "archive":
        return "Archive — every stored paper"
    if source.trending:
        return "Daily Papers — Trending"
    if view.loaded and view.loaded.origin == "sample":
        return "Daily Papers — bundled sample"
    if source.period is not None:
        return f"Daily Papers — {source.period.label}"
    return f"Daily Papers — latest {source.unit}"


def title_text(view: View, read_ids: Set[str]) -> str:
    """The title bar: the view, its counts, its order and filter."""
    parts = [view_name(view)]
    if view.searching:
        parts.append(view.search_note or f"{len(view.search_rows):,} found")
    elif view.loaded is None or view.loaded.partial:
        parts.append("loading…")
    else:
        rows = view.loaded.rows
        parts.append(f"{plural(len(rows), 'paper')}, {count_unread(rows, read_ids):,} unread")
        if view.sortable:
            parts.append(ORDER_LABELS[view.order])
    if view.unread_only:
        parts.append("unread only")
    return " — ".join(parts)


def window_title(view: View) -> str:
    return f"paperreader — {view_name(view).removeprefix('Daily Papers — ')}"


def notice_text(view: View) -> str:
    """The line above the footer: what is wrong (offline, a sample, a search error) and
    a background sync's progress; empty when all is well."""
    loaded = view.loaded
    message = ""
    if view.searching:
        message = f"Search: {view.search_errors}" if view.search_errors else ""
    elif loaded is not None and loaded.origin == "sample":
        if loaded.problem != OFFLINE_REASON:
            message = (
                "Showing the bundled sample of real papers (not stored): no paper is "
                f"stored yet and the network failed ({loaded.problem}). Press R to retry."
            )
        else:
            message = (
                "Showing the bundled sample of real papers (not stored): no paper is "
                "stored yet and the network is not used (offline)."
            )
    elif loaded is not None and loaded.origin == "cache" and loaded.problem:
        stamp = local_time(loaded.fetched_at)
        why = "Offline" if loaded.offline else "Not refreshed"
        message = f"{why} — showing the copy from {stamp}. {loaded.problem} (R retries)"
    elif loaded is not None and loaded.problem:
        message = loaded.problem
    if view.sync_text:
        message = f"{message}  ·  Sync: {view.sync_text}" if message else view.sync_text
    return message


def empty_message(view: View) -> str:
    """What the detail pane says when the list is empty, and why it is."""
    if view.searching:
        if not (view.query or "").strip():
            return "Type to search every stored paper."
        return f"No stored paper matches “{view.query}”. Press enter to ask Hugging Face."
    loaded = view.loaded
    if loaded is None:
        return "Loading…"
    if view.unread_only and loaded.rows:
        return "Every paper here is read. Press u to show them all."
    source = loaded.source
    if source.kind == "bookmarks":
        return "No bookmarks yet: press b on a paper to keep it here."
    if source.kind == "archive":
        return "Nothing stored yet: open some listings, or run `paperreader sync`."
    if loaded.origin == "none":
        where = source.period.label if source.period else "the latest day"
        return f"Nothing stored for {where}, and it could not be fetched: {loaded.problem}"
    period = source.period
    if period is not None and period.kind == "day":
        if period.start < FIRST_DAY:
            return "Daily Papers began on Thu 2023-05-04: there is nothing before it."
        if period.start.weekday() >= 5:
            return f"No papers are listed on {period.label}: weekends have none."
        return f"No papers are listed on {period.label} (a holiday, or not yet)."
    return "This listing has no papers."


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "earlier"


def short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"
