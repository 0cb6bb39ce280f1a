"""Edges of the calendar and of the terminal (issue 15, points 5 and 12)."""

from __future__ import annotations

import pytest

from paperreader.core.periods import Period
from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.jump import JumpScreen
from tests.app.test_app import SIZE, screen_text, settle
from tools.fakehub import FakeHub


def notices(app: PaperReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_next_at_the_newest_day_and_previous_at_the_first_say_why(
    hub: FakeHub, make_app
) -> None:
    app = make_app(hub.url, Period.parse("2026-08-18"))  # "today" in these tests
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.reader.loaded is not None, "the listing")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.reader.source.period == Period.parse("2026-08-18")
        assert (
            "2026-08-19 is in the future: listings run from 2023-05-04 to today (2026-08-18)"
            in notices(app)
        )

    app = make_app(hub.url, Period.parse("2023-05"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.reader.loaded is not None, "the listing")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.reader.source.period == Period.parse("2023-05")
        assert (
            "2023-04 is before Daily Papers began: listings run from 2023-05-04 to today "
            "(2026-08-18)" in notices(app)
        )


@pytest.mark.parametrize(
    ("start", "key"),
    [
        ("9999-12-31", "right_square_bracket"),
        ("0001-01-01", "left_square_bracket"),
        ("9999-12", "right_square_bracket"),
        ("9999-W52", "right_square_bracket"),
    ],
)
async def test_stepping_at_the_ends_of_the_calendar_does_not_crash(
    make_app, start: str, key: str
) -> None:
    # The command line refuses these now; an app opened on them (offline) still only
    # says no. It was an OverflowError that ended the app.
    app = make_app(None, Period.parse(start))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.reader.loaded is not None, "the listing")
        await pilot.press(key, key)
        await pilot.pause()
        assert app.is_running
        assert app.reader.source.period == Period.parse(start)


async def test_the_jump_dialog_refuses_with_the_command_lines_message(
    hub: FakeHub, make_app
) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.reader.loaded is not None, "the listing")
        await pilot.press("colon", *"9999-12-31", "enter")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)  # still open, saying why
        assert "9999-12-31 is in the future: listings run from 2023-05-04" in screen_text(app)


@pytest.mark.parametrize("size", [(4, 3), (10, 3), (6, 8), (1, 5)])
async def test_the_palette_and_the_link_picker_in_a_tiny_terminal(make_app, size) -> None:
    # Rich's chop_cells raised "range() arg 3 must not be zero": an option list padded
    # into 0 columns.
    app = make_app(None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+p", "s", "down")
        await pilot.pause(0.1)
        await pilot.press("escape", "escape", "c", "down")
        await pilot.pause(0.1)
        assert app.is_running
