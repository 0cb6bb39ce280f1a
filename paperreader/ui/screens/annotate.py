"""Editing a paper's note (a multi-line text area) and its tags.

The dialogs' rule (see ``dialog``): ``ctrl+s`` saves; ``esc`` keeps the note as typed and
asks about changed tags; ``ctrl+d`` discards, asking first if anything changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, TextArea

from paperreader.core.limits import MAX_NOTE_CHARS
from paperreader.core.text import parse_tags
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.dialog import Dialog, DialogError, DialogHint, DialogTitle


class NoteScreen(Dialog[str | None]):
    DISCARD_QUESTION = "Discard the changes to this note?"
    """A text area for the note: ``ctrl+s`` or ``esc`` saves and closes; ``ctrl+d``
    discards the changes (asking first if there are any). A note longer than
    MAX_NOTE_CHARS is refused, with the reason shown here."""

    # (note.discard has priority: the text area's own ctrl+d deletes a character)
    BINDINGS = bindings("note")

    DEFAULT_CSS = """
    NoteScreen > Vertical { width: 90%; max-width: 100; height: 80%; max-height: 30; }
    NoteScreen TextArea { height: 1fr; }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DialogTitle(f"Note on: {self._title}")
            yield TextArea(self._note, id="note", soft_wrap=True)
            yield DialogError(id="note-error")
            yield DialogHint(
                f"{self.keys('note.save')} saves · {self.keys('note.discard')} discards "
                "the changes",
                id="note-hint",
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def has_changes(self) -> bool:
        return self.query_one(TextArea).text != self._note

    def action_save(self) -> None:
        self.save_and_close()

    def save_and_close(self) -> bool:
        """Close with the text to save; False (and the reason shown) if it is too long."""
        text = self.query_one(TextArea).text
        if len(text) > MAX_NOTE_CHARS:
            self.query_one("#note-error", DialogError).show(
                f"Not saved: this note has {len(text):,} characters, and a note can have "
                f"{MAX_NOTE_CHARS:,}. Shorten it, or {self.keys('note.discard')} to discard "
                "the changes."
            )
            return False
        self.dismiss(text)
        return True


class TagScreen(Dialog[tuple[str, ...] | None]):
    DISCARD_QUESTION = "Discard the changes to the tags?"
    """One line of tags, with the tags already in use suggested as you type. ``enter`` or
    ``ctrl+s`` saves; ``esc`` closes, asking whether to save tags that were changed."""

    BINDINGS = bindings("tags")

    DEFAULT_CSS = """
    TagScreen > Vertical { width: 80%; max-width: 90; }
    """

    def __init__(self, title: str, tags: tuple[str, ...], known: list[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = tags
        self._known = known

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DialogTitle(f"Tags of: {self._title}")
            yield Input(
                " ".join(self._tags),
                placeholder="to-read rl vision (spaces or commas between tags)",
                suggester=_TagSuggester(self._known),
                id="tags",
                # Typing adds to the tags there (selected, the first key replaced them all).
                select_on_focus=False,
            )
            if self._known:
                used = ", ".join(self._known[:12])
                yield Label(Text(f"In use: {used}", style="dim"), markup=False)
            yield DialogHint(
                f"enter or {self.keys('tags.save')} saves · {self.keys('tags.discard')} "
                f"discards · {self.keys('tags.cancel')} closes (asks if changed) · → takes "
                "the suggestion",
                id="tags-hint",
            )

    def on_mount(self) -> None:
        box = self.query_one("#tags", Input)
        box.focus()
        box.cursor_position = len(box.value)

    @property
    def chosen(self) -> tuple[str, ...]:
        return parse_tags(self.query_one("#tags", Input).value)

    def has_changes(self) -> bool:
        return self.chosen != self._tags

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))

    def action_save(self) -> None:
        self.dismiss(self.chosen)

    def ask_before_closing(self) -> None:
        def answered(save: bool | None) -> None:
            if save is True:
                self.action_save()
            elif save is False:
                self.dismiss(None)

        self.confirm("Save the changed tags?", answered, yes="save", no="discard")


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
