"""The command line: the app by default, and commands for scripts.

A thin layer: it parses arguments and hands them to the core (through its ``Library``)
or to the app. Exit codes: 0 success, 1 failure, 2 bad arguments; every failure is one
line on stderr, never a traceback. One module per group of commands: ``app`` (the
reader), ``reading`` (list, read, show), ``follow`` (watch, similar, digest), ``data``
(export, backup, import, config), ``sync``; ``common`` holds what they share.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn

from paperreader import __version__
from paperreader.cli.common import CLIError, _positive, _sync_since, _sync_until
from paperreader.core.endpoint import BadEndpoint, endpoint
from paperreader.core.errors import HFError
from paperreader.core.periods import FIRST_DAY, Period, PeriodError
from paperreader.core.store import StoreError

__all__ = ["CLIError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _period_arguments(parser: argparse.ArgumentParser, *, sub: bool = False) -> None:
    # On a subcommand the options default to "not given", so that
    # `paperreader --offline list` and `paperreader list --offline` mean the same.
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--date", metavar="YYYY-MM-DD", help="the listing of one day", **default)
    group.add_argument("--week", metavar="YYYY-Www", help="the listing of an ISO week", **default)
    group.add_argument("--month", metavar="YYYY-MM", help="the listing of a month", **default)
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never use the network: only what is stored",
        **default,
    )


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``with_commands=False``: the reader's options alone (what
    a bare ``paperreader`` needs, built in a fraction of the time)."""
    parser = _Parser(
        prog="paperreader",
        description="A keyboard-driven terminal reader for Hugging Face Daily Papers. "
        "Without a command it opens the reader on the latest day.",
        epilog="Set HF_ENDPOINT to use a mirror of huggingface.co. "
        "Files live where platformdirs puts user data and cache (XDG variables on Linux).",
    )
    parser.add_argument("--version", action="version", version=f"paperreader {__version__}")
    _period_arguments(parser)
    parser.add_argument(
        "--archive", action="store_true", help="open on every stored paper, newest first"
    )
    parser.add_argument(
        "--watch",
        metavar="NAME",
        help="open on a watch's papers, newest first (see `paperreader watch`)",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    from paperreader.core.formats import FORMATS

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    listing = commands.add_parser("list", help="print a listing as lines or JSON")
    _period_arguments(listing, sub=True)
    listing.add_argument(
        "--watch", metavar="NAME", help="the stored papers of a watch, newest first"
    )
    shape = listing.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="a JSON array of the papers")
    shape.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    watching = commands.add_parser(
        "watch",
        help="watches: named searches followed for you",
        description="A watch is a name and a query in the search language (words, "
        '"phrases", author:, org:, has:code, upvotes:>N ...). `watch list` counts the '
        "stored papers of each: all, unread, and new since you last opened it.",
    )
    watch_actions = watching.add_subparsers(
        dest="watch_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    watch_add = watch_actions.add_parser("add", help="add a watch: NAME QUERY")
    watch_add.add_argument("name", metavar="NAME")
    watch_add.add_argument("query", metavar="QUERY", nargs="+", help="the search (quote it)")
    watch_list = watch_actions.add_parser("list", help="every watch with its counts")
    watch_list.add_argument("--json", action="store_true", help="as a JSON array")
    watch_remove = watch_actions.add_parser("remove", help="delete a watch")
    watch_remove.add_argument("name", metavar="NAME")
    watch_rename = watch_actions.add_parser("rename", help="rename a watch: OLD NEW")
    watch_rename.add_argument("old", metavar="OLD")
    watch_rename.add_argument("new", metavar="NEW")

    similar = commands.add_parser(
        "similar",
        help="the stored papers closest in text to one paper",
        description="The stored papers closest to a paper in title, abstract and AI "
        "keywords (never the paper itself); offline.",
    )
    similar.add_argument("paper_id", metavar="ID", help="an arXiv id like 2608.09888")
    similar.add_argument("--limit", type=_positive, default=10, help="how many (default: 10)")
    similar.add_argument("--json", action="store_true", help="a JSON array of the papers")

    digesting = commands.add_parser(
        "digest",
        help="per day the top papers, per watch its new papers",
        description="A digest of the stored papers: per day the top papers, per watch its "
        "new papers, with links. Run `paperreader sync --since ...` first (e.g. from cron).",
    )
    digesting.add_argument(
        "--since",
        metavar="DATE|last",
        default="last",
        help="from this listing day (YYYY-MM-DD), or 'last': on from the previous digest "
        "(the default; the first covers 7 days)",
    )
    digesting.add_argument(
        "--format",
        choices=("markdown", "html", "json"),
        default="markdown",
        help="default: markdown",
    )
    digesting.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")

    exporting = commands.add_parser("export", help="export the bookmarks")
    exporting.add_argument("--format", choices=FORMATS, default="json", help="default: json")
    exporting.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")

    syncing = commands.add_parser(
        "sync",
        help="fetch the whole archive (or a range of it) for reading offline",
        description="Fetch every month listing from --since to --until into the store, "
        "politely and resumably: months already synced are skipped, the current month is "
        "fetched again. Ctrl-C stops at once; run it again to continue.",
    )
    syncing.add_argument(
        "--since",
        metavar="WHEN",
        type=_sync_since,
        help="from the month of this day (YYYY-MM-DD), week (YYYY-Www) or month (YYYY-MM) "
        f"(default: {FIRST_DAY}, the first listing)",
    )
    syncing.add_argument(
        "--until",
        metavar="WHEN",
        type=_sync_until,
        help="to the month of this day, week or month (default: today)",
    )
    syncing.add_argument(
        "--refresh", action="store_true", help="fetch again months that were synced before"
    )
    syncing.add_argument(
        "--full-text",
        action="store_true",
        help="instead: fetch the full texts of your bookmarked papers (for reading offline)",
    )

    reading = commands.add_parser(
        "read",
        help="print a paper's full text (Markdown) to stdout",
        description="Print the whole paper as Markdown (for less, glow or an LLM command): "
        "the stored copy, else Hugging Face's (then stored for offline reading).",
    )
    reading.add_argument("paper_id", metavar="ID", help="an arXiv id, like 2608.09888")
    reading.add_argument(
        "--offline", action="store_true", help="only the stored copy", default=argparse.SUPPRESS
    )

    showing = commands.add_parser(
        "show",
        help="print everything known about a paper: fields, links, linked repositories, comments",
    )
    showing.add_argument("paper_id", metavar="ID", help="an arXiv id, like 2608.09888")
    showing.add_argument("--json", action="store_true", help="one JSON object")
    showing.add_argument(
        "--offline", action="store_true", help="only what is stored", default=argparse.SUPPRESS
    )

    backing_up = commands.add_parser(
        "backup",
        help="write your bookmarks, read marks, notes and tags as JSON",
        description="Write everything you made (bookmarks, read marks, notes, tags) as one "
        "JSON file, to keep or to move to another machine with `paperreader import`.",
    )
    backing_up.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")

    importing = commands.add_parser(
        "import",
        help="merge a backup (or an `export --format json` file) into your data",
        description="Merge a file written by `paperreader backup` or by `paperreader export "
        "--format json` into your bookmarks, read marks, notes and tags. Nothing is deleted "
        "or overwritten, and importing the same file twice changes nothing the second time.",
    )
    importing.add_argument("file", metavar="FILE", help="the file to import (- for stdin)")

    configuring = commands.add_parser(
        "config",
        help="the settings file: where it is, write one, check one",
        description="Settings live in a TOML file where platformdirs puts user configuration "
        "(XDG_CONFIG_HOME on Linux).",
    )
    config_actions = configuring.add_subparsers(
        dest="config_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    config_actions.add_parser("path", help="print where the settings file is")
    config_init = config_actions.add_parser(
        "init", help="write a settings file with every default, commented out"
    )
    config_init.add_argument("--force", action="store_true", help="overwrite an existing file")
    config_actions.add_parser("check", help="report every problem in the settings file")
    return parser


def _period(args: argparse.Namespace) -> Period | None:
    """The listing asked for, if any: one Daily Papers can have (else PeriodError)."""
    for unit, value in (("day", args.date), ("week", args.week), ("month", args.month)):
        if value:
            return Period.parse_in_range(value, date.today(), unit)  # type: ignore[arg-type]
    return None


def _parse(argv: Sequence[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """The arguments. The reader's start (no command) is parsed without building the
    commands' parsers; anything else it does not know (a command, --help, a typo) goes
    to the whole parser, which also words every error."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not any(word in ("-h", "--help") for word in words):
        reader = build_parser(with_commands=False)
        known, rest = reader.parse_known_args(words)
        if not rest:
            return reader, known
    parser = build_parser()
    return parser, parser.parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    parser, args = _parse(argv)
    if args.command is not None:
        gc.enable()  # (the launcher paused it for the reader's start: see launch.py)
    try:
        period = _period(args)
    except PeriodError as error:
        parser.error(str(error))
    try:
        endpoint()  # HF_ENDPOINT, checked before anything is opened
    except BadEndpoint as error:
        print(f"paperreader: {error}", file=sys.stderr)
        return 2
    try:
        if args.command == "sync":
            if args.offline:
                print(
                    "paperreader sync: --offline means no network, and sync downloads: "
                    "drop --offline to sync",
                    file=sys.stderr,
                )
                return 2
            if args.full_text:
                from paperreader.cli.sync import _sync_full_texts

                return _sync_full_texts()
            from paperreader.cli.sync import _sync

            return _sync(args.since, args.until, refresh=args.refresh)
        if args.command == "read":
            from paperreader.cli.reading import _read

            return _read(args.paper_id, offline=args.offline)
        if args.command == "show":
            from paperreader.cli.reading import _show

            return _show(args.paper_id, offline=args.offline, as_json=args.json)
        if args.command == "list":
            shape = "json" if args.json else "jsonl" if args.jsonl else "lines"
            if args.watch is not None and period is not None:
                parser.error("--watch lists a watch's papers: leave out --date/--week/--month")
            from paperreader.cli.reading import _list

            return _list(period, offline=args.offline, shape=shape, watch=args.watch)
        if args.command == "watch":
            from paperreader.cli.follow import _watch

            return _watch(args)
        if args.command == "similar":
            from paperreader.cli.follow import _similar

            return _similar(args.paper_id, args.limit, as_json=args.json)
        if args.command == "digest":
            from paperreader.cli.follow import _digest

            return _digest(args.since, args.format, args.output)
        if args.command == "export":
            from paperreader.cli.data import _export

            return _export(args.format, args.output)
        if args.command == "backup":
            from paperreader.cli.data import _backup

            return _backup(args.output)
        if args.command == "import":
            from paperreader.cli.data import _import

            return _import(args.file)
        if args.command == "config":
            from paperreader.cli.data import _config

            return _config(args.config_action, force=getattr(args, "force", False))
        from paperreader.cli.app import _run_app

        if args.watch is not None and (period is not None or args.archive):
            parser.error("--watch opens a watch: leave out --date/--week/--month/--archive")
        return _run_app(period, offline=args.offline, archive=args.archive, watch=args.watch)
    except (CLIError, HFError, StoreError) as error:
        print(f"paperreader: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `paperreader list | head`: the reader left, that is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
