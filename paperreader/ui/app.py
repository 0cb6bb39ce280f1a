"""The paperreader app: the state of the view, the keys, and workers that call the core.

Widgets never do I/O: the app runs every store, network, clipboard and browser call in a
thread worker and pushes the results into the widgets.

What the list shows is a *source* (a Daily Papers listing, the trending list, the
bookmarks, the whole archive) seen through the user's order and unread filter, or, while
searching, the search results over everything stored.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from paperreader.core.browser import BrowserError, open_url
from paperreader.core.clipboard import ClipboardUnavailable, copy_system
from paperreader.core.commands import BY_ID
from paperreader.core.config import Config
from paperreader.core.errors import HFError
from paperreader.core.library import (
    ARCHIVE_FIRST_PAGE,
    OFFLINE_REASON,
    SEARCH_LIMIT,
    Library,
    Loaded,
    Source,
    UserState,
)
from paperreader.core.models import Link, Paper
from paperreader.core.periods import FIRST_DAY, KINDS, Kind, Period, PeriodError
from paperreader.core.store import Row, StoreError
from paperreader.core.text import clean_text
from paperreader.core.views import ORDER_LABELS, ORDERS, count_unread, order_rows, unread_rows
from paperreader.core.writer import SerialWriter
from paperreader.ui.bindings import bindings, key_label
from paperreader.ui.widgets.detail import DetailPane
from paperreader.ui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from paperreader.core.client import HFClient
    from paperreader.ui.screens.export import ExportRequest

# The screens (help, links, jump, note, tags, export) are imported when first opened:
# the first frame does not wait for them.

#: How many empty days in a row ``[`` / ``]`` skip before stopping.
MAX_SKIPPED_DAYS = 10
#: Rows past which a view's tuples are kept out of the garbage collector's scans.
BIG_VIEW = 20_000
#: Seconds the cursor must rest on a paper before the detail pane shows it.
DETAIL_DELAY = 0.04
#: Seconds quitting waits for the user's data still being written.
QUIT_WAIT = 3.0


class KeyBar(Footer):
    """Textual's footer, whose keys (a widget each) are laid out after the app's first
    frame: the papers are on screen a few milliseconds sooner."""

    def __init__(self) -> None:
        super().__init__()
        self._held = True

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not self._held:
            super().bindings_changed(screen)

    def release(self) -> None:
        self._held = False
        self.bindings_changed(self.screen)


class PaperReaderApp(App[None]):
    TITLE = "paperreader"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    #: The reader's keys, from the core's command table (the list's and the detail's
    #: are on their widgets).
    BINDINGS = bindings("app")

    def __init__(
        self,
        library: Library,
        period: Period | None = None,
        *,
        view: str = "listing",
        today: Callable[[], date] = date.today,
        restore: bool = True,
        config: Config | None = None,
        user_state: UserState | None = None,
    ) -> None:
        """``user_state``: the user's data read before the app starts (the CLI does, with
        the archive's first page), so the first frame shows the papers; without it the
        app reads it in a worker."""
        super().__init__()
        self.library = library
        self.config = config or Config()
        self.read_ids: set[str] = set()
        self.bookmark_ids: set[str] = set()
        self.noted_ids: set[str] = set()  # papers with a note or tags
        self._today = today
        self._restore = restore
        self._period_given = period is not None
        self._loaded_early = False
        self._user_state = user_state
        self._search_box: Input | None = None
        self.source = Source(view, period)
        self._previous: Source | None = None  # where toggling a view returns to
        self.loaded: Loaded | None = None
        self.order = "upvotes"
        self.unread_only = False
        self.query_text: str | None = None  # None: not searching
        self.search_rows: tuple[Row, ...] = ()
        self.search_note = ""
        self._search_errors = ""
        self._before_search: str | None = None  # the paper the cursor was on
        self._skip = 0  # direction of an ongoing skip over empty days
        self._skipped: list[str] = []
        self._undo: tuple[str, list[str]] | None = None
        self._sync_stop: bool | None = None  # None: no sync running
        self._sync_client: HFClient | None = None
        self._network_cancelled = False
        self._sync_text = ""
        self._detail_id: str | None = None
        self._detail_paper: Paper | None = None
        self._detail_notes: tuple[str, tuple[str, ...]] = ("", ())
        self._detail_timer: Timer | None = None
        #: Every write of the user's data, in the order asked: the last key pressed wins.
        self.writer = SerialWriter()
        #: The system clipboard; tests replace it. Falls back to the terminal's (OSC 52).
        self.system_copy: Callable[[str], None] = copy_system
        self.launch_browser: Callable[[str], None] = lambda url: open_url(url, self.config.browser)
        if self.config.keys:
            self.set_keymap(self.config.keymap())

    # Layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="title-bar", markup=False)
        with Vertical(id="body"), Horizontal(id="main"):
            yield PaperList(self.read_ids, self.bookmark_ids, self.noted_ids, id="papers")
            yield DetailPane(id="detail")
        yield Static(id="notice-bar", markup=False)
        yield KeyBar()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def search_box(self) -> Input:
        """The search box, mounted the first time it is needed: the first frame does
        not wait for it."""
        if self._search_box is None:
            self._search_box = Input(
                placeholder="Search stored papers: words, author:, org:, is:unread, has:code, "
                "upvotes:>50, day:, month:  (enter: also Hugging Face, esc: back)",
                id="search",
            )
            self.query_one("#body", Vertical).mount(self._search_box, before=0)
        return self._search_box

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        self.paper_list.focus()
        for notice in self.library.store.notices:
            self.notify(notice, severity="warning", timeout=20, markup=False)
        if self.config.problems:
            problems = "\n".join(self.config.problems)
            self.notify(
                f"Problems in the config file (defaults used there):\n{problems}",
                severity="warning",
                timeout=30,
                markup=False,
            )
        self._update_title()
        if self._user_state is not None:  # read before the start: show it in this frame
            self._start(self._user_state)
            self._user_state = None
            return
        # A listing given on the command line needs no saved setting: load it at once,
        # beside the user state (the archive's first screen must not wait for it).
        self._loaded_early = self._period_given or self.source.kind != "listing"
        if self._loaded_early:
            self.load_source(self.source)
        self.load_user_state()

    def _after_first_frame(self) -> None:
        """Fill the key bar; and if the launcher paused the garbage collector for the
        start (the CLI does), resume it, with what the start made (modules, styles,
        widgets) set aside."""
        bar = self.query_one(KeyBar)
        bar.call_later(bar.release)  # in the bar's own context: its compose binds to it
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _cancel_network(self) -> None:
        """Stop every request and network wait at once (quitting): a thread worker
        blocked on the network would otherwise hold the exit until it timed out."""
        self._network_cancelled = True
        if self._sync_stop is not None:
            self._sync_stop = True
        self.library.cancel_network()
        if self._sync_client is not None:
            self._sync_client.close()

    # Start-up: user state and saved UI settings ---------------------------------------
    @work(thread=True, group="user-state")
    def load_user_state(self) -> None:
        try:
            state = self.library.user_state()
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            state = UserState(set(), set(), set(), {})
        self.call_from_thread(self._start, state)

    def reload_user_state(self) -> None:
        """Read the marks again (another paperreader may have changed them): on the
        writer's thread, after the writes asked before."""
        store = self.library.store
        seq = 0

        def read() -> tuple[set[str], set[str]]:
            return store.read_ids(), store.bookmark_ids()

        def done(state: tuple[set[str], set[str]]) -> None:
            self._from_writer(lambda: self._replace_user_state(seq, *state))

        seq = self.writer.submit((), read, done=done, failed=self._write_error)

    def _replace_user_state(self, seq: int, read: set[str], marks: set[str]) -> None:
        # In place: the paper list holds these very sets. A mark changed since the read
        # keeps what the screen shows (its write is on its way).
        for kind, shown, stored in (
            ("read", self.read_ids, read),
            ("bookmark", self.bookmark_ids, marks),
        ):
            newer = {i for i in shown ^ stored if self.writer.superseded((kind, i), seq)}
            kept = shown & newer
            shown.clear()
            shown.update((stored - newer) | kept)
        self._redraw((self._detail_id and [self._detail_id]) or [])

    # Writing the user's data: in order, on the writer's thread ---------------------
    def _from_writer(self, callback: Callable[..., object], *args: object, **kw: object) -> None:
        """From the writer's thread: run ``callback`` on the app's. Never blocks the
        writer; dropped once the app has closed. (It runs after the handler that asked
        for the write has returned: a lambda there sees the number ``submit`` gave.)"""
        with contextlib.suppress(RuntimeError):
            self.call_later(callback, *args, **kw)

    def _write_error(
        self, error: Exception, prefix: str = "", suffix: str = "", severity: str = "error"
    ) -> None:
        message = f"{prefix}{error}{suffix}"
        self._from_writer(self.notify, message, severity=severity, markup=False)

    def _write_marks(
        self,
        kind: str,
        paper_ids: Sequence[str],
        on: bool,
        write: Callable[[], object],
        done: Callable[[object], object] | None = None,
    ) -> None:
        """Queue the write of read marks or a bookmark the screen already shows. If it
        fails, the screen shows what the file has (for each paper no later key decides)."""
        store = self.library.store
        seq = 0
        ids = list(paper_ids)

        def failed(error: Exception) -> None:
            try:  # what the file has now, read in order after the failed write
                stored = store.read_ids() if kind == "read" else store.bookmark_ids()
                truth = {i for i in ids if i in stored}
            except StoreError:
                truth = set() if on else set(ids)  # the write did not happen
            self._from_writer(lambda: self._rolled_back(seq, kind, ids, truth, str(error)))

        seq = self.writer.submit([(kind, i) for i in ids], write, done=done, failed=failed)

    def _rolled_back(
        self, seq: int, kind: str, paper_ids: list[str], truth: set[str], error: str
    ) -> None:
        shown = self.read_ids if kind == "read" else self.bookmark_ids
        ids = [i for i in paper_ids if not self.writer.superseded((kind, i), seq)]
        shown.difference_update(ids)
        shown.update(truth.intersection(ids))
        self._redraw(ids)
        what = "Read marks" if kind == "read" else "Bookmark"
        self.notify(f"{what} not saved: {error}", severity="error", markup=False)

    async def action_quit(self) -> None:
        """Quit (q, ctrl+q, the palette). A note being written is saved first, as leaving
        its editor does; one too long to save keeps the editor open, saying why."""
        from paperreader.ui.screens.annotate import NoteScreen

        editor = next((s for s in self.screen_stack if isinstance(s, NoteScreen)), None)
        if editor is None:
            self.exit()
        elif editor is not self.screen:
            self.notify("Close this first: the note being written is not saved yet.")
        elif editor.save_and_close():
            self.call_next(self.exit)  # after the editor's callback has queued the write

    def on_unmount(self) -> None:
        # Every exit (q, ctrl+q, the palette, a closed terminal): network work stops at
        # once, and the writes asked for are not dropped. (A slow disk gets QUIT_WAIT
        # seconds, then the app leaves.)
        self._cancel_network()
        self.writer.close(QUIT_WAIT)

    def _start(self, state: UserState) -> None:
        self.read_ids |= state.read
        self.bookmark_ids |= state.bookmarks
        self.noted_ids |= state.annotated
        settings = state.settings
        configured = self._configured()
        chosen: dict[str, str | None] = {}
        for key, value in configured.items():
            # What the user last chose in the app wins, unless the config file has changed
            # that setting since: then the file's new value does.
            saved = settings.get(key) if self._restore else None
            if saved is None or (settings.get(f"config.{key}") or None) != (value or None):
                chosen[key] = value
            else:
                chosen[key] = saved
        if chosen["order"] in ORDERS:
            self.order = str(chosen["order"])
        if self._restore:
            self.unread_only = settings.get("unread_only") == "1"
        theme = chosen["theme"]
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(f"Unknown theme {theme!r}: using {self.theme}.", severity="warning")
        kind: Kind | None = chosen["period_kind"]  # type: ignore[assignment]
        if not self._period_given and self.source.kind == "listing" and kind in KINDS[1:]:
            self.source = Source(period=Period.of(kind, self._today()))
        self.theme_changed_signal.subscribe(self, lambda theme: self._save("theme", theme.name))
        if self._loaded_early:
            self._refresh_rows()  # the read marks have arrived: redraw the counts
        elif state.first_rows is not None and self.source.kind == "archive":
            self.load_source(self.source, first=state.first_rows)
        else:
            self.load_source(self.source)

    def _configured(self) -> dict[str, str | None]:
        """The UI settings the config file sets, by their saved-setting names."""
        return {
            "theme": self.config.theme,
            "period_kind": self.config.default_listing,
            "order": self.config.default_sort,
        }

    def _save(self, key: str, value: str) -> None:
        configured = self._configured()
        store = self.library.store

        def write() -> None:
            store.set_setting(f"ui.{key}", value)
            if key in configured:
                # Remember what the config file said when the user chose: see _start.
                store.set_setting(f"ui.config.{key}", configured[key] or "")

        self.writer.submit(
            [("setting", key)], write, failed=lambda e: self._write_error(e, severity="warning")
        )

    # Loading a source ----------------------------------------------------------------
    def load_source(
        self, source: Source, *, network: bool = True, first: Sequence[Row] | None = None
    ) -> None:
        """Load ``source`` in a worker; ``first``: the archive's first rows, already read,
        shown now (the worker then reads the rest)."""
        self.source = source
        self.loaded = None
        if first is not None:
            page = _archive_page(source, first)
            self._show(page)
            if not page.partial:  # the whole archive fitted in its first page
                return
        self._update_title()
        self._fetch_source(source, network, skip_first=first is not None)

    @work(thread=True, exclusive=True, group="listing")
    def _fetch_source(self, source: Source, network: bool, skip_first: bool = False) -> None:
        """Show each answer of the core's load policy: the store's at once, then the
        network's (see ``Library.load``)."""
        worker = get_current_worker()
        try:
            answers = self.library.load(
                source, network=network, today=self._today(), first_page=not skip_first
            )
            for loaded in answers:
                if worker.is_cancelled:
                    return
                self.call_from_thread(self._show, loaded)
        except StoreError as error:
            if not worker.is_cancelled:
                self.call_from_thread(self._show, Loaded(source, (), "none", problem=str(error)))

    def _show(self, loaded: Loaded) -> None:
        if not self.source.accepts(loaded.source):
            return  # a late answer for a source the user has already left
        self.source = loaded.source if loaded.origin != "sample" else self.source
        self.loaded = loaded
        if self._skip_empty_day(loaded):
            return
        self._refresh_rows()
        self._update_notice()
        if len(loaded.rows) > BIG_VIEW and not loaded.partial:
            # Tens of thousands of row tuples would make every full garbage collection
            # scan them (50-80 ms pauses under the cursor); they hold no cycles, so they
            # are still freed the usual way when the view changes.
            gc.collect()
            gc.freeze()

    def _skip_empty_day(self, loaded: Loaded) -> bool:
        """Moving day by day: step over days without papers (weekends, holidays)."""
        period = loaded.source.period
        if self._skip and period is not None and loaded.origin == "none" and self.library.online:
            # Nothing stored there and the network failed: the nearest stored one.
            steps, self._skip, self._skipped = self._skip, 0, []
            self.step_to_stored(period, steps, loaded.problem)
            return True
        if not self._skip or period is None or period.kind != "day":
            return False
        if loaded.rows or loaded.origin not in ("network", "cache") or loaded.problem:
            if loaded.rows and self._skipped:
                self.notify(f"Skipped {', '.join(self._skipped)}: no papers listed.", timeout=4)
            self._skip, self._skipped = 0, []
            return False
        if loaded.origin == "cache" and self.library.online and not loaded.problem:
            return True  # wait for the network's answer before deciding
        target = period.shift(self._skip)
        if len(self._skipped) >= MAX_SKIPPED_DAYS or not self._in_range(target):
            self._skip, self._skipped = 0, []
            return False
        self._skipped.append(period.start.strftime("%a %m-%d"))
        self.load_source(Source(period=target))
        return True

    # Rows on screen ------------------------------------------------------------------
    def _visible_rows(self) -> Sequence[Row]:
        if self.query_text is not None:
            rows: Sequence[Row] = self.search_rows
        else:
            rows = self.loaded.rows if self.loaded else ()
            if self.source.kind == "listing":
                rows = order_rows(rows, self.order)
        if self.unread_only:
            rows = unread_rows(rows, self.read_ids)
        return rows

    def _refresh_rows(self, keep: str | None = None) -> None:
        current = self.paper_list.current
        keep = keep or (current.id if current else None)
        rows = self._visible_rows()
        self.paper_list.set_rows(rows, keep=keep)
        if not rows:
            self._detail_id = None
            self.detail.show_message(self._empty_message())
        self._update_title()

    def _empty_message(self) -> str:
        if self.query_text is not None:
            if not self.query_text.strip():
                return "Type to search every stored paper."
            return f"No stored paper matches “{self.query_text}”. Press enter to ask Hugging Face."
        loaded = self.loaded
        if loaded is None:
            return "Loading…"
        if self.unread_only and loaded.rows:
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

    # Title and notices ---------------------------------------------------------------
    def view_name(self) -> str:
        source = self.source
        if self.query_text is not None:
            return f"Search “{self.query_text}”"
        if source.kind == "bookmarks":
            return "Bookmarks"
        if source.kind == "archive":
            return "Archive — every stored paper"
        if source.trending:
            return "Daily Papers — Trending"
        if self.loaded and self.loaded.origin == "sample":
            return "Daily Papers — bundled sample"
        if source.period is not None:
            return f"Daily Papers — {source.period.label}"
        return "Daily Papers — latest day"

    def _update_title(self) -> None:
        parts = [self.view_name()]
        if self.query_text is not None:
            rows = self.search_rows
            parts.append(self.search_note or f"{len(rows):,} found")
        elif self.loaded is None or self.loaded.partial:
            parts.append("loading…")
        else:
            rows = self.loaded.rows
            noun = "paper" if len(rows) == 1 else "papers"
            parts.append(f"{len(rows):,} {noun}, {count_unread(rows, self.read_ids):,} unread")
            if self.source.kind == "listing" and not self.source.trending:
                parts.append(ORDER_LABELS[self.order])
        if self.unread_only:
            parts.append("unread only")
        self.query_one("#title-bar", Static).update(Text(" " + " — ".join(parts), style="bold"))
        self.title = f"paperreader — {self.view_name().removeprefix('Daily Papers — ')}"

    def _update_notice(self) -> None:
        loaded = self.loaded
        message = ""
        if self.query_text is not None:
            message = f"Search: {self._search_errors}" if self._search_errors else ""
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
            stamp = _local(loaded.fetched_at)
            why = "Offline" if loaded.offline else "Not refreshed"
            message = f"{why} — showing the copy from {stamp}. {loaded.problem} (R retries)"
        elif loaded is not None and loaded.problem:
            message = loaded.problem
        if self._sync_text:
            message = f"{message}  ·  Sync: {self._sync_text}" if message else self._sync_text
        bar = self.query_one("#notice-bar", Static)
        bar.update(Text(" " + message if message else ""))
        bar.display = bool(message)

    # Detail --------------------------------------------------------------------------
    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        # While the cursor is moving (a key held down), the detail waits until it stops:
        # a cursor step only costs its two list lines.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        paper_id = event.row.id
        self._detail_timer = self.set_timer(DETAIL_DELAY, lambda: self.load_detail(paper_id))
        if self.config.mark_read == "move":
            self._set_read(event.row.id, True)

    def on_paper_list_selected(self, event: PaperList.Selected) -> None:
        if self.config.mark_read in ("open", "move"):
            self._set_read(event.row.id, True)
        self.detail.focus()

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, paper_id: str) -> None:
        worker = get_current_worker()
        try:
            paper = self.library.paper(paper_id)
            note, tags = self.library.store.annotations([paper_id]).get(paper_id, ("", ()))
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_detail, paper_id, paper, note, tags)

    def _show_detail(
        self, paper_id: str, paper: Paper | None, note: str, tags: tuple[str, ...]
    ) -> None:
        current = self.paper_list.current
        if current is None or current.id != paper_id:
            return
        self._detail_id = paper_id
        self._detail_paper = paper
        self._detail_notes = (note, tags)
        self._show_detail_state(paper_id)

    def _show_detail_state(self, paper_id: str, *, keep_scroll: bool = False) -> None:
        note, tags = self._detail_notes
        self.detail.show(
            self._detail_paper,
            read=paper_id in self.read_ids,
            bookmarked=paper_id in self.bookmark_ids,
            note=note,
            tags=tags,
            keep_scroll=keep_scroll,
        )

    def _redraw(self, paper_ids: Iterable[str]) -> None:
        self.paper_list.refresh()
        self._update_title()
        if self._detail_id in set(paper_ids):
            self._show_detail_state(self._detail_id, keep_scroll=True)

    # Actions: reading ----------------------------------------------------------------
    def _current(self) -> Row | None:
        row = self.paper_list.current
        if row is None:
            self.notify("No paper selected.", severity="warning")
        return row

    def action_switch_pane(self) -> None:
        if self.paper_list.has_focus:
            self.detail.focus()
        else:
            self.paper_list.focus()

    def action_toggle_read(self) -> None:
        if row := self._current():
            self._set_read(row.id, row.id not in self.read_ids)

    def _set_read(self, paper_id: str, read: bool) -> None:
        if (paper_id in self.read_ids) == read:
            return
        self._apply_read([paper_id], read)
        self.save_read([paper_id], read)

    def _apply_read(self, paper_ids: Sequence[str], read: bool) -> None:
        if read:
            self.read_ids.update(paper_ids)
        else:
            self.read_ids.difference_update(paper_ids)
        self._redraw(paper_ids)

    def save_read(self, paper_ids: list[str], read: bool, undo: str | None = None) -> None:
        store = self.library.store

        def done(changed: object) -> None:
            if undo is not None:
                self._from_writer(self._bulk_done, undo, changed)

        self._write_marks("read", paper_ids, read, lambda: store.set_read(paper_ids, read), done)

    def action_mark_all_read(self) -> None:
        rows = self.paper_list.rows
        unread = [row.id for row in rows if row.id not in self.read_ids]
        if not unread:
            self.notify("Every paper in this view is already read.")
            return
        self._apply_read(unread, True)
        self.save_read(unread, True, undo=self.view_name())

    def _bulk_done(self, what: str, changed: list[str]) -> None:
        self._undo = (what, changed)
        key = key_label(self._key_for("paper.undo"))
        self.notify(f"Marked {len(changed):,} papers read in {what}. Press {key} to undo.")

    def action_undo(self) -> None:
        if self._undo is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        what, changed = self._undo
        self._undo = None
        self._apply_read(changed, False)
        self.save_read(changed, False)
        self.notify(f"Undone: {len(changed):,} papers in {what} are unread again.")

    def action_toggle_bookmark(self) -> None:
        if row := self._current():
            on = row.id not in self.bookmark_ids
            (self.bookmark_ids.add if on else self.bookmark_ids.discard)(row.id)
            self._redraw([row.id])
            self.save_bookmark(row.id, on)

    def save_bookmark(self, paper_id: str, on: bool) -> None:
        library = self.library

        def write() -> Paper:
            paper = library.paper(paper_id)
            if paper is None:
                raise StoreError("the paper is no longer in the store")
            library.store.set_bookmark(paper, on)
            return paper

        def done(paper: object) -> None:
            assert isinstance(paper, Paper)
            title = _short(paper.title)
            what = f"Bookmarked “{title}”" if on else f"Removed the bookmark on “{title}”"
            self._from_writer(self.notify, what, markup=False, timeout=3)

        self._write_marks("bookmark", [paper_id], on, write, done)

    # Actions: notes and tags ---------------------------------------------------------
    def action_full_text(self) -> None:
        row = self._current()
        if row is not None:
            from paperreader.ui.screens.paper_text import PaperTextScreen

            self.push_screen(PaperTextScreen(self.library, row.id, row.title))

    def action_edit_note(self) -> None:
        if row := self._current():
            self.edit_annotation(row.id, "note")

    def action_edit_tags(self) -> None:
        if row := self._current():
            self.edit_annotation(row.id, "tags")

    @work(thread=True, group="annotate")
    def edit_annotation(self, paper_id: str, what: str) -> None:
        store = self.library.store
        try:
            paper = self.library.paper(paper_id)
            note, tags = store.annotations([paper_id]).get(paper_id, ("", ()))
            known = [tag for tag, _ in store.all_tags()]
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if paper is None:
            return
        self.call_from_thread(self._open_annotation, paper, what, note, tags, known)

    def _open_annotation(
        self, paper: Paper, what: str, note: str, tags: tuple[str, ...], known: list[str]
    ) -> None:
        from paperreader.ui.screens.annotate import NoteScreen, TagScreen

        if what == "note":

            def saved_note(text: str | None) -> None:
                if text is not None and text != note:
                    self.save_annotation(paper, note=text)

            self.push_screen(NoteScreen(paper.title, note), saved_note)
        else:

            def saved_tags(chosen: tuple[str, ...] | None) -> None:
                if chosen is not None and chosen != tags:
                    self.save_annotation(paper, tags=chosen)

            self.push_screen(TagScreen(paper.title, tags, known), saved_tags)

    def save_annotation(
        self, paper: Paper, *, note: str | None = None, tags: tuple[str, ...] | None = None
    ) -> None:
        store = self.library.store

        def write() -> tuple[str, tuple[str, ...]]:
            if note is not None:
                store.set_note(paper, note)
            if tags is not None:
                store.set_tags(paper, tags)
            return store.annotations([paper.id]).get(paper.id, ("", ()))

        def done(annotations: object) -> None:
            self._from_writer(self._annotated, paper.id, annotations)

        def failed(error: Exception) -> None:
            # The text is not lost: it is in the notice, to copy from.
            self._write_error(error, "Not saved: ", f"\n{note}" if note else "")

        keys = [("note", paper.id)] if note is not None else []
        keys += [("tags", paper.id)] if tags is not None else []
        self.writer.submit(keys, write, done=done, failed=failed)

    def _annotated(self, paper_id: str, annotations: tuple[str, tuple[str, ...]]) -> None:
        if any(annotations):
            self.noted_ids.add(paper_id)
        else:
            self.noted_ids.discard(paper_id)
        if self._detail_id == paper_id:
            self._detail_notes = annotations
        self._redraw([paper_id])
        note, tags = annotations
        what = "Note saved" if note else "Saved"
        self.notify(f"{what}; tags: {' '.join(tags) or 'none'}", timeout=3)

    # Actions: links ------------------------------------------------------------------
    def _paper_for_links(self) -> Paper | None:
        row = self._current()
        if row is None:
            return None
        paper = self._detail_paper if self._detail_id == row.id else None
        return paper or Paper(row.id, row.title)

    def action_open_link(self, kind: str) -> None:
        if paper := self._paper_for_links():
            self.open_in_browser(paper.hf_url if kind == "hf" else paper.pdf_url)

    def on_detail_pane_link_clicked(self, event: DetailPane.LinkClicked) -> None:
        self.open_in_browser(event.url)

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        try:
            self.launch_browser(url)
        except BrowserError as error:
            self.call_from_thread(self.notify, str(error), severity="warning", markup=False)
            return
        self.call_from_thread(self.notify, f"Opened {url}", markup=False, timeout=3)

    def action_copy_link(self, kind: str) -> None:
        if paper := self._paper_for_links():
            if kind == "hf":
                self.copy_text(paper.hf_url, "Hugging Face link")
            else:
                self.copy_text(paper.arxiv_url, "arXiv link")

    def action_choose_link(self) -> None:
        paper = self._paper_for_links()
        if paper is None:
            return

        from paperreader.ui.screens.links import LinkPicker

        def chosen(link: Link | None) -> None:
            if link is not None:
                self.copy_text(link.url, f"{link.label} link")

        self.push_screen(LinkPicker(paper.title, paper.links), chosen)

    @work(thread=True, group="clipboard")
    def copy_text(self, text: str, label: str) -> None:
        """Copy through the system clipboard, else through the terminal (OSC 52)."""
        method = self.config.clipboard
        if method == "terminal":
            self.call_from_thread(self.copy_to_clipboard, text)
            how = "through the terminal (OSC 52)"
        else:
            try:
                self.system_copy(text)
            except ClipboardUnavailable as error:
                if method == "system":
                    message = f"Not copied: no system clipboard ({error}); clipboard = system"
                    self.call_from_thread(self.notify, message, severity="error", markup=False)
                    return
                self.call_from_thread(self.copy_to_clipboard, text)
                how = f"through the terminal (OSC 52; no system clipboard: {error})"
            else:
                how = "to the system clipboard"
        self.call_from_thread(self.notify, f"Copied the {label} {how}:\n{text}", markup=False)

    # Actions: listings ---------------------------------------------------------------
    def _in_range(self, period: Period) -> bool:
        return period.start <= self._today() and period.end >= FIRST_DAY

    def _listing_only(self) -> bool:
        if self.query_text is not None:
            self._leave_search()
        if self.source.kind != "listing" or self.source.trending:
            self.source = self._previous or Source()
            self._previous = None
        return True

    def action_shift_period(self, steps: int) -> None:
        self._listing_only()
        period = self.source.period or Period.day(self._today())
        if self.library.online:
            target = period.shift(steps)  # (never overflows: the check says why not)
            try:
                target.check(self._today())
            except PeriodError as error:
                self.notify(str(error), severity="warning", markup=False)
                return
            self._go(target, steps)
        else:
            self.step_to_stored(period, steps)

    def _go(self, target: Period, steps: int, note: str = "") -> None:
        self._skip, self._skipped = steps, []
        self.load_source(Source(period=target))
        if note:
            self.notify(note, severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="step")
    def step_to_stored(self, period: Period, steps: int, why: str = "") -> None:
        """Go straight to the nearest stored day (week, month): offline, or when the
        network failed for a day that is not stored."""
        try:
            target = self.library.adjacent(period, steps)
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if target is None:
            way = "earlier" if steps < 0 else "later"
            where = "offline" if not why else "and the network failed"
            message = f"No {way} {period.kind} is stored ({where})."
            self.call_from_thread(self.notify, message, severity="warning")
            return
        note = f"Went to the nearest stored {period.kind}: {why}" if why else ""
        self.call_from_thread(self._go, target, steps, note)

    def action_cycle_period(self) -> None:
        self._listing_only()
        period = self.source.period or Period.day(self._today())
        kind = KINDS[(KINDS.index(period.kind) + 1) % len(KINDS)]
        day = min(period.start if period.kind == "day" else period.end, self._today())
        self._save("period_kind", kind)
        self.load_source(Source(period=None if kind == "day" else Period.of(kind, day)))

    def action_latest(self) -> None:
        self._listing_only()
        self._save("period_kind", "day")
        self.load_source(Source())

    def action_jump(self) -> None:
        from paperreader.ui.screens.jump import JumpScreen

        def chosen(period: Period | None) -> None:
            if period is None:
                return  # (the dialog only returns periods in range: see parse_jump)
            self._listing_only()
            self._save("period_kind", period.kind)
            self.load_source(Source(period=period))

        self.push_screen(JumpScreen(self._today), chosen)

    def action_cycle_order(self) -> None:
        if self.source.kind != "listing" or self.source.trending or self.query_text is not None:
            self.notify("Sorting applies to day, week and month listings.", severity="warning")
            return
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._save("order", self.order)
        self._refresh_rows()
        self.notify(f"Sorted {ORDER_LABELS[self.order]}.", timeout=2)

    def action_toggle_trending(self) -> None:
        if self.query_text is not None:
            self._leave_search()
        if self.source.trending:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
        else:
            if self.source.kind == "listing":
                self._previous = self.source
            self.load_source(Source(trending=True))

    def action_toggle_view(self, kind: str) -> None:
        if self.query_text is not None:
            self._leave_search()
        if self.source.kind == kind:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
            return
        if self.source.kind == "listing":
            self._previous = self.source
        self.load_source(Source(kind))

    def action_toggle_unread(self) -> None:
        self.unread_only = not self.unread_only
        self._save("unread_only", "1" if self.unread_only else "0")
        self._refresh_rows()

    def action_refresh(self) -> None:
        self.reload_user_state()  # another paperreader may have changed bookmarks or marks
        if self.source.kind != "listing":
            self.load_source(self.source)
            return
        if not self.library.online:
            self.notify("Offline mode (--offline): the network is not used.", severity="warning")
            return
        self.notify("Refreshing…", timeout=2)
        self._fetch_source(self.source, True)

    # Exports -------------------------------------------------------------------------
    def action_export(self, what: str) -> None:
        if what == "view" and self.source.kind == "bookmarks" and self.query_text is None:
            what = "bookmarks"
        if what == "bookmarks":
            count, description = len(self.bookmark_ids), "your bookmarks"
        else:
            count, description = len(self.paper_list.rows), self.view_name()
        if not count:
            self.notify("Nothing to export here.", severity="warning")
            return
        stem = f"paperreader-{what}-{self._today():%Y-%m-%d}"
        ids = [row.id for row in self.paper_list.rows] if what == "view" else []

        from paperreader.ui.screens.export import ExportScreen

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.write_export(request, ids)

        self.push_screen(ExportScreen(what, description, count, stem), chosen)

    @work(thread=True, group="export")
    def write_export(self, request: ExportRequest, ids: list[str]) -> None:
        from paperreader.core.export import export
        from paperreader.core.files import write_atomic

        try:
            entries = self.library.export_entries(None if request.what == "bookmarks" else ids)
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        try:
            write_atomic(request.path, export(entries, request.fmt))
        except OSError as error:
            message = f"Not exported: cannot write {request.path}: {error.strerror or error}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = f"Exported {len(entries):,} papers as {request.fmt} to {request.path}"
        self.call_from_thread(self.notify, message, markup=False, timeout=8)

    # Sync the archive in the background --------------------------------------------
    def action_sync(self) -> None:
        if not self.library.online:
            self.notify("Offline mode (--offline): the network is not used.", severity="warning")
            return
        if self._sync_stop is not None:
            self.notify("A sync is already running (palette: Stop syncing).")
            return
        self._sync_stop = False
        self.notify("Syncing the whole archive in the background…", timeout=3)
        self.sync_archive()

    def action_stop_sync(self) -> None:
        if self._sync_stop is None:
            self.notify("No sync is running.")
            return
        self._sync_stop = True

    @work(thread=True, group="sync")
    def sync_archive(self) -> None:
        from paperreader.core.client import HFClient
        from paperreader.core.sync import format_progress, format_summary, sync_archive

        def progress(state: object) -> None:
            self.call_from_thread(self._sync_status, format_progress(state))  # type: ignore[arg-type]

        try:
            with HFClient() as client:  # its own client: the sync owns its hooks
                self._sync_client = client
                if self._network_cancelled:  # the app quit while it was being made
                    client.close()
                result = sync_archive(
                    self.library.store,
                    client,
                    on_progress=progress,
                    should_stop=lambda: bool(self._sync_stop),
                    today=self._today,
                )
        except (HFError, StoreError) as error:
            message, severity = f"Sync stopped: {clean_text(str(error))}", "error"
        else:
            message = format_summary(result)
            if result.interrupted:
                message = f"Sync stopped: {message}. Run it again to continue."
            severity = "information"
        self.call_from_thread(self._sync_done, message, severity)

    def _sync_status(self, text: str) -> None:
        self._sync_text = text
        self._update_notice()

    def _sync_done(self, message: str, severity: str) -> None:
        self._sync_stop = None
        self._sync_text = ""
        self._update_notice()
        self.notify(message, severity=severity, timeout=10, markup=False)  # type: ignore[arg-type]
        if self.source.kind == "archive" and self.query_text is None:
            self.load_source(self.source)

    # Search --------------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.search_box
        if self.query_text is None:
            current = self.paper_list.current
            self._before_search = current.id if current else None
            self.query_text = ""
            self.search_rows = ()
            self.search_note = ""
            box.value = ""
            box.display = True
            self._refresh_rows()
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self.query_text is None:
            return
        self.query_text = event.value
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        from paperreader.core.query import parse_query  # (with the first search)

        text = parse_query(event.value)
        self.paper_list.focus()
        if not text.words and not text.phrases:
            return
        if not self.library.online:
            self.notify("Offline: only stored papers were searched.", severity="warning")
            return
        self.search_note = f"{len(self.search_rows):,} found here; asking Hugging Face…"
        self._update_title()
        self.search_online(event.value, " ".join((*text.words, *text.phrases)))

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str, note: str = "") -> None:
        from paperreader.core.query import parse_query

        worker = get_current_worker()
        query = parse_query(text)
        try:
            rows = self.library.search(query)
        except StoreError as error:
            rows, note = (), str(error)
        if not worker.is_cancelled:
            self.call_from_thread(self._show_search, text, rows, query.errors, note)

    def _show_search(
        self, text: str, rows: tuple[Row, ...], errors: Sequence[str], note: str
    ) -> None:
        if self.query_text != text:
            return
        self.search_rows = rows
        if len(rows) >= SEARCH_LIMIT:
            found = f"the best {len(rows):,} found in the store"
        else:
            found = f"{len(rows):,} found in the store"
        self.search_note = f"{found}; {note}" if note else found
        self._search_errors = "; ".join(errors)
        self._refresh_rows(keep=None)
        self._update_notice()

    @work(thread=True, exclusive=True, group="search-online")
    def search_online(self, text: str, words: str) -> None:
        try:
            result = self.library.search_online(words)
        except (HFError, StoreError) as error:
            note = f"online search failed: {clean_text(str(error))}"
            self.call_from_thread(self.notify, note, severity="warning", markup=False)
        else:
            note = f"Hugging Face returned {result.found}, {result.new} of them new here"
        if self.query_text == text:
            self.call_from_thread(self.run_search, text, note)

    def action_leave(self) -> None:
        if self.query_text is not None:
            self._leave_search()
        elif self.source.kind != "listing" or self.source.trending:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
        elif self.detail.has_focus:
            self.paper_list.focus()

    def _leave_search(self) -> None:
        self.query_text = None
        self.search_rows = ()
        self._search_errors = ""
        self._update_notice()
        box = self.search_box
        box.display = False
        self.paper_list.focus()
        self._refresh_rows(keep=self._before_search)

    def on_key(self, event: events.Key) -> None:
        # The down arrow in the search box moves to the results, as in a browser. (Escape
        # is the "back" binding, which leaves the search first: handling it here as well
        # left the search and then the view behind it, with one press.)
        box = self._search_box
        if box is None or self.focused is not box:
            return
        if event.key == "down":
            event.stop()
            self.paper_list.focus()
        elif event.key == "escape" and self._key_for("view.back") != "escape":
            event.stop()  # "back" is bound elsewhere: escape still leaves the search
            self._leave_search()

    # Help and the command palette ----------------------------------------------------
    def _all_bindings(self) -> list[tuple[str, Binding]]:
        """Every (key, binding) of the reader, as rebound by the user's keymap."""
        pairs: list[tuple[str, Binding]] = []
        for node in (self, self.paper_list, self.detail):
            bindings_map = node._bindings.copy()
            if self._keymap:
                bindings_map.apply_keymap(self._keymap)
            for key, keyed in bindings_map.key_to_bindings.items():
                pairs.extend((key, b) for b in keyed)
        return pairs

    def _key_for(self, binding_id: str) -> str:
        return next((k for k, b in self._all_bindings() if b.id == binding_id), "")

    def action_help(self) -> None:
        from paperreader.ui.screens.help import HelpScreen, help_rows

        self.push_screen(HelpScreen(help_rows(self._all_bindings())))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # the reader's commands belong to the main screen
        seen: dict[str, list[str]] = {}
        actions: dict[str, Binding] = {}
        for key, binding in self._all_bindings():
            if binding.id and binding.id in BY_ID:
                seen.setdefault(binding.id, []).append(key_label(key))
                actions[binding.id] = binding
        yield SystemCommand(
            "Export bookmarks…",
            "BibTeX, Markdown, CSV or JSON, with notes and tags",
            lambda: self.action_export("bookmarks"),
        )
        yield SystemCommand(
            "Sync the whole archive",
            "Fetch every month since 2023-05-04 into the store, in the background",
            self.action_sync,
        )
        yield SystemCommand("Stop syncing", "Stop the background sync", self.action_stop_sync)
        for binding_id, binding in actions.items():
            keys = ", ".join(dict.fromkeys(seen[binding_id]))
            node = self if binding in self.BINDINGS else None
            action = binding.action
            yield SystemCommand(
                f"{BY_ID[binding_id].help}  ({keys})",
                binding.description,
                _palette_callback(self, action, node),
            )


def _palette_callback(
    app: PaperReaderApp, action: str, node: object | None
) -> Callable[[], object]:
    def run() -> object:
        if node is None:  # a list binding: run it on the list
            return app.run_action(action, app.paper_list)
        return app.run_action(action)

    return run


def _archive_page(source: Source, first: Sequence[Row]) -> Loaded:
    """The archive's first page: partial when full (more may follow), else the whole."""
    return Loaded(source, tuple(first), "store", partial=len(first) >= ARCHIVE_FIRST_PAGE)


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "earlier"


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"
