"""Following in the app (#13): w shows the watches with counts, enter opens one, W keeps
a search, r renames and d deletes (after asking), m shows more like this, F for you."""

from __future__ import annotations

from paperreader.core.library import Library, Source
from paperreader.core.models import parse_paper
from paperreader.core.paths import Paths
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.watches import ConfirmScreen, WatchesScreen, WatchNameScreen
from tests.app.conftest import day_items
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tests.app.test_finding import type_text
from tools.fakehub import FakeHub


async def test_watches_screen_counts_opens_renames_and_deletes(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the latest day")
        app.library.add_watch("tuesday", "tuesday")
        app.library.store.set_read(["2608.20000"])  # (the app learns it on R)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches")
        await settle(pilot, lambda: bool(app.screen.watches), "the counts")
        text = screen_text(app)
        assert "tuesday" in text and "5 papers · 4 unread · 0 new" in text
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, WatchNameScreen), "the name")
        app.screen.query_one("Input").value = ""
        await type_text(pilot, "tue")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen.watches[0].name == "tue", "renamed")
        await pilot.press("enter")
        await settle(pilot, lambda: app.reader.source.kind == "watch", "the watch's papers")
        await settle(pilot, loaded(app, "store"), "the rows")
        assert [r.title for r in app.paper_list.rows][:2] == ["Tuesday paper 0", "Tuesday paper 1"]
        assert "Watch — tue — 5 papers" in screen_text(app)
        await pilot.press("b")  # view keys work on it
        await settle(pilot, lambda: bool(app.reader.bookmark_ids), "the bookmark")
        await pilot.press("escape")  # back to the listing
        await settle(pilot, lambda: app.reader.source.kind == "listing", "back")
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches")
        await settle(pilot, lambda: bool(app.screen.watches), "the counts")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("n")
        await pilot.pause()
        assert [w.name for w in app.library.watches()] == ["tue"]
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await settle(pilot, lambda: not app.library.watches(), "deleted")
        await settle(pilot, lambda: "No watches yet" in screen_text(app), "the empty screen")


async def test_save_search_as_watch_and_more_like_this(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the latest day")
        await pilot.press("slash")
        await type_text(pilot, "monday")
        await pilot.press("W")  # in the search box: W is a letter
        await pilot.press("escape")
        await pilot.press("slash")
        app.reader.search_box.value = "tuesday"
        app.paper_list.focus()
        await pilot.press("W")
        await settle(pilot, lambda: isinstance(app.screen, WatchNameScreen), "the name")
        await type_text(pilot, "tue")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.library.store.watch_records()), "saved")
        assert app.library.store.watch_records()[0].query == "tuesday"
        await pilot.press("escape")  # leave the search
        await settle(pilot, lambda: app.reader.query_text is None, "left the search")
        # Monday's papers too: in a store of Tuesday alone, "tuesday" tells no paper apart.
        monday = [parse_paper(item) for item in day_items()[:12]]
        app.library.store.save_papers([getattr(p, "paper", p) for p in monday])
        await pilot.press("m")
        await settle(pilot, lambda: app.reader.source.kind == "similar", "more like this")
        await settle(pilot, loaded(app, "store"), "the similar rows")
        assert app.paper_list.rows and all("Tuesday" in r.title for r in app.paper_list.rows)
        assert "More like 2608.2" in screen_text(app)
        await pilot.press("F")
        await settle(pilot, lambda: app.reader.source.kind == "for_you", "for you")
        await settle(pilot, loaded(app, "store"), "the for-you rows")
        assert len(app.paper_list.rows) == 18  # the stored week, nothing kept yet
        assert "like:" not in screen_text(app)  # nothing kept: no reason to give
        # A bookmark: the papers like it say so in the detail.
        kept = app.paper_list.rows[0]
        await pilot.press("b")
        await settle(pilot, lambda: kept.id in app.reader.bookmark_ids, "the bookmark")
        await pilot.press("R")  # read the view again
        await settle(pilot, lambda: bool(app.reader.loaded and app.reader.loaded.reasons), "why")
        await pilot.press("j")
        reasons = app.reader.loaded.reasons if app.reader.loaded else {}
        current = app.paper_list.current
        assert current is not None and current.id in reasons
        why = f"For you      like: {kept.title}"[:40]
        await settle(pilot, lambda: why in screen_text(app), "the reason in the detail")


async def test_the_app_opens_on_a_watch_with_its_papers_in_the_first_frame(
    app_paths: Paths,
) -> None:
    """`paperreader --watch NAME`: the watch's first page is on screen in the first frame
    (read before the start), the rest follows, and the watch counts as opened."""
    store = Store.open(app_paths)
    papers = [parse_paper(item) for item in day_items()]
    store.save_listing("day", "2026-08-18", papers)
    library = Library(store)
    library.add_watch("tuesday", "tuesday")
    source = Source("watch", key="tuesday")
    state = library.user_state()._replace(first=library.first_screen(source))
    app = PaperReaderApp(library, view="watch", key="tuesday", user_state=state, restore=False)
    first: list[list[str]] = []
    app.call_after_refresh(lambda: first.append([r.title for r in app.paper_list.rows]))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: bool(first), "the first frame")
            assert first[0][:2] == ["Tuesday paper 0", "Tuesday paper 1"]
            assert "Watch — tuesday — 5 papers" in screen_text(app)
            await settle(pilot, lambda: library.store.watch_record("tuesday").opened_at, "opened")
    finally:
        store.close()
