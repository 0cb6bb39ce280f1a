"""Offline, the app reads what is stored: the newest stored day, stored days in steps,
and the bundled sample only on an empty store, never written to it."""

from __future__ import annotations

from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.store import Store
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub


async def test_offline_start_on_a_stored_month_opens_on_its_newest_day(
    hub: FakeHub, make_app, app_paths: Paths
) -> None:
    online = make_app(hub.url, Period.parse("2026-08"))  # stores the month, not a day
    async with online.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(online, "network"), "the month")
    with Store.open(app_paths) as store:
        before = store.archive_rows()
        bookmarked = store.paper("2608.10000")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "cache"), "the stored day")
        assert app.reader.source.period == Period.parse("2026-08-18")
        assert len(app.paper_list.rows) == 6
        text = screen_text(app)
        assert "Tue 2026-08-18" in text and "sample" not in text
        # `[` goes straight to the previous stored day (offline), `]` back.
        await pilot.press("left_square_bracket")
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-08-17"), "Monday"
        )
        assert len(app.paper_list.rows) == 12
        await pilot.press("left_square_bracket")
        await pilot.pause(0.2)
        assert app.reader.source.period == Period.parse("2026-08-17")
        assert any("No earlier day is stored" in n.message for n in app._notifications)
        await pilot.press("right_square_bracket")
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-08-18"), "Tuesday"
        )
    with Store.open(app_paths) as store:
        assert store.archive_rows() == before  # nothing written over the stored papers
        assert store.paper("2608.10000") == bookmarked


async def test_fresh_offline_start_shows_the_sample_and_stores_nothing(
    make_app, app_paths: Paths
) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "sample"), "the sample")
        assert "no paper is stored yet" in screen_text(app)
        await pilot.press("j")
        await settle(
            pilot, lambda: app.reader._detail_id is not None, "the detail of a sample paper"
        )
    with Store.open(app_paths) as store:
        assert store.paper_count() == 0


async def test_a_failed_network_steps_to_the_nearest_stored_day(hub: FakeHub, make_app) -> None:
    online = make_app(hub.url, Period.parse("2026-08-17"))
    async with online.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(online, "network"), "Monday")
    url = hub.url
    hub.stop()
    app = make_app(url, Period.parse("2026-08-19"))  # online, but the server is gone
    async with app.run_test(size=SIZE) as pilot:
        await settle(
            pilot,
            lambda: app.reader.loaded is not None and app.reader.loaded.problem != "",
            "a failure",
        )
        await pilot.press("left_square_bracket")  # the 18th is not stored: go to the 17th
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-08-17"), "Monday"
        )
        assert len(app.paper_list.rows) == 12
