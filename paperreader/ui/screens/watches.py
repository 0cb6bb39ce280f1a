"""The watches (saved searches, #13): each with its papers, unread and new papers;
``enter`` opens one, ``r`` renames, ``d`` deletes (after asking). Also the small dialogs
it needs: naming a watch, and yes or no.

The watches are read and changed through the library in thread workers.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from paperreader.core.follow import Watch, WatchError
from paperreader.core.library import Library
from paperreader.core.store import StoreError
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.dialog import LIST_KEYS, ConfirmScreen, MovesInList


class WatchesScreen(MovesInList, ModalScreen[str | None]):
    """Every watch with its counts; dismissed with the name of the one to open."""

    BINDINGS = [*bindings("watches"), *LIST_KEYS]

    DEFAULT_CSS = """
    WatchesScreen { align: center middle; }
    WatchesScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    WatchesScreen OptionList { height: auto; max-height: 24; border: none; }
    WatchesScreen #watches-status { color: $text-muted; height: auto; }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.watches: list[Watch] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Watches", style="bold"), markup=False)
            yield OptionList(id="watches")
            yield Label(Text("Loading…"), id="watches-status", markup=False)
            yield Label(
                Text("enter open · r rename · d delete · esc close", style="dim"), markup=False
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load_watches()

    @work(thread=True, exclusive=True, group="watches")
    def load_watches(self, keep: str | None = None) -> None:
        worker = get_current_worker()
        try:
            found = self.library.watches()
        except (StoreError, WatchError) as error:
            self.app.call_from_thread(self._status, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, found, keep)

    def _status(self, text: str) -> None:
        self.query_one("#watches-status", Label).update(Text(text))

    def _show(self, found: list[Watch], keep: str | None) -> None:
        self.watches = found
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for index, watch in enumerate(found):
            prompt = Text.assemble((watch.name, "bold"), "  ")
            prompt.append(f"{watch.total:,} papers · {watch.unread:,} unread · ")
            prompt.append(f"{watch.new:,} new", style="bold" if watch.new else "")
            prompt.append(f"   {watch.query}", style="dim")
            options.add_option(Option(prompt, id=str(index)))
        if found:
            names = [w.name for w in found]
            index = names.index(keep) if keep in names else min(highlighted or 0, len(found) - 1)
            options.highlighted = index
            self._status(f"{len(found)} watch{'es' * (len(found) != 1)}")
        else:
            self._status(
                "No watches yet: search with / and press W to keep the search as a watch "
                "(or `paperreader watch add NAME QUERY`)."
            )

    def _current(self) -> Watch | None:
        index = self.query_one(OptionList).highlighted
        return self.watches[index] if index is not None and index < len(self.watches) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.watches[int(event.option.id or 0)].name)

    def action_rename(self) -> None:
        watch = self._current()
        if watch is None:
            return

        def named(name: str | None) -> None:
            if name and name != watch.name:
                self.change(watch.name, name)

        self.app.push_screen(WatchNameScreen(f"Rename the watch {watch.name}", watch.name), named)

    def action_delete(self) -> None:
        watch = self._current()
        if watch is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(watch.name, None)

        self.app.push_screen(ConfirmScreen(f"Delete the watch {watch.name!r}?"), answered)

    @work(thread=True, group="watch-change")
    def change(self, name: str, new: str | None) -> None:
        """Rename the watch ``name`` to ``new``, or delete it (``new`` None)."""
        try:
            if new is None:
                self.library.remove_watch(name)
            else:
                new = self.library.rename_watch(name, new)
        except (StoreError, WatchError) as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.load_watches, new)


class WatchNameScreen(ModalScreen[str | None]):
    """One line: a watch's name."""

    BINDINGS = bindings("watch_name")

    DEFAULT_CSS = """
    WatchNameScreen { align: center middle; }
    WatchNameScreen > Vertical {
        width: 80%; max-width: 80; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def __init__(self, title: str, name: str = "") -> None:
        super().__init__()
        self._title = title
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title, style="bold"), markup=False)
            yield Input(self._name, placeholder="a name, like robots", id="watch-name")
            yield Label(Text("enter save · esc cancel", style="dim"), markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)
