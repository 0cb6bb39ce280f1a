"""`sync`: the whole archive (or its full texts) into the store, with progress."""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import date
from typing import TYPE_CHECKING, TextIO

from paperreader.cli.common import (
    CLIError,
    _client,
    _close,
    _library,
)
from paperreader.cli.reading import _page_library
from paperreader.core.periods import FIRST_DAY
from paperreader.core.wording import plural

if TYPE_CHECKING:
    from paperreader.core.sync import SyncProgress


class _ProgressLine:
    """Progress on stderr: one line redrawn in place on a terminal, else a line now and then."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = 0.1 if self.tty else 10.0
        # Not on a terminal the first line waits an interval: a short run prints none.
        self.last: float | None = None if self.tty else time.monotonic()
        self.drawn = False

    def show(self, progress: SyncProgress) -> None:
        now = time.monotonic()
        finished = progress.months_done == progress.months_total and progress.waiting is None
        if self.last is not None and now - self.last < self.interval and not finished:
            return
        if finished and not self.tty:
            return  # the summary says it all
        self.last = now
        from paperreader.core.sync import format_progress

        text = format_progress(progress)
        if self.tty:
            try:
                columns = os.get_terminal_size(self.stream.fileno()).columns
            except (OSError, ValueError):  # not a real terminal (a test, a pipe)
                columns = 0
            columns = columns or shutil.get_terminal_size().columns  # $COLUMNS, else 80
            width = max(columns - 1, 20)  # never wrap: "\r" only returns within a line
            self.stream.write("\r\x1b[2K" + text[:width])
            self.drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False


def _sync(since: date | None, until: date | None, *, refresh: bool) -> int:
    today = date.today()
    first = max(since or FIRST_DAY, FIRST_DAY)
    last = min(until or today, today)
    if first > last:
        if since is not None and since > today:
            why = f"--since {since} is in the future"
        elif until is not None and until < FIRST_DAY:
            why = f"--until {until} is before the first listing ({FIRST_DAY})"
        else:
            why = f"--since {since} is after --until {until}"
        print(f"paperreader sync: {why} (see paperreader sync --help)", file=sys.stderr)
        return 2
    from paperreader.core.sync import (
        SyncError,
        SyncInterrupted,
        format_summary,
        sync_archive,
    )

    client = _client()
    try:
        library = _library(offline=True)  # the sync brings its own client
        store = library.store
        progress = _ProgressLine(sys.stderr)
        try:
            result = sync_archive(
                store, client, since=first, until=last, refresh=refresh, on_progress=progress.show
            )
        except SyncInterrupted as stop:
            progress.clear()
            saved = stop.result.months_fetched
            print(
                f"paperreader: interrupted: {plural(saved, 'month')} saved; run again to continue",
                file=sys.stderr,
            )
            return 130
        except SyncError as error:
            progress.clear()
            saved = error.result.months_fetched
            print(
                f"paperreader: sync stopped: {error} ({plural(saved, 'month')} "
                "saved; run again to continue)",
                file=sys.stderr,
            )
            return 1
        finally:
            progress.clear()
            library.close()
    finally:
        client.close()
    for failure in result.months_failed:
        print(f"paperreader: skipped {failure}", file=sys.stderr)
    print(format_summary(result))
    _announce()
    return 0


def _announce() -> None:
    """After a sync: run ``notify_command`` if watches have new papers (see core.follow)."""
    from paperreader.core.config import load_config

    command = load_config().notify_command
    if not command:
        return
    from paperreader.core.follow import announce

    library = _library(offline=True)
    try:
        line, problem = announce(library.store, command)
    finally:
        library.close()
    if line:
        print(line)
    if problem:
        print(f"paperreader: {problem}", file=sys.stderr)


def _sync_full_texts() -> int:
    from paperreader.core.errors import NetworkError, RateLimited

    library = _page_library(offline=False)
    stream = sys.stderr
    tty = stream.isatty()

    def progress(done: int, total: int, paper_id: str, outcome: str) -> None:
        text = f"full texts: {done}/{total} ({paper_id}: {outcome})"
        if tty:
            stream.write("\r\x1b[2K" + text[: max(shutil.get_terminal_size().columns - 1, 20)])
        elif done == total or done % 10 == 0:
            stream.write(text + "\n")
        stream.flush()

    try:
        try:
            counts = library.fetch_full_texts(on_progress=progress)
        except (NetworkError, RateLimited) as error:
            if tty:
                stream.write("\r\x1b[2K")
            raise CLIError(f"sync stopped: {error} (run again to continue)") from None
        finally:
            if tty:
                stream.write("\r\x1b[2K")
                stream.flush()
    finally:
        _close(library)
    print(
        f"Full texts of bookmarks: {counts['stored']} fetched, {counts['already']} already "
        f"stored, {counts['missing']} not on Hugging Face, {counts['failed']} failed"
    )
    return 0
