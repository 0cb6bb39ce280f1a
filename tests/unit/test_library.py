"""The Library against a local FakeHub: fetch, store, and read back offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paperreader.core.client import HFClient, NetworkError
from paperreader.core.library import Library, Source, listing_day, storage_key
from paperreader.core.models import Paper
from paperreader.core.periods import Period
from paperreader.core.sample import SAMPLE_LAST_DAY, load_sample
from paperreader.core.store import Store
from tools.fakehub import FakeHub, make_items

# 2026-08-17 is a Monday: the first three days are in ISO week 2026-W34.
SPEC = {"2026-08-17": 5, "2026-08-18": 3, "2026-08-21": 4, "2026-07-30": 2}


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    running = FakeHub(make_items(SPEC))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def library(hub: FakeHub, store: Store) -> Iterator[Library]:
    client = HFClient(hub.url, max_retries=0, timeout=5, sleep=lambda _s: None)
    try:
        yield Library(store, client)
    finally:
        client.close()


def test_fetch_latest_stores_the_newest_day(library: Library, hub: FakeHub) -> None:
    fetched = library.fetch(None)
    assert fetched.period == Period.parse("2026-08-21")
    assert fetched.skipped == 0
    listing = fetched.listing
    assert (listing.unit, listing.key, listing.sort) == ("day", "2026-08-21", "publishedAt")
    assert len(listing.rows) == 4
    assert {row.listing_day for row in listing.rows} == {"2026-08-21"}
    # The hub orders by upvotes, and the stored listing keeps that order.
    assert [row.upvotes for row in listing.rows] == [4, 3, 2, 1]
    assert library.store.newest_day() == Period.parse("2026-08-21").start
    assert hub.requests[0][0] == "/api/daily_papers"
    assert "date" not in hub.requests[0][1]


def test_cached_latest_needs_no_network(library: Library, hub: FakeHub) -> None:
    fetched = library.fetch(None)
    hub.stop()
    asked = len(hub.requests)
    cached = library.cached(None)
    assert cached is not None
    assert cached.rows == fetched.listing.rows
    assert cached.key == "2026-08-21"
    assert len(hub.requests) == asked
    # And the network really is gone now.
    with pytest.raises(NetworkError):
        library.fetch(None)
    assert library.cached(None) == cached


def test_cached_is_none_before_anything_is_fetched(library: Library, hub: FakeHub) -> None:
    assert library.cached(None) is None
    assert library.cached(Period.parse("2026-08-17")) is None
    assert library.cached(None, sort="trending") is None
    assert hub.requests == []


def test_fetch_a_day(library: Library) -> None:
    fetched = library.fetch(Period.parse("2026-08-18"))
    assert fetched.listing.key == "2026-08-18"
    assert len(fetched.listing.rows) == 3
    assert library.cached(Period.parse("2026-08-18")) == fetched.listing


def test_fetch_a_week(library: Library, hub: FakeHub) -> None:
    week = Period.parse("2026-W34")
    fetched = library.fetch(week)
    assert fetched.period == week
    assert (fetched.listing.unit, fetched.listing.key) == ("week", "2026-W34")
    assert len(fetched.listing.rows) == 12  # 17th, 18th and 21st
    assert hub.requests[-1][1]["week"] == "2026-W34"
    assert library.cached(week) == fetched.listing
    # The latest day, offline, is the newest day of the stored papers, whichever
    # request stored them.
    latest = library.cached(None)
    assert latest is not None and latest.key == "2026-08-21"
    assert {row.listing_day for row in latest.rows} == {"2026-08-21"}
    assert len(latest.rows) == 4


def test_fetch_a_month(library: Library, hub: FakeHub) -> None:
    july = library.fetch(Period.parse("2026-07"))
    assert (july.listing.unit, july.listing.key) == ("month", "2026-07")
    assert len(july.listing.rows) == 2
    august = library.fetch(Period.parse("2026-08"))
    assert len(august.listing.rows) == 12
    assert hub.requests[-1][1]["month"] == "2026-08"
    assert library.cached(Period.parse("2026-07")) == july.listing


def test_trending_is_stored_under_its_own_name(library: Library, hub: FakeHub) -> None:
    fetched = library.fetch(None, sort="trending")
    listing = fetched.listing
    assert (listing.unit, listing.key, listing.sort) == ("trending", "all", "trending")
    assert len(listing.rows) == sum(SPEC.values())
    assert hub.requests[-1][1]["sort"] == "trending"
    assert library.store.listing("trending", "all", sort="trending") == listing
    assert library.cached(None, sort="trending") == listing


def test_offline_library_cannot_fetch(store: Store) -> None:
    offline = Library(store)
    assert not offline.online
    with pytest.raises(RuntimeError):
        offline.fetch(None)


def test_empty_hub_keeps_what_was_stored(store: Store) -> None:
    before = [Paper(id="2608.00001", title="Stored before", listing_day=SAMPLE_LAST_DAY)]
    store.save_listing("day", SAMPLE_LAST_DAY.isoformat(), before)
    with FakeHub([]) as empty:
        client = HFClient(empty.url, max_retries=0)
        try:
            fetched = Library(store, client).fetch(None)
        finally:
            client.close()
    assert fetched.period is None
    assert fetched.listing.rows == ()
    kept = Library(store).cached(None)
    assert kept is not None
    assert [row.title for row in kept.rows] == ["Stored before"]


def test_sample_is_shown_on_an_empty_store_and_never_stored(store: Store) -> None:
    loaded = list(Library(store).load(Source()))
    assert [answer.origin for answer in loaded] == ["sample"]
    rows = loaded[0].rows
    expected = load_sample().papers
    assert len(rows) == len(expected) > 0
    assert {row.id for row in rows} == {p.id for p in expected}
    assert rows[0].listing_day == SAMPLE_LAST_DAY.isoformat()
    days = [row.listing_day or "" for row in rows]
    assert days == sorted(days, reverse=True)
    assert "offline" in loaded[0].problem
    # Nothing of it was written: the store is as empty as before.
    assert store.paper_count() == 0
    assert store.newest_day() is None
    # The detail of a sample paper is still found (from memory).
    library = Library(store)
    list(library.load(Source()))
    assert library.paper(rows[0].id) is not None


def test_listing_day_is_the_most_common_day() -> None:
    def p(n: int, day: str | None) -> Paper:
        return Paper(
            id=f"2608.{n:05d}",
            title="t",
            listing_day=Period.parse(day).start if day else None,
        )

    papers = [p(1, "2026-08-20"), p(2, "2026-08-21"), p(3, "2026-08-21"), p(4, None)]
    assert listing_day(papers) == Period.parse("2026-08-21")
    assert listing_day([p(1, None)]) is None
    assert listing_day([]) is None


def test_storage_key() -> None:
    assert storage_key(Period.parse("2026-W34"), "publishedAt") == ("week", "2026-W34")
    assert storage_key(None, "trending") == ("trending", "all")
    assert storage_key(Period.parse("2026-08"), "trending") == ("trending", "all")
    with pytest.raises(ValueError):
        storage_key(None, "publishedAt")
