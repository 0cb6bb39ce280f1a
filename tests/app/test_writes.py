"""The user's writes from the app: in order, never dropped on quitting, never lost in the
note editor; and long notes (issue 15, points 2, 10 and 11)."""

from __future__ import annotations

import asyncio
import io
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Label, Static, TextArea

from paperreader.core.limits import MAX_NOTE_CHARS
from paperreader.core.paths import Paths
from paperreader.core.store import Store, StoreError
from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.annotate import NoteScreen
from tests.app.test_app import SIZE, loaded, settle
from tools.fakehub import FakeHub


def jitter(
    monkeypatch: pytest.MonkeyPatch, seed: int, delays: tuple[float, ...] = (0, 0.2)
) -> None:
    """Slow half of the store's mark writes (at random) by longer than the Pilot takes
    between two keys: writes run concurrently would finish in another order than asked,
    or after the app has closed."""
    rng = random.Random(seed)
    for name in ("set_bookmark", "set_read"):
        original: Callable[..., Any] = getattr(Store, name)

        def slowed(self: Store, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            time.sleep(rng.choice(delays))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, slowed)


def stored_marks(paths: Paths) -> tuple[set[str], set[str]]:
    """The read marks and bookmarks in the file, read through a connection of its own."""
    store = Store.open(paths)
    try:
        return store.read_ids(), store.bookmark_ids()
    finally:
        store.close()


async def written(app: PaperReaderApp) -> None:
    assert await asyncio.to_thread(app.writer.wait, 10)
    await asyncio.sleep(0.05)  # the writer's callbacks on the app's side


async def test_toggles_in_bursts_leave_the_file_as_the_screen(
    hub: FakeHub, make_app, app_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    jitter(monkeypatch, seed=15)
    rng = random.Random(2)
    app = make_app(hub.url)
    disagreed = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        for burst in range(10):
            await pilot.press(*(rng.choice("br") for _ in range(rng.randint(2, 6))))
            if burst % 5 == 4:
                await written(app)
                shown = (set(app.reader.read_ids), set(app.reader.bookmark_ids))
                if stored_marks(app_paths) != shown:
                    disagreed.append(burst)
            if burst % 3 == 2:
                await pilot.press("j")
        shown = (set(app.reader.read_ids), set(app.reader.bookmark_ids))
    assert not disagreed
    # Quitting waited for the last writes: the file says what the screen said.
    assert stored_marks(app_paths) == shown
    assert shown[1]  # (the bursts did leave bookmarks to check)


@pytest.mark.parametrize("seed", range(6))
async def test_bookmark_pressed_five_times_then_quit_is_kept(
    hub: FakeHub, make_app, app_paths: Paths, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    jitter(monkeypatch, seed)
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("b", "b", "b", "b", "b", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert stored_marks(app_paths)[1] == {paper_id}


async def test_a_failed_bookmark_is_taken_back_on_screen(
    hub: FakeHub, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Store.set_bookmark
    calls = iter([True, False])  # the first write fails, the second works

    def flaky(self: Store, paper: Any, bookmarked: bool = True) -> None:
        if next(calls, False):
            raise StoreError("Could not save the bookmark: disk full")
        original(self, paper, bookmarked)

    monkeypatch.setattr(Store, "set_bookmark", flaky)
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("b")
        await written(app)
        assert paper_id not in app.reader.bookmark_ids
        assert any("Bookmark not saved: " in n.message for n in app._notifications)
        await pilot.press("b")
        await written(app)
        assert paper_id in app.reader.bookmark_ids
        assert app.library.store.bookmark_ids() == {paper_id}


# The note editor and quitting (point 10) --------------------------------------------


async def open_editor(pilot: Any, app: PaperReaderApp, text: str) -> str:
    await settle(pilot, loaded(app, "network"), "the listing")
    paper_id = app.paper_list.rows[0].id
    await pilot.press("n")
    await settle(pilot, lambda: isinstance(app.screen, NoteScreen), "the note editor")
    app.screen.query_one(TextArea).insert(text)
    return paper_id


def stored_note(paths: Paths, paper_id: str) -> str:
    store = Store.open(paths)
    try:
        return store.note(paper_id)
    finally:
        store.close()


async def test_ctrl_q_in_the_note_editor_saves_the_note(
    hub: FakeHub, make_app, app_paths: Paths
) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await open_editor(pilot, app, "typed, then ctrl+q")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert stored_note(app_paths, paper_id) == "typed, then ctrl+q"


async def test_quit_from_the_palette_in_the_note_editor_saves_the_note(
    hub: FakeHub, make_app, app_paths: Paths
) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await open_editor(pilot, app, "kept through the palette")
        await pilot.press("ctrl+p")
        await pilot.press(*"quit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(100):
            if app._exit:
                break
            await pilot.pause(0.02)
        assert app._exit
    assert stored_note(app_paths, paper_id) == "kept through the palette"


async def test_a_note_beyond_the_limit_is_refused_in_the_editor(
    hub: FakeHub, make_app, app_paths: Paths
) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await open_editor(pilot, app, "x" * (MAX_NOTE_CHARS + 1))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # still open: nothing thrown away
        error = str(app.screen.query_one("#note-error", Label).render())
        assert "1,000,001 characters" in error and "1,000,000" in error
        await pilot.press("ctrl+q")  # quitting does not throw it away either
        await pilot.pause()
        assert not app._exit and isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+d", "y")  # discarding is the user's choice (asked)
        await settle(pilot, lambda: not isinstance(app.screen, NoteScreen), "the list")
    assert stored_note(app_paths, paper_id) == ""


# Long notes (point 11) -----------------------------------------------------------------


@pytest.fixture
def long_note(hub: FakeHub, make_app, app_paths: Paths) -> Iterator[tuple[str, str]]:
    """A 2 MB note on the latest day's first paper, written straight into the file (as
    an old import could have): the store refuses notes that long."""
    paper_id = "2608.20000"  # "Tuesday paper 0": the first row of the latest day
    note = ("A long note line. " * 120 + "\n") * 930
    assert len(note) > 2_000_000
    Store.open(app_paths).close()  # create the files
    with sqlite3.connect(app_paths.user_db) as db:
        db.execute(
            "INSERT INTO notes (paper_id, note, updated_at) VALUES (?, ?, ?)",
            (paper_id, note, "2026-08-18T00:00:00+00:00"),
        )
    db.close()
    yield paper_id, note


async def test_a_long_note_is_shown_quickly_and_in_part(
    hub: FakeHub, make_app, long_note: tuple[str, str]
) -> None:
    paper_id, note = long_note
    app = make_app(hub.url)
    started = time.monotonic()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.reader._detail_id == paper_id, "the paper with the note")
        await pilot.pause()
        elapsed = time.monotonic() - started
        body = _plain(app.detail.query_one("#detail-body", Static).content)
        assert "Your note" in body
        shown = body.split("Your note\n", 1)[1]
        assert "more characters)" in shown
        assert len(body) < 40_000
        assert f"({len(note) - 20_000:,} more characters)" in body
    assert elapsed < 2, f"{elapsed:.1f} s to show a paper with a 2 MB note"


def _plain(renderable: object) -> str:
    """What a renderable shows, as text (wide: no line is wrapped by the width)."""
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()
