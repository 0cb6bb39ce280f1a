"""The key bar: Textual's footer, laid out after the first frame."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


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
