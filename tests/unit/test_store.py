"""The SQLite store: what survives, what merges, and what happens to damaged files."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.store import CACHE_MIGRATIONS, USER_MIGRATIONS, Store, StoreError, opening


def paper(n: int, **changes: object) -> Paper:
    fields: dict[str, object] = {
        "id": f"2608.{n:05d}",
        "title": f"Paper number {n}",
        "summary": f"Abstract {n}.\n\nSecond paragraph.",
        "authors": (f"Author {n}", "Second Author"),
        "listing_day": date(2026, 8, 17),
        "published": date(2026, 8, 15),
        "upvotes": n,
        "comments": 3,
        "github_repo": "https://github.com/a/b",
        "github_stars": 10,
        "project_page": "https://project.example",
        "ai_summary": "AI summary.",
        "ai_keywords": ("one", "two"),
        "organization": "Org",
        "submitter": "Someone",
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


def ids(store: Store, unit: str, key: str, sort: str = "publishedAt") -> list[str]:
    listing = store.listing(unit, key, sort=sort)
    assert listing is not None
    return [row.id for row in listing.rows]


# Persistence -------------------------------------------------------------------------------


def test_everything_survives_close_and_reopen(paths: Paths) -> None:
    papers = [paper(3), paper(1), paper(2)]
    with Store.open(paths) as first:
        first.save_listing("day", "2026-08-17", papers)
        first.set_bookmark(papers[1])
        first.set_read([papers[0].id, papers[2].id])
        first.set_setting("theme", "dark")
        created = first.bookmarks()[0].created_at

    with Store.open(paths) as again:
        assert again.notices == []
        assert ids(again, "day", "2026-08-17") == ["2608.00003", "2608.00001", "2608.00002"]
        assert again.paper("2608.00002") == papers[2]
        assert again.paper_count() == 3
        marks = again.bookmarks()
        assert [m.paper for m in marks] == [papers[1]]
        assert marks[0].created_at == created
        assert again.bookmark_ids() == {"2608.00001"}
        assert again.read_ids() == {"2608.00003", "2608.00002"}
        assert again.is_read("2608.00003") and not again.is_read("2608.00001")
        assert again.setting("theme") == "dark"
        assert again.setting("missing", "fallback") == "fallback"


def test_listing_rows_carry_what_the_list_needs(store: Store) -> None:
    store.save_listing("day", "2026-08-17", [paper(1), paper(2, authors=("Solo",))])
    listing = store.listing("day", "2026-08-17")
    assert listing is not None
    assert listing.unit == "day" and listing.key == "2026-08-17" and listing.sort == "publishedAt"
    assert listing.fetched_at.tzinfo is not None
    assert abs(datetime.now(UTC) - listing.fetched_at) < timedelta(minutes=5)
    first, second = listing.rows
    assert first.authors == "Author 1 et al."
    assert second.authors == "Solo"
    assert (first.upvotes, first.comments, first.github_stars) == (1, 3, 10)
    assert first.listing_day == "2026-08-17"
    assert first.organization == "Org"


def test_unknown_listing_and_paper_are_none(store: Store) -> None:
    assert store.listing("day", "2026-08-17") is None
    assert store.paper("2608.99999") is None
    assert store.newest_day() is None
    assert store.period_listing(Period.parse("2026-08-17")) is None


def test_bookmark_created_at_is_kept_when_bookmarked_again(store: Store) -> None:
    store.set_bookmark(paper(1))
    created = store.bookmarks()[0].created_at
    assert created.tzinfo is not None
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
    store.set_bookmark(paper(1, title="New title"))
    (mark,) = store.bookmarks()
    assert mark.created_at == created
    assert mark.paper.title == "New title"
    store.set_bookmark(paper(1), bookmarked=False)
    assert store.bookmarks() == []
    assert store.bookmark_ids() == set()


def test_read_marks_can_be_cleared(store: Store) -> None:
    store.set_read(["2608.00001", "2608.00002"])
    store.set_read(["2608.00001"], read=False)
    assert store.read_ids() == {"2608.00002"}


def test_deleting_the_cache_folder_keeps_the_users_data(paths: Paths) -> None:
    kept = paper(7, title="Bookmarked and precious")
    with Store.open(paths) as first:
        first.save_listing("day", "2026-08-17", [kept, paper(8)])
        first.set_bookmark(kept)
        first.set_read([kept.id, "2608.00008"])
    shutil.rmtree(paths.cache_dir)
    assert not paths.cache_db.exists()

    with Store.open(paths) as again:
        # Only the bookmarked paper is back in the new cache, restored from its snapshot.
        assert again.paper_count() == 1 and again.paper(kept.id) == kept
        assert [r.id for r in again.bookmark_rows()] == [kept.id]
        assert again.listing("day", "2026-08-17") is None
        assert again.read_ids() == {kept.id, "2608.00008"}
        assert [m.paper for m in again.bookmarks()] == [kept]
        assert again.paper(kept.id) == kept  # from the bookmark's snapshot
        assert again.paper("2608.00008") is None  # not bookmarked: gone with the cache


def test_a_known_cache_is_not_searched_for_lost_bookmarks_at_each_start(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing removes a paper from a cache that was neither new, set aside nor migrated:
    opening it skips the lookup of every bookmark (a millisecond at 100,000 papers)."""
    with Store.open(paths) as first:
        first.set_bookmark(paper(1))
    looked: list[bool] = []
    real = Store._restore_bookmarked_papers
    monkeypatch.setattr(
        Store, "_restore_bookmarked_papers", lambda self: looked.append(True) or real(self)
    )
    with Store.open(paths) as again:
        assert looked == []
        assert [row.id for row in again.bookmark_rows()] == ["2608.00001"]
        assert looked == []  # every bookmark was there: nothing to look for
    paths.cache_db.unlink()
    with Store.open(paths) as fresh:
        assert looked == [True]
        assert [row.id for row in fresh.bookmark_rows()] == ["2608.00001"]


def test_bookmarks_from_a_user_file_of_elsewhere_are_listed(paths: Paths, tmp_path: Path) -> None:
    """A user file copied from another machine beside this cache: its bookmarks are
    listed all the same (their papers come back from the snapshots when listed)."""
    elsewhere = Paths.under(tmp_path / "elsewhere")
    with Store.open(elsewhere) as other:
        other.set_bookmark(paper(2, title="Bookmarked elsewhere"))
    with Store.open(paths) as here:
        here.set_bookmark(paper(1))
    shutil.copy(elsewhere.user_db, paths.user_db)
    for extra in ("-wal", "-shm"):
        Path(f"{paths.user_db}{extra}").unlink(missing_ok=True)
    with Store.open(paths) as store:
        rows = store.bookmark_rows()
        assert [(row.id, row.title) for row in rows] == [("2608.00002", "Bookmarked elsewhere")]
        assert store.paper("2608.00002") is not None


def test_deleting_only_the_cache_file_also_works(paths: Paths) -> None:
    with Store.open(paths) as first:
        first.set_bookmark(paper(1))
    for extra in ("", "-wal", "-shm"):
        Path(f"{paths.cache_db}{extra}").unlink(missing_ok=True)
    with Store.open(paths) as again:
        assert again.paper("2608.00001") == paper(1)


# Listings and merging -----------------------------------------------------------------------


def test_listing_is_replaced_on_re_save(store: Store) -> None:
    store.save_listing("day", "2026-08-17", [paper(1), paper(2), paper(3)])
    store.save_listing("day", "2026-08-17", [paper(3), paper(4)])
    assert ids(store, "day", "2026-08-17") == ["2608.00003", "2608.00004"]
    # Papers of the old listing stay in the cache, only the listing changed.
    assert store.paper("2608.00001") == paper(1)


def test_listings_of_different_sorts_and_units_are_separate(store: Store) -> None:
    store.save_listing("day", "2026-08-17", [paper(1), paper(2)])
    store.save_listing("day", "2026-08-17", [paper(2)], sort="trending")
    store.save_listing("week", "2026-W34", [paper(2), paper(1)])
    assert ids(store, "day", "2026-08-17") == ["2608.00001", "2608.00002"]
    assert ids(store, "day", "2026-08-17", "trending") == ["2608.00002"]
    assert ids(store, "week", "2026-W34") == ["2608.00002", "2608.00001"]


def test_empty_listing_is_stored_but_not_latest(store: Store) -> None:
    store.save_listing("day", "2026-08-17", [paper(1)])
    store.save_listing("day", "2026-08-18", [])
    empty = store.period_listing(Period.parse("2026-08-18"))
    assert empty is not None and empty.rows == ()  # fetched, and empty: a listing
    assert store.period_listing(Period.parse("2026-08-19")) is None  # never fetched
    assert store.newest_day() == date(2026, 8, 17)


def test_listings_are_built_from_every_stored_paper_of_their_days(store: Store) -> None:
    # Papers stored by a month, by a search that carries the listing day, and by a day.
    store.save_listing(
        "month",
        "2026-08",
        [paper(1, listing_day=date(2026, 8, 17)), paper(2, listing_day=date(2026, 8, 18))],
    )
    store.save_papers([paper(3, listing_day=date(2026, 8, 17))])
    store.save_listing("day", "2026-08-21", [paper(4, listing_day=date(2026, 8, 21))])
    store.save_papers([paper(5, listing_day=None)])  # a search result of an old paper
    day = store.period_listing(Period.parse("2026-08-17"))
    assert day is not None
    assert [row.id for row in day.rows] == ["2608.00003", "2608.00001"]  # most upvoted first
    week = store.period_listing(Period.parse("2026-W34"))  # Aug 17 to 23
    assert week is not None
    assert [row.id for row in week.rows] == ["2608.00004", "2608.00003", "2608.00002", "2608.00001"]
    assert store.newest_day() == date(2026, 8, 21)
    assert store.adjacent_day(date(2026, 8, 21), -1) == date(2026, 8, 18)
    assert store.adjacent_day(date(2026, 8, 17), 1) == date(2026, 8, 18)
    assert store.adjacent_day(date(2026, 8, 17), -1) is None
    assert store.adjacent_day(date(2026, 8, 21), 1) is None


def test_a_period_is_read_in_the_narrow_day_index(store: Store) -> None:
    """A month's first screen and its fetch stamp are read in ``papers_by_day_rank``
    (covering both), not in the wide filter index nor row by row in the table."""
    store.save_papers([paper(n, listing_day=date(2026, 8, 1 + n % 28)) for n in range(1, 60)])
    plans: list[str] = []
    real_read = store._read

    def read(query: str, parameters: Any = ()) -> Any:
        if "listing_day BETWEEN" in query:
            plan = real_read(f"EXPLAIN QUERY PLAN {query}", parameters)
            plans.append(" | ".join(str(step[-1]) for step in plan))
        return real_read(query, parameters)

    store._read = read  # type: ignore[method-assign]
    month = store.period_listing(Period.parse("2026-08"), limit=10)
    assert month is not None and len(month.rows) == 10
    assert [row.upvotes for row in month.rows] == list(range(59, 49, -1))
    assert plans and all("COVERING INDEX papers_by_day_rank" in plan for plan in plans), plans


def test_a_store_of_the_last_release_gets_the_day_index(paths: Paths) -> None:
    """Migration 7 on a store of six migrations: the narrow index replaces the day index,
    and what is stored reads the same."""
    with Store.open(paths) as store:
        store.save_papers([paper(n, listing_day=date(2026, 8, 17)) for n in range(1, 6)])
    old = sqlite3.connect(paths.cache_db)
    old.execute("DROP INDEX papers_by_day_rank")
    old.execute("CREATE INDEX papers_by_day ON papers (listing_day)")
    old.execute("PRAGMA user_version = 6")
    old.commit()
    old.close()
    with Store.open(paths) as store:
        indexes = {
            row[0] for row in store._read("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert "papers_by_day_rank" in indexes and "papers_by_day" not in indexes
        day = store.period_listing(Period.parse("2026-08-17"))
        assert day is not None
        assert [row.upvotes for row in day.rows] == [5, 4, 3, 2, 1]


def test_an_empty_day_is_known_when_a_month_fetched_after_it_covers_it(store: Store) -> None:
    august = Period.parse("2026-08")
    store.save_listing("month", august.key, [paper(1)], fetched_at=datetime(2026, 9, 2, tzinfo=UTC))
    sunday = store.period_listing(Period.parse("2026-08-16"))
    assert sunday is not None and sunday.rows == ()
    # A month fetched while it was still going on does not say a later day is empty.
    store.save_listing(
        "month",
        "2026-09",
        [paper(2, listing_day=date(2026, 9, 1))],
        fetched_at=datetime(2026, 9, 10, tzinfo=UTC),
    )
    assert store.period_listing(Period.parse("2026-09-20")) is None
    assert store.period_listing(Period.parse("2026-09-06")) is not None


def test_a_partial_copy_never_makes_a_stored_paper_worse(store: Store) -> None:
    full = paper(1, upvotes=514, github_stars=6, comments=4)
    store.save_listing("day", "2026-08-17", [full])
    partial = Paper(id=full.id, title=full.title, upvotes=0, summary="")  # a sample-like copy
    store.save_papers([partial])
    assert store.paper(full.id) == full
    # A search result with newer counts brings them, and fills what was missing.
    newer = Paper(
        id=full.id, title=full.title, upvotes=600, github_stars=9, thumbnail="https://t/x.png"
    )
    store.save_papers([newer])
    kept = store.paper(full.id)
    assert kept is not None
    assert (kept.upvotes, kept.github_stars, kept.comments) == (600, 9, 4)
    assert kept.thumbnail == "https://t/x.png"
    assert kept.github_repo == full.github_repo and kept.listing_day == full.listing_day


def test_a_complete_copy_clears_what_the_api_no_longer_carries(store: Store) -> None:
    store.save_listing("day", "2026-08-17", [paper(1)])
    unlinked = paper(1, github_repo=None, github_stars=None, project_page=None, upvotes=20)
    store.save_listing("day", "2026-08-17", [unlinked])
    again = store.paper("2608.00001")
    assert again is not None
    assert (again.github_repo, again.github_stars, again.project_page) == (None, None, None)
    assert again.upvotes == 20
    # The listing day, once known, stays.
    store.save_listing("trending", "all", [paper(1, listing_day=None)], sort="trending")
    assert store.paper("2608.00001").listing_day == date(2026, 8, 17)  # type: ignore[union-attr]


def test_a_store_of_the_last_release_loses_its_sample_and_keeps_its_papers(paths: Paths) -> None:
    """Migration 4: the sample, stored by earlier releases over real papers, goes."""
    paths.cache_dir.mkdir(parents=True)
    old = sqlite3.connect(paths.cache_db)
    for script in CACHE_MIGRATIONS[:3]:
        old.executescript(script)
    old.execute("PRAGMA user_version = 3")
    columns = "id, title, listing_day, upvotes, github_stars, fetched_at"
    old.executemany(
        f"INSERT INTO papers ({columns}) VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("2608.00001", "Fetched, then overwritten by the sample", "2026-08-17", 0, 514, "S"),
            ("2608.00002", "Only in the sample", "2026-08-17", 0, None, "S"),
            ("2608.00003", "Fetched for real", "2026-08-18", 9, 1, "2026-08-19T00:00:00Z"),
        ],
    )
    old.executemany(
        "INSERT INTO listings (kind, key, sort, fetched_at, size) VALUES (?, ?, ?, ?, ?)",
        [
            ("sample", "bundled", "publishedAt", "S", 2),
            ("day", "2026-08-17", "publishedAt", "E", 1),
        ],
    )
    old.executemany(
        "INSERT INTO listing_papers (kind, key, sort, position, paper_id) VALUES (?, ?, ?, ?, ?)",
        [
            ("sample", "bundled", "publishedAt", 0, "2608.00001"),
            ("sample", "bundled", "publishedAt", 1, "2608.00002"),
            ("day", "2026-08-17", "publishedAt", 0, "2608.00001"),
        ],
    )
    old.commit()
    old.close()
    with Store.open(paths) as store:
        assert store.paper("2608.00002") is None
        assert store.paper("2608.00001") is not None
        assert store.paper("2608.00003") is not None
        assert store.listing("sample", "bundled") is None
        assert store.paper_count() == 2


def test_a_search_result_does_not_erase_what_a_listing_had(store: Store) -> None:
    full = paper(1)
    store.save_listing("day", "2026-08-17", [full])
    from_search = Paper(
        id=full.id,
        title="Title as search has it",
        upvotes=99,
        listing_day=None,
        comments=None,
        submitter=None,
        organization=None,
    )
    store.save_papers([from_search])
    merged = store.paper(full.id)
    assert merged is not None
    assert merged.title == "Title as search has it"
    assert merged.upvotes == 99
    assert merged.listing_day == full.listing_day
    assert merged.comments == full.comments
    assert merged.summary == full.summary
    assert merged.authors == full.authors
    assert merged.ai_keywords == full.ai_keywords
    assert merged.submitter == full.submitter
    assert merged.github_repo == full.github_repo
    row = store.listing("day", "2026-08-17").rows[0]  # type: ignore[union-attr]
    assert row.upvotes == 99
    assert row.listing_day == "2026-08-17"


def test_newer_values_win(store: Store) -> None:
    store.save_papers([paper(1)])
    store.save_papers([paper(1, comments=8, github_stars=20, summary="New abstract.")])
    merged = store.paper("2608.00001")
    assert merged is not None
    assert (merged.comments, merged.github_stars, merged.summary) == (8, 20, "New abstract.")


def test_bookmark_snapshot_follows_re_saved_paper(paths: Paths) -> None:
    with Store.open(paths) as first:
        first.save_listing("day", "2026-08-17", [paper(1, upvotes=5)])
        first.set_bookmark(paper(1, upvotes=5))
        first.save_listing("day", "2026-08-17", [paper(1, upvotes=50, comments=None)])
        assert first.bookmarks()[0].paper.upvotes == 50
    shutil.rmtree(paths.cache_dir)
    with Store.open(paths) as again:
        snapshot = again.bookmarks()[0].paper
        assert snapshot.upvotes == 50
        assert snapshot.comments == 3  # merged, not erased by the copy without comments
        assert again.paper("2608.00001") == snapshot


def test_save_papers_returns_the_count(store: Store) -> None:
    assert store.save_papers(p for p in [paper(1), paper(2)]) == 2
    assert store.paper_count() == 2


# Files ---------------------------------------------------------------------------------------


def test_files_are_where_paths_say(store: Store, paths: Paths) -> None:
    assert paths.cache_db.is_file()
    assert paths.user_db.is_file()
    assert paths.cache_db.parent != paths.user_db.parent


def test_both_files_are_in_wal_mode_with_a_schema_version(store: Store, paths: Paths) -> None:
    store.set_bookmark(paper(1))
    for path, migrations in ((paths.cache_db, CACHE_MIGRATIONS), (paths.user_db, USER_MIGRATIONS)):
        connection = sqlite3.connect(path)
        try:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert connection.execute("PRAGMA user_version").fetchone()[0] == len(migrations)
        finally:
            connection.close()
    assert len(CACHE_MIGRATIONS) >= 1 and len(USER_MIGRATIONS) >= 1


def test_bookmarks_live_in_the_user_file(store: Store, paths: Paths) -> None:
    store.set_bookmark(paper(1))
    store.set_read(["2608.00002"])
    connection = sqlite3.connect(paths.user_db)
    try:
        assert connection.execute("SELECT paper_id FROM bookmarks").fetchall() == [("2608.00001",)]
        assert connection.execute("SELECT paper_id FROM read_marks").fetchall() == [("2608.00002",)]
    finally:
        connection.close()


def asides(folder: Path, name: str, kind: str) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(f"{name}.{kind}-") and not p.name.endswith(("-wal", "-shm"))
    )


def test_garbage_user_file_is_set_aside(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    garbage = b"this is not a database\x00" * 500
    paths.user_db.write_bytes(garbage)
    with Store.open(paths) as opened:
        (aside,) = asides(paths.data_dir, "user.sqlite3", "corrupt")
        assert aside.read_bytes() == garbage
        assert len(opened.notices) == 1
        assert str(aside) in opened.notices[0]
        assert "user data" in opened.notices[0]
        opened.set_bookmark(paper(1))  # and the fresh file works
        assert opened.bookmark_ids() == {"2608.00001"}


def test_garbage_cache_file_is_set_aside_and_user_data_kept(paths: Paths) -> None:
    with Store.open(paths) as first:
        first.set_read(["2608.00001"])
    for extra in ("-wal", "-shm"):
        Path(f"{paths.cache_db}{extra}").unlink(missing_ok=True)
    paths.cache_db.write_bytes(b"\xff" * 4096)
    with Store.open(paths) as again:
        assert len(asides(paths.cache_dir, "papers.sqlite3", "corrupt")) == 1
        assert any("cache" in notice for notice in again.notices)
        assert again.read_ids() == {"2608.00001"}


def _future_user_db(path: Path, *, wal: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        if wal:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE bookmarks_v99 (paper_id TEXT, stuff TEXT)")
        connection.execute("INSERT INTO bookmarks_v99 VALUES ('2608.00001', 'from the future')")
        connection.execute("PRAGMA user_version = 99")
        connection.commit()
    finally:
        connection.close()


def test_newer_user_file_is_set_aside_untouched(paths: Paths) -> None:
    _future_user_db(paths.user_db, wal=True)
    original = paths.user_db.read_bytes()
    with Store.open(paths) as opened:
        (aside,) = asides(paths.data_dir, "user.sqlite3", "newer")
        assert aside.read_bytes() == original
        assert len(opened.notices) == 1
        assert "99" in opened.notices[0] and str(aside) in opened.notices[0]
        assert opened.bookmarks() == []
    connection = sqlite3.connect(aside)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 99
        assert connection.execute("SELECT stuff FROM bookmarks_v99").fetchall() == [
            ("from the future",)
        ]
    finally:
        connection.close()
    connection = sqlite3.connect(paths.user_db)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(USER_MIGRATIONS)
    finally:
        connection.close()


def test_newer_rollback_journal_file_is_not_modified(paths: Paths) -> None:
    # Regression: the file was once switched to WAL (header rewritten) before the check.
    _future_user_db(paths.user_db, wal=False)
    original = paths.user_db.read_bytes()
    with Store.open(paths):
        (aside,) = asides(paths.data_dir, "user.sqlite3", "newer")
    assert aside.read_bytes() == original


def test_two_damaged_files_in_the_same_second_are_both_kept(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime(2026, 8, 17, 12, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(opening, "utcnow", lambda: moment)
    paths.data_dir.mkdir(parents=True)
    for garbage in (b"first damaged file " * 100, b"second damaged file " * 100):
        paths.user_db.write_bytes(garbage)
        Store.open(paths).close()
    # Regression: the second aside once replaced the first (same one-second name).
    kept = {p.read_bytes()[:6] for p in asides(paths.data_dir, "user.sqlite3", "corrupt")}
    assert kept == {b"first ", b"second"}


# Threads --------------------------------------------------------------------------------------


def test_store_is_usable_from_many_threads(store: Store) -> None:
    papers = [paper(n) for n in range(1, 41)]
    store.save_listing("day", "2026-08-17", papers)

    def work(n: int) -> int:
        p = papers[n % len(papers)]
        store.set_read([p.id])
        store.set_bookmark(p, bookmarked=n % 3 != 0)
        store.save_listing("day", f"2026-08-{n % 5 + 10:02d}", papers[: n % 7 + 1])
        listing = store.listing("day", "2026-08-17")
        assert listing is not None
        store.set_setting(f"k{n % 4}", str(n))
        return len(listing.rows)

    with ThreadPoolExecutor(max_workers=8) as pool:
        sizes = list(pool.map(work, range(200)))

    assert sizes == [40] * 200
    assert store.read_ids() == {p.id for p in papers}
    # The last write for each paper decides; every paper is either bookmarked or not.
    assert store.bookmark_ids() <= {p.id for p in papers}
    assert ids(store, "day", "2026-08-17") == [p.id for p in papers]
    assert {store.setting(f"k{i}") for i in range(4)} <= {str(n) for n in range(200)}


# Failures -----------------------------------------------------------------------------------


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod does not stop root from writing (see the simulated test)",
)
def test_read_only_data_folder_opens_read_only(paths: Paths) -> None:
    # Changed with the read-only fallback: the store opens; writes are StoreErrors.
    paths.data_dir.mkdir(parents=True)
    paths.data_dir.chmod(0o500)
    try:
        with Store.open(paths) as opened:
            (notice,) = opened.notices
            assert "read-only" in notice and str(paths.user_db) in notice
            with pytest.raises(StoreError, match="read-only"):
                opened.set_read(["2608.00001"])
    finally:
        paths.data_dir.chmod(0o700)


def test_read_only_data_folder_opens_read_only_simulated(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite cannot create the user file: it is opened read-only, as in a read-only folder."""
    real_connect = opening._connect

    def connect(path: Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if path.parent == paths.data_dir:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(opening, "_connect", connect)
    # Changed with the read-only fallback: the store opens, says why nothing can be
    # saved, and every write is a StoreError.
    with Store.open(paths) as opened:
        (message,) = opened.notices
        assert "user data" in message and str(paths.user_db) in message
        assert "read-only" in message
        assert "\n" not in message
        with pytest.raises(StoreError, match="read-only"):
            opened.set_read(["2608.00001"])
    assert not list(paths.data_dir.iterdir())  # nothing set aside, nothing created


def test_folder_that_cannot_be_created_is_a_store_error(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StoreError, match=r"Cannot create .*: Permission denied"):
        Store.open(paths)


def test_sqlite_errors_become_store_errors(store: Store) -> None:
    store.close()
    with pytest.raises(StoreError, match="Could not save the read marks"):
        store.set_read(["2608.00001"])
    with pytest.raises(StoreError, match="Could not read the store"):
        store.read_ids()


@pytest.mark.parametrize("order", ["upvotes", "newest", "stars"])
def test_a_periods_first_page_is_the_head_of_the_whole_in_every_order(
    store: Store, order: str
) -> None:
    """The first screen read before the app starts is exactly what the app's order
    would put first in the whole period."""
    from paperreader.core.ordering import order_rows

    papers = [
        paper(
            n,
            upvotes=n % 7,
            github_stars=None if n % 5 == 0 else n % 11,
            listing_day=date(2026, 8, 1 + n % 28),
        )
        for n in range(1, 90)
    ]
    store.save_listing("month", "2026-08", papers)
    month = Period.parse("2026-08")
    whole = store.period_listing(month)
    first = store.period_listing(month, limit=25, order=order)
    assert whole is not None and first is not None
    assert first.rows == tuple(order_rows(whole.rows, order))[:25]
