"""Backing up and restoring the user's data: round trips, merging, hostile files, the CLI."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from paperreader.core.backup import (
    FORMAT,
    VERSION,
    BackupError,
    ImportResult,
    dump_backup,
    load_backup,
    make_backup,
    restore_backup,
)
from paperreader.core.export import ExportEntry, export
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.store import Store, StoreError, opening
from tests.cli_run import run

MOMENT = datetime(2026, 8, 17, 12, 0, tzinfo=UTC)


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


def backup(**sections: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, **sections}


def fill(store: Store) -> None:
    """Bookmarks, read marks (one of a paper never stored), a note, tags."""
    papers = [paper(1), paper(2, github_repo=None, comments=None), paper(3), paper(4)]
    store.save_listing("day", "2026-08-17", papers)
    store.set_bookmark(papers[0])
    store.set_bookmark(papers[1])
    store.set_read([papers[0].id, papers[2].id, "2608.00009"])
    store.set_note(papers[2], "First line\n\n    indented, with a\ttab\n")
    store.set_tags(papers[2], ["rl", "to-read"])
    store.set_tags(papers[0], ["vision"])


@pytest.fixture
def filled(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Store]:
    """A second, empty store (another machine)."""
    with Store.open(Paths.under(tmp_path / "elsewhere")) as other:
        yield other


def counts(result: ImportResult) -> tuple[int, int, int, int]:
    return result.bookmarks, result.read, result.notes, result.tags


def table_sizes(store: Store) -> dict[str, int]:
    tables = ("bookmarks", "read_marks", "notes", "tags", "snapshots", "settings")
    return {t: store._read(f"SELECT count(*) FROM user.{t}")[0][0] for t in tables}


def empty(store: Store) -> bool:
    return table_sizes(store) == dict.fromkeys(table_sizes(store), 0)


# Round trip -----------------------------------------------------------------------------------


def test_round_trip_gives_identical_data(filled: Store, elsewhere: Store) -> None:
    text = dump_backup(make_backup(filled))
    result = restore_backup(elsewhere, load_backup(text))
    assert counts(result) == (2, 3, 1, 3)
    assert result.problems == []
    assert elsewhere.user_data() == filled.user_data()  # dates and times included
    assert elsewhere.bookmarks() == filled.bookmarks()
    assert elsewhere.read_ids() == {"2608.00001", "2608.00003", "2608.00009"}
    assert elsewhere.note("2608.00003") == "First line\n\n    indented, with a\ttab\n"
    assert elsewhere.tags("2608.00003") == ("rl", "to-read")
    assert elsewhere.tags("2608.00001") == ("vision",)
    # Without any cache: the bookmarked and the noted papers are there to show.
    assert [r.id for r in elsewhere.bookmark_rows()] == [r.id for r in filled.bookmark_rows()]
    assert elsewhere.paper("2608.00003") == paper(3)
    assert elsewhere.paper("2608.00004") is None  # neither bookmarked nor annotated


def test_backup_shape(filled: Store) -> None:
    data = make_backup(filled, now=MOMENT)
    assert data["format"] == "paperreader-backup" and data["version"] == 1
    assert data["exported_at"] == "2026-08-17T12:00:00Z"
    assert json.loads(dump_backup(data)) == data  # JSON-ready as it is
    assert [b["paper"]["id"] for b in data["bookmarks"]] == ["2608.00002", "2608.00001"]
    assert data["bookmarks"][1]["paper"] == paper(1).to_dict()
    assert all(b["bookmarked_at"].endswith("Z") for b in data["bookmarks"])
    assert {r["id"] for r in data["read"]} == {"2608.00001", "2608.00003", "2608.00009"}
    assert [n["id"] for n in data["notes"]] == ["2608.00003"]
    assert {t["id"]: t["tags"] for t in data["tags"]} == {
        "2608.00003": ["rl", "to-read"],
        "2608.00001": ["vision"],
    }
    # Snapshots: the papers with a note or tags (a bookmark carries its own).
    assert sorted(s["id"] for s in data["snapshots"]) == ["2608.00001", "2608.00003"]


def test_backup_of_an_empty_store(store: Store, elsewhere: Store) -> None:
    data = make_backup(store)
    assert [data[k] for k in ("bookmarks", "read", "notes", "tags", "snapshots")] == [[]] * 5
    assert counts(restore_backup(elsewhere, data)) == (0, 0, 0, 0)
    assert empty(elsewhere)


# The export format -----------------------------------------------------------------------------


def test_import_of_an_export_json_file(filled: Store, elsewhere: Store) -> None:
    read = filled.read_ids()
    entries = [
        ExportEntry(
            mark.paper,
            bookmarked_at=mark.created_at,
            read=mark.paper.id in read,
            note=filled.note(mark.paper.id),
            tags=filled.tags(mark.paper.id),
        )
        for mark in filled.bookmarks()
    ]
    entries.append(ExportEntry(paper(3), read=True, note="A note", tags=("rl", "to-read")))
    now = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    result = restore_backup(elsewhere, load_backup(export(entries, "json")), now=now)
    assert counts(result) == (2, 2, 1, 3)
    assert result.problems == []
    got = {m.paper.id: m for m in elsewhere.bookmarks()}
    for mark in filled.bookmarks():
        copy = got[mark.paper.id]
        assert copy.created_at == mark.created_at
        # Everything an export has comes back (the thumbnail is not exported).
        assert copy.paper == dataclasses.replace(mark.paper, thumbnail=None)
    assert elsewhere.read_ids() == {"2608.00001", "2608.00003"}
    assert elsewhere.user_data().read[0][1] == now  # an export has no time: now
    assert elsewhere.note("2608.00003") == "A note"
    assert elsewhere.tags("2608.00003") == ("rl", "to-read")
    assert elsewhere.tags("2608.00001") == ("vision",)
    assert elsewhere.paper("2608.00003") is not None  # snapshot of the annotated paper


def test_import_of_list_json_output(elsewhere: Store) -> None:
    """``paperreader list --json`` says ``bookmarked``: true, with no date."""
    items = json.loads(export([ExportEntry(paper(1)), ExportEntry(paper(2))], "json"))
    items[0]["bookmarked"] = True
    items[1]["bookmarked"] = False
    result = restore_backup(elsewhere, items, now=MOMENT)
    assert counts(result) == (1, 0, 0, 0)
    (mark,) = elsewhere.bookmarks()
    assert mark.paper.id == "2608.00001" and mark.created_at == MOMENT


# Merging and idempotence ------------------------------------------------------------------------


def test_importing_twice_changes_nothing(filled: Store, elsewhere: Store) -> None:
    data = make_backup(filled)
    assert counts(restore_backup(elsewhere, data)) == (2, 3, 1, 3)
    before, sizes = elsewhere.user_data(), table_sizes(elsewhere)
    again = restore_backup(elsewhere, data)
    assert counts(again) == (0, 0, 0, 0)
    assert elsewhere.user_data() == before and table_sizes(elsewhere) == sizes


def test_importing_an_export_twice_changes_nothing(filled: Store, elsewhere: Store) -> None:
    entries = [ExportEntry(paper(3), read=True, note="A note", tags=("rl",))]
    items = load_backup(export(entries, "json"))
    assert counts(restore_backup(elsewhere, items, now=MOMENT)) == (0, 1, 1, 1)
    before = elsewhere.user_data()
    later = MOMENT + timedelta(days=3)
    assert counts(restore_backup(elsewhere, items, now=later)) == (0, 0, 0, 0)
    assert elsewhere.user_data() == before


def test_import_merges_and_never_deletes(store: Store) -> None:
    mine = paper(1, title="My copy")
    store.set_bookmark(mine)
    store.set_note(mine, "mine")
    store.set_tags(mine, ["a"])
    store.set_read(["2608.00005"])
    store.set_note(paper(7), "draft")
    created = store.bookmarks()[0].created_at
    theirs = backup(
        bookmarks=[
            {
                "paper": paper(1, title="Their copy").to_dict(),
                "bookmarked_at": "2020-01-01T00:00:00Z",
            },
            {"paper": paper(2).to_dict(), "bookmarked_at": "2020-01-02T00:00:00Z"},
        ],
        read=[{"id": "2608.00006", "read_at": "2020-01-03T00:00:00Z"}],
        notes=[
            {"id": "2608.00001", "note": "theirs", "updated_at": "2020-01-04T00:00:00Z"},
            {"id": "2608.00007", "note": "draft, and more", "updated_at": "2020-01-05T00:00:00Z"},
        ],
        tags=[{"id": "2608.00001", "tags": ["b", "a"]}],
        snapshots=[paper(7).to_dict()],
    )
    result = restore_backup(store, theirs)
    assert counts(result) == (1, 1, 2, 1)
    marks = {m.paper.id: m for m in store.bookmarks()}
    assert marks["2608.00001"].paper.title == "My copy"  # kept, not overwritten
    assert marks["2608.00001"].created_at == created
    assert marks["2608.00002"].created_at == datetime(2020, 1, 2, tzinfo=UTC)
    assert store.read_ids() == {"2608.00005", "2608.00006"}
    assert store.note("2608.00001") == "mine\n\ntheirs"  # both kept
    assert store.note("2608.00007") == "draft, and more"  # the stored one grown longer
    assert store.tags("2608.00001") == ("a", "b")
    # And again: nothing more.
    assert counts(restore_backup(store, theirs)) == (0, 0, 0, 0)
    assert store.note("2608.00001") == "mine\n\ntheirs"


def test_a_failed_import_imports_nothing(store: Store) -> None:
    fill(store)
    before, sizes = store.user_data(), table_sizes(store)
    data = backup(
        bookmarks=[
            {"paper": paper(n, summary="long " * 200).to_dict(), "bookmarked_at": None}
            for n in range(100, 2100)
        ],
        read=[{"id": f"2609.{n:05d}"} for n in range(2000)],
    )
    pages = store._db.execute("PRAGMA user.page_count").fetchone()[0]
    store._db.execute(f"PRAGMA user.max_page_count = {pages + 20}")  # room for a few only
    with pytest.raises(StoreError, match="disk is full"):
        restore_backup(store, data)
    assert store.user_data() == before and table_sizes(store) == sizes


# Hostile and malformed files -------------------------------------------------------------------


def test_hostile_items_are_cleaned_or_skipped_with_the_reason(store: Store, paths: Paths) -> None:
    data = backup(
        bookmarks=[
            {"paper": {"id": "../../x", "title": "Traversal"}, "bookmarked_at": None},
            {
                "paper": {
                    "id": "2608.00001v2",
                    "title": "\x1b]52;c;ZXZpbA==\x07Evil\x1b[31m title\u202e",
                    "authors": ["\x1b[2JAda", 7, "", "Ada"],
                },
                "bookmarked_at": "9999-12-31T00:00:00Z",
            },
            {"paper": {"id": "2608.00002", "title": "   "}},
            "not an object",
            {
                "paper": {
                    "id": "2608.00003",
                    "title": "Odd numbers",
                    "upvotes": 10**30,
                    "comments": -5,
                    "github_stars": True,
                    "authors": "not a list",
                    "listing_day": "yesterday",
                    "github_repo": "javascript:alert(1)",
                }
            },
            {"paper": None},
        ],
        read=[
            {"id": "2608.00004", "read_at": "garbage"},
            {"id": 42},
            {"id": " 2608.00005 "},
            ["2608.00010"],
        ],
        notes=[
            {"id": "2608.00006", "note": "line\x1b[2J one\r\nline two\x00"},
            {"id": "2608.00007", "note": "   "},
            {"id": "2608.00008", "note": 5},
        ],
        tags=[
            {"id": "2608.00009", "tags": ["RL", "#To-Read", "a b", "###", 7, "x" * 100]},
            {"id": "2608.00010", "tags": "rl"},
        ],
    )
    result = restore_backup(store, data, now=MOMENT)
    assert counts(result) == (2, 2, 1, 5)
    marks = {m.paper.id: m for m in store.bookmarks()}
    assert set(marks) == {"2608.00001", "2608.00003"}
    evil = marks["2608.00001"]
    assert evil.paper.title == "Evil title"
    assert evil.paper.authors == ("Ada",)
    assert evil.created_at == MOMENT  # a date in the future is now
    odd = marks["2608.00003"].paper
    assert (odd.upvotes, odd.comments, odd.github_stars) == (0, None, None)
    assert odd.authors == () and odd.listing_day is None
    assert [link.safe for link in odd.links if link.label == "Code"] == [False]
    assert store.read_ids() == {"2608.00004", "2608.00005"}
    assert store.note("2608.00006") == "line one\nline two"
    assert store.tags("2608.00009") == ("a", "b", "rl", "to-read", "x" * 40)

    problems = result.problems
    assert len(problems) == 11
    assert any("'../../x' is not an arXiv id" in p for p in problems)
    assert any(p.startswith("bookmark 3 (2608.00002): no title") for p in problems)
    assert any(p.startswith("bookmark 4: not an object") for p in problems)
    assert any(p.startswith("read mark 2: a number is not an arXiv id") for p in problems)
    assert any(p.startswith("note 2 (2608.00007): no text") for p in problems)
    assert any("'###' is not a tag" in p for p in problems)
    assert any("'tags' is not a list" in p for p in problems)
    for problem in problems:  # safe to print
        assert problem.isprintable() and "\x1b" not in problem
    assert "(11 skipped: " in result.summary() and "and 8 more" in result.summary()
    store.close()
    with Store.open(paths) as again:  # the big numbers were never stored: it opens
        assert again.notices == []
        assert {r.id for r in again.bookmark_rows()} == {"2608.00001", "2608.00003"}


def test_load_backup_strips_a_byte_order_mark() -> None:
    assert load_backup("\ufeff[]".encode()) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"", "not JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (b"1" * 5000, "not JSON"),
    ],
)
def test_files_that_are_not_json(raw: bytes, expected: str) -> None:
    with pytest.raises(BackupError, match=expected) as caught:
        load_backup(raw)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a string", "not a paperreader backup .*not a string"),
        (42, "not a number"),
        (None, "not null"),
        ({}, "no 'format' field"),
        ({"format": "zotero", "version": 1}, "its format is 'zotero'"),
        ({"format": FORMAT}, "the backup has no version"),
        ({"format": FORMAT, "version": "1"}, "version is not a number"),
        ({"format": FORMAT, "version": True}, "version is not a number"),
        ({"format": FORMAT, "version": 2}, "version 2; .*reads version 1 only .*update"),
        ({"format": FORMAT, "version": 0}, "version 0; this paperreader reads version 1 only$"),
        ({"format": FORMAT, "version": 10**50}, "version too big"),
        (backup(bookmarks={"2608.00001": {}}), "'bookmarks' is not a list"),
        (backup(read="2608.00001"), "'read' is not a list"),
    ],
)
def test_wrong_shapes_are_one_line_errors_and_import_nothing(
    store: Store, data: Any, expected: str
) -> None:
    with pytest.raises(BackupError, match=expected) as caught:
        restore_backup(store, data)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert empty(store)


def test_a_wrong_section_imports_nothing_of_the_others(store: Store) -> None:
    data = backup(bookmarks=[{"paper": paper(1).to_dict()}], tags={"not": "a list"})
    with pytest.raises(BackupError):
        restore_backup(store, data)
    assert empty(store)


# The command line --------------------------------------------------------------------------------


def assert_one_line_error(err: str) -> None:
    assert err.startswith("paperreader")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.fixture
def user_data(paths: Paths) -> None:
    with Store.open(paths) as store:
        fill(store)


def move_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Paths:
    """Point the data and cache folders somewhere new, as on another machine."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    return Paths.default()


def test_help_lists_backup_and_import(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "backup" in out and "import" in out
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0 and "FILE" in out and "stdin" in out


def test_cli_backup_to_stdout(capsys: pytest.CaptureFixture[str], user_data: None) -> None:
    code, out, err = run(capsys, "backup")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["format"] == FORMAT
    assert (len(data["bookmarks"]), len(data["read"]), len(data["notes"])) == (2, 3, 1)


def test_cli_backup_then_import_on_another_machine(
    capsys: pytest.CaptureFixture[str],
    user_data: None,
    paths: Paths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "backup.json"
    code, out, err = run(capsys, "backup", "--output", str(target))
    assert code == 0 and out == ""
    assert (
        err
        == f"Backed up 2 bookmark(s), 3 read mark(s), 1 note(s), 2 tagged paper(s) to {target}\n"
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with Store.open(paths) as original:
        expected = original.user_data()

    other = move_elsewhere(monkeypatch, tmp_path)
    code, out, err = run(capsys, "import", str(target))
    assert code == 0 and err == ""
    assert out == "Imported 2 bookmarks, 3 read marks, 1 note, 3 tags\n"
    with Store.open(other) as moved:
        assert moved.user_data() == expected
    code, out, _ = run(capsys, "import", str(target))
    assert code == 0
    assert out == "Imported 0 bookmarks, 0 read marks, 0 notes, 0 tags\n"


def test_cli_export_json_then_import(
    capsys: pytest.CaptureFixture[str],
    user_data: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "reading.json"
    assert run(capsys, "export", "--format", "json", "-o", str(target))[0] == 0
    other = move_elsewhere(monkeypatch, tmp_path)
    code, out, err = run(capsys, "import", str(target))
    assert code == 0 and err == ""
    # The export carries the bookmarks' notes and tags: the fixture tagged one paper.
    assert out == "Imported 2 bookmarks, 1 read mark, 0 notes, 1 tag\n"
    with Store.open(other) as moved:
        assert moved.bookmark_ids() == {"2608.00001", "2608.00002"}
        assert moved.read_ids() == {"2608.00001"}
        assert [m.paper.title for m in moved.bookmarks()] == ["Paper number 2", "Paper number 1"]


def test_cli_import_from_stdin(
    capsys: pytest.CaptureFixture[str], paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = backup(read=[{"id": "2608.00001"}], bookmarks=[{"paper": {"id": "../x"}}])
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(data).encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run(capsys, "import", "-")
    assert code == 0 and err == ""
    assert out == (
        "Imported 0 bookmarks, 1 read mark, 0 notes, 0 tags "
        "(1 skipped: bookmark 1: '../x' is not an arXiv id)\n"
    )
    with Store.open(paths) as store:
        assert store.read_ids() == {"2608.00001"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01binary garbage\xff", "not UTF-8"),
        (b"<html>not json</html>", "not JSON"),
        (b'{"format": "paperreader-backup", "version": 7}', "version 7"),
        (b'"just a string"', "not a paperreader backup"),
        (b'{"format": "paperreader-backup", "version": 1, "read": 5}', "'read' is not a list"),
    ],
)
def test_cli_import_of_a_bad_file_exits_1_in_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    paths: Paths,
    content: bytes,
    expected: str,
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, out, err = run(capsys, "import", str(bad))
    assert code == 1 and out == ""
    assert_one_line_error(err)
    assert f"cannot import {bad}: " in err and expected in err
    if paths.user_db.exists():
        with Store.open(paths) as store:
            assert empty(store)


def test_cli_import_of_a_missing_file_or_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for source in (tmp_path / "missing.json", tmp_path):
        code, out, err = run(capsys, "import", str(source))
        assert code == 1 and out == ""
        assert_one_line_error(err)
        assert f"cannot read {source}" in err


def test_cli_import_without_a_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import")
    assert code == 2
    assert_one_line_error(err)


def test_cli_backup_to_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "backup", "-o", str(tmp_path / "missing" / "b.json"))
    assert code == 1 and out == ""
    assert_one_line_error(err)
    assert "cannot write" in err


def test_cli_import_into_a_read_only_data_folder(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    paths: Paths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_prepare = opening._prepare

    def prepare(path: Path, *args: object, **kwargs: object) -> tuple[sqlite3.Connection, bool]:
        if path == paths.user_db:
            raise opening._Unwritable("the data folder is read-only")
        return real_prepare(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "_prepare", prepare)
    source = tmp_path / "b.json"
    source.write_text(json.dumps(backup(read=[{"id": "2608.00001"}])))
    code, out, err = run(capsys, "import", str(source))
    assert code == 1 and out == ""
    notice, error = err.splitlines()
    assert notice.startswith("paperreader: Your data folder") and "read-only" in notice
    assert (
        error.startswith("paperreader: Could not save the imported data") and "read-only" in error
    )
    assert "Traceback" not in err
    assert not paths.user_db.exists()
