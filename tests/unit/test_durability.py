"""Durability: crashes, two instances, damaged files, a full disk, a read-only data folder.

The promise under test: whatever happens, the store opens, keeps everything committed,
recovers what it can of a damaged file, and says clearly what it cannot do.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.store import Store, StoreError, opening

REPO = Path(__file__).resolve().parents[2]
MOMENT = datetime(2026, 8, 17, 12, 0, tzinfo=UTC)


def paper(paper_id: str, **changes: object) -> Paper:
    fields: dict[str, object] = {
        "id": paper_id,
        "title": f"Paper {paper_id}",
        "summary": "An abstract long enough to take some room on a page. " * 12,
        "authors": ("Ada Lovelace", "Alan Turing"),
        "listing_day": date(2026, 8, 17),
        "upvotes": 7,
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def asides(folder: Path, name: str, kind: str) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(f"{name}.{kind}-") and not p.name.endswith(("-wal", "-shm"))
    )


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# A writer in its own process: it prints one line after each write has been committed.
WRITER = r"""
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.store import Store

root, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = Store.open(Paths.under(root))
print("ready", flush=True)
listing = [Paper(f"2699.{n:05d}", f"Listed {n}", summary="x" * 400) for n in range(200)]
number = 0
while count == 0 or number < count:
    number += 1
    paper = Paper(f"{prefix}.{number:05d}", f"Paper {number}", listing_day=date(2026, 8, 17))
    step = number % 5
    if step == 0:
        store.set_bookmark(paper)
        print("bookmark", paper.id, flush=True)
    elif step == 1:
        store.set_read([paper.id])
        print("read", paper.id, flush=True)
    elif step == 2:
        store.set_note(paper, f"note on {paper.id}\nsecond line")
        print("note", paper.id, flush=True)
    elif step == 3:
        store.set_tags(paper, ["rl", prefix])
        print("tags", paper.id, flush=True)
    else:  # a sync-sized write: a whole listing in one transaction
        key = f"{prefix}-{number}"
        store.save_listing("day", key, listing)
        print("listing", key, flush=True)
    store.set_setting(f"last-{prefix}", paper.id)
store.close()
print("done", flush=True)
"""


def start_writer(root: Path, prefix: str, count: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), prefix, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )


def committed(output: str) -> list[tuple[str, str]]:
    """The writes a writer reported, complete lines only (a kill may cut the last)."""
    lines = output.split("\n")[:-1]  # the text after the last newline is incomplete
    return [tuple(line.split(" ", 1)) for line in lines if line not in ("ready", "done")]  # type: ignore[misc]


def assert_all_present(store: Store, writes: list[tuple[str, str]]) -> None:
    bookmarks, read = store.bookmark_ids(), store.read_ids()
    for kind, value in writes:
        if kind == "bookmark":
            assert value in bookmarks, value
        elif kind == "read":
            assert value in read, value
        elif kind == "note":
            assert store.note(value) == f"note on {value}\nsecond line"
        elif kind == "tags":
            assert "rl" in store.tags(value), value
        elif kind == "listing":
            listing = store.listing("day", value)
            assert listing is not None and len(listing.rows) == 200, value
        else:
            raise AssertionError(f"unexpected line from the writer: {kind} {value}")


# kill -9 ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    root = tmp_path / "store"
    paths = Paths.under(root)
    chance = random.Random(20260817)
    everything: list[tuple[str, str]] = []
    for round_ in range(20):
        writer = start_writer(root, f"26{round_:02d}")
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n", writer.stderr.read()  # type: ignore[union-attr]
        time.sleep(chance.uniform(0.01, 0.25))
        writer.send_signal(signal.SIGKILL)
        output, errors = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, errors
        writes = committed(output)
        everything += writes

        for path in (paths.cache_db, paths.user_db):
            assert integrity(path) == "ok", (round_, path)
        with Store.open(paths) as again:
            assert again.notices == []
            assert_all_present(again, everything)  # this round's and every earlier one's
        for path in (paths.cache_db, paths.user_db):
            assert integrity(path) == "ok", (round_, path)
    kinds = {kind for kind, _ in everything}
    assert len(everything) >= 40 and kinds == {"bookmark", "read", "note", "tags", "listing"}


# Two instances at once -------------------------------------------------------------------------


def test_two_processes_writing_at_once_both_land_everything(tmp_path: Path) -> None:
    root = tmp_path / "store"  # both create the fresh files at the same moment, too
    writers = [start_writer(root, prefix, count=150) for prefix in ("2601", "2602")]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (output, errors) in zip(writers, results, strict=True):
        assert writer.returncode == 0, errors
        assert errors == ""  # no "database is locked", no traceback
        assert output.endswith("done\n")
    with Store.open(Paths.under(root)) as store:
        assert store.notices == []
        for output, _ in results:
            writes = committed(output)
            assert len(writes) == 150
            assert_all_present(store, writes)
        assert store.setting("last-2601") == "2601.00150"
        assert store.setting("last-2602") == "2602.00150"
        assert len(store.bookmark_ids()) == 2 * 30


def test_two_stores_on_the_same_files_from_two_threads(paths: Paths) -> None:
    first, second = Store.open(paths), Store.open(paths)
    failures: list[BaseException] = []

    def hammer(store: Store, prefix: str) -> None:
        try:
            for number in range(1, 101):
                item = paper(f"{prefix}.{number:05d}")
                store.set_bookmark(item)
                store.set_read([item.id])
                store.set_note(item, f"note {number}")
                store.set_setting("shared", item.id)
        except BaseException as error:  # reported below, with the thread's name
            failures.append(error)

    threads = [
        threading.Thread(target=hammer, args=(first, "2601")),
        threading.Thread(target=hammer, args=(second, "2602")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        expected = {f"{p}.{n:05d}" for p in ("2601", "2602") for n in range(1, 101)}
        for store in (first, second):  # each instance sees the other's writes
            assert store.bookmark_ids() == expected
            assert store.read_ids() == expected
            assert store.noted_ids() == expected
            assert store.setting("shared") in {"2601.00100", "2602.00100"}
    finally:
        first.close()
        second.close()


# Damaged and newer files, and what is recovered from them --------------------------------------


def fill(paths: Paths, count: int) -> Store.UserData:
    """A user file with ``count`` bookmarked, read papers (a note and tags on some)."""
    with Store.open(paths) as store:
        for number in range(count):
            item = paper(f"2608.{number:05d}", title=f"Paper number {number}")
            store.set_bookmark(item)
            store.set_read([item.id])
            if number % 4 == 0:
                store.set_note(item, f"note {number}")
                store.set_tags(item, ["kept"])
        return store.user_data()


def recovered_counts(notice: str) -> tuple[int, int]:
    found = re.search(r"Recovered (\d+) bookmarks?,? (?:and )?(\d+) read marks?\b", notice)
    assert found is not None, notice
    return int(found[1]), int(found[2])


def test_garbage_user_file_is_set_aside_and_nothing_is_invented(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.user_db.write_bytes(b"\x00garbage\xff" * 2000)
    with Store.open(paths) as store:
        (notice,) = store.notices
        (aside,) = asides(paths.data_dir, "user.sqlite3", "corrupt")
        assert str(aside) in notice
        assert "Recovered 0 bookmarks and 0 read marks from it." in notice
        assert store.bookmarks() == [] and store.read_ids() == set()
        store.set_bookmark(paper("2608.00001"))  # the fresh file works
    assert aside.read_bytes() == b"\x00garbage\xff" * 2000


def test_truncated_user_file_recovers_the_rows_of_its_intact_pages(paths: Paths) -> None:
    original = fill(paths, 600)
    # Which leaf pages of each table lie wholly in the first half, reachable from the root
    # through intact pages: their rows must all come back.
    size = paths.user_db.stat().st_size
    cut = size // 2
    connection = sqlite3.connect(paths.user_db)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        stats = connection.execute(
            "SELECT name, path, pageno, pagetype, ncell FROM dbstat"
        ).fetchall()
    finally:
        connection.close()
    page_of = {(name, path): pageno for name, path, pageno, _, _ in stats}

    def intact(name: str, path: str) -> bool:
        ancestors = [path[: i + 1] for i, c in enumerate(path) if c == "/"]
        return all(page_of[(name, p)] * page_size <= cut for p in [*ancestors, path])

    at_least = {
        table: sum(
            ncell
            for name, path, _, kind, ncell in stats
            if name == table and kind == "leaf" and intact(name, path)
        )
        for table in ("bookmarks", "read_marks")
    }
    assert 0 < at_least["bookmarks"] < 600  # the cut does lose some, and keeps some

    paths.user_db.write_bytes(paths.user_db.read_bytes()[:cut])
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "user data" in notice and "kept as" in notice
        bookmarks, read = recovered_counts(notice)
        assert bookmarks == len(store.bookmarks()) >= at_least["bookmarks"]
        assert read == len(store.read_ids()) >= at_least["read_marks"]
        # What came back is what was there, exactly: no row made up from damaged bytes.
        by_id = {mark.paper.id: mark for mark in original.bookmarks}
        for mark in store.bookmarks():
            assert by_id[mark.paper.id] == mark
        assert store.read_ids() <= {paper_id for paper_id, _ in original.read}
        for paper_id in store.noted_ids():
            assert store.note(paper_id) == f"note {int(paper_id[5:])}"
        # The recovered bookmarks show in the lists (their papers restored to the cache).
        assert {row.id for row in store.bookmark_rows()} == store.bookmark_ids()
    (aside,) = asides(paths.data_dir, "user.sqlite3", "corrupt")
    assert aside.stat().st_size == cut  # kept as it was


def leaf_pages(path: Path, table: str) -> list[tuple[int, int]]:
    """(page number, rows on it) of each leaf page of a table, in rowid order."""
    connection = sqlite3.connect(path)
    try:
        return [
            (pageno, ncell)
            for pageno, ncell in connection.execute(
                "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                "ORDER BY path",
                (table,),
            )
        ]
    finally:
        connection.close()


def test_damaged_pages_in_the_middle_are_stepped_over(paths: Paths) -> None:
    fill(paths, 400)
    leaves = leaf_pages(paths.user_db, "bookmarks")
    assert len(leaves) > 20
    damaged = leaves[len(leaves) // 2 : len(leaves) // 2 + 3]
    lost = sum(rows for _, rows in damaged)
    data = bytearray(paths.user_db.read_bytes())
    for pageno, _ in damaged:
        data[(pageno - 1) * 4096 : pageno * 4096] = b"\xa5" * 4096
    paths.user_db.write_bytes(bytes(data))
    with Store.open(paths) as store:
        (notice,) = store.notices
        # Exactly the rows of the damaged pages are lost: those after them came back too.
        assert recovered_counts(notice) == (400 - lost, 400)
        recovered = store.bookmark_ids()
        assert len(recovered) == 400 - lost
        assert "2608.00000" in recovered and "2608.00399" in recovered
        assert store.read_ids() == {f"2608.{n:05d}" for n in range(400)}


def test_newer_user_file_is_set_aside_and_its_known_tables_recovered(paths: Paths) -> None:
    fill(paths, 10)
    connection = sqlite3.connect(paths.user_db)
    try:
        connection.execute("ALTER TABLE bookmarks ADD COLUMN colour TEXT")
        connection.execute("DROP TABLE notes")  # a newer schema moved notes elsewhere
        connection.execute("PRAGMA user_version = 99")
        connection.commit()
    finally:
        connection.close()
    original = paths.user_db.read_bytes()
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "99" in notice and "newer" in notice
        assert recovered_counts(notice) == (10, 10)
        assert "3 tags" in notice
        assert len(store.bookmarks()) == 10 and len(store.read_ids()) == 10
        assert store.noted_ids() == set()
        assert store.tags("2608.00000") == ("kept",)
    (aside,) = asides(paths.data_dir, "user.sqlite3", "newer")
    assert aside.read_bytes() == original  # read, never written


def test_garbage_cache_file_is_set_aside_without_salvage(paths: Paths) -> None:
    fill(paths, 3)
    for extra in ("", "-wal", "-shm"):
        Path(f"{paths.cache_db}{extra}").unlink(missing_ok=True)
    paths.cache_db.write_bytes(b"not a cache" * 1000)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "cache" in notice and "Recovered" not in notice
        assert len(asides(paths.cache_dir, "papers.sqlite3", "corrupt")) == 1
        assert len(store.bookmarks()) == 3  # the user file was not touched
        assert store.paper("2608.00001") is not None  # back in the cache from its snapshot


def test_a_locked_file_is_never_set_aside(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only damage sets a file aside: "database is locked" is an error to report."""
    fill(paths, 2)
    real_connect = opening._connect

    def locked(path: Path, *args: object, **kwargs: object) -> sqlite3.Connection:
        if path == paths.user_db:
            raise sqlite3.OperationalError("database is locked")
        return real_connect(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "_connect", locked)
    with pytest.raises(StoreError, match="another paperreader is writing"):
        Store.open(paths)
    assert asides(paths.data_dir, "user.sqlite3", "corrupt") == []
    monkeypatch.undo()
    with Store.open(paths) as store:
        assert len(store.bookmarks()) == 2


# A full disk --------------------------------------------------------------------------------------


@pytest.fixture
def full_store(paths: Paths) -> Iterator[Store]:
    """A store whose user file cannot grow by a single page: writes needing room fail."""
    store = Store.open(paths)
    store.save_listing("day", "2026-08-17", [paper(f"2608.{n:05d}") for n in range(5)])
    store.set_bookmark(paper("2608.00001"))
    store.set_read(["2608.00001"])
    pages = store._db.execute("PRAGMA user.page_count").fetchone()[0]
    store._db.execute(f"PRAGMA user.max_page_count = {pages}")
    try:
        yield store
    finally:
        store.close()


def test_a_full_disk_is_a_clear_store_error_and_leaves_nothing_half_done(
    full_store: Store,
) -> None:
    before = full_store.user_data()
    many = [f"2609.{n:05d}" for n in range(3000)]  # needs new pages: one transaction
    with pytest.raises(StoreError) as caught:
        full_store.set_read(many)
    message = str(caught.value)
    assert message.startswith("Could not save the read marks")
    assert "the disk is full" in message and "free some space" in message
    assert "\n" not in message
    assert full_store.user_data() == before  # not one of the 3000 was kept
    big_note = "a long note " * 5000
    with pytest.raises(StoreError, match="disk is full"):
        full_store.set_note(paper("2608.00002"), big_note)
    assert full_store.note("2608.00002") == ""
    assert full_store.user_data() == before


def test_reading_still_works_on_a_full_disk(full_store: Store) -> None:
    with pytest.raises(StoreError, match="disk is full"):
        full_store.set_read([f"2609.{n:05d}" for n in range(3000)])
    listing = full_store.listing("day", "2026-08-17")
    assert listing is not None and len(listing.rows) == 5
    assert full_store.bookmark_ids() == {"2608.00001"}
    assert full_store.is_read("2608.00001")
    assert [mark.paper.id for mark in full_store.bookmarks()] == ["2608.00001"]
    # Once there is room again, writing works again.
    full_store._db.execute("PRAGMA user.max_page_count = 1000000")
    full_store.set_read(["2609.00001"])
    assert full_store.is_read("2609.00001")


def test_a_disk_full_when_opening_opens_without_saving(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(paths, 3)
    real_prepare = opening._prepare

    def prepare(path: Path, *args: object, **kwargs: object) -> tuple[sqlite3.Connection, bool]:
        if path == paths.user_db:
            raise opening._Unwritable("database or disk is full", full=True)
        return real_prepare(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "_prepare", prepare)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "is full" in notice and str(paths.data_dir) in notice
        assert len(store.bookmarks()) == 3
        with pytest.raises(StoreError, match="disk is full"):
            store.set_read(["2608.00009"])


# A read-only data folder ------------------------------------------------------------------------


def refuse_user_file(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """``_prepare`` of the user file fails as it does in a read-only folder."""
    real_prepare = opening._prepare

    def prepare(path: Path, *args: object, **kwargs: object) -> tuple[sqlite3.Connection, bool]:
        if path == paths.user_db:
            raise opening._Unwritable(
                f"Cannot open the user data file {path}: the data folder is read-only"
            )
        return real_prepare(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "_prepare", prepare)


def assert_every_write_refused(store: Store, *, deletes: bool = True) -> None:
    item = paper("2608.00077")
    writes = [
        lambda: store.set_bookmark(item),
        lambda: store.set_read([item.id]),
        lambda: store.set_note(item, "a note"),
        lambda: store.set_tags(item, ["tag"]),
        lambda: store.set_setting("theme", "dark"),
        lambda: store.import_user_data(Store.UserData([], [(item.id, MOMENT)], [], [], [])),
    ]
    if deletes:  # of something there (deleting nothing changes nothing: no error)
        writes += [
            lambda: store.set_bookmark(paper("2608.00001"), bookmarked=False),
            lambda: store.set_read(["2608.00001"], read=False),
            lambda: store.set_note(paper("2608.00000"), ""),
        ]
    for write in writes:
        with pytest.raises(StoreError, match="read-only"):
            write()


def test_read_only_data_folder_reads_the_users_data(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fill(paths, 5)
    original = paths.user_db.read_bytes()
    refuse_user_file(paths, monkeypatch)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert notice.startswith(f"Your data folder {paths.data_dir} is read-only")
        assert "bookmarks and read marks cannot be saved" in notice
        assert store.user_data() == before  # everything readable
        assert_every_write_refused(store)
        assert store.user_data() == before
        # The cache is still written: listings are fetched and kept, and a bookmarked
        # paper in one is fine (its snapshot is simply not refreshed).
        store.save_listing("day", "2026-08-18", [paper("2608.00001", upvotes=99)])
        listing = store.listing("day", "2026-08-18")
        assert listing is not None and [r.upvotes for r in listing.rows] == [99]
    assert paths.user_db.read_bytes() == original


def test_read_only_data_folder_without_a_user_file(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_user_file(paths, monkeypatch)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "read-only" in notice
        assert store.bookmarks() == [] and store.read_ids() == set()
        store.save_listing("day", "2026-08-17", [paper("2608.00001")])
        assert store.newest_day() == date(2026, 8, 17)
        assert_every_write_refused(store, deletes=False)
        assert store.bookmarks() == [] and store.read_ids() == set()
    assert not paths.user_db.exists()


def test_damaged_user_file_in_a_read_only_folder_is_read_in_place(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(paths, 200)
    data = bytearray(paths.user_db.read_bytes())
    data[len(data) // 2 :] = b"\x00" * (len(data) - len(data) // 2)
    paths.user_db.write_bytes(bytes(data))
    real_replace = Path.replace

    def replace(self: Path, target: object) -> Path:
        if self == paths.user_db:
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "replace", replace)
    with Store.open(paths) as store:
        (notice,) = store.notices
        assert "read-only" in notice and "damaged" in notice
        assert 0 < len(store.bookmarks()) < 200
        with pytest.raises(StoreError, match="read-only"):
            store.set_read(["2608.00001"])
    assert paths.user_db.read_bytes() == bytes(data)
    assert asides(paths.data_dir, "user.sqlite3", "corrupt") == []


READ_ONLY_CHILD = r"""
import json, sys
from pathlib import Path
from paperreader.core.paths import Paths
from paperreader.core.store import Store, StoreError
from paperreader.core.models import Paper

store = Store.open(Paths.under(Path(sys.argv[1])))
report = {"notices": store.notices, "bookmarks": sorted(store.bookmark_ids())}
try:
    store.set_read(["2608.00042"])
except StoreError as error:
    report["write"] = str(error)
store.save_listing("day", "2026-08-17", [Paper("2608.00001", "Listed")])
report["listing"] = [row.id for row in store.listing("day", "2026-08-17").rows]
store.close()
print(json.dumps(report))
"""


def python_for_nobody() -> str | None:
    """A Python 3.11+ that the user ``nobody`` may run (ours may sit in root's home)."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        probe = subprocess.run(
            ["runuser", "-u", "nobody", "--", candidate, "-c", PROBE],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


PROBE = "import sqlite3, sys; assert sys.version_info >= (3, 11)"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_really_read_only_data_folder(tmp_path: Path) -> None:
    """chmod, as a user it stops (root runs the check as ``nobody``)."""
    as_root = os.geteuid() == 0
    python: str | None = sys.executable
    if as_root:
        python = python_for_nobody() if shutil.which("runuser") else None
        if python is None:
            pytest.skip("running as root, and nobody can run no Python: chmod does not stop root")
    assert python is not None
    root = Path(tempfile.mkdtemp(prefix="paperreader-ro-")) if as_root else tmp_path / "ro"
    try:
        root.mkdir(exist_ok=True)
        paths = Paths.under(root)
        fill(paths, 3)  # closed cleanly: no -wal or -shm beside the file
        assert not Path(f"{paths.user_db}-wal").exists()
        original = paths.user_db.read_bytes()
        paths.data_dir.chmod(0o555)
        command = [python, "-c", READ_ONLY_CHILD, str(root)]
        env = child_env()
        if as_root:  # the cache stays writable for nobody; the data folder does not
            root.chmod(0o755)
            for item in (root, paths.cache_dir, *paths.cache_dir.iterdir()):
                shutil.chown(item, "nobody")
            command = ["runuser", "-u", "nobody", "--", *command]
            # Our packages (platformdirs) for a Python other than ours.
            env["PYTHONPATH"] += os.pathsep + sysconfig.get_paths()["purelib"]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env=env, check=False
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        (notice,) = report["notices"]
        assert "read-only" in notice and str(paths.data_dir) in notice
        assert report["bookmarks"] == ["2608.00000", "2608.00001", "2608.00002"]
        assert "read-only" in report["write"]
        assert report["listing"] == ["2608.00001"]
        assert paths.user_db.read_bytes() == original
        assert sorted(p.name for p in paths.data_dir.iterdir()) == ["user.sqlite3"]
    finally:
        Paths.under(root).data_dir.chmod(0o755)
        if as_root:
            shutil.rmtree(root, ignore_errors=True)
