"""Regenerate screenshots/ from the real app on the bundled sample's papers.

    python scripts/screenshots.py

Runs the app offline in a temporary home (nothing of yours is read or written) whose store
holds the sample's papers as if their days had been fetched (plus one full text and one
watch), drives it with the Pilot and saves SVG screenshots. The data and the terminal size
are fixed, so the pictures only change when the app does.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from paperreader.core.library import Library
from paperreader.core.paths import Paths
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def _ready(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, PaperReaderApp)
    for _ in range(500):
        await pilot.pause(0.01)
        if app.reader.loaded is not None and app.reader._detail_id is not None:
            break
    await app.workers.wait_for_complete()
    app.clear_notifications()
    await pilot.pause()


async def main_screen(pilot: Pilot[None]) -> None:
    await pilot.press("b", "j", "j", "r", "j", "j", "b", "j")


async def detail(pilot: Pilot[None]) -> None:
    await pilot.press("j", "j", "j", "enter")


async def help_screen(pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")


async def copy_link(pilot: Pilot[None]) -> None:
    await pilot.press("j", "c")


async def search(pilot: Pilot[None]) -> None:
    await pilot.press("slash")
    for key in "agent benchmark":
        await pilot.press("space" if key == " " else key)
    await pilot.pause(0.3)
    await pilot.press("down")


async def bookmarks(pilot: Pilot[None]) -> None:
    await pilot.press("b", "j", "j", "b", "j", "b", "j", "j", "j", "b", "r", "B")
    await pilot.pause(0.3)


async def light_theme(pilot: Pilot[None]) -> None:
    pilot.app.theme = "textual-light"
    await pilot.press("j", "j", "b", "j", "r", "j")


async def narrow(pilot: Pilot[None]) -> None:
    await pilot.press("j", "j")


async def paper_text(pilot: Pilot[None]) -> None:
    await pilot.press("f")
    await pilot.pause(0.5)
    await pilot.press("j", "j", "j", "j", "j", "j", "j", "j")


async def watches(pilot: Pilot[None]) -> None:
    await pilot.press("w")
    await pilot.pause(0.3)


SHOTS: dict[str, tuple[Steps, tuple[int, int]]] = {
    "main": (main_screen, SIZE),
    "detail": (detail, SIZE),
    "search": (search, SIZE),
    "bookmarks": (bookmarks, SIZE),
    "help": (help_screen, SIZE),
    "copy-link": (copy_link, SIZE),
    "light": (light_theme, SIZE),
    "narrow": (narrow, (60, 30)),
    "paper-text": (paper_text, SIZE),
    "watches": (watches, SIZE),
}


def filled_store(root: Path) -> Store:
    """A store holding the sample's papers by day, one full text and one watch."""
    import sys

    sys.path.insert(0, str(OUT.parent))  # the fake hub writes the full text
    from paperreader.core.sample import load_sample
    from tools.fakehub import make_item, paper_markdown

    store = Store.open(Paths.under(root))
    papers = load_sample().papers
    for day in sorted({p.listing_day for p in papers if p.listing_day}):
        listed = sorted((p for p in papers if p.listing_day == day), key=lambda p: -p.upvotes)
        store.save_listing("day", day.isoformat(), listed)
    from paperreader.core.periods import Period

    newest = max(p.listing_day for p in papers if p.listing_day)
    top = store.period_listing(Period.day(newest))
    assert top is not None and top.rows
    first = top.rows[0]
    store.save_full_text(first.id, paper_markdown(make_item(first.id, first.title)), limit=2**40)
    Library(store).add_watch("agents", "agent")
    return store


async def shoot(name: str, steps: Steps, size: tuple[int, int], root: Path) -> Path:
    store = filled_store(root / name)
    app = PaperReaderApp(Library(store, None), restore=False)
    async with app.run_test(size=size) as pilot:
        await _ready(pilot)
        await steps(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        app.clear_notifications()
        await pilot.pause()
        path = Path(app.save_screenshot(f"{name}.svg", str(OUT)))
    store.close()
    return path


async def run() -> None:
    OUT.mkdir(exist_ok=True)
    os.environ.pop("HF_ENDPOINT", None)
    with tempfile.TemporaryDirectory() as root:
        for name, (steps, size) in SHOTS.items():
            print(await shoot(name, steps, size, Path(root)))


if __name__ == "__main__":
    asyncio.run(run())
