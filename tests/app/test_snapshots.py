"""Snapshot tests: the look of the main screens, reviewed when it changes.

Fixed data (the bundled sample, offline), a fixed terminal size and a fixed clock. Update
them with ``pytest tests/app/test_snapshots.py --snapshot-update`` and review the SVGs.
The pictures depend on Textual's renderer, so they are compared only on the Textual
version they were made with (``SNAPSHOT_TEXTUAL``); a newer Textual skips them with a
note to regenerate.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

import pytest
from textual.pilot import Pilot

from paperreader.core.library import Library
from paperreader.core.paths import Paths
from paperreader.core.sample import load_sample
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp

SNAPSHOT_TEXTUAL = "8.2.8"

pytestmark = pytest.mark.skipif(
    version("textual") != SNAPSHOT_TEXTUAL,
    reason=f"snapshots were made with Textual {SNAPSHOT_TEXTUAL}; regenerate them for "
    f"{version('textual')} with --snapshot-update",
)


@pytest.fixture
def sample_app(tmp_path):
    """The app offline on a store holding the sample's papers, as if they were fetched."""
    store = Store.open(Paths.under(tmp_path))
    papers = load_sample().papers
    for day in sorted({p.listing_day for p in papers if p.listing_day}):
        listed = sorted((p for p in papers if p.listing_day == day), key=lambda p: -p.upvotes)
        store.save_listing("day", day.isoformat(), listed)
    app = PaperReaderApp(Library(store, None), today=lambda: date(2026, 8, 24), restore=False)
    yield app
    store.close()


@pytest.fixture
def first_launch_app(tmp_path):
    """The app offline on an empty store: the bundled sample."""
    store = Store.open(Paths.under(tmp_path))
    app = PaperReaderApp(Library(store, None), today=lambda: date(2026, 8, 24), restore=False)
    yield app
    store.close()


async def ready(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, PaperReaderApp)
    for _ in range(300):
        await pilot.pause(0.01)
        if app.reader.loaded is not None and app.reader._detail_id is not None:
            break
    await app.workers.wait_for_complete()
    await pilot.pause()


def steps(*keys: str):
    async def run_before(pilot: Pilot[None]) -> None:
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare, sample_app) -> None:
    assert snap_compare(sample_app, terminal_size=(120, 36), run_before=steps("j", "j", "r"))


def test_detail_pane(snap_compare, sample_app) -> None:
    assert snap_compare(sample_app, terminal_size=(120, 36), run_before=steps("j", "enter"))


def test_help_screen(snap_compare, sample_app) -> None:
    assert snap_compare(sample_app, terminal_size=(120, 40), run_before=steps("question_mark"))


def test_search_results(snap_compare, sample_app) -> None:
    keys = ["slash", *"agent", "enter"]
    assert snap_compare(sample_app, terminal_size=(120, 36), run_before=steps(*keys))


def test_bookmarks_view(snap_compare, sample_app) -> None:
    keys = ["b", "j", "j", "b", "j", "b", "B"]
    assert snap_compare(sample_app, terminal_size=(120, 36), run_before=steps(*keys))


def test_narrow_terminal(snap_compare, sample_app) -> None:
    assert snap_compare(sample_app, terminal_size=(60, 24), run_before=steps("j"))


def test_first_launch_offline(snap_compare, first_launch_app) -> None:
    assert snap_compare(first_launch_app, terminal_size=(120, 36), run_before=steps("j"))


def test_focused_pane(snap_compare, sample_app) -> None:
    # tab: the detail has the focus (the accent bar on its left); the list's cursor stays
    # visible without it.
    assert snap_compare(sample_app, terminal_size=(120, 36), run_before=steps("j", "tab"))


def test_dialog_with_a_long_title(snap_compare, sample_app) -> None:
    # A 151-character title in the note editor at 80 columns: cut at a word, with "…".
    keys = ["slash", *"crisis", "enter", "n"]
    assert snap_compare(sample_app, terminal_size=(80, 24), run_before=steps(*keys))
