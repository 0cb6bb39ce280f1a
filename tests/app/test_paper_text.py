"""The full-text screen driven with the Pilot: f opens it, sections, contents, find,
links, comments, esc back, offline, 404, and hostile text."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.paper_text import ContentsScreen, LinkChooser, PaperTextScreen
from tests.app.test_app import SIZE, screen_text, settle
from tools.fakehub import FakeHub


def listed(app: PaperReaderApp) -> Callable[[], bool]:
    return lambda: app.reader.loaded is not None and app.reader.loaded.origin == "network"


def text_screen(app: PaperReaderApp) -> PaperTextScreen:
    screen = app.screen
    assert isinstance(screen, PaperTextScreen)
    return screen


async def open_text(pilot: Pilot[None], app: PaperReaderApp) -> PaperTextScreen:
    await pilot.press("f")
    await settle(
        pilot,
        lambda: isinstance(app.screen, PaperTextScreen) and app.screen.complete,
        "the full text",
    )
    return text_screen(app)


async def test_f_shows_the_sections_t_jumps_slash_finds_esc_returns(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, listed(app), "the listing")
        await pilot.press("j", "j")
        top = app.paper_list.current
        assert top is not None
        screen = await open_text(pilot, app)
        assert screen.paper_id == top.id
        titles = [title for _, _, title in screen.view.doc.headings]
        assert titles[:4] == [top.title, "Abstract", "1 Introduction", "1.1 Details"]
        assert "References" in titles
        shown = screen_text(app)
        assert f"# {top.title}" in shown and "## Abstract" in shown

        # t: the contents; go to "2 Related Work".
        await pilot.press("t")
        assert isinstance(app.screen, ContentsScreen)
        target = titles.index("2 Related Work")
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        line = screen.view.doc.headings[target][1]
        assert app.screen is screen and screen.view.top == line
        assert screen.view.doc.texts[line] == "## 2 Related Work"
        assert "## 2 Related Work" in screen_text(app)

        # /: find (in what is shown: the maths as Unicode), then n to the next match.
        await pilot.press("g", "slash", *"mc²", "enter")
        await pilot.pause()
        assert len(screen.find_hits) == 3  # odd sections have the equation
        first = screen.find_hits[screen.find_index]
        assert "E = mc² + a/b" in screen.view.doc.texts[first[0]]
        assert screen.view.top <= first[0] < screen.view.top + 36
        await pilot.press("n")
        second = screen.find_hits[screen.find_index]
        assert second[0] > first[0]
        assert screen.view.top <= second[0] < screen.view.top + 36

        # esc: back to the list, on the same paper.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PaperTextScreen)
        assert app.paper_list.current == top


async def test_the_reading_position_is_remembered(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, listed(app), "the listing")
        # A slow disk: the place is still being written when the paper is opened again.
        saving = app.library.set_reading_position

        def slow(*args: object) -> None:
            time.sleep(0.5)
            saving(*args)  # type: ignore[arg-type]

        app.library.set_reading_position = slow  # type: ignore[method-assign]
        screen = await open_text(pilot, app)
        await pilot.press("space", "space", "j")
        top = screen.view.top
        assert top > 40
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, PaperTextScreen), "the list")
        screen = await open_text(pilot, app)
        # (The place is scrolled to once the text's size is laid out: a frame later.)
        await settle(pilot, lambda: screen.view.top == top, f"the place: line {top}")
        assert screen.view.top == top


async def test_comments_links_and_offline(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    opened: list[str] = []
    app.launch_browser = opened.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, listed(app), "the listing")
        paper_id = app.paper_list.rows[0].id
        screen = await open_text(pilot, app)
        await pilot.press("c")
        await settle(pilot, lambda: screen.comments_value is not None, "the comments")
        expected = len(FakeHub(hub.items)._comments(paper_id)["comments"])
        assert f"Comments ({expected})" in screen_text(app)
        await pilot.press("escape")  # back to the text, not out of the screen
        assert app.screen is screen and screen.mode == "text"
        assert "## 1 Introduction" in "\n".join(screen.view.doc.texts)
        await pilot.press("c")
        await pilot.press("c")
        await pilot.press("o")
        assert isinstance(app.screen, LinkChooser)
        await pilot.press("1", "enter")
        await settle(pilot, lambda: bool(opened), "the browser")
        assert opened == [f"https://example.org/{paper_id}"]
        await pilot.press("escape")
    hub.stop()
    offline = make_app(None)
    async with offline.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: offline.paper_list.current is not None, "the stored list")
        while offline.paper_list.current and offline.paper_list.current.id != paper_id:
            await pilot.press("j")
        screen = await open_text(pilot, offline)
        assert screen.origin == "cache"
        assert "## 1 Introduction" in "\n".join(screen.view.doc.texts)
        await pilot.press("c")
        await settle(pilot, lambda: screen.comments_value is not None, "the stored comments")
        assert len(screen.comments_value or ()) == expected


async def test_a_paper_without_text_offers_arxiv(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    opened: list[str] = []
    app.launch_browser = opened.append
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, listed(app), "the listing")
        paper_id = app.paper_list.rows[0].id
        hub.no_text.add(paper_id)
        await pilot.press("f")
        await settle(
            pilot,
            lambda: isinstance(app.screen, PaperTextScreen) and app.screen.state == "missing",
            "the 404",
        )
        assert "Hugging Face has no text for this paper" in screen_text(app)
        await pilot.press("o")
        await settle(pilot, lambda: bool(opened), "the browser")
        assert opened == [f"https://arxiv.org/abs/{paper_id}"]


async def test_hostile_text_is_shown_literally_and_touches_neither_title_nor_clipboard(
    hub: FakeHub, make_app
) -> None:
    app = make_app(hub.url)
    copied: list[str] = []
    app.system_copy = copied.append
    terminal: list[str] = []
    app.copy_to_clipboard = terminal.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, listed(app), "the listing")
        title = app.title
        hub.fault = "hostile"
        screen = await open_text(pilot, app)
        texts = "\n".join(screen.view.doc.texts)
        assert "[bold]markup[/] [link=https://evil]y[/link] [@click=app.quit]z[/]" in texts
        assert "<script>alert(1)</script>" in texts
        assert not any(ch in texts for ch in "\x1b\x07\x9b\u202e")
        # Only http(s) links are numbered; javascript:, file: and data: are not links (the
        # OSC sequence in the other link was removed with every escape sequence).
        assert screen.links.urls == ["https://ok.example/", "https://example.org/good"]
        assert "[unsafe link]" in texts or "javascript:alert(1)" in texts
        shown = screen_text(app)
        assert "[bold]markup[/]" in shown
        await pilot.press("c")
        await settle(pilot, lambda: screen.comments_value is not None, "the comments")
        assert "Mallory [bold]markup[/]" in screen_text(app)
        await pilot.press("c", "y")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(copied), "the copy")
        assert copied == ["https://ok.example/"]
        assert terminal == []
        assert app.title == title
        await pilot.press("escape")
        assert not isinstance(app.screen, PaperTextScreen)
