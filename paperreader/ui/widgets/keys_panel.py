"""Textual's "Keys" panel (the command palette's "Keys") has no key to close it: the list
and the detail bind ``esc`` to close it while it is open (``KEYS_PANEL_BINDINGS``); when
it is not, ``esc`` goes on to the reader's "back".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.widget import Widget

#: For the widgets that have the focus on the reader: esc closes the "Keys" panel.
KEYS_PANEL_BINDINGS: list[BindingType] = [Binding("escape", "hide_keys_panel", show=False)]


def keys_panel_open(node: DOMNode) -> bool:
    """Whether Textual's "Keys" panel is open on ``node``'s screen."""
    try:
        return bool(node.screen.query("HelpPanel"))
    except Exception:  # not mounted (yet, or any more)
        return False


def hide_keys_panel(node: DOMNode) -> None:
    node.screen.query("HelpPanel").remove()


# A plain class at run time (a Widget of its own would add a CSS type and change how
# the widgets are styled); a Widget for the type checker.
if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class ClosesKeysPanel(_Base):
    """For the reader's focused widgets: ``esc`` closes the "Keys" panel while it is
    open (with ``KEYS_PANEL_BINDINGS`` in their bindings); otherwise it goes on."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_keys_panel":
            return keys_panel_open(self)
        return super().check_action(action, parameters)

    def action_hide_keys_panel(self) -> None:
        hide_keys_panel(self)
