"""The command line, run in-process against a FakeHub (and once as a real subprocess)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader import __version__
from paperreader.cli import main
from paperreader.core.paths import Paths
from paperreader.core.store import Store
from tests.cli_run import run, serve
from tools.fakehub import FakeHub, make_items

# Latest day 2026-08-21 (4 papers); 2026-08-17 and -18 are in the same ISO week 2026-W34.
SPEC = {"2026-08-17": 2, "2026-08-18": 3, "2026-08-21": 4}


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    yield from serve(FakeHub(make_items(SPEC)), monkeypatch)


def assert_one_line_error(err: str) -> None:
    assert err.startswith("paperreader")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


def listed_ids(out: str) -> list[str]:
    return [re.search(r"\d{4}\.\d{5}", line)[0] for line in out.splitlines()]  # type: ignore[index]


def bookmark(paths: Paths, *paper_ids: str, read: tuple[str, ...] = ()) -> None:
    """Bookmark papers already in the store, and mark some read, as the app would."""
    with Store.open(paths) as store:
        for paper_id in paper_ids:
            paper = store.paper(paper_id)
            assert paper is not None
            store.set_bookmark(paper)
        store.set_read(read)


# Arguments -----------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out == f"paperreader {__version__}\n"
    assert err == ""


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: paperreader")
    for word in ("list", "export", "--date", "--week", "--month", "--offline", "HF_ENDPOINT"):
        assert word in out


@pytest.mark.parametrize(
    "argv",
    [
        ("--date", "2026-13-01"),
        ("list", "--date", "2026-13-01"),
        ("list", "--date", "2026-02-30"),
        ("list", "--week", "2026-W54"),
        ("list", "--month", "2026-08-17"),
        ("list", "--date", "hello"),
    ],
)
def test_bad_period_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert repr(argv[-1]) in err
    assert "--help" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("list", "--date", "9999-12-31"),
        ("list", "--week", "9999-W52"),
        ("list", "--month", "2023-04"),
        ("--date", "9999-12-31"),
        ("--date", "0001-01-01"),
        ("--month", "9999-12"),
        ("--week", "9999-W52"),
    ],
)
def test_periods_outside_daily_papers_exit_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    # Before, `list --date 9999-12-31` printed nothing and exited 0, and the app opened
    # on it, to crash at the first `]`.
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "listings run from 2023-05-04 to today" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("--date", "2026-08-17", "--week", "2026-W34"),
        ("list", "--date", "2026-08-17", "--month", "2026-08"),
    ],
)
def test_two_periods_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "not allowed with" in err


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    assert_one_line_error(err)


# list ----------------------------------------------------------------------------------------


def test_list_prints_the_latest_day(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 4
    assert all("of 2026-08-21" in line for line in lines)
    upvotes = [int(line.split("▲")[1].split()[0]) for line in lines]
    assert upvotes == [4, 3, 2, 1]
    assert all(line.startswith("● ") for line in lines)  # unread, not bookmarked


def test_list_a_week_and_a_day(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    code, out, _ = run(capsys, "list", "--week", "2026-W34")
    assert code == 0
    assert len(out.splitlines()) == 9
    code, out, _ = run(capsys, "list", "--date", "2026-08-18")
    assert code == 0
    assert len(out.splitlines()) == 3
    assert all("of 2026-08-18" in line for line in out.splitlines())
    assert hub.requests[-1][1]["date"] == "2026-08-18"


def test_list_json(capsys: pytest.CaptureFixture[str], hub: FakeHub, paths: Paths) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    first, second, *_ = listed_ids(out)
    bookmark(paths, first, read=(second,))

    code, out, err = run(capsys, "list", "--json")
    assert code == 0
    assert err == ""
    items = json.loads(out)
    assert isinstance(items, list) and len(items) == 4
    for item in items:
        for key in ("id", "title", "authors", "links", "upvotes", "read", "bookmarked"):
            assert key in item
        assert item["links"]["arxiv"] == f"https://arxiv.org/abs/{item['id']}"
        assert item["authors"] == ["Ada Lovelace", "Alan Turing"]
    by_id = {item["id"]: item for item in items}
    assert by_id[first]["bookmarked"] is True and by_id[first]["read"] is False
    assert by_id[second]["bookmarked"] is False and by_id[second]["read"] is True
    assert [item["upvotes"] for item in items] == [4, 3, 2, 1]


def test_list_flags_in_text_output(
    capsys: pytest.CaptureFixture[str], hub: FakeHub, paths: Paths
) -> None:
    _, out, _ = run(capsys, "list")
    first, second, *_ = listed_ids(out)
    bookmark(paths, first, read=(first, second))
    _, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert lines[0].startswith(" ★")
    assert lines[1].startswith("  ")
    assert lines[2].startswith("● ")


def test_list_offline_with_nothing_stored(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    code, out, err = run(capsys, "list", "--offline")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert "nothing stored" in err
    assert hub.requests == []


def test_list_offline_after_a_fetch(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    _, online, _ = run(capsys, "list")
    asked = len(hub.requests)
    code, out, err = run(capsys, "list", "--offline")
    assert code == 0
    assert out == online
    assert err == ""
    assert len(hub.requests) == asked


def test_list_falls_back_to_the_stored_copy(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    code, first, _ = run(capsys, "list")
    assert code == 0
    hub.stop()
    code, out, err = run(capsys, "list")
    assert code == 0
    assert out == first
    assert_one_line_error(err)
    assert "showing the stored copy" in err


def test_list_without_network_or_copy_fails_in_one_line(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    hub.stop()
    code, out, err = run(capsys, "list")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert "No network" in err


def test_list_with_a_server_error(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    hub.fault = "status:400"
    code, out, err = run(capsys, "list", "--date", "2026-08-18")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)


def test_offline_before_the_command_is_honoured(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    code, _, _ = run(capsys, "--offline", "list")
    assert hub.requests == []
    assert code in (1, 2)


def test_date_before_the_command_is_honoured_or_refused(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    code, out, _ = run(capsys, "--date", "2026-08-18", "list")
    if code != 2:
        assert code == 0
        assert out.splitlines()
        assert all("of 2026-08-18" in line for line in out.splitlines())


# export --------------------------------------------------------------------------------------


@pytest.fixture
def two_bookmarks(capsys: pytest.CaptureFixture[str], hub: FakeHub, paths: Paths) -> list[str]:
    code, out, _ = run(capsys, "list")
    assert code == 0
    chosen = listed_ids(out)[:2]
    bookmark(paths, *chosen, read=(chosen[0],))
    return chosen


def test_export_json(capsys: pytest.CaptureFixture[str], two_bookmarks: list[str]) -> None:
    code, out, err = run(capsys, "export", "--format", "json")
    assert code == 0
    assert err == ""
    items = json.loads(out)
    assert {item["id"] for item in items} == set(two_bookmarks)
    by_id = {item["id"]: item for item in items}
    assert by_id[two_bookmarks[0]]["read"] is True
    assert by_id[two_bookmarks[1]]["read"] is False
    assert all(item["bookmarked_at"].endswith("Z") for item in items)


def test_export_default_is_json(
    capsys: pytest.CaptureFixture[str], two_bookmarks: list[str]
) -> None:
    code, out, _ = run(capsys, "export")
    assert code == 0
    assert len(json.loads(out)) == 2


def test_export_markdown(capsys: pytest.CaptureFixture[str], two_bookmarks: list[str]) -> None:
    code, out, _ = run(capsys, "export", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Reading list\n")
    assert out.count("\n## ") == 2
    for paper_id in two_bookmarks:
        assert f"https://arxiv.org/abs/{paper_id}" in out


def test_export_bibtex(capsys: pytest.CaptureFixture[str], two_bookmarks: list[str]) -> None:
    code, out, _ = run(capsys, "export", "--format", "bibtex")
    assert code == 0
    assert out.count("@misc{") == 2
    for paper_id in two_bookmarks:
        assert f"eprint = {{{paper_id}}}" in out


def test_export_with_nothing_bookmarked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_export_to_a_file(
    capsys: pytest.CaptureFixture[str], two_bookmarks: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "reading.bib"
    code, out, err = run(capsys, "export", "--format", "bibtex", "--output", str(target))
    assert code == 0
    assert out == ""
    assert "Exported 2 bookmark(s) as bibtex" in err
    text = target.read_text(encoding="utf-8")
    assert text.count("@misc{") == 2
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_export_to_a_file_in_a_missing_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "export", "-o", str(tmp_path / "missing" / "out.json"))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert "cannot write" in err


def test_export_unknown_format_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--format", "nope")
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "nope" in err


# As a program --------------------------------------------------------------------------------


def test_python_dash_m_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "paperreader", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"paperreader {__version__}"


def test_export_carries_notes_and_tags(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    from paperreader.core.models import Paper
    from paperreader.core.store import Store

    paper = Paper("2608.55555", "A noted paper", authors=("Ada Lovelace",))
    with Store.open(paths) as store:
        store.save_papers([paper])
        store.set_bookmark(paper)
        store.set_note(paper, "Check the appendix")
        store.set_tags(paper, ["to-read"])
    assert main(["export", "--format", "json"]) == 0
    item = json.loads(capsys.readouterr().out)[0]
    assert item["note"] == "Check the appendix" and item["tags"] == ["to-read"]
    assert main(["export", "--format", "markdown"]) == 0
    assert "Check the appendix" in capsys.readouterr().out


def test_the_reader_without_a_terminal_says_so(capsys, monkeypatch) -> None:
    # Input from a file, not a terminal: the full-screen reader must refuse at once (it
    # would otherwise spin on a closed input) and point at the script commands.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--offline"]) == 1
    err = capsys.readouterr().err
    assert "needs a terminal" in err and "paperreader list" in err
