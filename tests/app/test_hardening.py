"""Faults and strangers' text in the running app: it keeps going and says what happened."""

from __future__ import annotations

import unicodedata

import pytest

from paperreader.core.periods import Period
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub, hostile_items

# fault -> words the notice must contain
FAULTS = {
    "status:500": "server",
    "status:503": "server",
    "ratelimit:9": "rate",
    "cdn429:9": "rate",
    "status:400": "400",
    "notjson": "JSON",
    "truncated": "",
    "object": "",
    "drop": "",
}

NETWORK_FAULTS = {"truncated", "drop"}


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_fault_keeps_the_list_and_explains(hub: FakeHub, make_app, fault: str) -> None:
    app = make_app(hub.url, Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the first fetch")
        rows = app.paper_list.rows
        hub.fault = fault
        await pilot.press("R")
        await settle(
            pilot, lambda: bool(app.reader.loaded and app.reader.loaded.problem), "the notice"
        )
        assert app.paper_list.rows == rows  # the cached list stays on screen
        assert app.reader.loaded.origin == "cache"
        notice = app.reader.loaded.problem
        assert FAULTS[fault].lower() in notice.lower()
        assert "Traceback" not in screen_text(app)
        # "Offline" only when the network failed, not for a bad answer from the server.
        label = "Offline" if fault in NETWORK_FAULTS else "Not refreshed"
        assert f"{label} — showing the copy from" in screen_text(app)


@pytest.mark.parametrize("fault", ["status:500", "status:400", "notjson", "drop"])
async def test_credentials_in_the_address_never_reach_the_screen(
    hub: FakeHub, make_app, fault: str
) -> None:
    app = make_app(hub.url.replace("http://", "http://user:s3cret@"), Period.parse("2026-08-17"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the first fetch (credentials work)")
        hub.fault = fault
        await pilot.press("R")
        await settle(
            pilot, lambda: bool(app.reader.loaded and app.reader.loaded.problem), "the notice"
        )
        assert "127.0.0.1" in app.reader.loaded.problem
        assert "s3cret" not in screen_text(app) and "s3cret" not in app.reader.loaded.problem


def _visible_controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"}


async def test_hostile_text_is_shown_as_plain_text(make_app) -> None:
    with FakeHub(hostile_items("2026-08-17")) as hub:
        hub.start()
        app = make_app(hub.url, Period.parse("2026-08-17"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, loaded(app, "network"), "the hostile day")
            # Good items around bad ones still show; the notice counts what was skipped.
            ids = {row.id for row in app.paper_list.rows}
            assert {"2699.00001", "2699.00002", "2699.00003"} <= ids
            assert not any("/" in i or ";" in i for i in ids)
            assert "skipped" in app.reader.loaded.problem
            await settle(pilot, lambda: app.reader._detail_id == "2699.00001", "the detail")
            text = screen_text(app)
            assert "Markup [bold]x[/] [link=https://evil]y[/link]" in text
            assert "Mallory [bold]x[/]" in text
            assert "javascript:alert(1)" in text and "unsafe link" in text
            assert not _visible_controls(text)
            assert not _visible_controls(app.title)
            await pilot.press("j")
            await settle(pilot, lambda: app.reader._detail_id == "2699.00002", "the second")
            text = screen_text(app)
            assert "Escapes red" in text and "pwned" not in text
            assert not _visible_controls(text)


async def test_unsafe_links_cannot_be_opened_or_copied(make_app) -> None:
    with FakeHub(hostile_items("2026-08-17")) as hub:
        hub.start()
        app = make_app(hub.url, Period.parse("2026-08-17"))
        copied: list[str] = []
        app.system_copy = copied.append
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, loaded(app, "network"), "the hostile day")
            await settle(pilot, lambda: app.reader._detail_id == "2699.00001", "the detail")
            await pilot.press("c")
            # Code (javascript:) and project page (an escape in it) are disabled options.
            await pilot.press("4")
            await pilot.pause()
            # Pressing an unsafe link's number says why nothing is copied.
            error = str(app.screen.query_one("#links-error").render())
            assert error.startswith("Link 4 (Code) is not copied: only plain http")
            await pilot.press("5")
            await pilot.pause()
            assert copied == []
            await pilot.press("escape")
            await pilot.press("c", "1")
            await settle(pilot, lambda: bool(copied), "a safe copy")
            assert copied == ["https://huggingface.co/papers/2699.00001"]


async def test_no_browser_is_a_notice(hub: FakeHub, make_app) -> None:
    from paperreader.core.browser import BrowserError

    app = make_app(hub.url)

    def no_browser(url: str) -> None:
        raise BrowserError("No browser found here; copy the link instead (y)")

    app.launch_browser = no_browser
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("o")
        await settle(
            pilot, lambda: any("No browser" in n.message for n in app._notifications), "notice"
        )


async def test_a_tiny_terminal_and_resizing(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        assert app.screen.has_class("-narrow")
        await pilot.press("j", "enter", "tab", "question_mark", "escape", "c", "escape")
        for size in ((20, 5), (120, 40), (60, 15), (1, 1), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("G", "g", "j")
        assert app.paper_list.cursor == 1
        assert "Tuesday paper 1" in screen_text(app)
