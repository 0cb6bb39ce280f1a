"""The CLI of #13: watch, list --watch, similar, digest, and notify after a sync."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core.paths import Paths
from tests.cli_run import run, serve
from tools.fakehub import FakeHub, make_item

ITEMS = [
    make_item("2608.00001", "Robot arms that grasp", day="2026-08-17", upvotes=9,
              summary="A robot grasping policy for dexterous manipulation."),
    make_item("2608.00002", "Robot hands that grasp", day="2026-08-18", upvotes=5,
              summary="Dexterous robot manipulation and grasping with hands.",
              githubRepo="https://github.com/x/hands"),
    make_item("2608.00003", "Speech tokenizers", day="2026-08-18", upvotes=7,
              summary="Streaming speech recognition with audio tokenizers."),
    make_item("2608.00004", "Denoising <b>diffusion</b>", day="2026-08-18", upvotes=3,
              summary="Image diffusion samplers."),
]  # fmt: skip


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    yield from serve(FakeHub(ITEMS), monkeypatch)


@pytest.fixture
def synced(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "sync", "--since", "2026-08-01", "--until", "2026-08-18")
    assert code == 0, err


def test_watch_commands(synced: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "watch", "add", "robots", "robot")[0] == 0
    code, out, _ = run(capsys, "watch", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "robots", "query": "robot", "total": 2, "unread": 2, "new": 0, "opened_at": None}
    ]
    code, out, _ = run(capsys, "list", "--watch", "robots", "--offline", "--json")
    assert code == 0 and [p["id"] for p in json.loads(out)] == ["2608.00002", "2608.00001"]
    code, _, err = run(capsys, "watch", "add", "bad", "robot", "foo:bar")
    assert code == 2 and 'unknown filter "foo:"' in err and err.count("\n") == 1
    assert run(capsys, "watch", "rename", "robots", "arms")[0] == 0
    code, out, _ = run(capsys, "watch", "list")
    assert out.startswith("arms\t2 papers, 2 unread, 0 new")
    code, _, err = run(capsys, "list", "--watch", "robots", "--offline")
    assert code == 1 and "no watch named 'robots'" in err
    assert run(capsys, "watch", "remove", "arms")[0] == 0
    assert run(capsys, "watch", "remove", "arms")[0] == 1


def test_the_reader_opens_on_a_watch(
    synced: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`paperreader --watch NAME`: the reader opens on the watch, its first page read
    before the app starts; a watch that is not there is one line and exit 1."""
    from paperreader.ui.app import PaperReaderApp

    started: list[PaperReaderApp] = []
    monkeypatch.setattr(PaperReaderApp, "run", lambda app: started.append(app))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert run(capsys, "watch", "add", "robots", "robot")[0] == 0
    code, _, err = run(capsys, "--watch", "robots", "--offline")
    assert code == 0, err
    (app,) = started
    source = app.reader.source
    assert (source.kind, source.key) == ("watch", "robots")
    first = app.reader._user_state.first  # what the first frame shows
    assert first is not None and [row.id for row in first.rows] == ["2608.00002", "2608.00001"]
    code, _, err = run(capsys, "--watch", "nope", "--offline")
    no_such = "paperreader: no watch named 'nope' (see `paperreader watch list`)\n"
    assert code == 1 and err == no_such
    assert len(started) == 1
    code, _, err = run(capsys, "--watch", "robots", "--date", "2026-08-17")
    assert code == 2 and "--watch opens a watch" in err


def test_similar(synced: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "similar", "2608.00001", "--json")
    ids = [p["id"] for p in json.loads(out)]
    assert code == 0 and ids[0] == "2608.00002" and "2608.00001" not in ids
    assert run(capsys, "similar", "nope")[0] == 2
    code, _, err = run(capsys, "similar", "2608.09999")
    assert code == 1 and "not stored" in err


def test_digest(synced: None, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "watch", "add", "robots", "robot")
    code, out, _ = run(capsys, "digest", "--since", "2026-08-01", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["watches"][0]["name"] == "robots"
    assert {p["id"] for p in data["watches"][0]["papers"]} == {"2608.00001", "2608.00002"}
    assert [d["day"] for d in data["days"]] == ["2026-08-18", "2026-08-17"]
    code, out, _ = run(capsys, "digest", "--since", "2026-08-01")
    assert "## Watches" in out and "### robots: 2 new papers" in out
    page = tmp_path / "digest.html"
    assert (
        run(capsys, "digest", "--since", "2026-08-01", "--format", "html", "-o", str(page))[0] == 0
    )
    assert "&lt;b&gt;diffusion&lt;/b&gt;" in page.read_text()
    code, out, _ = run(capsys, "digest", "--since", "last", "--format", "json")
    assert json.loads(out)["days"] == []  # nothing since the previous digest
    assert run(capsys, "digest", "--since", "yesterday-ish")[0] == 2


def test_sync_runs_notify_command(
    hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path, paths: Paths
) -> None:
    out = tmp_path / "argv.json"
    script = tmp_path / "record.py"
    script.write_text(
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(f"notify_command = {json.dumps([sys.executable, str(script)])}\n")
    run(capsys, "watch", "add", "robots", "robot")
    code, stdout, err = run(capsys, "sync", "--since", "2026-08-01", "--until", "2026-08-18")
    assert code == 0, err
    assert json.loads(out.read_text()) == ["paperreader sync: 2 new papers for robots"]
    assert "2 new papers for robots" in stdout
