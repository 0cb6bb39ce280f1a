"""The reader wired to the fit-and-finish pieces: the sort key's value in the rows and a
new order starting at the top; stepping past the newest listing; the latest week."""

from __future__ import annotations

from paperreader.core.periods import Period
from tests.app.test_app import SIZE, loaded, settle
from tools.fakehub import FakeHub


async def test_a_new_order_shows_its_value_and_starts_at_the_top(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Monday")
        assert app.paper_list.value == "upvotes"
        await pilot.press("j", "j", "j")
        assert app.paper_list.cursor == 3
        await pilot.press("s")
        await pilot.pause()
        assert app.reader.order == "newest"
        assert app.paper_list.value == "newest"
        assert app.paper_list.cursor == 0
        await pilot.press("s")
        await pilot.pause()
        assert app.paper_list.value == "stars"


async def test_next_on_the_newest_day_stays_and_says_so(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-18"))  # "today" in these tests
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Tuesday")
        asked = len(hub.requests)
        await pilot.press("right_square_bracket")
        await pilot.pause(0.2)
        assert app.reader.source.period == Period.parse("2026-08-18")
        assert len(hub.requests) == asked  # tomorrow is not asked for


async def test_past_the_newest_listing_it_goes_back_with_a_message(hub: FakeHub, make_app) -> None:
    # Monday the 17th is the newest day that has papers if Tuesday's listing is empty.
    hub.items = [item for item in hub.items if "2026-08-18" not in str(item)]
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Monday")
        asked = len(hub.requests)
        await pilot.press("right_square_bracket")
        await settle(
            pilot,
            lambda: any("No later day has papers yet" in n.message for n in app._notifications),
            "the message",
        )
        await settle(pilot, lambda: app.reader.source.period == Period.parse("2026-08-17"), "back")
        assert len(app.paper_list.rows) == 12
        assert len(hub.requests) - asked == 1  # only Tuesday was asked for


async def test_the_latest_week_is_the_week_of_the_latest_day(hub: FakeHub, make_app) -> None:
    from paperreader.core.library import Source

    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the latest day")
        app.reader.load_source(Source(unit="week"))
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-W34"), "the week"
        )
        await settle(pilot, loaded(app, "network"), "the week's papers")
        assert len(app.paper_list.rows) == 18
