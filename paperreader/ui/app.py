"""The paperreader app: the state of the view, the keys, and workers that call the core.

Widgets never do I/O: the app runs every store, network, clipboard and browser call in a
thread worker and pushes the results into the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from paperreader.core.browser import BrowserError, open_url
from paperreader.core.client import HFError
from paperreader.core.clipboard import ClipboardUnavailable, copy_system
from paperreader.core.library import SAMPLE_KIND, Library
from paperreader.core.models import Link, Paper
from paperreader.core.periods import FIRST_DAY, Period
from paperreader.core.store import Listing, Row, StoreError
from paperreader.core.text import clean_text
from paperreader.ui.screens.help import HelpScreen, help_rows
from paperreader.ui.screens.links import LinkPicker
from paperreader.ui.widgets.detail import DetailPane
from paperreader.ui.widgets.paper_list import PaperList


@dataclass(frozen=True, slots=True)
class ViewState:
    """What is on screen: which listing, from where, and why if it is not fresh."""

    period: Period | None
    sort: str
    listing: Listing | None
    source: str  # "cache", "network", "sample", "none"
    problem: str = ""


class PaperReaderApp(App[None]):
    TITLE = "paperreader"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding(
            "tab",
            "switch_pane",
            "List ⇄ detail",
            show=False,
            id="move.switch",
            tooltip="Switch between the list and the detail",
        ),
        Binding(
            "r",
            "toggle_read",
            "Read/unread",
            id="paper.toggle_read",
            tooltip="Mark the paper read or unread",
        ),
        Binding(
            "b",
            "toggle_bookmark",
            "Bookmark",
            id="paper.bookmark",
            tooltip="Bookmark the paper, or remove the bookmark",
        ),
        Binding(
            "o",
            "open_link('hf')",
            "Open",
            id="link.open",
            tooltip="Open the Hugging Face page in the browser",
        ),
        Binding(
            "p", "open_link('pdf')", "PDF", id="link.pdf", tooltip="Open the PDF in the browser"
        ),
        Binding(
            "y",
            "copy_link('hf')",
            "Copy link",
            id="link.copy",
            tooltip="Copy the Hugging Face link",
        ),
        Binding(
            "Y",
            "copy_link('arxiv')",
            "Copy arXiv link",
            show=False,
            id="link.copy_arxiv",
            tooltip="Copy the arXiv link",
        ),
        Binding(
            "c",
            "choose_link",
            "Copy a link…",
            show=False,
            id="link.choose",
            tooltip="Choose any link of the paper and copy it",
        ),
        Binding(
            "left_square_bracket",
            "shift_period(-1)",
            "Prev",
            id="listing.previous",
            tooltip="Previous day (week, month)",
        ),
        Binding(
            "right_square_bracket",
            "shift_period(1)",
            "Next",
            id="listing.next",
            tooltip="Next day (week, month)",
        ),
        Binding(
            "R",
            "refresh",
            "Refresh",
            show=False,
            id="listing.refresh",
            tooltip="Refresh the listing from the network",
        ),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="This help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        library: Library,
        period: Period | None = None,
        *,
        sort: str = "publishedAt",
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.library = library
        self.read_ids: set[str] = set()
        self.bookmark_ids: set[str] = set()
        self.state = ViewState(period, sort, None, "none")
        self._today = today
        self._detail_id: str | None = None
        #: The system clipboard; tests replace it. Falls back to the terminal's (OSC 52).
        self.system_copy: Callable[[str], None] = copy_system
        self.open_url: Callable[[str], None] = open_url

    # Layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="title-bar", markup=False)
        with Horizontal(id="main"):
            yield PaperList(self.read_ids, self.bookmark_ids, id="papers")
            yield DetailPane(id="detail")
        yield Static(id="notice-bar", markup=False)
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self.paper_list.focus()
        for notice in self.library.store.notices:
            self.notify(notice, severity="warning", timeout=20, markup=False)
        self.load_user_state()
        self.load_listing(self.state.period, self.state.sort, network=True)

    # Loading -------------------------------------------------------------------------
    @work(thread=True, group="user-state")
    def load_user_state(self) -> None:
        try:
            read, marks = self.library.store.read_ids(), self.library.store.bookmark_ids()
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.call_from_thread(self._set_user_state, read, marks)

    def _set_user_state(self, read: set[str], marks: set[str]) -> None:
        self.read_ids |= read
        self.bookmark_ids |= marks
        self.paper_list.refresh()
        self._update_title()

    @work(thread=True, exclusive=True, group="listing")
    def load_listing(self, period: Period | None, sort: str, network: bool = True) -> None:
        """Show the stored listing at once, then refresh it from the network."""
        worker = get_current_worker()
        library = self.library

        def show(state: ViewState) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self._show, state)

        try:
            cached = library.cached(period, sort)
        except StoreError as error:
            cached = None
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
        cached_period = _period_of(cached) if period is None and cached else period
        if cached is not None:
            show(ViewState(cached_period, sort, cached, "cache"))
        if not (network and library.online):
            if cached is None:
                show(self._nothing_state(period, sort, "offline mode: the network is not used"))
            return
        try:
            fetched = library.fetch(period, sort)
        except (HFError, StoreError) as error:
            reason = clean_text(str(error))
            if cached is not None:
                show(ViewState(cached_period, sort, cached, "cache", reason))
            else:
                show(self._nothing_state(period, sort, reason))
            return
        show(
            ViewState(fetched.period or period, sort, fetched.listing, "network", _skipped(fetched))
        )

    def _nothing_state(self, period: Period | None, sort: str, reason: str) -> ViewState:
        """Nothing stored and nothing fetched: the sample on first launch, else say so."""
        if period is None and sort != "trending":
            try:
                return ViewState(None, sort, self.library.sample(), "sample", reason)
            except StoreError as error:
                reason = f"{reason}; {error}"
        return ViewState(period, sort, None, "none", reason)

    def _show(self, state: ViewState) -> None:
        wanted = self.state
        if state.sort != wanted.sort or wanted.period not in (None, state.period):
            return  # a late answer for a listing the user has already left
        keep = self.paper_list.current.id if self.paper_list.current else None
        self.state = state
        rows = state.listing.rows if state.listing else ()
        self.paper_list.set_rows(rows, keep=keep)
        if not rows:
            self._detail_id = None
            self.detail.show_message(self._empty_message())
        self._update_title()
        self._update_notice()

    def _empty_message(self) -> str:
        state = self.state
        if state.listing is None:
            where = state.period.label if state.period else "the latest day"
            return f"Nothing stored for {where}, and it could not be fetched: {state.problem}"
        if state.period is not None and state.period.kind == "day":
            if state.period.start.weekday() >= 5:
                return f"No papers are listed on {state.period.label}: weekends have none."
            return f"No papers are listed on {state.period.label} (a holiday, or not yet)."
        return "This listing has no papers."

    # Title and notices ---------------------------------------------------------------
    def _update_title(self) -> None:
        state = self.state
        rows = state.listing.rows if state.listing else ()
        unread = sum(1 for row in rows if row.id not in self.read_ids)
        if state.source == "sample":
            name = "Daily Papers — bundled sample"
        elif state.sort == "trending":
            name = "Daily Papers — Trending"
        elif state.period is not None:
            name = f"Daily Papers — {state.period.label}"
        else:
            name = "Daily Papers — latest day"
        counts = f"{len(rows)} papers, {unread} unread" if state.listing else "loading…"
        self.query_one("#title-bar", Static).update(Text(f" {name} — {counts}", style="bold"))
        self.title = f"paperreader — {name.removeprefix('Daily Papers — ')}"

    def _update_notice(self) -> None:
        state = self.state
        bar = self.query_one("#notice-bar", Static)
        message = ""
        if state.source == "sample" and not self.library.online:
            message = "Showing a bundled sample of real papers: nothing is stored yet (offline)."
        elif state.source == "sample":
            message = (
                "Showing a bundled sample of real papers: nothing is stored yet and the "
                f"network failed ({state.problem}). Press R to retry."
            )
        elif state.source == "cache" and state.problem and state.listing is not None:
            fetched = state.listing.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M")
            message = f"Offline — showing the copy from {fetched}. {state.problem} (R retries)"
        elif state.source in ("network", "none") and state.problem:
            message = state.problem
        bar.update(Text(" " + message if message else ""))
        bar.display = bool(message)

    # Detail --------------------------------------------------------------------------
    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        self.load_detail(event.row.id)

    def on_paper_list_selected(self, event: PaperList.Selected) -> None:
        self._set_read(event.row.id, True)
        self.detail.focus()

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, paper_id: str) -> None:
        worker = get_current_worker()
        try:
            paper = self.library.store.paper(paper_id)
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_detail, paper_id, paper)

    def _show_detail(self, paper_id: str, paper: Paper | None) -> None:
        current = self.paper_list.current
        if current is None or current.id != paper_id:
            return
        self._detail_id = paper_id
        self._detail_paper = paper
        self.detail.show(
            paper, read=paper_id in self.read_ids, bookmarked=paper_id in self.bookmark_ids
        )

    def _redraw(self, paper_id: str) -> None:
        self.paper_list.refresh_row(paper_id)
        self._update_title()
        if self._detail_id == paper_id:
            self.detail.show(
                self._detail_paper,
                read=paper_id in self.read_ids,
                bookmarked=paper_id in self.bookmark_ids,
            )

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
        (self.read_ids.add if read else self.read_ids.discard)(paper_id)
        self._redraw(paper_id)
        self.save_read(paper_id, read)

    @work(thread=True, group="write")
    def save_read(self, paper_id: str, read: bool) -> None:
        try:
            self.library.store.set_read([paper_id], read)
        except StoreError as error:
            self.call_from_thread(self._undo_read, paper_id, read, str(error))

    def _undo_read(self, paper_id: str, read: bool, error: str) -> None:
        (self.read_ids.discard if read else self.read_ids.add)(paper_id)
        self._redraw(paper_id)
        self.notify(error, severity="error", markup=False)

    def action_toggle_bookmark(self) -> None:
        if row := self._current():
            on = row.id not in self.bookmark_ids
            (self.bookmark_ids.add if on else self.bookmark_ids.discard)(row.id)
            self._redraw(row.id)
            self.save_bookmark(row.id, on)

    @work(thread=True, group="write")
    def save_bookmark(self, paper_id: str, on: bool) -> None:
        store = self.library.store
        try:
            paper = store.paper(paper_id)
            if paper is None:
                raise StoreError("the paper is no longer in the store")
            store.set_bookmark(paper, on)
        except StoreError as error:
            self.call_from_thread(self._undo_bookmark, paper_id, on, str(error))
            return
        title = _short(paper.title)
        what = f"Bookmarked “{title}”" if on else f"Removed the bookmark on “{title}”"
        self.call_from_thread(self.notify, what, markup=False, timeout=3)

    def _undo_bookmark(self, paper_id: str, on: bool, error: str) -> None:
        (self.bookmark_ids.discard if on else self.bookmark_ids.add)(paper_id)
        self._redraw(paper_id)
        self.notify(f"Bookmark not saved: {error}", severity="error", markup=False)

    # Actions: links ------------------------------------------------------------------
    def _link(self, kind: str) -> tuple[Row, str] | None:
        row = self._current()
        if row is None:
            return None
        paper = Paper(row.id, row.title)
        url = {"hf": paper.hf_url, "arxiv": paper.arxiv_url, "pdf": paper.pdf_url}[kind]
        return row, url

    def action_open_link(self, kind: str) -> None:
        if found := self._link(kind):
            self.open_in_browser(found[1])

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        try:
            self.open_url(url)
        except BrowserError as error:
            self.call_from_thread(self.notify, str(error), severity="warning", markup=False)
            return
        self.call_from_thread(self.notify, f"Opened {url}", markup=False, timeout=3)

    def action_copy_link(self, kind: str) -> None:
        if found := self._link(kind):
            label = {"hf": "Hugging Face link", "arxiv": "arXiv link", "pdf": "PDF link"}[kind]
            self.copy_text(found[1], label)

    def action_choose_link(self) -> None:
        paper = self._detail_paper if self._detail_id else None
        row = self._current()
        if row is None:
            return
        if paper is None or paper.id != row.id:
            paper = Paper(row.id, row.title)

        def chosen(link: Link | None) -> None:
            if link is not None:
                self.copy_text(link.url, f"{link.label} link")

        self.push_screen(LinkPicker(paper.title, paper.links), chosen)

    @work(thread=True, group="clipboard")
    def copy_text(self, text: str, label: str) -> None:
        """Copy through the system clipboard, else through the terminal (OSC 52)."""
        try:
            self.system_copy(text)
        except ClipboardUnavailable as error:
            self.call_from_thread(self.copy_to_clipboard, text)
            how = f"through the terminal (OSC 52; no system clipboard: {error})"
        else:
            how = "to the system clipboard"
        self.call_from_thread(self.notify, f"Copied the {label} {how}:\n{text}", markup=False)

    # Actions: listings ---------------------------------------------------------------
    def action_shift_period(self, steps: int) -> None:
        state = self.state
        if state.sort == "trending":
            self.notify("Trending is one list: it has no previous or next.", severity="warning")
            return
        period = state.period or Period.day(self._today())
        target = period.shift(steps)
        if target.start > self._today():
            self.notify(f"{target.label} is in the future.", severity="warning")
            return
        if target.end < FIRST_DAY:
            self.notify("Daily Papers began on 2023-05-04.", severity="warning")
            return
        self.open_period(target)

    def open_period(self, period: Period | None, sort: str | None = None) -> None:
        self.state = ViewState(period, sort or self.state.sort, None, "none")
        self.paper_list.set_rows(())
        self._update_title()
        self.load_listing(period, self.state.sort, network=True)

    def action_refresh(self) -> None:
        if not self.library.online:
            self.notify("Offline mode (--offline): the network is not used.", severity="warning")
            return
        period = None if self.state.source == "sample" else self.state.period
        self.notify("Refreshing…", timeout=2)
        self.load_listing(period, self.state.sort, network=True)

    def action_help(self) -> None:
        pairs = []
        for node in (self, self.paper_list, self.detail):
            for key, bindings in node._bindings.key_to_bindings.items():
                pairs.extend((key, b) for b in bindings)
        self.push_screen(HelpScreen(help_rows(pairs)))


def _period_of(listing: Listing | None) -> Period | None:
    if listing is None or listing.kind == SAMPLE_KIND or listing.kind == "trending":
        return None
    return Period.parse(listing.key)


def _skipped(fetched: object) -> str:
    skipped = getattr(fetched, "skipped", 0)
    return f"{skipped} malformed item(s) from the server were skipped." if skipped else ""


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def _fetched_label(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
