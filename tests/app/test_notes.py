"""Notes and tags on papers: edited in the app, kept as user data, shown everywhere."""

from __future__ import annotations

import shutil

from textual.widgets import TextArea

from paperreader.core.text import parse_tags
from paperreader.ui.screens.annotate import NoteScreen, TagScreen
from paperreader.ui.screens.dialog import ConfirmScreen
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub


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
        await settle(pilot, lambda: paper_id in app.reader.noted_ids, "the saved note")
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
        await settle(pilot, lambda: again.reader._detail_id == paper_id, "the detail")
        text = screen_text(again)
        assert "Read section 3" in text and "#rl" in text


async def test_discarding_a_note_keeps_the_old_one(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("n", "a", "escape")
        await settle(pilot, lambda: paper_id in app.reader.noted_ids, "the first note")
        await pilot.press("n", "b", "ctrl+d")
        await pilot.pause()
        # ctrl+d (priority over the text area's delete-right) asks first: there are changes
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # back to the editor, the text as it was
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "ab"
        await pilot.press("ctrl+d", "y")
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, (NoteScreen, ConfirmScreen))
        assert app.library.store.note(paper_id) == "a"
        # Nothing changed: ctrl+d closes at once.
        await pilot.press("n", "ctrl+d")
        await pilot.pause()
        assert not isinstance(app.screen, (NoteScreen, ConfirmScreen))
        # An emptied note is deleted.
        await pilot.press("n", "backspace", "escape")
        await settle(pilot, lambda: paper_id not in app.reader.noted_ids, "the deleted note")
        assert app.library.store.note(paper_id) == ""


async def test_export_the_view_as_bibtex(hub: FakeHub, make_app, tmp_path) -> None:
    app = make_app(hub.url)
    target = tmp_path / "out.bib"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("b", "n", "x", "escape")
        await settle(pilot, lambda: bool(app.reader.noted_ids), "the note")
        await pilot.press("E")
        await pilot.pause()
        path_box = app.screen.query_one("#export-path")
        assert path_box.value.endswith(".bib")  # BibTeX is the default
        await pilot.press("down")  # csv
        assert path_box.value.endswith(".csv")
        await pilot.press("up")
        path_box.value = str(target)
        path_box.focus()
        await pilot.press("enter")
        await settle(pilot, target.exists, "the file")
    text = target.read_text()
    assert text.count("@misc{") == 6
    assert "eprint = {2608.20000}" in text and "archivePrefix = {arXiv}" in text
    assert "x" in text  # the note is in the first entry's annote


async def test_export_to_an_unwritable_place_is_a_notice(hub: FakeHub, make_app, tmp_path):
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("E")
        await pilot.pause()
        path_box = app.screen.query_one("#export-path")
        path_box.value = str(tmp_path / "missing-folder" / "out.bib")
        path_box.focus()
        await pilot.press("enter")
        # The dialog stays open with the error, to correct the path.
        await settle(
            pilot,
            lambda: "Not exported" in str(app.screen.query_one("#export-error").render()),
            "the error in the dialog",
        )
