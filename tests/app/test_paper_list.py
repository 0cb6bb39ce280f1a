"""The paper list's rows: exactly as wide as the list, whatever the title holds."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from paperreader.core.store import Row
from paperreader.ui.widgets.paper_list import PaperList, _fit

TITLES = [
    "Plain ASCII title",
    "A" * 300,
    "视觉语言模型的长上下文推理：一个基准",  # wide (two-cell) characters
    "Emoji 🚀 and ZWJ 👩‍🔬 in a title",
    "Accents: Über naïve façade — déjà vu",
    "",
]


def rows() -> list[Row]:
    return [
        Row(f"2601.{i:05d}", title, 10**i, None, None, "Ada Lovelace et al.", org, day)
        for i, title in enumerate(TITLES)
        for org, day in ((None, "2026-01-05"), ("清华大学 Tsinghua University", None))
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PaperList({"2601.00001"}, {"2601.00002"}, {"2601.00003"})


@pytest.mark.parametrize("width", [30, 60, 75, 76, 77, 120, 200])
async def test_every_row_is_exactly_as_wide_as_the_list(width: int) -> None:
    app = ListApp()
    async with app.run_test(size=(width, 20)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(rows())
        await pilot.pause()
        inner = papers.scrollable_content_region.width
        for y in range(len(rows())):
            strip = papers.render_line(y)
            # The length the strip claims must be the length the terminal will see.
            measured = sum(cell_len(segment.text) for segment in strip)
            assert strip.cell_length == measured == inner, (y, strip.text)


@pytest.mark.parametrize("text", [*TITLES, "x" * 5, "naïve"])
@pytest.mark.parametrize("width", [1, 2, 5, 12, 40])
@pytest.mark.parametrize("right", [False, True])
def test_fit_pads_or_cuts_to_the_cell(text: str, width: int, right: bool) -> None:
    fitted = _fit(text, width, right=right)
    assert cell_len(fitted) == width
    if cell_len(text) > width:
        assert fitted.endswith("…")
    else:
        assert fitted.strip() == text.strip()


async def test_a_row_is_drawn_again_when_what_it_shows_changes() -> None:
    app = ListApp()
    async with app.run_test(size=(120, 10)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(rows())
        await pilot.pause()
        line = papers.render_line(4).text  # "2601.00002": bookmarked, unread
        assert "★" in line and "●" in line
        assert papers.render_line(4) is papers.render_line(4)  # drawn once, then kept
        papers.read_ids.add("2601.00002")
        papers.bookmark_ids.discard("2601.00002")
        line = papers.render_line(4).text
        assert "★" not in line and "●" not in line
        papers.set_rows([rows()[0]._replace(id="2601.00002", title="Another title")] * 5)
        assert "Another title" in papers.render_line(4).text
        before = papers.render_line(0)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        after = papers.render_line(0)
        assert after.text == before.text
        assert [s.style for s in after] != [s.style for s in before]  # the new theme's
