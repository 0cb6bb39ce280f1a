"""Export the bookmarks or the current view: choose a format and a file.

Given a ``write`` function (``export_writer``), the dialog writes the file itself, in a
thread worker, and stays open when writing fails, with the reason under the file name
(a folder that does not exist, a full disk): the user fixes the name and tries again.
Without one, it returns the request for the caller to write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from paperreader.core.formats import FORMATS, file_extension
from paperreader.core.wording import plural
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.dialog import Dialog, DialogError, DialogHint, DialogTitle

if TYPE_CHECKING:
    from paperreader.core.library import Library

_NAMES = {"json": "JSON", "markdown": "Markdown reading list", "bibtex": "BibTeX", "csv": "CSV"}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    what: str  # "bookmarks" or "view"
    fmt: str
    path: Path
    notice: str = ""  # set once written (by the dialog's ``write``): what to tell the user


class ExportFailed(Exception):
    """The export was not written; the message says why, in one line for the dialog."""


#: Writes a request (blocking: called on a worker thread); returns the notice to show,
#: or raises ExportFailed.
ExportWriter = Callable[[ExportRequest], str]


def export_writer(library: Library, paper_ids: Sequence[str] | None) -> ExportWriter:
    """A ``write`` for the dialog: the papers ``paper_ids`` in that order (None: every
    bookmark), in the request's format, written atomically to its path."""

    def write(request: ExportRequest) -> str:
        from paperreader.core.export import export
        from paperreader.core.files import write_atomic
        from paperreader.core.store import StoreError

        try:
            entries = library.export_entries(None if paper_ids is None else list(paper_ids))
        except StoreError as error:
            raise ExportFailed(f"Not exported: {error}") from None
        try:
            write_atomic(request.path, export(entries, request.fmt))
        except OSError as error:
            why = error.strerror or str(error)
            raise ExportFailed(f"Not exported: cannot write {request.path}: {why}") from None
        return f"Exported {plural(len(entries), 'paper')} as {request.fmt} to {request.path}"

    return write


class ExportScreen(Dialog[ExportRequest | None]):
    BINDINGS = bindings("export")

    DEFAULT_CSS = """
    ExportScreen OptionList { height: auto; border: none; }
    """

    def __init__(
        self,
        what: str,
        description: str,
        count: int,
        stem: str,
        *,
        write: ExportWriter | None = None,
    ) -> None:
        super().__init__()
        self.what = what
        self._description = description
        self._count = count
        self._stem = stem
        self._fmt = "bibtex"
        self._write = write
        self._writing = False

    def _default_path(self, fmt: str) -> str:
        return f"~/{self._stem}.{file_extension(fmt)}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DialogTitle(f"Export {self._description} ({plural(self._count, 'paper')})")
            yield OptionList(*(Option(_NAMES[fmt], id=fmt) for fmt in FORMATS), id="export-format")
            yield Input(self._default_path(self._fmt), id="export-path")
            yield DialogError(id="export-error")
            yield DialogHint(
                f"↑↓ format · enter in the file name exports · {self.keys('export.cancel')} closes"
            )

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
        error = self.query_one("#export-error", DialogError)
        if not text:
            error.show("Give a file name.")
            return
        request = ExportRequest(self.what, self._fmt, Path(text).expanduser())
        if self._write is None:
            self.dismiss(request)
        elif not self._writing:
            self._writing = True
            error.show("Writing…")
            self._run_write(request)

    @work(thread=True, exclusive=True, group="export-write")
    def _run_write(self, request: ExportRequest) -> None:
        assert self._write is not None
        try:
            notice = self._write(request)
        except ExportFailed as failed:
            self.app.call_from_thread(self._failed, str(failed))
        else:
            self.app.call_from_thread(self._written, replace(request, notice=notice))

    def _written(self, request: ExportRequest) -> None:
        if self.is_current:
            self.dismiss(request)
        else:  # closed while writing: still say where the file went
            self.app.notify(request.notice, markup=False, timeout=8)

    def _failed(self, message: str) -> None:
        self._writing = False
        if not self.is_current:
            self.app.notify(message, severity="error", markup=False)
            return
        self.query_one("#export-error", DialogError).show(message)
        self.query_one("#export-path", Input).focus()
