"""What you stored is what you read: one load policy for the app and every command.

Against a local fake hub: sync a month, stop the server, then read days, weeks and the
latest day offline from what the sync stored; the sample is never written to the store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core.client import HFClient
from paperreader.core.library import Library, Source
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.sample import load_sample
from paperreader.core.store import Store
from tests.cli_run import run, serve
from tools.fakehub import FakeHub, make_item, make_items

# Three days of week 2026-W34 (Mon 17th, Tue 18th, Fri 21st) and one of W33 (Wed 12th).
SPEC = {"2026-08-12": 3, "2026-08-17": 5, "2026-08-18": 3, "2026-08-21": 4}


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    yield from serve(FakeHub(make_items(SPEC)), monkeypatch)


def ids(out: str) -> list[str]:
    return [item["id"] for item in json.loads(out)]


def test_a_synced_month_reads_by_day_and_week_offline_exactly_as_the_api_lists_them(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    # What the API lists for a day and a week, asked online first.
    api = {}
    for option, value in (("--date", "2026-08-18"), ("--week", "2026-W34")):
        code, out, _ = run(capsys, "list", option, value, "--json")
        assert code == 0
        api[value] = ids(out)
    assert len(api["2026-08-18"]) == 3 and len(api["2026-W34"]) == 12
    # A fresh store, filled only by syncing the month; then no server at all.
    Path(Paths.default().cache_db).unlink()
    code, _, err = run(capsys, "sync", "--since", "2026-08-01", "--until", "2026-08-31")
    assert code == 0, err
    hub.stop()
    for option, value in (("--date", "2026-08-18"), ("--week", "2026-W34")):
        code, out, err = run(capsys, "list", option, value, "--offline", "--json")
        assert code == 0, err
        assert ids(out) == api[value]
        assert err == ""
    # The latest day, offline, is the newest stored day.
    code, out, _ = run(capsys, "list", "--offline", "--json")
    assert code == 0
    assert {item["listing_day"] for item in json.loads(out)} == {"2026-08-21"}


def test_offline_sync_is_refused(capsys: pytest.CaptureFixture[str], hub: FakeHub) -> None:
    for argv in (("--offline", "sync"), ("sync", "--offline")):
        code, out, err = run(capsys, *argv)
        assert code == 2
        assert out == "" and "--offline" in err and err.count("\n") == 1
    assert hub.requests == []


def test_list_json_is_an_array_and_jsonl_one_object_a_line(
    capsys: pytest.CaptureFixture[str], hub: FakeHub
) -> None:
    _, array, _ = run(capsys, "list", "--json")
    _, lines, _ = run(capsys, "list", "--jsonl", "--offline")
    items = json.loads(array)
    assert isinstance(items, list) and len(items) == 4
    assert [json.loads(line) for line in lines.splitlines()] == items


def test_a_closed_pipe_ends_list_quietly(hub: FakeHub, tmp_path: Path) -> None:
    code = "import sys; from paperreader.cli import main; sys.exit(main(['list', '--json']))"
    reader = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert reader.stdout is not None
    reader.stdout.read(10)
    reader.stdout.close()  # `| head -c 10`
    _, err = reader.communicate(timeout=30)
    assert reader.returncode == 0
    assert err == b""


def stored_library(store: Store) -> Library:
    papers = [
        Paper(
            id="2608.00001",
            title="Stored paper",
            upvotes=514,
            github_stars=6,
            github_repo="https://github.com/a/b",
            listing_day=Period.parse("2026-08-20").start,
        ),
        Paper(
            id="2608.00002",
            title="Older stored paper",
            upvotes=3,
            listing_day=Period.parse("2026-08-11").start,
        ),
    ]
    store.save_listing("month", "2026-08", papers)
    return Library(store)


def test_offline_a_store_with_papers_opens_on_its_newest_day_and_is_unchanged(
    store: Store,
) -> None:
    library = stored_library(store)
    before = store.archive_rows()
    answers = list(library.load(Source()))
    assert [a.origin for a in answers] == ["cache"]
    assert answers[0].source.period == Period.parse("2026-08-20")
    assert [row.id for row in answers[0].rows] == ["2608.00001"]
    assert store.archive_rows() == before
    kept = store.paper("2608.00001")
    assert kept is not None and (kept.upvotes, kept.github_stars) == (514, 6)


def test_offline_steps_go_straight_to_the_stored_days_weeks_and_months(store: Store) -> None:
    library = stored_library(store)
    day = Period.parse("2026-08-20")
    assert library.adjacent(day, -1) == Period.parse("2026-08-11")
    assert library.adjacent(Period.parse("2026-08-11"), -1) is None
    assert library.adjacent(Period.parse("2026-08-11"), 1) == day
    assert library.adjacent(day, 1) is None
    assert library.adjacent(Period.parse("2026-W34"), -1) == Period.parse("2026-W33")
    assert library.adjacent(Period.parse("2026-09"), -1) == Period.parse("2026-08")


def test_the_store_answers_first_then_the_network(store: Store) -> None:
    items = [make_item("2608.00001", "Stored paper", day="2026-08-20", upvotes=600)]
    library = stored_library(store)
    with FakeHub(items) as hub:
        client = HFClient(hub.start(), max_retries=0)
        try:
            answers = list(Library(store, client).load(Source(period=Period.parse("2026-08-20"))))
        finally:
            client.close()
    assert [a.origin for a in answers] == ["cache", "network"]
    assert answers[0].rows[0].upvotes == 514
    assert answers[1].rows[0].upvotes == 600
    assert library.stored(Source(period=Period.parse("2026-08-20"))) is not None


def test_a_failed_network_keeps_the_stored_copy_with_the_reason(store: Store) -> None:
    stored_library(store)
    client = HFClient("http://127.0.0.1:9", max_retries=0, timeout=2)
    try:
        answers = list(Library(store, client).load(Source()))
    finally:
        client.close()
    assert [a.origin for a in answers] == ["cache", "cache"]
    assert answers[-1].problem
    assert store.paper_count() == 2


def test_the_sample_is_shown_only_on_an_empty_store_and_never_stored(store: Store) -> None:
    client = HFClient("http://127.0.0.1:9", max_retries=0, timeout=2)
    try:
        (answer,) = list(Library(store, client).load(Source()))
    finally:
        client.close()
    assert answer.origin == "sample"
    assert len(answer.rows) == len(load_sample().papers)
    assert answer.problem  # why the network failed
    assert store.paper_count() == 0
    # With one paper stored, the sample is gone: the stored paper answers.
    stored_library(store)
    (answer,) = list(Library(store).load(Source()))
    assert answer.origin == "cache"
