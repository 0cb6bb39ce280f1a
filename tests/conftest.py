"""Shared fixtures: every test runs with its own home, data, cache and config folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core.paths import Paths
from paperreader.core.store import Store


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and the XDG folders at ``tmp_path`` and forget HF_ENDPOINT.

    No test can read or write the real user's files or reach a real hub by accident.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    return home


@pytest.fixture
def paths(isolated_home: Path, tmp_path: Path) -> Paths:
    """``Paths.default()`` as the app would see it, checked to be inside ``tmp_path``."""
    found = Paths.default()
    for folder in (found.data_dir, found.cache_dir, found.config_dir):
        assert folder.is_relative_to(tmp_path), f"{folder} escapes the test folder"
    return found


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    """A store on disk in the test's folders, closed afterwards."""
    opened = Store.open(paths)
    try:
        yield opened
    finally:
        opened.close()
