"""The reader's words: titles, notices, empty states and messages, as pure functions
(tested without the app). The reader calls these with what it knows; nothing here reads
the app's state or does I/O.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, datetime

from paperreader.core.library import OFFLINE_REASON, Loaded
from paperreader.core.ordering import ORDER_LABELS, count_unread
from paperreader.core.periods import FIRST_DAY
from paperreader.core.wording import plural, shorten
from paperreader.ui.view import View

#: How much of a clipboard failure's reason a notice shows.
_REASON_WIDTH = 80


def annotation_saved(note: str | None, tags: tuple[str, ...] | None) -> str:
    """The notice after saving a paper's note and/or tags: ``None`` for the part that
    was not edited (so changing only the tags never says "Note saved")."""
    parts: list[str] = []
    if note is not None:
        parts.append("Note saved" if note.strip() else "Note removed")
    if tags is not None:
        if tags:
            parts.append(f"tags: {' '.join(tags)}")
        else:
            parts.append("tags removed")
    if not parts:
        return "Nothing changed."
    message = "; ".join(parts)
    return message[0].upper() + message[1:] + "."


def copied_message(label: str, text: str, how: str, reason: str = "") -> str:
    """One line saying what was copied and how: ``how`` is ``"system"`` (the system
    clipboard), ``"terminal"`` (OSC 52, as configured) or ``"fallback"`` (OSC 52 because
    there is no system clipboard; ``reason``, pyperclip's long story, is left out)."""
    del reason  # the terminal's clipboard worked: why the system's did not is noise here
    way = {
        "system": "to the system clipboard",
        "terminal": "through the terminal",
        "fallback": "(through the terminal; no system clipboard)",
    }[how]
    subject = f"the {label}" if label else "it"
    return f"Copied {subject} {way}: {' '.join(text.split())}"


def copy_failed_message(reason: str) -> str:
    """One line for a copy refused because ``clipboard = "system"`` and there is none."""
    first = reason.strip().splitlines()[0] if reason.strip() else "unknown reason"
    return (
        f"Not copied: no system clipboard ({shorten(first, _REASON_WIDTH)}). "
        'Set clipboard = "auto" to copy through the terminal.'
    )


def empty_message(
    loaded: Loaded | None,
    *,
    query: str | None = None,
    unread_only: bool = False,
    today: date | None = None,
    unread_key: str = "u",
) -> str:
    """What the detail pane says when the list is empty.

    ``loaded``: the view's rows and where they came from (None: still loading);
    ``query``: the search text while searching; ``unread_only``: the unread filter;
    ``today``: the clock (a day still in progress may fill later)."""
    if query is not None:
        if not query.strip():
            return "Type to search every stored paper."
        return f"No stored paper matches “{query}”. Press enter to ask Hugging Face."
    if loaded is None:
        return "Loading…"
    if unread_only and loaded.rows:
        return f"Every paper here is read. Press {unread_key} to show them all."
    source = loaded.source
    if source.kind == "bookmarks":
        return "No bookmarks yet: press b on a paper to keep it here."
    if source.kind == "archive":
        return "Nothing stored yet: open some listings, or run `paperreader sync`."
    period = source.period
    if loaded.origin == "none":
        where = period.label if period else "the latest day"
        return f"Nothing stored for {where}, and it could not be fetched: {loaded.problem}"
    if period is not None and period.end < FIRST_DAY:
        return f"Daily Papers began on {FIRST_DAY:%a %Y-%m-%d}: there is nothing before it."
    if period is not None and today is not None and period.contains(today):
        return f"No papers are listed for {period.label} yet: papers are added during the day."
    if period is not None and period.unit == "day":
        # (Not "weekends have none": some Saturdays list dozens.)
        why = "a weekend day" if period.start.weekday() >= 5 else "a holiday, perhaps"
        return f"No papers are listed on {period.label} ({why})."
    if period is not None:
        return f"No papers are listed in {period.label}."
    return "This listing has no papers."


# The title bar, the notice bar ----------------------------------------------------


def view_name(view: View) -> str:
    source = view.source
    if view.searching:
        return f"Search “{view.query}”"
    if source.kind == "bookmarks":
        return "Bookmarks"
    if source.kind == "archive":
        return "Archive — every stored paper"
    if source.kind == "watch":
        return f"Watch — {source.key}"
    if source.kind == "similar":
        return f"More like {source.key}"
    if source.kind == "for_you":
        return "For you — the last 7 days"
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


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "earlier"


#: How much of a title a notice quotes.
TITLE_IN_NOTICE = 60


def bookmark_changed(title: str, on: bool) -> str:
    """The notice of a bookmark set or removed, quoting the title (cut at a word)."""
    quoted = shorten(title, TITLE_IN_NOTICE)
    return f"Bookmarked “{quoted}”" if on else f"Removed the bookmark on “{quoted}”"
