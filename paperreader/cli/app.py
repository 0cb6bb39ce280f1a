"""`paperreader` with no command: the reader, its first screen read before it starts."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from paperreader.cli.common import (
    CLIError,
    _close,
    _library,
)
from paperreader.core.periods import Period
from paperreader.core.store import StoreError

if TYPE_CHECKING:
    pass


def _run_app(
    period: Period | None, *, offline: bool, archive: bool = False, watch: str | None = None
) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the full-screen reader cannot read keys or draw (and would
        # spin); scripts want `list` or `export`.
        raise CLIError(
            "the reader needs a terminal (stdin and stdout); "
            "for scripts use `paperreader list` or `paperreader export`"
        )
    # No garbage collection while starting: importing Textual and building the first
    # screen allocate a lot and nothing cyclic worth collecting, and full collections in
    # the middle took 20-40 ms. The app turns the collector back on after its first frame.
    gc.disable()
    try:
        return _start_app(period, offline=offline, archive=archive, watch=watch)
    finally:
        gc.enable()


def _start_app(period: Period | None, *, offline: bool, archive: bool, watch: str | None) -> int:
    from paperreader.core.config import load_config
    from paperreader.core.settings import chosen_settings, configured, start_source
    from paperreader.ui.app import PaperReaderApp  # the UI only when needed

    no_watch: tuple[type[Exception], ...] = ()
    if watch is not None:
        from paperreader.core.follow import WatchError

        no_watch = (WatchError,)
    config = load_config()
    library = _library(offline)
    try:
        view = "archive" if archive else "watch" if watch is not None else "listing"
        # Read before the app starts, so that its first frame already shows the papers:
        # the user's data, and the first screen of the view the settings open on (by
        # the app's own rule). (Not on a thread beside the imports: the two fight over
        # the GIL and the first frame came 20 ms later.)
        try:
            state = library.user_state()
            from_config = configured(config.theme, config.default_listing, config.default_sort)
            chosen = chosen_settings(from_config, state.settings, restore=True)
            source = start_source(period, view, chosen["unit"], key=watch or "")
            order = chosen["order"] or "upvotes"
            state = state._replace(first=library.first_screen(source, order))
        except StoreError:
            state = None  # the app reads it again and shows the error in its window
        except no_watch as error:  # --watch NAME of no watch: one line, not a window
            raise CLIError(str(error)) from None
        app = PaperReaderApp(
            library, period, view=view, key=watch or "", config=config, user_state=state
        )
        app.run()
    finally:
        _close(library)
    return 0
