"""Export the bookmarks or the current view: choose a format and a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from paperreader.core.formats import FORMATS, file_extension
from paperreader.ui.bindings import bindings

_NAMES = {"json": "JSON", "markdown": "Markdown reading list", "bibtex": "BibTeX", "csv": "CSV"}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    what: str  # "bookmarks" or "view"
    fmt: str
    path: Path


class ExportScreen(ModalScreen[ExportRequest | None]):
    BINDINGS = bindings("export")

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    ExportScreen OptionList { height: auto; border: none; }
    ExportScreen #export-error { color: $error; height: auto; }
    """

    def __init__(self, what: str, description: str, count: int, stem: str) -> None:
        super().__init__()
        self.what = what
        self._description = description
        self._count = count
        self._stem = stem
        self._fmt = "bibtex"

    def _default_path(self, fmt: str) -> str:
        return f"~/{self._stem}.{file_extension(fmt)}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(f"Export {self._description} ({self._count:,} papers)", style="bold"),
                markup=False,
            )
            yield OptionList(*(Option(_NAMES[fmt], id=fmt) for fmt in FORMATS), id="export-format")
            yield Input(self._default_path(self._fmt), id="export-path")
            yield Label("", id="export-error", markup=False)
            yield Label(Text("↑↓ format · enter in the file name exports · esc", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = FORMATS.index(self._fmt)
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id or "json"
        path = self.query_one("#export-path", Input)
        if path.value == self._default_path(self._fmt):  # not edited by hand: follow
            path.value = self._default_path(fmt)
        self._fmt = fmt

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#export-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#export-error", Label).update("Give a file name.")
            return
        self.dismiss(ExportRequest(self.what, self._fmt, Path(text).expanduser()))
