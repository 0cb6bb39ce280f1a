"""The paperreader app: start-up, settings, theme, keymap and shutting down.

The reading itself (the view state and every action on it) is the reader screen's
(``paperreader.ui.reader``). The app holds what outlives a screen: the library (the only
door to the store and the network), the config, the serial writer of the user's data,
the clipboard and browser hooks, and a background sync's handle. Widgets never do I/O:
the screens run store, network, clipboard and browser calls in thread workers.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from paperreader.core.config import Config
from paperreader.core.library import Library, UserState
from paperreader.core.periods import Period
from paperreader.core.settings import chosen_settings, configured, saved_name
from paperreader.core.writer import SerialWriter
from paperreader.ui.reader import ReaderScreen

if TYPE_CHECKING:
    from paperreader.core.client import HFClient
    from paperreader.ui.widgets.detail import DetailPane
    from paperreader.ui.widgets.paper_list import PaperList

# The other screens (help, links, jump, note, tags, export) are imported when first
# opened: the first frame does not wait for them.


def _copy_system(text: str) -> None:
    from paperreader.core.clipboard import copy_system  # with the first copy

    copy_system(text)


#: Seconds quitting waits for the user's data still being written.
QUIT_WAIT = 3.0


class PaperReaderApp(App[None]):
    TITLE = "paperreader"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        library: Library,
        period: Period | None = None,
        *,
        view: str = "listing",
        key: str = "",
        today: Callable[[], date] = date.today,
        restore: bool = True,
        config: Config | None = None,
        user_state: UserState | None = None,
    ) -> None:
        """``user_state``: the user's data read before the app starts (the CLI does, with
        the archive's first page), so the first frame shows the papers; without it the
        reader reads it in a worker. ``restore``: use the settings saved last time.
        ``view``: the kind of view to open on (a listing, the archive, a watch: ``key``
        is its name)."""
        super().__init__()
        self.library = library
        self.config = config or Config()
        self.today = today
        self._reader = ReaderScreen(
            period, kind=view, key=key, restore=restore, user_state=user_state
        )
        #: Every write of the user's data, in the order asked: the last key pressed wins.
        self.writer = SerialWriter()
        #: The system clipboard; tests replace it. Falls back to the terminal's (OSC 52).
        self.system_copy: Callable[[str], None] = _copy_system
        self.launch_browser: Callable[[str], None] = self._open_url
        self.sync_stop: bool | None = None  # None: no sync running
        self.sync_client: HFClient | None = None
        self.network_cancelled = False
        if self.config.keys:
            self.set_keymap(self.config.keymap())

    def _open_url(self, url: str) -> None:
        from paperreader.core.browser import open_url  # with the first link opened

        open_url(url, self.config.browser)

    def get_default_screen(self) -> Screen[Any]:
        return self._reader

    # The reader and what tests and scripts look at -------------------------------------
    @property
    def reader(self) -> ReaderScreen:
        return self._reader

    @property
    def paper_list(self) -> PaperList:
        return self._reader.paper_list

    @property
    def detail(self) -> DetailPane:
        return self._reader.detail

    # Links and the clipboard, for every screen (the reader runs them in workers) -----
    def open_in_browser(self, url: str) -> None:
        self._reader.open_in_browser(url)

    def copy_text(self, text: str, label: str) -> None:
        self._reader.copy_text(text, label)

    # Start-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        for notice in self.library.notices:
            self.notify(notice, severity="warning", timeout=20, markup=False)
        if self.config.problems:
            problems = "\n".join(self.config.problems)
            self.notify(
                f"Problems in the config file (defaults used there):\n{problems}",
                severity="warning",
                timeout=30,
                markup=False,
            )

    def _after_first_frame(self) -> None:
        """Show the key bar; and if the launcher paused the garbage collector for the
        start (the CLI does), resume it, with what the start made (modules, styles,
        widgets) set aside."""
        self._reader.show_keys()
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    # Settings --------------------------------------------------------------------------
    def _configured(self) -> dict[str, str | None]:
        """The UI settings the config file sets, by their saved-setting names."""
        config = self.config
        return configured(config.theme, config.default_listing, config.default_sort)

    def chosen_settings(self, saved: dict[str, str], *, restore: bool) -> dict[str, str | None]:
        """The settings to start with (theme, period unit, order; see
        ``core.settings.chosen_settings``), with the theme applied."""
        chosen = chosen_settings(self._configured(), saved, restore=restore)
        theme = chosen["theme"]
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(f"Unknown theme {theme!r}: using {self.theme}.", severity="warning")
        self.theme_changed_signal.subscribe(
            self, lambda theme: self.save_setting("theme", theme.name)
        )
        return chosen

    def save_setting(self, key: str, value: str) -> None:
        """Remember a UI setting (in order with the other writes of the user's data)."""
        configured = self._configured()
        library = self.library
        name = saved_name(key)

        def write() -> None:
            library.set_setting(f"ui.{name}", value)
            if key in configured:
                # Remember what the config file said when the user chose: see above.
                library.set_setting(f"ui.config.{name}", configured[key] or "")

        def failed(error: Exception) -> None:
            self.call_later(self.notify, str(error), severity="warning", markup=False)

        self.writer.submit([("setting", key)], write, failed=failed)

    # The palette -------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is self._reader:  # the reader's commands belong to the reader
            yield from self._reader.palette_commands()

    # Shutting down ---------------------------------------------------------------------
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

    def _cancel_network(self) -> None:
        """Stop every request and network wait at once (quitting): a thread worker
        blocked on the network would otherwise hold the exit until it timed out."""
        self.network_cancelled = True
        if self.sync_stop is not None:
            self.sync_stop = True
        self.library.cancel_network()
        if self.sync_client is not None:
            self.sync_client.close()
