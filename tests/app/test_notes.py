"""Notes and tags on papers: edited in the app, kept as user data, shown everywhere."""

from __future__ import annotations

import shutil

from paperreader.fakehub import FakeHub
from paperreader.ui.screens.annotate import NoteScreen, TagScreen, parse_tags
from tests.app.test_app import SIZE, loaded, screen_text, settle


def test_parse_tags() -> None:
    assert parse_tags("RL, to-read  #Vision rl") == ("rl", "to-read", "vision")
    assert parse_tags("[bold]x[/] \x1b[31m") == ("boldx",)
    assert parse_tags(" , ") == ()


async def test_note_and_tags_are_saved_shown_and_survive(hub: FakeHub, make_app, app_paths):
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("b", "n")
        assert isinstance(app.screen, NoteScreen)
        for key in "Read section 3":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        for key in "[not markup]":
            await pilot.press(key)
        await pilot.press("escape")  # leaving saves
        await settle(pilot, lambda: paper_id in app.noted_ids, "the saved note")
        await pilot.press("T")
        assert isinstance(app.screen, TagScreen)
        for key in "to-read rl":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await settle(pilot, lambda: "#to-read" in screen_text(app), "the tags")
        text = screen_text(app)
        assert "Your note" in text and "Read section 3" in text and "[not markup]" in text
        assert "✎" in app.paper_list.render_line(0).text
        store = app.library.store
        assert store.note(paper_id) == "Read section 3\n[not markup]"
        assert store.tags(paper_id) == ("rl", "to-read")

    shutil.rmtree(app_paths.cache_dir)  # the cache goes; notes and tags stay
    again = make_app(None)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await settle(pilot, loaded(again, "store"), "the bookmarks")
        await settle(pilot, lambda: again._detail_id == paper_id, "the detail")
        text = screen_text(again)
        assert "Read section 3" in text and "#rl" in text


async def test_discarding_a_note_keeps_the_old_one(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("n", "a", "escape")
        await settle(pilot, lambda: paper_id in app.noted_ids, "the first note")
        await pilot.press("n", "b", "ctrl+x")
        await app.workers.wait_for_complete()
        assert app.library.store.note(paper_id) == "a"
        # An emptied note is deleted.
        await pilot.press("n", "backspace", "escape")
        await settle(pilot, lambda: paper_id not in app.noted_ids, "the deleted note")
        assert app.library.store.note(paper_id) == ""
