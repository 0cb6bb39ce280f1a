"""Fetch the whole Daily Papers archive (or a range of it) into the store, month by month.

Used by ``paperreader sync`` and, in a background worker, by the app; no UI here. A run
is polite and resumable:

* one request at a time, through an ``HFClient`` that follows the ``RateLimit`` header;
  when the client gives up on a long rate-limit wait the sync waits it out itself (in
  one-second slices, so that ``should_stop`` is honoured) and fetches the month again;
* each month is saved in its own transaction as soon as it is fetched, and a month that
  has ended is recorded as synced, so a second run (after Ctrl-C, a kill or a dropped
  connection) skips it; the current month is always fetched again;
* a month the server refuses (HTTP 400/404, e.g. one past the newest published day) is
  reported and skipped; any other failure stops the run with ``SyncError``, keeping
  everything saved before it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from paperreader.core.client import (
    DAILY_LIMIT_MAX,
    BadRequest,
    HFClient,
    HFError,
    NotFound,
    RateLimited,
)
from paperreader.core.models import Paper
from paperreader.core.periods import FIRST_DAY, Period
from paperreader.core.store import Store

#: The store's listing unit for a month (``save_listing("month", "2026-08", ...)``).
MONTH_UNIT = "month"
#: How long to wait when a 429 says nothing about when to come back.
DEFAULT_RATE_WAIT = 60.0
#: The longest single rate-limit wait the sync accepts; longer answers are capped to it.
MAX_RATE_WAIT = 15 * 60.0
#: Rate-limit waits in a row for one month before the run gives up.
MAX_RATE_WAITS = 5
#: How long the pages of a month a stopped sync fetched are used by the next run.
PAGES_KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a sync is: passed to ``on_progress`` after every month, page and wait."""

    months_done: int  # fetched, skipped (already synced) or failed
    months_total: int
    papers_new: int
    papers_updated: int
    requests: int
    elapsed: float  # seconds
    eta: float | None  # seconds left, None until there is something to go by
    current: str | None  # the month being fetched, e.g. "2024-03"
    waiting: str | None  # e.g. "rate limited: waiting 12 s"


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a sync did (also carried by ``SyncError`` and ``SyncInterrupted``)."""

    months_fetched: int
    months_skipped: int  # already synced, not fetched again
    months_failed: tuple[str, ...]  # "2026-09: <reason>", refused by the server and skipped
    papers_new: int
    papers_updated: int
    requests: int
    elapsed: float
    interrupted: bool


class SyncError(HFError):
    """The run stopped on a failure (network, server, ...); what was saved stays saved.

    ``str()`` is the client's one-line message; ``error`` is the client's exception and
    ``result`` what the run had done by then.
    """

    def __init__(self, error: HFError, result: SyncResult) -> None:
        super().__init__(str(error))
        self.error = error
        self.result = result


class SyncInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sync: still a ``KeyboardInterrupt``, with what was done by then."""

    def __init__(self, result: SyncResult) -> None:
        super().__init__("interrupted")
        self.result = result


class _Stopped(Exception):
    """Raised from the client's hooks to abandon a request or wait when asked to stop."""


def months_between(since: date, until: date) -> list[Period]:
    """The month periods covering ``since``..``until`` (whole months), newest first."""
    if since > until:
        return []
    first, month = Period.month_of(since), Period.month_of(until)
    months = []
    while month.start >= first.start:
        months.append(month)
        month = month.shift(-1)
    return months


def sync_archive(
    store: Store,
    client: HFClient,
    *,
    since: date = FIRST_DAY,
    until: date | None = None,
    refresh: bool = False,
    on_progress: Callable[[SyncProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    today: Callable[[], date] = date.today,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> SyncResult:
    """Fetch every month listing from ``since`` to ``until`` (default: today) into ``store``.

    Months are fetched whole, newest first. ``since`` before the first listing day and
    ``until`` after today are clamped. Months that ended and were synced before are
    skipped unless ``refresh``. ``should_stop`` is checked between months, pages and
    seconds of waiting; when it says stop the result has ``interrupted=True``. Raises
    ``SyncError`` when the network or the server fails, ``SyncInterrupted`` on Ctrl-C,
    and ``StoreError`` if the store cannot be written; each keeps what was committed.
    """
    run = _Run(store, client, on_progress, should_stop, sleep, clock)
    return run.sync(since=max(since, FIRST_DAY), until=until, refresh=refresh, today=today())


# Formatting, shared by the command line and the app's status line -----------------------


def format_duration(seconds: float) -> str:
    """``12s``, ``3m02s``, ``1h04m``."""
    total = max(round(seconds), 0)
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m{total % 60:02d}s"
    return f"{total // 3600}h{total % 3600 // 60:02d}m"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def format_progress(progress: SyncProgress, *, bar_width: int = 10) -> str:
    """``[#####.....] 12/40 months · 4,210 new · 310 requests · 2024-03 · ETA 1m20s``."""
    total = progress.months_total
    filled = bar_width if total == 0 else bar_width * progress.months_done // total
    parts = [
        f"[{'#' * filled}{'.' * (bar_width - filled)}] {progress.months_done}/{total} months",
        f"{progress.papers_new:,} new",
        _plural(progress.requests, "request"),
    ]
    if progress.current:
        parts.append(progress.current)
    if progress.waiting:
        parts.append(progress.waiting)
    elif progress.eta is not None:
        parts.append(f"ETA {format_duration(progress.eta)}")
    return " · ".join(parts)


def format_summary(result: SyncResult) -> str:
    """``Synced 40 months: 12,345 new, 67 updated papers; 412 requests in 3m02s (...)``."""
    text = (
        f"Synced {_plural(result.months_fetched, 'month')}: {result.papers_new:,} new, "
        f"{result.papers_updated:,} updated papers; {_plural(result.requests, 'request')} "
        f"in {format_duration(result.elapsed)}"
    )
    notes = []
    if result.months_skipped:
        notes.append(f"{_plural(result.months_skipped, 'month')} already up to date")
    if result.months_failed:
        keys = ", ".join(failure.split(":", 1)[0] for failure in result.months_failed)
        notes.append(f"{_plural(len(result.months_failed), 'month')} refused: {keys}")
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


# The run ---------------------------------------------------------------------------------


class _Run:
    """The state of one sync: counters, progress reports and the client's hooks."""

    def __init__(
        self,
        store: Store,
        client: HFClient,
        on_progress: Callable[[SyncProgress], None] | None,
        should_stop: Callable[[], bool] | None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self.client = client
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.sleep = sleep
        self.clock = clock
        self.started = clock()
        self.requests_before = client.requests_made
        self.months_total = 0
        self.to_fetch = 0  # months planned to be fetched (not skipped)
        self.fetched = 0
        self.skipped = 0
        self.failed: list[str] = []
        self.papers_new = 0
        self.papers_updated = 0
        self.current: str | None = None
        self.interrupted = False

    # Reporting -------------------------------------------------------------------------
    @property
    def requests(self) -> int:
        return self.client.requests_made - self.requests_before

    def result(self) -> SyncResult:
        return SyncResult(
            months_fetched=self.fetched,
            months_skipped=self.skipped,
            months_failed=tuple(self.failed),
            papers_new=self.papers_new,
            papers_updated=self.papers_updated,
            requests=self.requests,
            elapsed=self.clock() - self.started,
            interrupted=self.interrupted,
        )

    def report(self, waiting: str | None = None) -> None:
        if self.on_progress is None:
            return
        elapsed = self.clock() - self.started
        attempted = self.fetched + len(self.failed)
        left = self.to_fetch - attempted
        eta: float | None
        if left <= 0:
            eta = 0.0
        elif attempted == 0:
            eta = None
        else:
            eta = elapsed / attempted * left
        self.on_progress(
            SyncProgress(
                months_done=self.fetched + self.skipped + len(self.failed),
                months_total=self.months_total,
                papers_new=self.papers_new,
                papers_updated=self.papers_updated,
                requests=self.requests,
                elapsed=elapsed,
                eta=eta,
                current=self.current,
                waiting=waiting,
            )
        )

    # Stopping --------------------------------------------------------------------------
    def stop_asked(self) -> bool:
        return self.should_stop is not None and self.should_stop()

    def check_stop(self) -> None:
        if self.stop_asked():
            raise _Stopped

    # The months ------------------------------------------------------------------------
    def sync(self, *, since: date, until: date | None, refresh: bool, today: date) -> SyncResult:
        last = min(until or today, today)
        months = months_between(since, last)
        synced = set() if refresh else self.store.synced_months()
        plan = [(month, month.key in synced and month.end < today) for month in months]
        self.months_total = len(plan)
        self.to_fetch = sum(1 for _, skip in plan if not skip)

        # The client's hooks report waits and pages and stop it when asked; they are
        # chained to whatever the client had and restored afterwards, and leave alone
        # requests other threads may make through the same client.
        previous_wait, previous_response = self.client.on_wait, self.client.on_response
        thread = threading.get_ident()

        def on_wait(seconds: float, reason: str) -> None:
            if previous_wait is not None:
                previous_wait(seconds, reason)
            if threading.get_ident() == thread:
                self.check_stop()
                self.report(f"{reason}: waiting {max(math.ceil(seconds), 1)} s")

        def on_response(status: int) -> None:
            if previous_response is not None:
                previous_response(status)
            if threading.get_ident() == thread:
                self.report()
                self.check_stop()

        self.client.on_wait, self.client.on_response = on_wait, on_response
        try:
            self.report()
            for month, skip in plan:
                if skip:
                    self.skipped += 1
                    self.report()
                    continue
                if self.stop_asked():
                    self.interrupted = True
                    break
                self.current = month.key
                try:
                    self.sync_month(month, today)
                except _Stopped:
                    self.interrupted = True
                    break
                finally:
                    self.current = None
                self.report()
        except KeyboardInterrupt:
            self.interrupted = True
            raise SyncInterrupted(self.result()) from None
        except HFError as error:
            raise SyncError(error, self.result()) from error
        finally:
            self.client.on_wait, self.client.on_response = previous_wait, previous_response
        return self.result()

    # One month -------------------------------------------------------------------------
    def sync_month(self, month: Period, today: date) -> None:
        # The pages a stopped run saved (within a day: an older part is fetched again).
        recent = datetime.now(UTC) - PAGES_KEPT_FOR
        done, earlier = self.store.month_pages(month.key, DAILY_LIMIT_MAX, newer_than=recent)
        try:
            papers = self.fetch(month, done)
        except (BadRequest, NotFound) as error:
            self.failed.append(f"{month.key}: {error}")
            return
        if earlier:
            fetched = {p.id for p in papers}
            stored = [self.store.paper(paper_id) for paper_id in earlier]
            before = [p for p in stored if p is not None and p.id not in fetched]
            papers = before + papers
        self.store.save_listing(MONTH_UNIT, month.key, papers)
        if month.end < today:
            self.store.mark_month_synced(month.key, len(papers))
        self.store.forget_month_pages(month.key)
        self.fetched += 1

    def save_page(self, month: Period, page: int, papers: tuple[Paper, ...]) -> None:
        """Each page as it comes: saved with the month's progress, counted."""
        new = self.store.save_month_page(month.key, DAILY_LIMIT_MAX, page, papers)
        self.papers_new += new
        self.papers_updated += len(papers) - new

    def fetch(self, month: Period, first_page: int = 0) -> list[Paper]:
        """Every page of the month from ``first_page`` on (each saved as it comes); waits
        out rate limits the client would not wait for."""
        waits = 0
        pages: dict[int, tuple[Paper, ...]] = {}

        def on_page(page: int, papers: tuple[Paper, ...]) -> None:
            pages[page] = papers
            self.save_page(month, page, papers)

        while True:
            try:
                self.client.daily_papers(
                    month,
                    sort="publishedAt",
                    limit=DAILY_LIMIT_MAX,
                    first_page=first_page,
                    on_page=on_page,
                )
            except RateLimited as error:
                # Go on after the pages saved so far (each is in the store already).
                first_page = max(pages, default=first_page - 1) + 1
                waits += 1
                if waits > MAX_RATE_WAITS:
                    raise
                asked = error.retry_after if error.retry_after is not None else DEFAULT_RATE_WAIT
                # One second more than asked: the server's reset time is rounded.
                self.wait(min(asked, MAX_RATE_WAIT) + 1.0, "rate limited")
                continue
            return [paper for page in sorted(pages) for paper in pages[page]]

    def wait(self, seconds: float, reason: str) -> None:
        """Sleep in slices of at most a second, reporting the time left and heeding stops."""
        left = seconds
        while left > 0:
            self.check_stop()
            self.report(f"{reason}: waiting {max(math.ceil(left), 1)} s")
            step = min(1.0, left)
            self.sleep(step)
            left -= step
