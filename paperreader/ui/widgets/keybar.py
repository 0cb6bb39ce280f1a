"""The key bar (the footer): Textual's footer with help and quit first.

It is mounted after the reader's first frame (``ReaderBase.show_keys``; a line of the
same colour holds its place until then), so neither the footer's module, its styles nor
its keys (a widget each) delay the papers. Help and quit come first, so that a narrow
terminal (80 columns) cuts the other keys, never ``? Help``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The actions always shown first in the key bar, in this order.
PINNED = ("help", "app.quit", "quit")


class KeyBar(Footer):
    """The footer, help and quit first."""

    def on_mount(self) -> None:
        # Mounted after the screen's bindings settled: lay the keys out now, not at the
        # next change of focus. (Footer's own on_mount runs too: it subscribes.)
        self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        pinned = sorted(
            (key for key in keys if isinstance(key, FooterKey) and key.action in PINNED),
            key=lambda key: PINNED.index(key.action),
        )
        pinned_ids = {id(key) for key in pinned}
        yield from pinned
        yield from (key for key in keys if id(key) not in pinned_ids)
