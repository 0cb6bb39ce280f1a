"""Choose one of a paper's links (to copy it)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from paperreader.core.models import Link
from paperreader.ui.bindings import bindings


class LinkPicker(ModalScreen[Link | None]):
    """A short list of the paper's links; ``enter`` returns the chosen one."""

    BINDINGS = [
        *bindings("links"),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
    ]

    DEFAULT_CSS = """
    LinkPicker { align: center middle; }
    LinkPicker > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    LinkPicker OptionList { height: auto; max-height: 20; border: none; }
    """

    def __init__(self, title: str, links: tuple[Link, ...]) -> None:
        super().__init__()
        self._title = title
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Copy a link of: {self._title}", style="bold"), markup=False)
            options = []
            for number, link in enumerate(self.links, start=1):
                prompt = Text.assemble((f"{number} ", "dim"), (f"{link.label:<13}", "bold"))
                prompt.append(link.url, style="" if link.safe else "strike dim")
                if not link.safe:
                    prompt.append("  unsafe", style="red")
                options.append(Option(prompt, id=str(number - 1), disabled=not link.safe))
            yield OptionList(*options)
            yield Label(Text("enter copy · 1-9 pick · esc cancel", style="dim"))

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)])

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key.isdigit() and 1 <= int(key) <= len(self.links):
            link = self.links[int(key) - 1]
            if link.safe:
                self.dismiss(link)
