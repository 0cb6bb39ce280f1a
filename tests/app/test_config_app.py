"""The config file in the running app: rebound keys, theme, read marking, clipboard."""

from __future__ import annotations

from pathlib import Path

from paperreader.core.config import parse_config
from paperreader.ui.screens.help import HelpScreen
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub

CONFIG = """
theme = "textual-light"
mark_read = "move"
clipboard = "terminal"

[keys]
"paper.bookmark" = "x"
"listing.next" = ["]", "L"]
"""


async def test_rebound_keys_theme_and_options(hub: FakeHub, make_app, tmp_path: Path) -> None:
    app = make_app(hub.url)
    app.config = parse_config(CONFIG, tmp_path / "config.toml")
    app.set_keymap(app.config.keymap())
    copied: list[str] = []
    app.system_copy = copied.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        assert app.theme == "textual-light"
        first = app.paper_list.rows[0].id
        await pilot.press("x")
        await settle(pilot, lambda: first in app.reader.bookmark_ids, "the rebound bookmark key")
        await pilot.press("b")  # no longer bookmarks
        await pilot.pause()
        assert app.reader.bookmark_ids == {first}
        # mark_read = "move": moving onto a paper marks it read.
        await pilot.press("j")
        second = app.paper_list.rows[1].id
        await settle(pilot, lambda: second in app.reader.read_ids, "read on move")
        # clipboard = "terminal": OSC 52 only, never the system clipboard.
        await pilot.press("y")
        await settle(pilot, lambda: second in app.clipboard, "the terminal copy")
        assert copied == []
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "x" in text.split("Bookmark the paper")[0].splitlines()[-1]
        assert "], L" in text or "L, ]" in text


async def test_a_broken_config_still_starts_and_says_where(
    hub: FakeHub, make_app, tmp_path: Path
) -> None:
    app = make_app(hub.url)
    app.config = parse_config('theme = "nope\nmark_read = 3\n', tmp_path / "config.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        messages = "\n".join(n.message for n in app._notifications)
        assert "config.toml" in messages and "line 1" in messages
        assert app.config.mark_read == "open"
