"""The bundled offline sample loads, is real-shaped, and ships as package data."""

from __future__ import annotations

import gzip
import json
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path

from paperreader.core.models import parse_paper
from paperreader.core.sample import (
    SAMPLE_FILE,
    SAMPLE_FIRST_DAY,
    SAMPLE_LAST_DAY,
    SAMPLE_NOTE,
    load_sample,
    load_sample_items,
    sample_days,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "daily-item.json"


def test_sample_loads_with_nothing_skipped() -> None:
    result = load_sample()
    assert len(result.papers) >= 100
    assert result.skipped == 0
    assert result.duplicates == 0


def test_every_paper_has_id_title_and_listing_day() -> None:
    for paper in load_sample().papers:
        assert paper.id
        assert paper.title
        assert isinstance(paper.listing_day, date)


def test_sample_includes_the_real_fixture_item_unchanged() -> None:
    ids = {paper.id for paper in load_sample().papers}
    assert "2608.09888" in ids
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert fixture in load_sample_items()


def test_items_have_the_daily_papers_shape() -> None:
    for item in load_sample_items():
        paper = item["paper"]
        assert item["title"] == paper["title"]
        assert paper["submittedOnDailyAt"].endswith("T00:00:00.000Z")
        assert isinstance(paper["upvotes"], int)
        assert isinstance(paper["authors"], list)
        for author in paper["authors"]:
            assert set(author) >= {"_id", "name", "hidden"}
        if "githubRepo" in paper:
            assert paper["githubRepo"].startswith("https://github.com/")
        if "githubStars" in paper:
            assert isinstance(paper["githubStars"], int)
        # Scraped papers have no upvotes: nothing is invented for them.
        if paper["id"] != "2608.09888":
            assert paper["upvotes"] == 0


def test_sample_days_are_newest_first_and_match_the_note() -> None:
    days = sample_days()
    assert days == sorted(days, reverse=True)
    assert len(days) >= 5
    assert days[0] == SAMPLE_LAST_DAY
    assert days[-1] == SAMPLE_FIRST_DAY
    assert SAMPLE_FIRST_DAY.isoformat() in SAMPLE_NOTE
    assert SAMPLE_LAST_DAY.isoformat() in SAMPLE_NOTE
    assert "\n" not in SAMPLE_NOTE


def test_sample_file_is_small_gzip_package_data() -> None:
    data = resources.files("paperreader.core.sample").joinpath(SAMPLE_FILE).read_bytes()
    assert len(data) < 500_000
    assert isinstance(json.loads(gzip.decompress(data)), list)
    assert SAMPLE_FILE.endswith(".json.gz")


def test_package_data_is_declared() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    assert "*.json.gz" in package_data["paperreader.core.sample"]


def test_sample_items_parse_one_by_one() -> None:
    items = load_sample_items()
    assert all(parse_paper(item) is not None for item in items)
    # A fresh list each call: callers may change it without touching the next one.
    items.clear()
    assert load_sample_items()
