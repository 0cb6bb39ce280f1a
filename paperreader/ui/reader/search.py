"""Searching everything stored as you type, and Hugging Face on enter."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, work
from textual.widgets import Input
from textual.worker import get_current_worker

from paperreader.core.errors import HFError
from paperreader.core.library import SEARCH_LIMIT, Source
from paperreader.core.rows import Row
from paperreader.core.store import StoreError
from paperreader.core.text import clean_text
from paperreader.ui.reader.base import Mixin


class SearchMixin(Mixin):
    _before_search: str | None = None  # the paper the cursor was on

    def action_search(self) -> None:
        box = self.search_box
        if not self.view.searching:
            current = self.paper_list.current
            self._before_search = current.id if current else None
            box.value = ""
            box.display = True
            self._set(query="", search_rows=(), search_note="", search_errors="")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search" or not self.view.searching:
            return
        self._set(query=event.value)
        self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        from paperreader.core.query import parse_query  # (with the first search)

        text = parse_query(event.value)
        self.paper_list.focus()
        if not text.words and not text.phrases:
            return
        if not self.library.online:
            self.notify("Offline: only stored papers were searched.", severity="warning")
            return
        self._set(search_note=f"{len(self.search_rows):,} found here; asking Hugging Face…")
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
            self.app.call_from_thread(self._show_search, text, rows, query.errors, note)

    def _show_search(
        self, text: str, rows: tuple[Row, ...], errors: Sequence[str], note: str
    ) -> None:
        if self.query_text != text:
            return
        if len(rows) >= SEARCH_LIMIT:
            found = f"the best {len(rows):,} found in the store"
        else:
            found = f"{len(rows):,} found in the store"
        self._set(
            search_rows=rows,
            search_note=f"{found}; {note}" if note else found,
            search_errors="; ".join(errors),
        )

    @work(thread=True, exclusive=True, group="search-online")
    def search_online(self, text: str, words: str) -> None:
        try:
            result = self.library.search_online(words)
        except (HFError, StoreError) as error:
            note = f"online search failed: {clean_text(str(error))}"
            self.app.call_from_thread(self.notify, note, severity="warning", markup=False)
        else:
            note = f"Hugging Face returned {result.found}, {result.new} of them new here"
        if self.query_text == text:
            self.app.call_from_thread(self.run_search, text, note)

    def action_leave(self) -> None:
        if self.view.searching:
            self._leave_search()
        elif self.source.kind != "listing" or self.source.trending:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
        elif self.detail.has_focus:
            self.paper_list.focus()

    def _leave_search(self) -> None:
        box = self.search_box
        box.display = False
        self.paper_list.focus()
        self._set(
            keep=self._before_search, query=None, search_rows=(), search_note="", search_errors=""
        )

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
        elif event.key == "escape" and self.key_for("view.back") != "escape":
            event.stop()  # "back" is bound elsewhere: escape still leaves the search
            self._leave_search()
