"""Choose one of a paper's links (to copy it)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from paperreader.core.models import Link
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.dialog import (
    LIST_KEYS,
    Dialog,
    DialogError,
    DialogHint,
    DialogTitle,
    MovesInList,
)


def unsafe_reason(number: int, link: Link) -> str:
    """Why link ``number`` (as the menu numbers it) is not copied."""
    return (
        f"Link {number} ({link.label}) is not copied: only plain http:// and https:// links "
        "are, and this one is not (it could run code or hide where it leads)."
    )


class LinkPicker(MovesInList, Dialog[Link | None]):
    """A short list of the paper's links; ``enter`` or a link's number returns it. An
    unsafe link (not http(s), or with hidden characters) is shown struck out, and
    choosing it says why it is not copied."""

    BINDINGS = [*bindings("links"), *LIST_KEYS]

    DEFAULT_CSS = """
    LinkPicker > Vertical { width: 90%; max-width: 110; max-height: 80%; }
    LinkPicker OptionList { height: auto; max-height: 20; border: none; }
    """

    def __init__(self, title: str, links: tuple[Link, ...]) -> None:
        super().__init__()
        self._title = title
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DialogTitle(f"Copy a link of: {self._title}")
            options = []
            for number, link in enumerate(self.links, start=1):
                prompt = Text.assemble((f"{number} ", "dim"), (f"{link.label:<13}", "bold"))
                prompt.append(link.url, style="" if link.safe else "strike dim")
                if not link.safe:
                    prompt.append("  unsafe: not copied", style="red")
                options.append(Option(prompt, id=str(number - 1), disabled=not link.safe))
            yield OptionList(*options)
            yield DialogError(id="links-error")
            last = min(len(self.links), 9)
            yield DialogHint(f"enter copies · 1-{last} picks · {self.keys('links.cancel')} closes")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)])

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if key.isdigit() and 1 <= int(key) <= min(len(self.links), 9):
            event.stop()
            link = self.links[int(key) - 1]
            if link.safe:
                self.dismiss(link)
            else:
                self.query_one("#links-error", DialogError).show(unsafe_reason(int(key), link))
