"""The fault probe's findings (issue #15), core and command line side: each case it found
broken, made to work."""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperreader.core.limits import MAX_NOTE_CHARS
from paperreader.core.models import Paper, parse_papers
from paperreader.core.paths import Paths
from paperreader.core.store import Store, StoreError, opening, repair
from tests.cli_run import run
from tools.fakehub import FakeHub, make_item, make_items

# 1. Numbers too big for SQLite ----------------------------------------------------------------

#: Whatever a server may put where a count belongs.
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=2**62, max_value=2**70),
    st.integers(min_value=-(2**70), max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["9" * 25, "-1", "1e30", " 12 ", "18446744073709551616"]),
    st.none(),
    st.booleans(),
)


@st.composite
def items(draw: st.DrawFn, number: int) -> dict[str, Any]:
    item = make_item(f"2608.{number:05d}", day="2026-08-17", upvotes=1)
    for key in ("upvotes", "githubStars"):
        if draw(st.booleans()):
            item["paper"][key] = draw(numbers)
    if draw(st.booleans()):
        item["numComments"] = draw(numbers)
    return item


def huge_item(paper_id: str) -> dict[str, Any]:
    item = make_item(paper_id, "Huge numbers", day="2026-08-21", upvotes=2**64)
    item["paper"]["githubStars"] = 2**63
    item["paper"]["githubRepo"] = "https://github.com/a/b"
    item["numComments"] = -(2**70)
    return item


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(), min_size=1, max_size=6).flatmap(
        lambda seeds: st.tuples(*(items(i) for i in range(len(seeds))))
    )
)
def test_any_count_from_the_network_is_saved_and_read_back(
    batch: tuple[dict[str, Any], ...],
) -> None:
    parsed = parse_papers(copy.deepcopy(list(batch)))
    # Every item has an id and a title: none is lost, whatever its numbers.
    assert [p.id for p in parsed.papers] == [item["paper"]["id"] for item in batch]
    for paper in parsed.papers:
        for count in (paper.upvotes, paper.comments, paper.github_stars):
            assert count is None or 0 <= count <= 2**63 - 1
    store = Store.open_memory()
    try:
        store.save_listing("day", "2026-08-17", parsed.papers)
        listing = store.listing("day", "2026-08-17")
        assert listing is not None
        assert [row.id for row in listing.rows] == [p.id for p in parsed.papers]
        for paper in parsed.papers:
            assert store.paper(paper.id) == paper
            store.set_bookmark(paper)
        assert {m.paper.id for m in store.bookmarks()} == {p.id for p in parsed.papers}
    finally:
        store.close()


def test_the_store_refuses_no_paper_for_its_numbers() -> None:
    """A Paper made elsewhere (not by the parser) with a huge count is still saved."""
    store = Store.open_memory()
    try:
        store.save_papers([Paper("2608.00001", "Big", upvotes=2**64, github_stars=-(2**65))])
        saved = store.paper("2608.00001")
        assert saved is not None and saved.upvotes == 0 and saved.github_stars is None
    finally:
        store.close()


def test_list_shows_the_papers_beside_a_huge_number(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served = [*make_items({"2026-08-21": 2}), huge_item("2608.09999")]
    with FakeHub(served) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        code, out, err = run(capsys, "list")
        assert code == 0, err
        assert "Traceback" not in err
        lines = out.splitlines()
        assert len(lines) == 3
        assert any("2608.09999" in line and "Huge numbers" in line for line in lines)
        assert sum("of 2026-08-21" in line for line in lines) == 2
        code, out, err = run(capsys, "list", "--offline")
        assert code == 0 and len(out.splitlines()) == 3


# 3. A full disk -------------------------------------------------------------------------------


def fill_store(paths: Paths, count: int = 3) -> list[str]:
    """A listing of ``count`` papers, all bookmarked, the first with a note."""
    day = date(2026, 8, 21)
    papers = [Paper(f"2608.{n:05d}", f"Paper {n}", listing_day=day) for n in range(count)]
    with Store.open(paths) as store:
        store.save_listing("day", "2026-08-21", papers)
        for item in papers:
            store.set_bookmark(item)
        store.set_note(papers[0], "my note")
    return [p.id for p in papers]


def io_error(code: int = 4874) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    return error


@pytest.mark.parametrize("full", [True, False])
def test_an_io_error_opening_the_user_file_opens_it_read_only(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], full: bool
) -> None:
    """On a full disk SQLite says "disk I/O error" (no room for the -shm file)."""
    ids = fill_store(paths)
    real_connect = opening._connect

    def connect(path: Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if path == paths.user_db:
            raise io_error()
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(opening, "_connect", connect)
    monkeypatch.setattr(opening, "_disk_full", lambda folder: full)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert str(paths.data_dir) in notice
        assert ("is full" in notice) == full
        assert "cannot be saved" in notice
        assert store.bookmark_ids() == set(ids)
        with pytest.raises(StoreError, match="disk is full" if full else "read-only"):
            store.set_read(ids)

    code, out, err = run(capsys, "list", "--offline")
    assert code == 0, err
    assert len(out.splitlines()) == 3 and all(line[1] == "★" for line in out.splitlines())
    code, out, err = run(capsys, "backup")
    assert code == 0, err
    assert len(json.loads(out)["bookmarks"]) == 3
    backup = paths.cache_dir.parent / "backup.json"
    backup.write_text(out)
    code, out, err = run(capsys, "import", str(backup))
    assert code == 1
    assert "Could not save the imported data" in err and "Traceback" not in err


def test_an_io_error_opening_the_cache_opens_one_in_memory(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill_store(paths)
    real_connect = opening._connect

    def connect(path: Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if path == paths.cache_db:
            raise io_error()
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(opening, "_connect", connect)
    monkeypatch.setattr(opening, "_disk_full", lambda folder: True)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert str(paths.cache_dir) in notice and "is full" in notice
        assert store.bookmark_ids() == set(ids)
        assert {row.id for row in store.bookmark_rows()} == set(ids)  # from the snapshots
        store.set_read(ids[:1])  # the user file is fine
    code, out, _ = run(capsys, "backup")
    assert code == 0 and len(json.loads(out)["read"]) == 1


def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (root only: skipped elsewhere)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr!r}")
    try:
        yield folder
    finally:
        gc.collect()  # a connection a failed test left open keeps the disk busy
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk(
    tiny_disk: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Data and cache on a disk filled to the last byte, the user file's last changes
    still in its -wal file (a crash): the store opens, shows everything, saves nothing."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tiny_disk / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tiny_disk / "cache"))
    paths = Paths.default()
    ids = fill_store(paths, 2)
    store = Store.open(paths)
    store.set_bookmark(Paper("2608.00009", "In the WAL only"))
    kept = {name: Path(f"{paths.user_db}{name}").read_bytes() for name in ("", "-wal")}
    store.close()
    assert kept["-wal"], "the new bookmark should be in the -wal file"
    for name, data in kept.items():
        Path(f"{paths.user_db}{name}").write_bytes(data)
    for db in (paths.user_db, paths.cache_db):
        Path(f"{db}-shm").unlink(missing_ok=True)
    with open(tiny_disk / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 4096)
    assert shutil.disk_usage(tiny_disk).free < 4096

    with Store.open(paths) as full:
        assert len(full.notices) == 2 and all("is full" in n for n in full.notices)
        assert full.bookmark_ids() == {*ids, "2608.00009"}
        assert full.note(ids[0]) == "my note"
        with pytest.raises(StoreError, match="disk is full"):
            full.set_read(ids)
    code, out, err = run(capsys, "backup")
    assert code == 0, err
    assert len(json.loads(out)["bookmarks"]) == 3
    (tiny_disk.parent / "b.json").write_text(out)
    code, _, err = run(capsys, "import", str(tiny_disk.parent / "b.json"))
    assert code == 1 and "disk is full" in err and "Traceback" not in err
    code, out, err = run(capsys, "list", "--offline")
    # The cache is in memory, holding the bookmarked papers from their snapshots: the
    # newest stored day is theirs.
    assert code == 0 and "Traceback" not in err
    assert out and all(line.split()[3] in {*ids, "2608.00009"} for line in out.splitlines())


# 4. One bad byte in a stored text -------------------------------------------------------------


def damage_bytes(paths: Paths, table: str, column: str, paper_id: str, *, structural: bool) -> None:
    """Put a 0xFF byte in one row's text, as a bad sector or another program might
    (inside a JSON string, or where a quote was: the JSON is broken too)."""
    connection = sqlite3.connect(paths.user_db)
    try:
        (text,) = connection.execute(
            f"SELECT {column} FROM {table} WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        raw = text.encode()
        at = raw.index(b'"', 1) if structural else len(raw) // 2
        damaged = raw[:at] + b"\xff" + raw[at + 1 :]
        connection.execute(
            f"UPDATE {table} SET {column} = CAST(? AS TEXT) WHERE paper_id = ?",
            (damaged, paper_id),
        )
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize("structural", [False, True])
def test_a_bad_byte_in_a_stored_text_is_read_around(
    paths: Paths, capsys: pytest.CaptureFixture[str], structural: bool
) -> None:
    ids = fill_store(paths, 3)
    with Store.open(paths) as store:
        store.set_note(Paper(ids[1], "Paper 1"), "a second note, long enough to damage")
    damage_bytes(paths, "bookmarks", "paper", ids[0], structural=structural)
    damage_bytes(paths, "notes", "note", ids[1], structural=False)

    def clean(err: str) -> None:
        assert "decode" not in err and "\xff" not in err and "Traceback" not in err

    code, out, err = run(capsys, "backup")
    assert code == 0, err
    clean(err)
    assert err.count("not UTF-8") == 1  # said once
    backup = json.loads(out)
    assert {b["paper"]["id"] for b in backup["bookmarks"]} == set(ids)
    notes = {n["id"]: n["note"] for n in backup["notes"]}
    assert notes[ids[0]] == "my note"
    assert "\ufffd" in notes[ids[1]] and notes[ids[1]].startswith("a second note")

    code, out, err = run(capsys, "export", "--format", "json")
    assert code == 0, err
    clean(err)
    assert {item["id"] for item in json.loads(out)} == set(ids)

    code, out, err = run(capsys, "list", "--offline")
    assert code == 0, err
    clean(err)
    assert len(out.splitlines()) == 3

    # Without the cache, the bookmarked papers come back from their snapshots.
    for extra in ("", "-wal", "-shm"):
        Path(f"{paths.cache_db}{extra}").unlink(missing_ok=True)
    with Store.open(paths) as store:
        assert {row.id for row in store.bookmark_rows()} == set(ids)
        assert store.note(ids[0]) == "my note"
        assert "\ufffd" in store.note(ids[1])
        assert [n for n in store.notices if "damaged" in n] != []
        # Writing still works, and a note written over the damaged one is whole again.
        store.set_note(Paper(ids[1], "Paper 1"), "mended")
        assert store.note(ids[1]) == "mended"
    code, out, err = run(capsys, "list", "--offline")
    # The cache is gone; the bookmarked papers came back from their snapshots, and the
    # newest day of theirs is listed, with no crash.
    assert code == 0, err
    assert out and all(line.split()[3] in ids for line in out.splitlines())
    clean(err)


def test_a_bad_byte_in_a_file_set_aside_is_salvaged(paths: Paths) -> None:
    """Salvaging a damaged user file keeps a row with a bad byte (decoded around it)."""
    ids = fill_store(paths, 2)
    damage_bytes(paths, "notes", "note", ids[0], structural=False)
    rows = repair._read_user_rows(paths.user_db)
    assert len(rows["notes"]) == 1 and "\ufffd" in rows["notes"][0][1]
    assert len(rows["bookmarks"]) == 2


# 11. Very large notes; big backups -------------------------------------------------------------


def test_a_note_longer_than_the_limit_is_refused(store: Store) -> None:
    item = Paper("2608.00001", "A paper")
    with pytest.raises(StoreError) as caught:
        store.set_note(item, "x" * (MAX_NOTE_CHARS + 1))
    message = str(caught.value)
    assert "1,000,000" in message and "\n" not in message
    assert store.note(item.id) == ""
    store.set_note(item, "y" * MAX_NOTE_CHARS)  # the limit itself is fine
    assert len(store.note(item.id)) == MAX_NOTE_CHARS


def backup_with(**sections: Any) -> dict[str, Any]:
    return {"format": "paperreader-backup", "version": 1, **sections}


def test_import_skips_a_note_too_long_and_says_so(
    paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = backup_with(
        notes=[
            {"id": "2608.00001", "note": "z" * (MAX_NOTE_CHARS + 1)},
            {"id": "2608.00002", "note": "a fine note"},
        ],
        read=[{"id": "2608.00003"}],
    )
    file = tmp_path / "notes.json"
    file.write_text(json.dumps(data))
    code, out, err = run(capsys, "import", str(file))
    assert code == 0, err
    assert "Imported 0 bookmarks, 1 read mark, 1 note" in out
    assert "note 1 (2608.00001): the note is 1,000,001 characters long" in out
    assert "at most 1,000,000" in out
    with Store.open(paths) as store:
        assert store.note("2608.00001") == ""
        assert store.note("2608.00002") == "a fine note"


def test_import_never_grows_a_stored_note_past_the_limit(store: Store) -> None:
    from paperreader.core.backup import restore_backup

    item = Paper("2608.00001", "A paper")
    stored = "s" * (MAX_NOTE_CHARS - 10)
    store.set_note(item, stored)
    result = restore_backup(store, backup_with(notes=[{"id": item.id, "note": "another note"}]))
    assert result.notes == 0
    assert any("longer than 1,000,000" in problem for problem in result.problems)
    assert store.note(item.id) == stored


def test_a_big_backup_is_read_as_a_stream(
    paths: Paths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A file past the size read whole (64 MB; 1 KB here) is parsed as it is read."""
    from paperreader.cli import data
    from paperreader.core import backup

    monkeypatch.setattr(data, "READ_WHOLE_BELOW", 1024)
    streamed: list[bool] = []
    real_read = backup.read_backup

    def read_backup(stream: Any) -> Any:
        streamed.append(True)
        return real_read(stream)

    monkeypatch.setattr(backup, "read_backup", read_backup)
    data = backup_with(
        read=[{"id": f"2608.{n:05d}", "read_at": "2026-08-17T12:00:00Z"} for n in range(20_000)],
        notes=[{"id": "2608.00001", "note": "é" * 100_000}],
    )
    file = tmp_path / "big.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode())
    assert file.stat().st_size > 1024
    code, out, err = run(capsys, "import", str(file))
    assert code == 0, err
    assert streamed == [True]
    assert "Imported 0 bookmarks, 20000 read marks, 1 note" in out
    with Store.open(paths) as store:
        assert len(store.read_ids()) == 20_000
        assert store.note("2608.00001") == "é" * 100_000

    file.write_bytes(b'{"format": "paperreader-backup", "notes": ["\xff' + b" " * 5000 + b'"]}')
    code, out, err = run(capsys, "import", str(file))
    assert code == 1 and err.count("\n") == 1
    assert "not UTF-8" in err and "Traceback" not in err


# 12 (d). Version 1.0 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (1.0, None),
        (1.5, "version 1.5 is not a whole number"),
        (2.0, "version 2; this paperreader reads version 1 only"),
        ("one", "version is not a number (it is 'one')"),
    ],
)
def test_a_backup_version_written_as_a_float(
    store: Store, version: object, expected: str | None
) -> None:
    from paperreader.core.backup import BackupError, restore_backup

    data = backup_with(read=[{"id": "2608.00001"}], version=version)
    if expected is None:
        assert restore_backup(store, data).read == 1
        return
    with pytest.raises(BackupError) as caught:
        restore_backup(store, data)
    assert expected in str(caught.value)
    assert "a number: a number" not in str(caught.value)


# 12 (c). A very long search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "term", ["w{}", "author:x{}", "-w{}", "upvotes:>{}", '"p{} q"', "-is:read"]
)
def test_a_query_of_a_thousand_terms_is_cut_with_a_message(term: str) -> None:
    from paperreader.core.query import MAX_TERMS, parse_query

    store = Store.open_memory()
    try:
        store.save_papers([Paper("2608.00001", "w1 w2 p1 q", authors=("x1",), upvotes=5)])
        query = parse_query("w1 " + " ".join(term.format(n) for n in range(1000)))
        total = len(query.words) + len(query.phrases) + len(query.excluded) + len(query.filters)
        assert total == MAX_TERMS
        assert query.errors[-1] == (
            f"query too long: at most {MAX_TERMS} words, phrases and filters "
            f"(the last {1001 - MAX_TERMS} left out)"
        )
        store.search(query)  # no "Expression tree is too large"
        store.search(query, prefix_last=False)
    finally:
        store.close()


def test_a_query_at_the_limit_says_nothing() -> None:
    from paperreader.core.query import MAX_TERMS, parse_query

    query = parse_query(" ".join(f"w{n}" for n in range(MAX_TERMS)))
    assert len(query.words) == MAX_TERMS and query.errors == ()


# 12 (a, b). Sync: resuming inside a month; counting new papers ----------------------------------

from tests.unit.test_sync import (  # noqa: E402  (the sync tests' hub, clock and archive)
    ARCHIVE,
    TOTAL,
    FakeClock,
    month_items,
    months_asked,
    sync,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sync_hub(clock: FakeClock) -> Iterator[FakeHub]:
    with FakeHub(month_items(ARCHIVE), clock=clock.time) as hub:
        yield hub


@pytest.fixture
def sync_client(sync_hub: FakeHub, clock: FakeClock) -> Iterator[Any]:
    from paperreader.core.client import HFClient

    with HFClient(sync_hub.url, sleep=clock.sleep, clock=clock.time) as made:
        yield made


def test_a_sync_stopped_inside_a_month_goes_on_from_the_next_page(
    store: Store, sync_client: Any, sync_hub: FakeHub, clock: FakeClock
) -> None:
    from paperreader.core.sync import SyncError

    # 2026-08, 2026-07, then the first of 2026-06's two pages go through; its second fails.
    sync_hub.fault_after = 3
    sync_hub.fault = "status:503"
    with pytest.raises(SyncError):
        sync(store, sync_client, clock)
    assert store.paper_count() == ARCHIVE["2026-08"] + ARCHIVE["2026-07"] + 100
    assert store.listing("month", "2026-06") is None  # the listing waits for the whole month

    sync_hub.fault = None
    asked = len(sync_hub.requests)
    result = sync(store, sync_client, clock)
    assert months_asked(sync_hub, asked) == ["2026-08", "2026-06", "2026-05"]
    june = [query for _, query in sync_hub.requests[asked:] if query["month"] == "2026-06"]
    assert [query["p"] for query in june] == ["1"]  # not the first page again
    assert result.papers_new == ARCHIVE["2026-06"] - 100 + ARCHIVE["2026-05"]
    assert store.paper_count() == TOTAL
    listing = store.listing("month", "2026-06")
    assert listing is not None and len(listing.rows) == ARCHIVE["2026-06"]
    assert store.synced_months() == {"2026-05", "2026-06", "2026-07"}
    assert store.month_pages("2026-06", 100) == (0, [])  # done: forgotten

    # The order is the server's, as if the month had been fetched in one go.
    resumed = [row.id for row in listing.rows]
    sync(store, sync_client, clock, refresh=True)
    whole = store.listing("month", "2026-06")
    assert whole is not None and [row.id for row in whole.rows] == resumed


def test_new_papers_are_counted_right_while_others_are_saved(
    store: Store,
    sync_client: Any,
    sync_hub: FakeHub,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Papers another writer saves while the sync saves its own (an import, the app, in
    another process) are not the sync's new papers."""
    sync(store, sync_client, clock)
    serial = iter(range(1, 10_000))

    def import_meanwhile(save: Any) -> Any:
        def saving(*args: Any, **kwargs: Any) -> Any:
            store.save_papers([Paper(f"2501.{next(serial):05d}", "Imported") for _ in range(7)])
            return save(*args, **kwargs)

        return saving

    for name in ("save_listing", "save_month_page"):
        if hasattr(store, name):
            monkeypatch.setattr(store, name, import_meanwhile(getattr(store, name)))
    again = sync(store, sync_client, clock, refresh=True)
    assert again.papers_new == 0
    assert again.papers_updated == TOTAL
    assert store.paper_count() > TOTAL  # the others were saved
