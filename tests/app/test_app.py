"""The app driven with the Pilot: reading, bookmarks, read marks, links, offline starts."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from paperreader.core.clipboard import ClipboardUnavailable
from paperreader.core.periods import Period
from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.help import HelpScreen
from paperreader.ui.screens.links import LinkPicker
from tools.fakehub import FakeHub

SIZE = (120, 40)


async def settle(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    """Let workers run until ``done()``; fail with ``what`` after a few seconds."""
    for _ in range(300):
        await pilot.pause(0.02)
        if done():
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return
    raise AssertionError(f"timed out waiting for {what}")


def screen_text(app: PaperReaderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def loaded(app: PaperReaderApp, origin: str) -> Callable[[], bool]:
    return lambda: app.reader.loaded is not None and app.reader.loaded.origin == origin


async def test_latest_day_from_network(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the network listing")
        assert app.reader.source.period == Period.parse("2026-08-18")
        text = screen_text(app)
        assert "Daily Papers — Tue 2026-08-18 — 6 papers, 6 unread" in text
        assert "Tuesday paper 0" in text
        # The first request asks for the latest day (no date), with the maximum page size.
        path, query = hub.requests[0]
        assert path == "/api/daily_papers"
        assert query.get("limit") == "100" and "date" not in query


async def test_bookmark_and_read_survive_a_restart(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        first = app.paper_list.rows[0].id
        second = app.paper_list.rows[1].id
        await pilot.press("b", "j", "r")
        await settle(pilot, lambda: second in app.reader.read_ids, "the read mark")
        assert first in app.reader.bookmark_ids
        await pilot.press("q")

    again = make_app(None)  # offline: everything must come from the store
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(again, "cache"), "the cached listing")
        await settle(pilot, lambda: bool(again.reader.read_ids), "the user state")
        assert first in again.reader.bookmark_ids
        assert second in again.reader.read_ids and first not in again.reader.read_ids
        assert "6 papers, 5 unread" in screen_text(again)
        row = again.paper_list.render_line(0).text
        assert "★" in row


async def test_enter_reads_the_paper_and_focuses_the_detail(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("j", "enter")
        paper_id = app.paper_list.rows[1].id
        await settle(pilot, lambda: app.reader._detail_id == paper_id, "the detail")
        assert paper_id in app.reader.read_ids
        assert app.detail.has_focus
        text = screen_text(app)
        assert "Tuesday paper 1" in text and "Ada Lovelace, Alan Turing" in text
        assert f"https://arxiv.org/pdf/{paper_id}" in text
        await pilot.press("tab")
        assert app.paper_list.has_focus


async def test_titles_are_text_not_markup(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("G")
        await settle(pilot, lambda: app.reader._detail_id == "2608.30000", "the hostile paper")
        text = screen_text(app)
        assert "[bold]Not bold[/] and [link=https://evil" in app.paper_list.render_line(5).text
        assert "[bold]Not bold[/] and" in text and "[link=https://evil.example]x[/link]" in text
        assert "javascript:alert(1)" in text and "unsafe link" in text


async def test_copy_falls_back_to_the_terminal(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)

    def no_clipboard(text: str) -> None:
        raise ClipboardUnavailable("no copy mechanism")

    app.system_copy = no_clipboard
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("y")
        url = f"https://huggingface.co/papers/{paper_id}"
        await settle(pilot, lambda: app.clipboard == url, "the OSC 52 copy")
        messages = [n.message for n in app._notifications]
        # One line: what was copied and how, without pyperclip's long story.
        copied = [m for m in messages if url in m]
        assert copied == [
            f"Copied the Hugging Face link (through the terminal; no system clipboard): {url}"
        ]
        await pilot.press("Y")
        await settle(pilot, lambda: "arxiv.org/abs" in app.clipboard, "the arXiv copy")


async def test_copy_uses_the_system_clipboard(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    copied: list[str] = []
    app.system_copy = copied.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("c")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("3")  # PDF
        await settle(pilot, lambda: bool(copied), "the copy")
        assert copied == [f"https://arxiv.org/pdf/{app.paper_list.rows[0].id}"]
        assert app.clipboard != copied[0]  # the terminal was not used


async def test_offline_start_shows_the_cache_and_says_why(hub: FakeHub, make_app) -> None:
    url = hub.url
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the first fetch")
    hub.stop()
    again = make_app(url)
    async with again.run_test(size=SIZE) as pilot:
        await settle(
            pilot,
            lambda: bool(again.reader.loaded and again.reader.loaded.problem),
            "the failed refresh",
        )
        assert again.reader.loaded.origin == "cache"
        text = screen_text(again)
        assert "Tue 2026-08-18 — 6 papers" in text
        assert "Offline" in text and "No network" in text


async def test_fresh_offline_start_shows_the_sample(make_app) -> None:
    app = make_app("http://127.0.0.1:9")  # nothing listens there
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "sample"), "the sample")
        assert len(app.paper_list.rows) > 100
        text = screen_text(app)
        assert "bundled sample" in text
        assert "No network" in text


async def test_offline_flag_never_uses_the_network(hub: FakeHub, make_app) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "sample"), "the sample")
        await pilot.press("R")
    assert hub.requests == []


async def test_moving_between_days(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, Period.parse("2026-08-18"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the day")
        await pilot.press("left_square_bracket")
        await settle(
            pilot,
            lambda: (
                app.reader.source.period == Period.parse("2026-08-17") and loaded(app, "network")()
            ),
            "the previous day",
        )
        assert len(app.paper_list.rows) == 12
        assert ("/api/daily_papers", {"date": "2026-08-17"}) in [
            (p, {k: v for k, v in q.items() if k == "date"}) for p, q in hub.requests
        ]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        # 2026-08-19 is after "today" in this test: refused, with a notice.
        await settle(pilot, loaded(app, "network"), "the next day")
        assert app.reader.source.period == Period.parse("2026-08-18")
        assert any("future" in n.message for n in app._notifications)


async def test_help_lists_every_key(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Bookmark the paper", "Copy the arXiv link", "Refresh", "Last", "Quit"):
            assert words in text, words
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
