"""Start-up as the CLI does it: the user's data and the archive's first page read before
the app runs, so that its first frame shows papers, and the collector paused meanwhile."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from paperreader.core.library import FIRST_PAGE, Library, Source
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.settings import chosen_settings, start_source
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp

SIZE = (120, 40)


def archive_store(root: Path, n: int) -> Store:
    store = Store.open(Paths.under(root))
    papers = [
        Paper(id=f"2601.{i:05d}", title=f"Archive paper {i}", upvotes=i % 97) for i in range(n)
    ]
    store.save_papers(papers)
    store.set_read([papers[0].id, papers[5].id])
    store.set_bookmark(papers[1])
    store.set_setting("ui.unread_only", "1")
    return store


class CountingLibrary(Library):
    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.archive_reads: list[int | None] = []

    def archive_rows(self, limit: int | None = None):  # type: ignore[no-untyped-def]
        self.archive_reads.append(limit)
        return super().archive_rows(limit)


async def test_a_preloaded_archive_is_on_screen_at_mount_and_read_once(tmp_path: Path) -> None:
    library = CountingLibrary(archive_store(tmp_path, FIRST_PAGE + 50))
    state = library.user_state()._replace(first=library.first_screen(Source("archive")))
    library.archive_reads.clear()
    app = PaperReaderApp(library, view="archive", user_state=state)
    seen_at_mount: list[int] = []
    app.call_after_refresh(lambda: seen_at_mount.append(len(app.paper_list.rows)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            # The first frame already had the first page; the worker then read the
            # rest, once, and did not read the first page again.
            assert seen_at_mount and seen_at_mount[0] >= FIRST_PAGE
            assert library.archive_reads == [None]
            assert len(app.reader.loaded.rows) == FIRST_PAGE + 50  # type: ignore[union-attr]
            assert len(app.paper_list.rows) == FIRST_PAGE + 50 - 2  # unread only
            # The saved settings and marks came with it: the unread filter is on, and the
            # read marks and the bookmark are known.
            assert app.reader.unread_only
            assert {"2601.00000", "2601.00005"} <= app.reader.read_ids
            assert "2601.00001" in app.reader.bookmark_ids
    finally:
        library.close()


async def test_a_small_archive_needs_no_worker_at_all(tmp_path: Path) -> None:
    library = CountingLibrary(archive_store(tmp_path, 30))
    state = library.user_state()._replace(first=library.first_screen(Source("archive")))
    library.archive_reads.clear()
    app = PaperReaderApp(library, view="archive", user_state=state)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert library.archive_reads == []  # the first page was the whole archive
            assert len(app.paper_list.rows) == 30 - 2  # unread only
            assert app.reader.loaded is not None and not app.reader.loaded.partial
    finally:
        library.close()


async def test_the_collector_paused_for_the_start_is_resumed_after_the_first_frame(
    tmp_path: Path,
) -> None:
    library = Library(archive_store(tmp_path, 10))
    app = PaperReaderApp(library, view="archive", user_state=library.user_state())
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
        library.close()


async def test_the_layout_follows_the_terminal_width(tmp_path: Path) -> None:
    # Textual applies the breakpoint classes after the first layout; the panes must take
    # the new rules (a variant of the key bar once left the list above the detail at
    # 120 columns).
    library = Library(archive_store(tmp_path, 10))
    app = PaperReaderApp(library, view="archive", user_state=library.user_state())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.pause()
            papers, detail = app.paper_list.region, app.detail.region
            assert papers.y == detail.y and papers.right <= detail.x  # side by side
            await pilot.resize_terminal(80, 40)
            await pilot.pause()
            papers, detail = app.paper_list.region, app.detail.region
            assert papers.bottom <= detail.y and papers.width == 80  # one above the other
    finally:
        library.close()


async def test_a_preloaded_listing_is_on_screen_at_mount_and_offline_needs_no_worker(
    tmp_path: Path,
) -> None:
    store = Store.open(Paths.under(tmp_path))
    papers = [
        Paper(
            id=f"2601.{i:05d}",
            title=f"January paper {i}",
            upvotes=i,
            listing_day=date(2026, 1, 1 + i % 28),
        )
        for i in range(40)
    ]
    store.save_listing("month", "2026-01", papers)
    library = Library(store)
    month = Period.parse("2026-01")
    state = library.user_state()
    source = start_source(month, "listing", None)
    state = state._replace(first=library.first_screen(source))
    assert state.first is not None and len(state.first.rows) > 0
    calls: list[object] = []
    library.load = lambda *a, **k: calls.append(a) or iter(())  # type: ignore[method-assign]
    app = PaperReaderApp(library, month, user_state=state, restore=False)
    seen_at_mount: list[int] = []
    app.call_after_refresh(lambda: seen_at_mount.append(len(app.paper_list.rows)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert seen_at_mount and seen_at_mount[0] == len(state.first.rows)
            assert calls == []  # offline: the store's answer was the answer
            assert app.reader.source.period == month
    finally:
        library.close()


def test_the_command_line_and_the_app_open_on_the_same_view() -> None:
    chosen = chosen_settings({"theme": None, "unit": "week", "order": None}, {}, restore=True)
    assert start_source(None, "listing", chosen["unit"]) == Source(unit="week")
    # A choice made in the app wins until the config file changes that setting (the
    # unit is saved under its old name, "period_kind").
    saved = {"period_kind": "month", "config.period_kind": "week"}
    chosen = chosen_settings({"unit": "week"}, saved, restore=True)
    assert chosen["unit"] == "month"
    chosen = chosen_settings({"unit": "day"}, saved, restore=True)
    assert chosen["unit"] == "day"
    assert start_source(Period.parse("2026-08-03"), "listing", "month").period == (
        Period.parse("2026-08-03")
    )
