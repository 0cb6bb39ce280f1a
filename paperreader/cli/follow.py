"""`watch`, `similar` and `digest`: following what matters (watches, similar papers)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.cli.common import (
    CLIError,
    _library,
    _say_notices,
    _write_atomic,
)
from paperreader.cli.reading import _print_rows
from paperreader.core.periods import Period, PeriodError

if TYPE_CHECKING:
    pass


def _watch(args: argparse.Namespace) -> int:
    from paperreader.core.follow import WatchError

    library = _library(offline=True)
    try:
        action = args.watch_action
        if action == "add":
            try:
                name = library.add_watch(args.name, " ".join(args.query))
            except WatchError as error:
                print(f"paperreader watch add: {error}", file=sys.stderr)
                return 2
            print(f"Watching {name!r}: {' '.join(' '.join(args.query).split())}")
            return 0
        if action == "remove":
            library.remove_watch(args.name)
            print(f"Removed the watch {args.name!r}")
            return 0
        if action == "rename":
            new = library.rename_watch(args.old, args.new)
            print(f"Renamed the watch {args.old!r} to {new!r}")
            return 0
        found = library.watches()
        if args.json:
            items = [
                {
                    "name": w.name,
                    "query": w.query,
                    "total": w.total,
                    "unread": w.unread,
                    "new": w.new,
                    "opened_at": w.opened_at.isoformat() if w.opened_at else None,
                }
                for w in found
            ]
            print(json.dumps(items, indent=2, ensure_ascii=False))
        elif not found:
            print("No watches yet: paperreader watch add NAME QUERY", file=sys.stderr)
        for w in found if not args.json else ():
            print(f"{w.name}\t{w.total} papers, {w.unread} unread, {w.new} new\t{w.query}")
        return 0
    except WatchError as error:
        raise CLIError(str(error)) from None
    finally:
        library.close()


def _similar(paper_id: str, limit: int, *, as_json: bool) -> int:
    from paperreader.core.models import normalize_id

    found = normalize_id(paper_id)
    if found is None:
        print(
            f"paperreader similar: {paper_id!r} is not an arXiv id like 2608.09888", file=sys.stderr
        )
        return 2
    library = _library(offline=True)
    try:
        if library.store.paper(found) is None:
            raise CLIError(f"{found} is not stored (open its listing, or sync, first)")
        rows = library.similar(found, limit)
        return _print_rows(library, rows, "json" if as_json else "lines")
    finally:
        library.close()


def _digest(since_text: str, fmt: str, output: str | None) -> int:
    from paperreader.core.config import load_config
    from paperreader.core.digest import build_digest, remember, render
    from paperreader.core.follow import run_notify, summary_line

    since: date | None = None
    if since_text != "last":
        try:
            since = Period.parse_unit("day", since_text).start
        except PeriodError as error:
            print(f"paperreader digest: --since: {error} (or 'last')", file=sys.stderr)
            return 2
    config = load_config()
    library = _library(offline=True)
    store = library.store
    try:
        _say_notices(store)
        digest = build_digest(store, since)
        text = render(digest, fmt)
        if output is None or output == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            _write_atomic(Path(output), text)
            print(f"Wrote the digest ({fmt}) to {output}", file=sys.stderr)
        remember(store, digest)
        if digest.watch_news and config.notify_command:
            problem = run_notify(config.notify_command, summary_line(digest.watch_news, "digest"))
            if problem:
                print(f"paperreader: {problem}", file=sys.stderr)
    finally:
        library.close()
    return 0
