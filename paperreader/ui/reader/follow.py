"""Following what matters: watches (saved searches), similar papers, "for you".

The views are sources of the core's load policy (``Source("watch", key=NAME)``,
``Source("similar", key=ID)``, ``Source("for_you")``), so every view key works on them;
the watch list and the naming dialog are in ``paperreader.ui.screens.watches``.
"""

from __future__ import annotations

import contextlib

from textual import work

from paperreader.core.library import Source, UserState
from paperreader.core.store import StoreError
from paperreader.ui.reader.base import Mixin


class FollowMixin(Mixin):
    def _start(self, state: UserState) -> None:
        super()._start(state)
        if self.source.kind == "watch":  # opened from the command line (--watch NAME)
            name = self.source.key
            self.call_after_refresh(lambda: self._watch_opened(name))

    def action_watches(self) -> None:
        from paperreader.ui.screens.watches import WatchesScreen

        def chosen(name: str | None) -> None:
            if name is not None:
                self._open_follow(Source("watch", key=name))
                self._watch_opened(name)

        self.app.push_screen(WatchesScreen(self.library), chosen)

    def action_save_watch(self) -> None:
        text = " ".join((self.query_text or "").split())
        if not text:
            self.notify("Search first (/): W keeps the search as a watch.", severity="warning")
            return
        from paperreader.ui.screens.watches import WatchNameScreen

        def named(name: str | None) -> None:
            if name:
                self._add_watch(name, text)

        self.app.push_screen(WatchNameScreen(f"Keep “{text}” as a watch named:"), named)

    @work(thread=True, group="watch-change")
    def _add_watch(self, name: str, text: str) -> None:
        from paperreader.core.follow import WatchError

        try:
            name = self.library.add_watch(name, text)
        except (WatchError, StoreError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        message = f"Watching “{name}” (w lists your watches)."
        self.app.call_from_thread(self.notify, message, markup=False)

    @work(thread=True, group="watch-change")
    def _watch_opened(self, name: str) -> None:
        with contextlib.suppress(StoreError):
            self.library.mark_watch_opened(name)

    def action_similar(self) -> None:
        row = self._current()
        if row is not None:
            self._open_follow(Source("similar", key=row.id))

    def action_for_you(self) -> None:
        self._open_follow(Source("for_you"))

    def _open_follow(self, source: Source) -> None:
        if self.view.searching:
            self._leave_search()
        if self.source.kind == "listing":
            self._previous = self.source
        self.load_source(source)
