"""Finding papers in the app: periods, sorting, trending, search, views, bulk actions."""

from __future__ import annotations

from paperreader.core.periods import Period
from tests.app.conftest import day_items
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub, make_item


def daily_requests(hub: FakeHub) -> list[dict[str, str]]:
    return [query for path, query in hub.requests if path == "/api/daily_papers"]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def test_period_keys_ask_for_the_right_listings(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-18"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the day")
        await pilot.press("v")
        await settle(pilot, lambda: app.reader.source.period == Period.parse("2026-W34"), "week")
        await settle(pilot, loaded(app, "network"), "the week")
        assert len(app.paper_list.rows) == 18  # Monday and Tuesday of that week
        assert "Week 2026-W34" in screen_text(app)
        await pilot.press("v")
        await settle(pilot, lambda: app.reader.source.period == Period.parse("2026-08"), "month")
        await settle(pilot, loaded(app, "network"), "the month")
        await pilot.press("H")
        await settle(pilot, lambda: app.reader.source.trending, "trending")
        await settle(pilot, loaded(app, "network"), "the trending list")
        assert "Trending" in screen_text(app)
        await pilot.press("t")
        await settle(pilot, lambda: app.reader.source.period is not None, "the latest day")
    queries = daily_requests(hub)
    assert {"date": "2026-08-18"}.items() <= queries[0].items()
    assert any(q.get("week") == "2026-W34" for q in queries)
    assert any(q.get("month") == "2026-08" for q in queries)
    assert any(q.get("sort") == "trending" for q in queries)
    # `t` asks for the latest day: no date, and not the trending order.
    assert "date" not in queries[-1] and queries[-1].get("sort", "publishedAt") != "trending"
    assert all(int(q["limit"]) <= 100 for q in queries)


async def test_moving_day_by_day_skips_the_weekend(make_app) -> None:
    items = [*day_items(), make_item("2608.40000", "Friday paper", day="2026-08-14", upvotes=3)]
    with FakeHub(items) as hub:
        hub.start()
        app = make_app(hub.url, Period.parse("2026-08-17"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, loaded(app, "network"), "Monday")
            await pilot.press("left_square_bracket")
            await settle(
                pilot, lambda: app.reader.source.period == Period.parse("2026-08-14"), "Friday"
            )
            await settle(pilot, loaded(app, "network"), "Friday's papers")
            assert [row.title for row in app.paper_list.rows] == ["Friday paper"]
            assert any("Skipped" in n.message and "Sat" in n.message for n in app._notifications)


async def test_a_weekend_day_is_explained(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-16"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Sunday")
        assert app.paper_list.rows == ()
        assert "No papers are listed on Sun 2026-08-16 (a weekend day)." in screen_text(app)


async def test_sort_orders(hub: FakeHub, make_app) -> None:
    items = [
        make_item("2608.00001", "Old, popular", day="2026-08-17", upvotes=90, githubStars=5),
        make_item("2608.00002", "New, starred", day="2026-08-17", upvotes=10, githubStars=900),
        make_item("2608.00003", "Newest", day="2026-08-17", upvotes=50),
    ]
    with FakeHub(items) as local:
        local.start()
        app = make_app(local.url, Period.parse("2026-08-17"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, loaded(app, "network"), "the day")

            def titles() -> list[str]:
                return [row.title for row in app.paper_list.rows]

            assert titles() == ["Old, popular", "Newest", "New, starred"]
            await pilot.press("s")
            assert titles() == ["Newest", "New, starred", "Old, popular"]
            assert "newest first" in screen_text(app)
            await pilot.press("s")
            assert titles()[0] == "New, starred"
            assert "by GitHub stars" in screen_text(app)


async def test_search_as_you_type_finds_papers_of_every_listing(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Monday")
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: app.reader.source.period == Period.parse("2026-08-18"), "Tue")
        await settle(pilot, loaded(app, "network"), "Tuesday")
        cursor_before = app.paper_list.current.id
        await pilot.press("slash")
        assert app.reader.search_box.has_focus
        await type_text(pilot, "paper 1")
        await settle(pilot, lambda: "found" in app.reader.search_note, "the results")
        titles = {row.title for row in app.paper_list.rows}
        # The papers of both listings with the token "1" (one character: a whole token).
        assert titles == {"Monday paper 1", "Tuesday paper 1"}
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "tuesd")  # a prefix while typing
        await settle(pilot, lambda: len(app.paper_list.rows) == 5, "the prefix results")
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "paper 1")
        await type_text(pilot, " upvotes:>90")
        await settle(
            pilot, lambda: {r.title for r in app.paper_list.rows} == {"Monday paper 1"}, "filter"
        )
        await type_text(pilot, " nope:x")
        await settle(pilot, lambda: "nope" in screen_text(app), "the error")
        assert "unknown filter" in screen_text(app)
        await pilot.press("escape")
        assert app.reader.query_text is None
        assert app.paper_list.current.id == cursor_before


async def test_search_enter_asks_hugging_face_and_offline_still_works(
    hub: FakeHub, make_app
) -> None:
    url = hub.url
    app = make_app(url, Period.parse("2026-08-18"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Tuesday")
        await pilot.press("slash")
        await type_text(pilot, "monday")
        await pilot.press("enter")
        await settle(
            pilot, lambda: "Hugging Face returned" in app.reader.search_note, "online search"
        )
        assert len(app.paper_list.rows) == 12  # Monday's papers came from the search API
        assert any(path == "/api/papers/search" for path, _ in hub.requests)
    hub.stop()
    offline = make_app(None)
    async with offline.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(offline, "cache"), "the cache")
        await pilot.press("slash")
        await type_text(pilot, "monday")
        await settle(pilot, lambda: len(offline.paper_list.rows) == 12, "the local results")
        await pilot.press("enter")
        await pilot.pause()
        assert any("only stored papers" in n.message for n in offline._notifications)


async def test_bookmarks_view_unread_filter_and_mark_all_read(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Monday")
        first, second = (row.id for row in app.paper_list.rows[:2])
        await pilot.press("b", "j", "b", "r")
        await settle(pilot, lambda: len(app.reader.bookmark_ids) == 2, "two bookmarks")
        await app.workers.wait_for_complete()
        await pilot.press("B")
        await settle(pilot, loaded(app, "store"), "the bookmarks")
        assert [row.id for row in app.paper_list.rows] == [second, first]  # newest first
        assert "Bookmarks — 2 papers, 1 unread" in screen_text(app)
        await pilot.press("u")
        assert [row.id for row in app.paper_list.rows] == [first]
        assert "unread only" in screen_text(app)
        await pilot.press("u", "B")
        await settle(pilot, loaded(app, "network"), "back to Monday")
        assert app.reader.source.period == Period.parse("2026-08-17")
        await pilot.press("A")
        await settle(pilot, lambda: app.reader._undo is not None, "the bulk action")
        assert all(row.id in app.reader.read_ids for row in app.paper_list.rows)
        assert app.library.store.read_ids() >= {row.id for row in app.paper_list.rows}
        await pilot.press("U")
        await settle(
            pilot, lambda: second in app.reader.read_ids and len(app.reader.read_ids) == 1, "undo"
        )
        await app.workers.wait_for_complete()
        assert app.library.store.read_ids() == {second}  # the mark made before stays


async def test_ui_state_is_restored_on_the_next_launch(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the latest day")
        await pilot.press("s", "u", "v")
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-W34"), "the week"
        )
        app.theme = "textual-light"
        await app.workers.wait_for_complete()
        await pilot.pause()
    again = make_app(None)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: again.reader.loaded is not None, "the listing")
        assert again.reader.order == "newest"
        assert again.reader.unread_only
        assert again.theme == "textual-light"
        assert again.reader.source.period is not None and again.reader.source.period.unit == "week"
        # Saved under the name users' databases have (the unit was the "period kind").
        assert again.library.store.setting("ui.period_kind") == "week"
        assert "newest first — unread only" in screen_text(again)


async def test_archive_view_lists_everything_stored(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "Monday")
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: app.reader.source.period == Period.parse("2026-08-18"), "Tue")
        await settle(pilot, loaded(app, "network"), "Tuesday")
        await pilot.press("a")
        await settle(pilot, loaded(app, "store"), "the archive")
        rows = app.paper_list.rows
        assert len(rows) == 18
        assert rows[0].listing_day == "2026-08-18" and rows[-1].listing_day == "2026-08-17"
        assert "Archive — every stored paper — 18 papers" in screen_text(app)
        # One escape in a search leaves the search, not the view behind it as well.
        await pilot.press("slash")
        await type_text(pilot, "monday")
        await settle(pilot, lambda: len(app.paper_list.rows) == 12, "the results")
        await pilot.press("escape")
        await pilot.pause()
        assert app.reader.query_text is None and app.reader.source.kind == "archive"
        assert len(app.paper_list.rows) == 18
        await pilot.press("escape")  # and the next one leaves the archive
        await settle(pilot, lambda: app.reader.source.kind == "listing", "the listing")


async def test_jump_to_a_week(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the latest day")
        await pilot.press("colon")
        await type_text(pilot, "2026-W99")
        await pilot.press("enter")
        assert "not a real date" in screen_text(app)  # the prompt explains and stays
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "34")
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-W34"), "the week"
        )
        await settle(pilot, loaded(app, "network"), "the week's papers")
        assert len(app.paper_list.rows) == 18
        await pilot.press("colon")
        await type_text(pilot, "yesterday")
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.reader.source.period == Period.parse("2026-08-17"), "yesterday"
        )


async def test_clicking_a_link_in_the_detail_opens_it(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    opened: list[str] = []
    app.launch_browser = opened.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await settle(pilot, lambda: app.reader._detail_id == paper_id, "the detail")
        lines = screen_text(app).splitlines()
        target = f"https://arxiv.org/pdf/{paper_id}"
        y = next(i for i, line in enumerate(lines) if target in line)
        x = lines[y].index(target) + 3
        await pilot.click(offset=(x, y))
        await settle(pilot, lambda: bool(opened), "the browser")
        assert opened == [target]


async def test_two_instances_share_bookmarks_after_a_refresh(hub: FakeHub, make_app) -> None:
    first, second = make_app(hub.url), make_app(hub.url)
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await settle(one, loaded(first, "network"), "the first app")
        await settle(two, loaded(second, "network"), "the second app")
        paper_id = first.paper_list.rows[0].id
        await one.press("b", "j", "r")
        await settle(one, lambda: len(first.reader.read_ids) == 1, "the read mark")
        await first.workers.wait_for_complete()
        assert paper_id not in second.reader.bookmark_ids
        await two.press("R")
        await settle(two, lambda: paper_id in second.reader.bookmark_ids, "the shared bookmark")
        assert second.reader.read_ids == first.reader.read_ids
        # Both keep writing without "database is locked".
        await two.press("A")
        await one.press("u", "b")
        await settle(two, lambda: second.reader._undo is not None, "the bulk action")
        assert not any(
            "locked" in n.message for n in (*first._notifications, *second._notifications)
        )
