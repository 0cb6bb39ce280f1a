"""Fit and finish (#14): the dialogs' one rule, cut titles, wrapped errors, the key bar,
the focused pane, the cursor in every theme, the sort key's value, next unread."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.app import App, ComposeResult
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input, Static

from paperreader.core.config import THEMES
from paperreader.core.models import Paper
from paperreader.core.rows import Row
from paperreader.ui.bindings import bindings
from paperreader.ui.screens.annotate import NoteScreen, TagScreen
from paperreader.ui.screens.dialog import ConfirmScreen, DialogError, DialogTitle
from paperreader.ui.screens.export import ExportRequest, ExportScreen, export_writer
from paperreader.ui.screens.jump import JumpScreen
from paperreader.ui.widgets.detail import render_paper
from paperreader.ui.widgets.keybar import KeyBar
from tests.app.conftest import TODAY
from tests.app.test_app import SIZE, loaded, screen_text, settle
from tools.fakehub import FakeHub

LONG = (
    "Can We Defend Against AI-Generated Video Attacks on Real-World Crisis Events? A "
    "Systematic Evaluation of Detectors, Generators and Social Dissemination"
)


def test_the_app_knows_every_theme_the_config_accepts() -> None:
    # The core's list (config check) cannot drift from Textual's.
    assert set(THEMES) == set(BUILTIN_THEMES)


def test_votes_say_one_comment_and_wrap_under_themselves() -> None:
    paper = Paper("2608.1", "T", upvotes=1, comments=1, github_stars=1)
    console = Console(width=40, record=True, file=io.StringIO())
    console.print(render_paper(paper, read=False, bookmarked=False))
    text = console.export_text()
    assert "▲ 1 upvote · 1 comment · ★ 1 GitHub star" in " ".join(text.split())
    assert "comments" not in text and "upvotes" not in text
    votes = text[text.index("Votes") :].splitlines()
    assert len(votes) >= 2 and votes[1].startswith(" " * 13)  # a hanging indent


# The dialogs ---------------------------------------------------------------------------


async def test_tags_one_rule_save_discard_and_ask(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        store = app.library.store
        await pilot.press("T")
        await settle(pilot, lambda: isinstance(app.screen, TagScreen), "the tags editor")
        hint = str(app.screen.query_one("#tags-hint").render())
        assert "ctrl+s saves" in hint and "ctrl+d discards" in hint and "esc" in hint
        await pilot.press("r", "l", "ctrl+s")  # ctrl+s saves
        await settle(pilot, lambda: store.tags(paper_id) == ("rl",), "the saved tags")

        await pilot.press("T")
        await settle(pilot, lambda: isinstance(app.screen, TagScreen), "the tags editor")
        await pilot.press("space", "x", "escape")  # changed: esc asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # ... and n discards
        await pilot.pause()
        assert not isinstance(app.screen, (TagScreen, ConfirmScreen))
        assert store.tags(paper_id) == ("rl",)

        await pilot.press("T")
        await settle(pilot, lambda: isinstance(app.screen, TagScreen), "the tags editor")
        await pilot.press("space", "y", "escape", "escape")  # asked; esc: back to editing
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        await pilot.press("escape", "y")  # asked again; y saves
        await pilot.pause()
        await settle(pilot, lambda: store.tags(paper_id) == ("rl", "y"), "the saved tags")

        await pilot.press("T")  # unchanged: esc just closes
        await settle(pilot, lambda: isinstance(app.screen, TagScreen), "the tags editor")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (TagScreen, ConfirmScreen))


async def test_note_ctrl_s_saves_and_the_hint_names_the_keys(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        paper_id = app.paper_list.rows[0].id
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, NoteScreen), "the note editor")
        hint = str(app.screen.query_one("#note-hint").render())
        assert hint == "ctrl+s or esc saves · ctrl+d discards the changes"
        await pilot.press("o", "k", "ctrl+x")  # ctrl+x is the text area's cut, not discard
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+v", "ctrl+s")
        await settle(pilot, lambda: app.library.store.note(paper_id) == "ok", "the note")


class _Host(App[None]):
    """A bare app to open one dialog or widget on."""

    def __init__(self, *widgets: object) -> None:
        super().__init__()
        self._widgets = widgets

    def compose(self) -> ComposeResult:
        yield Static("host")
        yield from self._widgets  # type: ignore[misc]


async def test_a_long_title_is_cut_at_a_word_with_an_ellipsis() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(NoteScreen(LONG, ""))
        await pilot.pause()
        title = app.screen.query_one(DialogTitle)
        shown = title.render().plain
        assert shown.endswith("…") and len(shown) <= title.size.width
        assert f"Note on: {LONG}".startswith(shown[:-1])
        assert shown[:-1].endswith(("?", "Crisis", "Events", "A")) or shown[-2].isalnum()
        assert not shown[:-1].endswith(" ")
        # Cut where a word ends: the next character of the full title is a space.
        assert f"Note on: {LONG}"[len(shown) - 1] == " "


async def test_a_go_to_error_wraps_inside_the_dialog() -> None:
    app = _Host()
    async with app.run_test(size=(70, 20)) as pilot:
        app.push_screen(JumpScreen(lambda: TODAY))
        await pilot.pause()
        for key in "2026-13":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#jump-error", DialogError)
        assert error.size.height >= 2  # wrapped, not cut at the dialog's edge
        text = " ".join(screen_text(app).replace("│", " ").split())  # type: ignore[arg-type]
        assert "month must be in 1..12)" in text


async def test_a_failed_export_keeps_the_dialog_open(
    hub: FakeHub, make_app, tmp_path: Path
) -> None:
    app = make_app(hub.url)
    results: list[ExportRequest | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        ids = [row.id for row in app.paper_list.rows[:1]]
        screen = ExportScreen("view", "this view", 1, "x", write=export_writer(app.library, ids))
        app.push_screen(screen, results.append)
        await pilot.pause()
        title = app.screen.query_one(DialogTitle).render().plain
        assert title == "Export this view (1 paper)"
        box = app.screen.query_one("#export-path", Input)
        box.value = str(tmp_path / "missing-folder" / "out.bib")
        box.focus()
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: "cannot write" in str(screen.query_one("#export-error").render()),
            "the error",
        )
        assert app.screen is screen and results == []  # still open, nothing lost
        box.value = str(tmp_path / "out.bib")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(results), "the export")
    request = results[0]
    assert request is not None and request.path == tmp_path / "out.bib"
    assert request.notice == f"Exported 1 paper as bibtex to {tmp_path / 'out.bib'}"
    assert (tmp_path / "out.bib").read_text().count("@misc{") == 1


# The key bar, the keys panel, the focus ------------------------------------------------


class _Bar(App[None]):
    BINDINGS = bindings("app")

    def compose(self) -> ComposeResult:
        yield Static("reader")
        yield KeyBar()


async def test_the_key_bar_keeps_help_and_quit_at_80_columns() -> None:
    app = _Bar()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):  # the bar fills after the first frame
            await pilot.pause(0.02)
            bottom = screen_text(app).splitlines()[-1]  # type: ignore[arg-type]
            if "Help" in bottom:
                break
        assert bottom.lstrip().startswith("? Help")
        assert "q Quit" in bottom
        assert bottom.index("q Quit") < 30


async def test_esc_closes_the_keys_panel_then_goes_back(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("enter")  # the detail has the focus
        await pilot.pause()
        for focused in (app.detail, app.paper_list):
            app.action_show_help_panel()  # the palette's "Keys"
            await pilot.pause()
            assert app.screen.query("HelpPanel")
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen.query("HelpPanel")
            assert focused.has_focus  # only the panel closed
            await pilot.press("escape")  # now esc is "back" again
            await pilot.pause()
        assert app.paper_list.has_focus


async def test_the_focused_pane_is_marked(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        assert app.paper_list.styles.border_left[0] == "thick"
        assert app.detail.styles.border_left[0] != "thick"
        await pilot.press("tab")
        await pilot.pause()
        assert app.detail.styles.border_left[0] == "thick"
        assert app.paper_list.styles.border_left[0] != "thick"


async def test_the_cursor_shows_in_every_theme_with_or_without_focus(
    hub: FakeHub, make_app
) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        for theme in ("textual-light", "textual-dark", "ansi-light", "solarized-light"):
            app.theme = theme
            for focus in (app.paper_list, app.detail):
                focus.focus()
                await pilot.pause()
                cursor = app.paper_list.render_line(0)
                other = app.paper_list.render_line(1)
                assert cursor.text.startswith("▌") and not other.text.startswith("▌")
                if not theme.startswith("ansi"):
                    title = next(s for s in cursor if "paper 0" in s.text)
                    plain = next(s for s in other if "paper 1" in s.text)
                    assert title.style.bgcolor != plain.style.bgcolor, (theme, focus)


# The rows ------------------------------------------------------------------------------


async def test_the_number_column_shows_the_sort_key(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        plist = app.paper_list
        assert "▲  50" in plist.render_line(0).text
        plist.value = "stars"
        assert "☆   –" in plist.render_line(0).text  # no repository: no stars
        plist.set_rows([plist.rows[0]._replace(github_stars=12_345)])
        assert "☆ 12k" in plist.render_line(0).text
        plist.value = "newest"
        line = plist.render_line(0).text
        assert " 08-18 " in line[:12] and "· 08-18" not in line  # the day, once
        try:
            plist.value = "comments"
        except ValueError:
            pass
        else:
            raise AssertionError("an unknown value is refused")


async def test_a_wide_list_cuts_the_names_not_the_day(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        org = "The Very Long Name of an Institute for Advanced Studies of Everything"
        row = Row("2608.1", "A title", 5, None, None, "Ada et al.", org, "2026-08-17")
        app.paper_list.set_rows([row])
        line = app.paper_list.render_line(0).text.rstrip()
        assert line.endswith("… · 08-17")
        assert "The Very Long" in line


async def test_next_and_previous_unread_cross_the_view(hub: FakeHub, make_app) -> None:
    app = make_app(hub.url, None)
    async with app.run_test(size=(120, 12)) as pilot:  # more rows than the screen
        await settle(pilot, loaded(app, "network"), "the listing")
        await pilot.press("left_square_bracket")  # Monday: 12 papers
        await settle(pilot, lambda: len(app.paper_list.rows) == 12, "Monday")
        rows = app.paper_list.rows
        app.reader.read_ids.update(row.id for row in rows[:10])  # the first ten are read
        app.paper_list.refresh()
        await pilot.press("N")
        assert app.paper_list.cursor == 10
        await pilot.press("N")
        assert app.paper_list.cursor == 11
        await pilot.press("N")  # none below: stays, and says so
        await pilot.pause()
        assert app.paper_list.cursor == 11
        assert any("No unread paper below" in n.message for n in app._notifications)
        await pilot.press("P")
        assert app.paper_list.cursor == 10
        await pilot.press("P")  # the first ten are read: none above
        await pilot.pause()
        assert app.paper_list.cursor == 10
        assert any("No unread paper above" in n.message for n in app._notifications)
        await pilot.press("g", "N")  # from the top, across the screen's end
        assert app.paper_list.cursor == 10
