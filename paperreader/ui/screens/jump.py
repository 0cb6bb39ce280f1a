"""Jump to a listing: a day, an ISO week, a month, ``today`` or ``yesterday``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from paperreader.core.periods import Period, PeriodError
from paperreader.ui.bindings import bindings


def parse_jump(text: str, today: date) -> Period:
    """Read what the user typed: a period Daily Papers can have (see ``Period.check``);
    raises PeriodError with a message to show."""
    return _read_jump(text, today).check(today)


def _read_jump(text: str, today: date) -> Period:
    word = text.strip().lower()
    if word in ("today", "t", "now"):
        return Period.day(today)
    if word in ("yesterday", "y"):
        return Period.day(today - timedelta(days=1))
    if word in ("this week", "week"):
        return Period.week_of(today)
    if word in ("this month", "month"):
        return Period.month_of(today)
    return Period.parse(text)


class JumpScreen(ModalScreen[Period | None]):
    BINDINGS = bindings("jump")

    DEFAULT_CSS = """
    JumpScreen { align: center middle; }
    JumpScreen > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    JumpScreen #jump-error { color: $error; height: auto; }
    """

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__()
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Go to a listing", style="bold"))
            yield Input(placeholder="2026-08-17, 2026-W33, 2026-08, today, yesterday", id="jump")
            yield Label("", id="jump-error", markup=False)
            yield Label(Text("enter go · esc cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            period = parse_jump(event.value, self._today())
        except PeriodError as error:
            self.query_one("#jump-error", Label).update(Text(str(error)))
            return
        self.dismiss(period)
