"""Jump to a listing: a day, an ISO week, a month, ``today`` or ``yesterday``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from paperreader.core.periods import Period, PeriodError
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.dialog import Dialog, DialogError, DialogHint, DialogTitle


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


class JumpScreen(Dialog[Period | None]):
    """Type a day, week or month; ``enter`` goes, ``esc`` closes. A period that cannot
    be read or has no listings keeps the dialog open, saying why (wrapped, never cut)."""

    BINDINGS = bindings("jump")

    DEFAULT_CSS = """
    JumpScreen > Vertical { width: 64; }
    """

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__()
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DialogTitle("Go to a listing")
            yield Input(placeholder="2026-08-17, 2026-W33, 2026-08, today, yesterday", id="jump")
            yield DialogError(id="jump-error")
            yield DialogHint(f"enter goes · {self.keys('jump.cancel')} closes")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            period = parse_jump(event.value, self._today())
        except PeriodError as error:
            self.query_one("#jump-error", DialogError).show(str(error))
            return
        self.dismiss(period)
