"""Syncing the archive: against a FakeHub on loopback, with a fake clock (no real sleeping)."""

from __future__ import annotations

import io
import itertools
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from paperreader.cli import main
from paperreader.core.client import HFClient
from paperreader.core.paths import Paths
from paperreader.core.periods import FIRST_DAY, Period
from paperreader.core.store import Store
from paperreader.core.sync import (
    SyncError,
    SyncProgress,
    SyncResult,
    format_duration,
    format_progress,
    format_summary,
    months_between,
    sync_archive,
)
from tests.cli_run import run, serve
from tools.fakehub import FakeHub, HttpError, Item, Query, make_items

TODAY = date(2026, 8, 15)
#: Papers per month; 2026-06 needs two pages of 100; 2026-08 is the current month.
ARCHIVE = {"2026-05": 30, "2026-06": 150, "2026-07": 40, "2026-08": 12}
TOTAL = sum(ARCHIVE.values())
SINCE = date(2026, 5, 1)


def month_items(spec: dict[str, int], *, last_day: int = 14) -> list[Item]:
    """Items spread over the first ``last_day`` days of each month (unique ids)."""
    days: list[tuple[date, int]] = []
    for key, count in spec.items():
        start = Period.parse_unit("month", key).start
        per_day: dict[date, int] = {}
        for n in range(count):
            day = start + timedelta(days=n % last_day)
            per_day[day] = per_day.get(day, 0) + 1
        days.extend(per_day.items())
    return make_items(days)


class FakeClock:
    """Time that only moves when someone sleeps; shared by the client and the hub."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class RefusingHub(FakeHub):
    """Answers 400 for the months in ``refuse``, as the API does for a month it refuses."""

    refuse: set[str]

    def _daily(self, query: Query, base: str) -> tuple[list[Any], dict[str, str]]:
        if query.get("month") in self.refuse:
            raise HttpError(400, '"month" must be on or before 2026-08-14')
        return super()._daily(query, base)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_hub(clock: FakeClock) -> Iterator[Callable[..., FakeHub]]:
    hubs: list[FakeHub] = []

    def factory(cls: type[FakeHub] = FakeHub, **kwargs: Any) -> FakeHub:
        hub = cls(month_items(ARCHIVE), clock=clock.time, **kwargs)
        hub.start()
        hubs.append(hub)
        return hub

    yield factory
    for hub in hubs:
        hub.stop()


@pytest.fixture
def hub(make_hub: Callable[..., FakeHub]) -> FakeHub:
    return make_hub()


@pytest.fixture
def client(hub: FakeHub, clock: FakeClock) -> Iterator[HFClient]:
    with HFClient(hub.url, sleep=clock.sleep, clock=clock.time) as made:
        yield made


def sync(store: Store, client: HFClient, clock: FakeClock, **kwargs: Any) -> SyncResult:
    options: dict[str, Any] = {"since": SINCE, "today": lambda: TODAY, "sleep": clock.sleep}
    options.update(kwargs)
    return sync_archive(store, client, **options)


def months_asked(hub: FakeHub, since: int = 0) -> list[str]:
    return [query["month"] for _, query in hub.requests[since:]]


# months_between ------------------------------------------------------------------------------


def keys(periods: list[Period]) -> list[str]:
    assert all(p.unit == "month" for p in periods)
    return [p.key for p in periods]


def test_months_between_is_newest_first_and_covers_partial_months() -> None:
    assert keys(months_between(date(2026, 8, 17), date(2026, 8, 17))) == ["2026-08"]
    assert keys(months_between(date(2024, 1, 31), date(2024, 2, 1))) == ["2024-02", "2024-01"]
    assert keys(months_between(date(2025, 11, 20), date(2026, 2, 3))) == [
        "2026-02",
        "2026-01",
        "2025-12",
        "2025-11",
    ]


def test_months_between_across_several_years() -> None:
    months = months_between(FIRST_DAY, date(2026, 11, 27))
    assert len(months) == 43
    assert months[0].key == "2026-11" and months[-1].key == "2023-05"
    assert len(set(months)) == 43
    assert all(a.shift(-1) == b for a, b in itertools.pairwise(months))


def test_months_between_an_empty_range() -> None:
    assert months_between(date(2026, 8, 2), date(2026, 8, 1)) == []


# A full sync ---------------------------------------------------------------------------------


def test_full_sync_stores_every_paper(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    seen: list[SyncProgress] = []
    result = sync(store, client, clock, on_progress=seen.append)

    assert result.months_fetched == 4
    assert result.months_skipped == 0
    assert result.months_failed == ()
    assert result.papers_new == TOTAL and result.papers_updated == 0
    assert result.requests == 5 == client.requests_made
    assert not result.interrupted
    # Newest first, whole months, limit=100 and paging through the long month.
    assert months_asked(hub) == ["2026-08", "2026-07", "2026-06", "2026-06", "2026-05"]
    assert all(q["limit"] == "100" and q["sort"] == "publishedAt" for _, q in hub.requests)
    assert [q["p"] for _, q in hub.requests] == ["0", "0", "0", "1", "0"]

    assert store.paper_count() == TOTAL
    for key, count in ARCHIVE.items():
        listing = store.listing("month", key)
        assert listing is not None and len(listing.rows) == count
        votes = [row.upvotes for row in listing.rows]
        assert votes == sorted(votes, reverse=True)
    # Ended months are recorded; the current one is not.
    assert store.synced_months() == {"2026-05", "2026-06", "2026-07"}

    # Progress: from 0 to all, never backwards, page by page, ending with no ETA left.
    assert seen[0].months_done == 0 and seen[0].months_total == 4
    assert seen[-1].months_done == 4 and seen[-1].eta == 0.0 and seen[-1].current is None
    assert seen[-1].papers_new == TOTAL and seen[-1].requests == 5
    done = [p.months_done for p in seen]
    assert done == sorted(done)
    assert [p.requests for p in seen] == sorted(p.requests for p in seen)
    during = [p for p in seen if p.current == "2026-06"]
    assert {p.requests for p in during} >= {3, 4}  # reported after each of its two pages
    assert all(p.eta is None for p in seen if p.months_done == 0)
    assert all(p.eta is not None for p in seen if p.months_done > 0)


def test_since_and_until_are_clamped(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    result = sync(store, client, clock, since=date(2020, 1, 1), until=date(2030, 1, 1))
    # From the first listing (2023-05) to the current month, not beyond.
    assert months_asked(hub)[0] == "2026-08"
    assert months_asked(hub)[-1] == "2023-05"
    assert result.months_fetched == len(months_between(FIRST_DAY, TODAY)) == 40
    assert store.paper_count() == TOTAL


def test_until_cuts_the_range(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    result = sync(store, client, clock, since=date(2026, 6, 20), until=date(2026, 7, 3))
    assert months_asked(hub) == ["2026-07", "2026-06", "2026-06"]
    assert result.papers_new == ARCHIVE["2026-06"] + ARCHIVE["2026-07"]
    assert store.synced_months() == {"2026-06", "2026-07"}  # whole months were fetched


# Resuming ------------------------------------------------------------------------------------


def test_resume_after_a_stop_fetches_only_what_is_left(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    done = 0

    def note(progress: SyncProgress) -> None:
        nonlocal done
        done = progress.months_done

    first = sync(store, client, clock, on_progress=note, should_stop=lambda: done >= 2)
    assert first.interrupted
    assert first.months_fetched == 2
    assert months_asked(hub) == ["2026-08", "2026-07"]
    assert store.synced_months() == {"2026-07"}

    asked = len(hub.requests)
    second = sync(store, client, clock)
    assert not second.interrupted
    # The current month again, the finished 2026-07 not, then the rest.
    assert months_asked(hub, asked) == ["2026-08", "2026-06", "2026-06", "2026-05"]
    assert second.months_skipped == 1 and second.months_fetched == 3
    assert first.papers_new + second.papers_new == TOTAL == store.paper_count()
    assert second.papers_updated == ARCHIVE["2026-08"]

    asked = len(hub.requests)
    third = sync(store, client, clock)
    assert months_asked(hub, asked) == ["2026-08"]  # only the current month
    assert third.months_skipped == 3 and third.papers_new == 0

    asked = len(hub.requests)
    fourth = sync(store, client, clock, refresh=True)
    assert months_asked(hub, asked) == ["2026-08", "2026-07", "2026-06", "2026-06", "2026-05"]
    assert fourth.months_skipped == 0 and fourth.months_fetched == 4
    assert fourth.papers_new == 0 and fourth.papers_updated == TOTAL
    assert store.synced_months() == {"2026-05", "2026-06", "2026-07"}


def test_a_stop_in_the_middle_of_a_month_keeps_none_of_it(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    def asked_june() -> bool:
        return "2026-06" in months_asked(hub)

    first = sync(store, client, clock, should_stop=asked_june)
    assert first.interrupted and first.months_fetched == 2
    assert months_asked(hub) == ["2026-08", "2026-07", "2026-06"]  # not its second page
    assert store.listing("month", "2026-06") is None
    assert "2026-06" not in store.synced_months()

    asked = len(hub.requests)
    sync(store, client, clock)
    assert months_asked(hub, asked) == ["2026-08", "2026-06", "2026-06", "2026-05"]
    assert store.paper_count() == TOTAL


@pytest.mark.parametrize(
    ("fault", "message"),
    [("drop", "Connection dropped"), ("status:503", "HTTP 503"), ("truncated", "")],
)
def test_resume_after_a_failure_mid_run(
    store: Store,
    client: HFClient,
    hub: FakeHub,
    clock: FakeClock,
    fault: str,
    message: str,
) -> None:
    hub.fault_after = 2
    hub.fault = fault
    with pytest.raises(SyncError) as caught:
        sync(store, client, clock)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.result.months_fetched == 2
    assert not caught.value.result.interrupted
    assert store.synced_months() == {"2026-07"}
    assert store.paper_count() == ARCHIVE["2026-08"] + ARCHIVE["2026-07"]
    assert client.on_wait is None and client.on_response is None  # hooks restored

    hub.fault = None
    asked = len(hub.requests)
    result = sync(store, client, clock)
    assert months_asked(hub, asked) == ["2026-08", "2026-06", "2026-06", "2026-05"]
    assert result.months_skipped == 1
    assert store.paper_count() == TOTAL


def test_hooks_the_client_had_are_kept_and_called(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    statuses: list[int] = []
    waits: list[str] = []
    client.on_response = statuses.append
    client.on_wait = lambda seconds, reason: waits.append(reason)
    hub.fault = "ratelimit:1"
    sync(store, client, clock)
    assert statuses == [429, 200, 200, 200, 200, 200]
    assert waits == ["rate limited"]
    assert client.on_response == statuses.append
    assert client.on_wait is not None


def test_other_threads_using_the_client_are_left_alone(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    stop = False
    elsewhere: list[object] = []

    def fetch_elsewhere() -> None:
        try:
            elsewhere.append(len(client.daily_papers(Period.parse("2026-05")).papers))
        except Exception as error:
            elsewhere.append(error)

    def note(progress: SyncProgress) -> None:
        nonlocal stop
        if progress.months_done == 1 and not stop:
            stop = True  # the sync is to stop; a request from another thread is not
            worker = threading.Thread(target=fetch_elsewhere)
            worker.start()
            worker.join()

    result = sync(store, client, clock, on_progress=note, should_stop=lambda: stop)
    assert elsewhere == [ARCHIVE["2026-05"]]
    assert result.interrupted and result.months_fetched == 1


# Rate limits ---------------------------------------------------------------------------------


def test_a_small_quota_is_followed(
    store: Store, clock: FakeClock, make_hub: Callable[..., FakeHub]
) -> None:
    hub = make_hub(quota=2, window=10)
    seen: list[SyncProgress] = []
    with HFClient(hub.url, sleep=clock.sleep, clock=clock.time) as client:
        result = sync(store, client, clock, on_progress=seen.append)
    assert store.paper_count() == TOTAL
    assert result.requests == len(hub.requests) == 5  # paced: never a 429 to retry
    assert clock.waits and all(wait <= 10 for wait in clock.waits)
    assert any(p.waiting and p.waiting.startswith("rate limit low: waiting") for p in seen)


def test_429s_are_waited_for(
    store: Store, client: HFClient, hub: FakeHub, clock: FakeClock
) -> None:
    hub.fault = "ratelimit:2"
    seen: list[SyncProgress] = []
    result = sync(store, client, clock, on_progress=seen.append)
    assert store.paper_count() == TOTAL
    assert result.requests == 7
    assert clock.waits == [1.0, 1.0]
    assert any(p.waiting == "rate limited: waiting 1 s" for p in seen)


def test_a_long_rate_limit_window_is_waited_out(
    store: Store, clock: FakeClock, make_hub: Callable[..., FakeHub]
) -> None:
    # Two requests per 300 s: the client gives up on waits over its max_wait (60 s), so
    # the sync waits the window out itself and fetches the month again.
    hub = make_hub(quota=2, window=300)
    seen: list[SyncProgress] = []
    with HFClient(hub.url, sleep=clock.sleep, clock=clock.time) as client:
        result = sync(store, client, clock, on_progress=seen.append)
    assert store.paper_count() == TOTAL
    assert result.months_fetched == 4
    assert sum(clock.waits) >= 2 * 240
    assert max(clock.waits) <= 60  # long waits in slices: a stop is heard within a second
    assert any(p.waiting == "rate limited: waiting 241 s" for p in seen)
    assert any(p.waiting == "rate limited: waiting 1 s" for p in seen)


def test_a_stop_during_a_long_wait_is_heard(
    store: Store, clock: FakeClock, make_hub: Callable[..., FakeHub]
) -> None:
    hub = make_hub(quota=2, window=300)
    with HFClient(hub.url, sleep=clock.sleep, clock=clock.time) as client:
        result = sync(store, client, clock, should_stop=lambda: len(clock.waits) >= 5)
    assert result.interrupted
    assert result.months_fetched == 2
    assert clock.waits == [60, 1.0, 1.0, 1.0, 1.0]  # the client's pacing, then 4 slices


# Refused months ------------------------------------------------------------------------------


def test_refused_months_are_reported_and_skipped(
    store: Store, clock: FakeClock, make_hub: Callable[..., FakeHub]
) -> None:
    hub = make_hub(RefusingHub)
    assert isinstance(hub, RefusingHub)
    hub.refuse = {"2026-06"}
    with HFClient(hub.url, sleep=clock.sleep, clock=clock.time) as client:
        result = sync(store, client, clock)
        assert result.months_fetched == 3
        assert len(result.months_failed) == 1
        assert result.months_failed[0].startswith("2026-06: ")
        assert "HTTP 400" in result.months_failed[0]
        assert "must be on or before" in result.months_failed[0]
        assert store.synced_months() == {"2026-05", "2026-07"}
        assert "1 month refused: 2026-06" in format_summary(result)

        hub.refuse = set()
        asked = len(hub.requests)
        again = sync(store, client, clock)
    assert months_asked(hub, asked) == ["2026-08", "2026-06", "2026-06"]
    assert again.months_failed == ()
    assert store.paper_count() == TOTAL


# Formatting ----------------------------------------------------------------------------------


def test_format_duration() -> None:
    assert format_duration(0) == "0s"
    assert format_duration(12.4) == "12s"
    assert format_duration(182) == "3m02s"
    assert format_duration(3840) == "1h04m"


def test_format_progress_and_summary() -> None:
    progress = SyncProgress(12, 40, 4210, 3, 310, 20.0, 80.0, "2024-03", None)
    assert format_progress(progress) == (
        "[###.......] 12/40 months · 4,210 new · 310 requests · 2024-03 · ETA 1m20s"
    )
    waiting = SyncProgress(0, 40, 0, 0, 1, 0.5, None, "2026-08", "rate limited: waiting 12 s")
    assert format_progress(waiting).endswith("· 2026-08 · rate limited: waiting 12 s")

    result = SyncResult(40, 3, (), 12345, 67, 412, 182.0, False)
    assert format_summary(result) == (
        "Synced 40 months: 12,345 new, 67 updated papers; 412 requests in 3m02s "
        "(3 months already up to date)"
    )
    one = SyncResult(1, 0, (), 0, 7, 1, 0.2, False)
    assert format_summary(one) == "Synced 1 month: 0 new, 7 updated papers; 1 request in 0s"


# The command line ----------------------------------------------------------------------------

CLI_ARCHIVE = {"2026-06": 120, "2026-07": 5, "2026-08": 3}


@pytest.fixture
def cli_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    yield from serve(FakeHub(month_items(CLI_ARCHIVE)), monkeypatch)


def assert_one_line(text: str, start: str = "paperreader") -> None:
    assert text.startswith(start), text
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert "Traceback" not in text


SUMMARY = re.compile(
    r"^Synced (\d+) months?: ([\d,]+) new, ([\d,]+) updated papers; "
    r"(\d+) requests? in \d+(m\d\ds|h\d\dm|s)( \((\d+) months? already up to date\))?\n$"
)


def test_cli_sync(capsys: pytest.CaptureFixture[str], cli_hub: FakeHub, paths: Paths) -> None:
    months = len(months_between(date(2026, 6, 1), date.today()))
    code, out, err = run(capsys, "sync", "--since", "2026-06-01")
    assert code == 0, err
    assert err == ""  # a short run on a pipe: no progress lines
    found = SUMMARY.match(out)
    assert found, out
    assert int(found[1]) == months
    assert int(found[2].replace(",", "")) == sum(CLI_ARCHIVE.values())
    assert found[4] == str(months + 1)  # one month has two pages
    with Store.open(paths) as store:
        assert store.paper_count() == sum(CLI_ARCHIVE.values())

    code, out, _ = run(capsys, "sync", "--since", "2026-06-01")
    assert code == 0
    found = SUMMARY.match(out)
    assert found, out
    assert found[1] == "1" and found[7] == str(months - 1)  # only the current month

    code, out, _ = run(
        capsys, "sync", "--since", "2026-06-01", "--until", "2026-07-31", "--refresh"
    )
    assert code == 0
    found = SUMMARY.match(out)
    assert found and found[1] == "2" and found[2] == "0" and found[3] == "125"


def test_cli_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str], cli_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["sync", "--since", "2026-06-01"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith("Synced ")
    drawn = terminal.getvalue()
    assert "\n" not in drawn
    assert "\r\x1b[2K[" in drawn and " months · " in drawn
    assert drawn.endswith("\r\x1b[2K")  # wiped before the summary


def test_cli_sync_takes_weeks_and_months(
    capsys: pytest.CaptureFixture[str], cli_hub: FakeHub, paths: Paths
) -> None:
    # As its help says: a day, an ISO week or a month, from the first month to the last.
    code, out, err = run(capsys, "sync", "--since", "2026-W27", "--until", "2026-07")
    assert code == 0, err
    asked = [params for path, params in cli_hub.requests if path == "/api/daily_papers"]
    assert {p.get("month") for p in asked} == {"2026-06", "2026-07"}  # W27 starts on Jun 29
    code, out, err = run(capsys, "sync", "--help")
    assert "YYYY-Www" in out and "WHEN" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("--since", "2026-13-01"),
        ("--since", "hello"),
        ("--until", "2026-W60"),
        ("--since", "2026-07-01", "--until", "2026-06-30"),
        ("--since", "2999-01-01"),
        ("--until", "2023-05-03"),
    ],
)
def test_cli_bad_dates_exit_2(
    capsys: pytest.CaptureFixture[str], cli_hub: FakeHub, argv: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "sync", *argv)
    assert code == 2
    assert out == ""
    assert_one_line(err, "paperreader sync:")
    assert cli_hub.requests == []


def test_cli_network_down_exits_1(capsys: pytest.CaptureFixture[str], cli_hub: FakeHub) -> None:
    cli_hub.stop()
    code, out, err = run(capsys, "sync", "--since", "2026-06-01")
    assert code == 1
    assert out == ""
    assert_one_line(err)
    assert "No network" in err and "run again" in err


def test_cli_refused_months_are_listed(
    capsys: pytest.CaptureFixture[str], cli_hub: FakeHub
) -> None:
    cli_hub.fault_after = 1
    cli_hub.fault = "status:400"
    code, out, err = run(capsys, "sync", "--since", "2026-07-01", "--until", "2026-08-31")
    assert code == 0
    assert out.startswith("Synced 1 month: ") and "1 month refused: 2026-07" in out
    assert_one_line(err)
    assert err.startswith("paperreader: skipped 2026-07: ") and "HTTP 400" in err


def test_cli_ctrl_c_exits_130(
    capsys: pytest.CaptureFixture[str], cli_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = HFClient.daily_papers
    calls = 0

    def interrupted_on_the_third(self: HFClient, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HFClient, "daily_papers", interrupted_on_the_third)
    code, out, err = run(capsys, "sync", "--since", "2026-06-01")
    assert code == 130
    assert out == ""
    assert_one_line(err)
    assert "interrupted: 2 months saved; run again to continue" in err


# A real process, killed ----------------------------------------------------------------------


def past_months(count: int) -> dict[str, int]:
    """``count`` ended months before the current one, 3 papers each."""
    current = Period.month_of(date.today())
    return {current.shift(-n).key: 3 for n in range(1, count + 1)}


def synced_count(paths: Paths) -> int:
    try:
        db = sqlite3.connect(f"file:{paths.cache_db}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        return int(db.execute("SELECT count(*) FROM sync_months").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet
    finally:
        db.close()


def start_sync(since: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "paperreader", "sync", "--since", since],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def wait_for_months(paths: Paths, process: subprocess.Popen[str], count: int) -> None:
    deadline = time.monotonic() + 20
    while synced_count(paths) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sync made no progress"
        time.sleep(0.02)


@pytest.fixture
def slow_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeHub, dict[str, int], str]]:
    spec = past_months(24)
    since = min(spec) + "-01"
    running = FakeHub(month_items(spec), fault="slow:0.1")
    monkeypatch.setenv("HF_ENDPOINT", running.start())
    try:
        yield running, spec, since
    finally:
        running.stop()


def test_a_killed_sync_leaves_a_sound_store_and_resumes(
    capsys: pytest.CaptureFixture[str],
    slow_hub: tuple[FakeHub, dict[str, int], str],
    paths: Paths,
) -> None:
    hub, spec, since = slow_hub
    process = start_sync(since)
    try:
        wait_for_months(paths, process, 3)
    finally:
        process.kill()
        process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL

    with Store.open(paths) as store:
        assert store.notices == []
        synced = store.synced_months()
        assert 3 <= len(synced) < len(spec)
        for key in synced:
            listing = store.listing("month", key)
            assert listing is not None and len(listing.rows) == spec[key]
        assert store.paper_count() >= 3 * len(synced)

    hub.fault = None
    asked = len(hub.requests)
    code, out, err = run(capsys, "sync", "--since", since)
    assert code == 0, err
    assert f"({len(synced)} months already up to date)" in out
    again = set(months_asked(hub, asked))
    assert again.isdisjoint(synced)
    assert again >= set(spec) - synced
    with Store.open(paths) as store:
        assert store.paper_count() == sum(spec.values())
        assert store.synced_months() >= set(spec)


def test_ctrl_c_on_a_real_process(
    slow_hub: tuple[FakeHub, dict[str, int], str], paths: Paths
) -> None:
    _, spec, since = slow_hub
    process = start_sync(since)
    try:
        wait_for_months(paths, process, 2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert out == ""
    assert_one_line(err)
    saved = int(re.search(r"interrupted: (\d+) months? saved; run again to continue", err)[1])  # type: ignore[index]
    with Store.open(paths) as store:
        assert len(store.synced_months()) + 1 == saved >= 3  # and the current month
        assert saved < len(spec)
