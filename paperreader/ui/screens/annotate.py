"""Editing a paper's note (a multi-line text area) and its tags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, TextArea

from paperreader.core.limits import MAX_NOTE_CHARS
from paperreader.core.text import parse_tags


class NoteScreen(ModalScreen[str | None]):
    """A text area for the note: leaving it (escape) saves; ctrl+x discards the changes.
    A note longer than MAX_NOTE_CHARS is refused, with the reason shown here."""

    BINDINGS = [
        Binding("escape", "save", "Save and close", id="note.save"),
        # (priority: the text area's own ctrl+x cuts a line, which escape then saved)
        Binding("ctrl+x", "discard", "Discard changes", id="note.discard", priority=True),
    ]

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical {
        width: 90%; max-width: 100; height: 80%; max-height: 30;
        border: round $accent; background: $panel; padding: 0 1;
    }
    NoteScreen TextArea { height: 1fr; }
    NoteScreen #note-error { color: $error; height: auto; }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Note on: {self._title}", style="bold"), markup=False)
            yield TextArea(self._note, id="note", soft_wrap=True)
            yield Label("", id="note-error", markup=False)
            yield Label(Text("esc saves and closes · ctrl+x discards the changes", style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.save_and_close()

    def save_and_close(self) -> bool:
        """Close with the text to save; False (and the reason shown) if it is too long."""
        text = self.query_one(TextArea).text
        if len(text) > MAX_NOTE_CHARS:
            self.query_one("#note-error", Label).update(
                Text(
                    f"Not saved: this note has {len(text):,} characters, and a note can have "
                    f"{MAX_NOTE_CHARS:,}. Shorten it, or ctrl+x to discard the changes."
                )
            )
            return False
        self.dismiss(text)
        return True

    def action_discard(self) -> None:
        self.dismiss(None)


class TagScreen(ModalScreen[tuple[str, ...] | None]):
    """One line of tags, with the tags already in use suggested as you type."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="tags.cancel")]

    DEFAULT_CSS = """
    TagScreen { align: center middle; }
    TagScreen > Vertical {
        width: 80%; max-width: 90; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def __init__(self, title: str, tags: tuple[str, ...], known: list[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = tags
        self._known = known

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Tags of: {self._title}", style="bold"), markup=False)
            yield Input(
                " ".join(self._tags),
                placeholder="to-read rl vision (spaces or commas between tags)",
                suggester=_TagSuggester(self._known),
                id="tags",
            )
            if self._known:
                used = ", ".join(self._known[:12])
                yield Label(Text(f"In use: {used}", style="dim"), markup=False)
            yield Label(Text("enter saves · esc cancels · → takes the suggestion", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))


class _TagSuggester(SuggestFromList):
    """Suggest a known tag for the word being typed (the last one)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(tags, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        found = await super().get_suggestion(last)
        return f"{head} {found}".lstrip() if found else None
