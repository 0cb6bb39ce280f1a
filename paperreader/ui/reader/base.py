"""The reader screen's core: its layout, its view state, loading a source, the detail.

The screen owns one immutable ``View`` (see ``paperreader.ui.view``), replaced whole on
every change; ``watch_view`` redraws what the change touched, once. Workers never touch
widgets: they hand their results back (``call_from_thread``) to methods that replace
the view. The actions live in mixins beside this module, one room per concern.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from paperreader.core.config import Config
from paperreader.core.library import Library, Loaded, PageParts, Source, UserState
from paperreader.core.models import Paper
from paperreader.core.ordering import ORDERS, order_rows, unread_rows
from paperreader.core.periods import Period
from paperreader.core.rows import Row
from paperreader.core.settings import start_source
from paperreader.core.store import StoreError
from paperreader.core.writer import SerialWriter
from paperreader.ui.bindings import bindings, key_label
from paperreader.ui.view import View
from paperreader.ui.widgets.detail import DetailPane
from paperreader.ui.widgets.paper_list import PaperList
from paperreader.ui.wording import empty_message, notice_text, title_text, window_title

if TYPE_CHECKING:
    from paperreader.ui.app import PaperReaderApp

#: How many empty days in a row ``[`` / ``]`` skip before stopping.
MAX_SKIPPED_DAYS = 10
#: Rows past which a view's tuples are kept out of the garbage collector's scans.
BIG_VIEW = 20_000
#: Seconds the cursor must rest on a paper before the detail pane shows it.
DETAIL_DELAY = 0.04


class ReaderBase(Screen[None]):
    """State, layout, loading and the detail; the actions are in the mixins."""

    BINDINGS = bindings("app")

    view: reactive[View] = reactive(View(), always_update=True, init=False, repaint=False)

    def __init__(
        self,
        period: Period | None = None,
        *,
        kind: str = "listing",
        key: str = "",
        restore: bool = True,
        user_state: UserState | None = None,
    ) -> None:
        """``user_state``: the user's data read before the app started (the CLI does,
        with the archive's first page), so the first frame shows the papers; without
        it the screen reads it in a worker."""
        super().__init__()
        self.read_ids: set[str] = set()
        self.bookmark_ids: set[str] = set()
        self.noted_ids: set[str] = set()  # papers with a note or tags
        self._restore = restore
        self._period_given = period is not None
        self._loaded_early = False
        self._user_state = user_state
        self._search_box: Input | None = None
        self.set_reactive(ReaderBase.view, View(source=Source(kind, period, key=key)))
        self._keep: str | None = None  # the paper the next redraw keeps the cursor on
        self._previous: Source | None = None  # where toggling a view returns to
        self._skip = 0  # direction of an ongoing skip over empty periods
        self._skip_from: Period | None = None  # where it began
        self._skipped: list[str] = []
        self._detail_id: str | None = None
        self._detail_paper: Paper | None = None
        self._detail_notes: tuple[str, tuple[str, ...]] = ("", ())
        self._detail_parts = PageParts(None, None, False)
        self._detail_timer: Timer | None = None

    # What the app provides -------------------------------------------------------------
    @property
    def reader_app(self) -> PaperReaderApp:
        return cast("PaperReaderApp", self.app)

    @property
    def library(self) -> Library:
        return self.reader_app.library

    @property
    def config(self) -> Config:
        return self.reader_app.config

    @property
    def writer(self) -> SerialWriter:
        return self.reader_app.writer

    def _today(self) -> date:
        return self.reader_app.today()

    # The view, read as attributes ------------------------------------------------------
    @property
    def source(self) -> Source:
        return self.view.source

    @property
    def loaded(self) -> Loaded | None:
        return self.view.loaded

    @property
    def order(self) -> str:
        return self.view.order

    @property
    def unread_only(self) -> bool:
        return self.view.unread_only

    @property
    def query_text(self) -> str | None:
        return self.view.query

    @property
    def search_rows(self) -> tuple[Row, ...]:
        return self.view.search_rows

    @property
    def search_note(self) -> str:
        return self.view.search_note

    def _set(self, keep: str | None = None, **changes: Any) -> None:
        """Replace the view (one redraw); ``keep``: the paper the cursor stays on."""
        self._keep = keep
        self.view = self.view._replace(**changes)

    def watch_view(self, old: View, new: View) -> None:
        rows_changed = (
            old.loaded is not new.loaded
            or old.search_rows is not new.search_rows
            or (old.source, old.order, old.unread_only, old.query)
            != (new.source, new.order, new.unread_only, new.query)
        )
        if rows_changed:
            # A new order starts at the top; anything else keeps the cursor's paper.
            self._refresh_rows(self._keep, top=old.order != new.order)
        else:
            self._update_title()
        self._keep = None
        self._update_notice()

    # Layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The bars are docked (the title and search box at the top, the key bar and the
        # notices at the bottom), the list and the detail laid out side by side between
        # them (or one above the other, narrow): no container, one widget less to style
        # and draw before the first frame.
        yield Static(id="title-bar", markup=False)
        yield PaperList(self.read_ids, self.bookmark_ids, self.noted_ids, id="papers")
        yield DetailPane(id="detail")
        # The key bar's place, until it comes after the first frame (``show_keys``).
        yield Static(id="keys-space")

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
            self.mount(self._search_box, after="#title-bar")
        return self._search_box

    # Start-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.paper_list.focus()
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

    def show_keys(self) -> None:
        """Put the key bar in its place (after the first frame: the footer's module, its
        styles and its keys, a widget each, do not hold the papers back)."""
        from paperreader.ui.widgets.keybar import KeyBar

        space = self.query_one("#keys-space")
        self.mount(KeyBar(), before=space)
        space.remove()

    @work(thread=True, group="user-state")
    def load_user_state(self) -> None:
        try:
            state = self.library.user_state()
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            state = UserState(set(), set(), set(), {})
        self.app.call_from_thread(self._start, state)

    def _start(self, state: UserState) -> None:
        self.read_ids |= state.read
        self.bookmark_ids |= state.bookmarks
        self.noted_ids |= state.annotated
        chosen = self.reader_app.chosen_settings(state.settings, restore=self._restore)
        changes: dict[str, Any] = {}
        if chosen["order"] in ORDERS:
            changes["order"] = str(chosen["order"])
        if self._restore:
            changes["unread_only"] = state.settings.get("unread_only") == "1"
        if not self._period_given and self.source.kind == "listing":
            changes["source"] = start_source(None, "listing", chosen["unit"])
        if self._loaded_early:
            self._set(**changes)  # the read marks have arrived: redraw the counts
            self._refresh_rows()
            return
        self.set_reactive(ReaderBase.view, self.view._replace(**changes))
        first = state.first
        if first is not None and not self.source.accepts(first.source):
            first = None  # read for another view than the settings chose
        self.load_source(self.source, first=first)

    def save_setting(self, key: str, value: str) -> None:
        self.reader_app.save_setting(key, value)

    # Loading a source ------------------------------------------------------------------
    def load_source(
        self, source: Source, *, network: bool = True, first: Loaded | None = None
    ) -> None:
        """Load ``source`` in a worker; ``first``: its first screen, read from the store
        before the app started, shown now (the worker then reads only the rest)."""
        if first is None:
            self._set(source=source, loaded=None)
        else:
            self.set_reactive(ReaderBase.view, self.view._replace(source=source, loaded=None))
            self._show(first)
            if source.kind == "archive" and not first.partial:
                return  # the whole archive fitted in its first page
            offline = not (network and self.library.online)
            if source.kind == "listing" and not first.partial and offline:
                return  # offline: the store's answer is the answer
        self._fetch_source(source, network, first)

    @work(thread=True, exclusive=True, group="listing")
    def _fetch_source(self, source: Source, network: bool, known: Loaded | None = None) -> None:
        """Show each answer of the core's load policy: the store's at once, then the
        network's (see ``Library.load``)."""
        worker = get_current_worker()
        try:
            answers = self.library.load(source, network=network, today=self._today(), known=known)
            for loaded in answers:
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._show, loaded)
        except StoreError as error:
            if not worker.is_cancelled:
                failed = Loaded(source, (), "none", problem=str(error))
                self.app.call_from_thread(self._show, failed)

    def _show(self, loaded: Loaded) -> None:
        if not self.source.accepts(loaded.source):
            return  # a late answer for a source the user has already left
        if self._skip_empty_day(loaded):
            return
        source = loaded.source if loaded.origin != "sample" else self.source
        self._set(source=source, loaded=loaded)
        if len(loaded.rows) > BIG_VIEW and not loaded.partial:
            # Tens of thousands of row tuples would make every full garbage collection
            # scan them (50-80 ms pauses under the cursor); they hold no cycles, so they
            # are still freed the usual way when the view changes.
            gc.collect()
            gc.freeze()

    def _skip_empty_day(self, loaded: Loaded) -> bool:
        """Stepping with ``[`` / ``]``: step over periods without papers (weekends,
        holidays); past the newest (or the first) listing, go back where the step began,
        saying so, rather than land on an empty period."""
        period = loaded.source.period
        if not self._skip or period is None:
            return False
        if loaded.origin == "none" and loaded.offline:
            # Nothing stored there and the network failed: the nearest stored one.
            steps, self._skip, self._skipped = self._skip, 0, []
            self.step_to_stored(period, steps, loaded.problem, self._skip_from)
            return True
        if loaded.rows or loaded.origin not in ("network", "cache", "none"):
            if loaded.rows and self._skipped:
                self.notify(f"Skipped {', '.join(self._skipped)}: no papers listed.", timeout=4)
            self._skip, self._skipped = 0, []
            return False
        if loaded.origin == "cache" and self.library.online and not loaded.problem:
            return True  # wait for the network's answer before deciding
        target = period.shift(self._skip)
        if (
            loaded.problem
            or len(self._skipped) >= MAX_SKIPPED_DAYS
            or not target.in_range(self._today())
        ):
            way = "later" if self._skip > 0 else "earlier"
            start, self._skip, self._skipped = self._skip_from, 0, []
            if start is None:
                return False
            why = f" ({loaded.problem})" if loaded.problem else ""
            self.notify(f"No {way} {period.unit} has papers yet{why}.", markup=False)
            self.load_source(Source(period=start), network=False)
            return True
        label = period.start.strftime("%a %m-%d") if period.unit == "day" else period.key
        self._skipped.append(label)
        self.load_source(Source(period=target))
        return True

    # Made by the mixins (declared here, below them all in the method order) ----------
    step_to_stored: Callable[..., object]  # listings.py (a worker)

    def _set_read(self, paper_id: str, read: bool) -> None:
        raise NotImplementedError  # marks.py

    def reload_user_state(self) -> None:
        raise NotImplementedError  # marks.py

    def _leave_search(self) -> None:
        raise NotImplementedError  # search.py

    # Rows on screen --------------------------------------------------------------------
    def _visible_rows(self) -> Sequence[Row]:
        view = self.view
        if view.searching:
            rows: Sequence[Row] = view.search_rows
        else:
            rows = view.loaded.rows if view.loaded else ()
            if view.source.kind == "listing":
                rows = order_rows(rows, view.order)
        if view.unread_only:
            rows = unread_rows(rows, self.read_ids)
        return rows

    def _refresh_rows(self, keep: str | None = None, *, top: bool = False) -> None:
        current = self.paper_list.current
        keep = None if top else keep or (current.id if current else None)
        rows = self._visible_rows()
        paper_list = self.paper_list
        paper_list.value = self.view.order if self.view.sortable else "upvotes"
        paper_list.set_rows(rows, keep=keep)
        if not rows:
            self._detail_id = None
            view = self.view
            unread_key = key_label(self.key_for("view.unread"))
            message = empty_message(
                view.loaded if not view.searching else None,
                query=view.query,
                unread_only=view.unread_only,
                today=self._today(),
                unread_key=unread_key,
            )
            self.detail.show_message(message)
        self._update_title()

    def _update_title(self) -> None:
        text = Text(" " + title_text(self.view, self.read_ids), style="bold")
        self.query_one("#title-bar", Static).update(text)
        self.app.title = window_title(self.view)

    def _update_notice(self) -> None:
        message = notice_text(self.view)
        found = self.query("#notice-bar")
        if not found and not message:
            return  # mounted with the first notice: the first frame does not wait for it
        bar = found.first(Static) if found else Static(id="notice-bar", markup=False)
        bar.update(Text(" " + message if message else ""))
        bar.display = bool(message)
        if not found:
            self.mount(bar)  # docked above the key bar

    # Detail ----------------------------------------------------------------------------
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
        if self.library.online:
            self.refresh_page(event.row.id)
        period = self.source.period
        last = event.index == len(self.paper_list.rows) - 1
        if (
            last
            and period is not None
            and not self.view.searching
            and self.source.kind == "listing"
        ):
            following = period.shift(1)
            if following.in_range(self._today()):
                key = key_label(self.key_for("listing.next"))
                self.notify(
                    f"The last paper of {period.label}: {key} goes on to {following.label}.",
                    timeout=5,
                )

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, paper_id: str) -> None:
        """The paper, the user's note and tags, and what is stored of its page (linked
        repositories, comments, whether its full text is stored): no network."""
        worker = get_current_worker()
        try:
            paper = self.library.paper(paper_id)
            note, tags = self.library.annotations(paper_id)
            parts = self.library.page_parts(paper_id)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_detail, paper_id, paper, note, tags, parts)

    @work(thread=True, exclusive=True, group="page")
    def refresh_page(self, paper_id: str) -> None:
        """A paper opened (enter): its linked repositories and comments from Hugging
        Face, kept for offline reading, then shown."""
        try:
            parts = self.library.page_parts(paper_id, network=True)
        except StoreError:
            return
        self.app.call_from_thread(self._page_refreshed, paper_id, parts)

    def _page_refreshed(self, paper_id: str, parts: PageParts) -> None:
        if self._detail_id == paper_id:
            self._detail_parts = parts
            self._show_detail_state(paper_id, keep_scroll=True)

    def _show_detail(
        self,
        paper_id: str,
        paper: Paper | None,
        note: str,
        tags: tuple[str, ...],
        parts: PageParts,
    ) -> None:
        current = self.paper_list.current
        if current is None or current.id != paper_id:
            return
        self._detail_id = paper_id
        self._detail_paper = paper
        self._detail_notes = (note, tags)
        self._detail_parts = parts
        self._show_detail_state(paper_id)

    def _show_detail_state(self, paper_id: str, *, keep_scroll: bool = False) -> None:
        note, tags = self._detail_notes
        parts = self._detail_parts
        loaded = self.loaded
        self.detail.show(
            self._detail_paper,
            reason=loaded.reasons.get(paper_id, "") if loaded is not None else "",
            read=paper_id in self.read_ids,
            bookmarked=paper_id in self.bookmark_ids,
            note=note,
            tags=tags,
            keep_scroll=keep_scroll,
            details=parts.details,
            comments=parts.comments,
            full_text_stored=parts.full_text,
        )

    def _redraw(self, paper_ids: Iterable[str]) -> None:
        """After marks changed (the sets the list holds): the list, counts, the detail."""
        self.paper_list.refresh()
        self._update_title()
        if self._detail_id in set(paper_ids):
            self._show_detail_state(self._detail_id, keep_scroll=True)

    def action_switch_pane(self) -> None:
        if self.paper_list.has_focus:
            self.detail.focus()
        else:
            self.paper_list.focus()

    def all_bindings(self) -> list[tuple[str, Binding]]:
        """Every (key, binding) of the reader, as rebound by the user's keymap."""
        keymap = self.app._keymap
        pairs: list[tuple[str, Binding]] = []
        for node in (self, self.paper_list, self.detail):
            bindings_map = node._bindings.copy()
            if keymap:
                bindings_map.apply_keymap(keymap)
            for key, keyed in bindings_map.key_to_bindings.items():
                pairs.extend((key, b) for b in keyed)
        return pairs

    def key_for(self, binding_id: str) -> str:
        """The key the user's keymap binds to a command of the reader now."""
        return next((k for k, b in self.all_bindings() if b.id == binding_id), "")

    def _current(self) -> Row | None:
        row = self.paper_list.current
        if row is None:
            self.notify("No paper selected.", severity="warning")
        return row

    # From worker threads -----------------------------------------------------------
    def _from_thread(self, callback: Callable[..., object], *args: object, **kw: object) -> None:
        """From the writer's (or any) thread: run ``callback`` on the app's. Never blocks;
        dropped once the app has closed."""
        with contextlib.suppress(RuntimeError):
            self.app.call_later(callback, *args, **kw)


# The mixins (marks, listings, links, search, follow, background, palette) are plain
# classes at run time, put together with ReaderBase into ReaderScreen: each would cost
# Textual's class set-up (and the first frame its time) as a Screen of its own. For the
# type checker they are ReaderBase, whose attributes and methods they use.
if TYPE_CHECKING:
    Mixin = ReaderBase
else:
    Mixin = object
