"""Fixtures for driving the real app with the Pilot, against a local fake hub."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from paperreader.core.client import HFClient
from paperreader.core.library import Library
from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp
from tools.fakehub import FakeHub, make_item

TODAY = date(2026, 8, 18)


def day_items() -> list[dict[str, object]]:
    """Two listing days of papers, with distinctive titles and upvotes."""
    items = [
        make_item(f"2608.1{i:04d}", f"Monday paper {i}", day="2026-08-17", upvotes=100 - i)
        for i in range(12)
    ]
    items += [
        make_item(f"2608.2{i:04d}", f"Tuesday paper {i}", day="2026-08-18", upvotes=50 - i)
        for i in range(5)
    ]
    items.append(
        make_item(
            "2608.30000",
            "[bold]Not bold[/] and [link=https://evil.example]x[/link]",
            day="2026-08-18",
            upvotes=1,
            githubRepo="javascript:alert(1)",
        )
    )
    return items


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub(day_items()) as fake:
        fake.start()
        yield fake


@pytest.fixture
def app_paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path / "home")


AppFactory = Callable[..., PaperReaderApp]


@pytest.fixture
def make_app(app_paths: Paths) -> Iterator[AppFactory]:
    """Build an app on the test's own store; ``url=None`` means offline."""
    opened: list[Library] = []

    def factory(url: str | None = None, period: Period | None = None) -> PaperReaderApp:
        store = Store.open(app_paths)
        client = HFClient(url, max_retries=0, timeout=5) if url else None
        library = Library(store, client)
        opened.append(library)
        app = PaperReaderApp(library, period, today=lambda: TODAY)
        app.launch_browser = lambda url: None
        return app

    yield factory
    for library in opened:
        if library.client:
            library.client.close()
        library.store.close()
