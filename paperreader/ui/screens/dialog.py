"""What every dialog shares: the frame and its CSS, a title cut at a word with "…", the
hint line, the error line, the cancel key, and asking before unsaved changes are lost.

The rule, the same in every dialog (and said in each one's hint line): ``ctrl+s`` saves
an editor (``enter`` too in one-line ones), ``ctrl+d`` discards it, asking first if
anything changed, and ``esc`` leaves: the note editor keeps what was typed, the tags
editor asks about changed tags, a choice (go to, export, copy a link) just closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList

from paperreader.core.wording import shorten
from paperreader.ui.bindings import bindings, keys_of

T = TypeVar("T")


#: ``j`` and ``k`` move in a dialog's list as the arrows do (with ``MovesInList``).
LIST_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", show=False),
    Binding("k", "cursor_up", show=False),
]

# A plain class at run time (it only adds two actions); a Widget for the type checker.
if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class MovesInList(_Base):
    """For a dialog holding one option list: the actions of ``LIST_KEYS``."""

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class DialogTitle(Widget):
    """A dialog's title on one line, cut at a word boundary with "…" to the room it has
    (network text: rendered as plain text, never markup)."""

    DEFAULT_CSS = """
    DialogTitle { height: 1; width: 1fr; text-style: bold; }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="dialog-title")
        self.text = " ".join(text.split())

    def render(self) -> Text:
        return Text(shorten(self.text, self.size.width), no_wrap=True)


class DialogHint(Label):
    """The line that says which keys do what, in this dialog."""

    DEFAULT_CSS = """
    DialogHint { width: 1fr; color: $text-muted; }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(Text(text), id=id, classes="dialog-hint", markup=False)


class DialogError(Label):
    """Why the dialog is still open: wrapped to the dialog's width, never cut."""

    DEFAULT_CSS = """
    DialogError { width: 1fr; height: auto; color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="dialog-error", markup=False)

    def show(self, message: str) -> None:
        self.update(Text(message))


class Dialog(ModalScreen[T]):
    """A centred box over the reader. ``esc`` runs ``action_cancel``: it closes at once
    when ``has_changes()`` is false, and asks (``ask_before_closing``) when it is true."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def keys(self, command_id: str) -> str:
        """The keys of one of this dialog's commands, as the user has bound them."""
        keymap: dict[str, str] = getattr(self.app, "_keymap", {}) or {}
        return keys_of(command_id, keymap)

    #: What ``discard`` asks when there are changes (editors set it).
    DISCARD_QUESTION = "Discard the changes?"

    def has_changes(self) -> bool:
        return False

    def action_discard(self) -> None:
        """Close without saving: at once if nothing changed, else after asking."""
        if not self.has_changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.confirm(self.DISCARD_QUESTION, answered, yes="discard")

    def ask_before_closing(self) -> None:
        """With unsaved changes: what ``esc`` does instead of closing (subclasses)."""
        self.dismiss(None)

    def action_cancel(self) -> None:
        if self.has_changes():
            self.ask_before_closing()
        else:
            self.dismiss(None)

    def confirm(
        self,
        question: str,
        then: Callable[[bool | None], None],
        *,
        yes: str = "yes",
        no: str | None = None,
    ) -> None:
        """Ask ``question`` in a small dialog; ``then`` gets True (y), False (n) or None
        (esc: back to this dialog)."""
        self.app.push_screen(ConfirmScreen(question, yes=yes, no=no), then)


class ConfirmScreen(Dialog[bool | None]):
    """A yes/no question: ``y`` answers yes, ``n`` no (when ``no`` is given; otherwise
    it is like esc), ``esc`` goes back (None)."""

    BINDINGS = bindings("confirm")

    DEFAULT_CSS = """
    ConfirmScreen > Vertical { width: 60; border: round $warning; }
    """

    def __init__(self, question: str, *, yes: str = "yes", no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question, style="bold"), markup=False, id="confirm-question")
            parts = [f"{self.keys('confirm.yes')} {self.yes}"]
            if self.no:
                parts.append(f"{self.keys('confirm.no')} {self.no}")
            parts.append(f"{self.keys('confirm.cancel')} back")
            yield DialogHint(" · ".join(parts))

    def action_answer(self, answer: bool) -> None:
        if answer or self.no:
            self.dismiss(answer)
        else:
            self.dismiss(None)
