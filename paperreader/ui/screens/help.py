"""The help screen: every key and what it does, generated from the live bindings."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperreader.core.commands import GROUPS, group_of
from paperreader.ui.bindings import bindings, help_text, key_label


def help_rows(bindings: Iterable[tuple[str, Binding]]) -> dict[str, list[tuple[str, str]]]:
    """Group (key, binding) pairs by the command's heading: heading -> [(keys, what)].

    Bindings without an id (a screen's own scrolling keys) are not commands: left out."""
    by_action: dict[tuple[str, str], list[str]] = {}
    for key, binding in bindings:
        if not binding.id or not binding.description:
            continue
        what = help_text(binding.id) or binding.tooltip or binding.description
        by_action.setdefault((binding.id, what), []).append(key_label(key))
    groups: dict[str, list[tuple[str, str]]] = {heading: [] for heading in GROUPS.values()}
    for (binding_id, description), keys in by_action.items():
        groups.setdefault(group_of(binding_id), []).append(
            (", ".join(dict.fromkeys(keys)), description)
        )
    return {heading: rows for heading, rows in groups.items() if rows}


def _table(groups: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", justify="right", no_wrap=True)
    table.add_column()
    for heading, rows in groups:
        table.add_row("", Text(heading, style="bold underline"))
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        *bindings("help"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 116; max-width: 98%; height: auto; max-height: 96%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    HelpScreen Horizontal { height: auto; }
    HelpScreen .help-column { width: 1fr; height: auto; padding-right: 2; }
    HelpScreen.-narrow Horizontal { layout: vertical; }
    """

    def __init__(self, groups: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        # Two columns, split where the line counts are most even.
        items = list(self.groups.items())
        sizes = [len(rows) + 2 for _, rows in items]
        half, running, split = sum(sizes) / 2, 0, len(items)
        for index, size in enumerate(sizes):
            if running + size / 2 >= half:
                split = index
                break
            running += size
        split = max(1, split)
        with VerticalScroll():
            with Horizontal():
                yield Static(_table(items[:split]), classes="help-column")
                yield Static(_table(items[split:]), classes="help-column")
            yield Static(Text("esc or ? closes this help", style="dim"))

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one(VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
