"""What every command shares: the one-line error, opening the library, writing files,
and the argument types."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.core.files import write_atomic
from paperreader.core.library import Library
from paperreader.core.periods import Period, PeriodError
from paperreader.core.store import Store

if TYPE_CHECKING:
    from paperreader.core.client import HFClient


class CLIError(Exception):
    """A failure to report in one line, with exit code 1."""


def _client() -> HFClient:
    """The API client, imported on first use: httpx costs start-up time."""
    from paperreader.core.client import HFClient

    return HFClient()


def _library(offline: bool) -> Library:
    return Library(Store.open(), connect=None if offline else _client)


def _close(library: Library) -> None:
    library.close()


def _say_notices(store: Store) -> None:
    """What the store has to say (a file set aside, a full disk...), on stderr."""
    for notice in store.notices:
        print(f"paperreader: {notice}", file=sys.stderr)


def _write_atomic(path: Path, text: str) -> None:
    """Write atomically (see ``write_atomic``); a failure is one line, exit code 1."""
    try:
        write_atomic(path, text)
    except OSError as error:
        raise CLIError(f"cannot write {path}: {error.strerror or error}") from None


def _positive(text: str) -> int:
    """An argparse type: a whole number from 1 (a bad one exits 2 with one line)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{value} is not from 1 to 1000")
    return value


def _sync_since(text: str) -> date:
    """An argparse type: a day, ISO week or month, as its first day (a bad one exits 2
    with one line)."""
    try:
        return Period.parse(text).start
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _sync_until(text: str) -> date:
    """An argparse type: a day, ISO week or month, as its last day."""
    try:
        return Period.parse(text).end
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
