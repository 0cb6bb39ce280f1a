"""The command line: the app by default, and ``list`` / ``export`` for scripts.

A thin layer: it parses arguments, opens the store and the client, and hands them to the
core or to the app. Exit codes: 0 success, 1 failure, 2 bad arguments; every failure is
one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from paperreader import __version__
from paperreader.core.endpoint import BadEndpoint, endpoint
from paperreader.core.errors import HFError
from paperreader.core.files import write_atomic
from paperreader.core.formats import FORMATS
from paperreader.core.library import Library, Source
from paperreader.core.periods import FIRST_DAY, Period, PeriodError
from paperreader.core.store import Row, Store, StoreError

if TYPE_CHECKING:
    from paperreader.core.client import HFClient
    from paperreader.core.sync import SyncProgress


class CLIError(Exception):
    """A failure to report in one line, with exit code 1."""


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


def build_parser() -> argparse.ArgumentParser:
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
    for kind, value in (("day", args.date), ("week", args.week), ("month", args.month)):
        if value:
            return Period.parse_in_range(value, date.today(), kind)  # type: ignore[arg-type]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
                return _sync_full_texts()
            return _sync(args.since, args.until, refresh=args.refresh)
        if args.command == "read":
            return _read(args.paper_id, offline=args.offline)
        if args.command == "show":
            return _show(args.paper_id, offline=args.offline, as_json=args.json)
        if args.command == "list":
            shape = "json" if args.json else "jsonl" if args.jsonl else "lines"
            if args.watch is not None and period is not None:
                parser.error("--watch lists a watch's papers: leave out --date/--week/--month")
            return _list(period, offline=args.offline, shape=shape, watch=args.watch)
        if args.command == "watch":
            return _watch(args)
        if args.command == "similar":
            return _similar(args.paper_id, args.limit, as_json=args.json)
        if args.command == "digest":
            return _digest(args.since, args.format, args.output)
        if args.command == "export":
            return _export(args.format, args.output)
        if args.command == "backup":
            return _backup(args.output)
        if args.command == "import":
            return _import(args.file)
        if args.command == "config":
            return _config(args.config_action, force=getattr(args, "force", False))
        return _run_app(period, offline=args.offline, archive=args.archive)
    except (CLIError, HFError, StoreError) as error:
        print(f"paperreader: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `paperreader list | head`: the reader left, that is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _client() -> HFClient:
    """The API client, imported on first use: httpx costs start-up time."""
    from paperreader.core.client import HFClient

    return HFClient()


def _library(offline: bool) -> Library:
    return Library(Store.open(), connect=None if offline else _client)


def _close(library: Library) -> None:
    library.close()


# read and show -------------------------------------------------------------------------


def _paper_id(text: str) -> str:
    from paperreader.core.models import normalize_id

    paper_id = normalize_id(text)
    if paper_id is None:
        shown = "".join(c for c in text if c.isprintable())[:40]
        raise CLIError(f"{shown!r} is not an arXiv id (expected e.g. 2608.09888)")
    return paper_id


def _page_library(offline: bool) -> Library:
    """A library with the configured size limit of stored full texts."""
    from paperreader.core.config import load_config

    library = _library(offline)
    library.full_text_limit = load_config().full_text_cache_mb * 1024 * 1024
    return library


def _read(text: str, *, offline: bool) -> int:
    paper_id = _paper_id(text)
    library = _page_library(offline)
    try:
        answer = library.full_text(paper_id, network=not offline)
    finally:
        _close(library)
    if answer.value is None:
        if offline and not answer.missing:
            raise CLIError(
                f"no stored full text for {paper_id} (run without --offline to fetch it; "
                f"or read it on arXiv: https://arxiv.org/abs/{paper_id})"
            )
        raise CLIError(answer.problem)
    if answer.problem:
        print(f"paperreader: {answer.problem}; printing the stored copy", file=sys.stderr)
    sys.stdout.write(answer.value if answer.value.endswith("\n") else answer.value + "\n")
    return 0


def _show(text: str, *, offline: bool, as_json: bool) -> int:
    from paperreader.core.paperpage import threaded

    paper_id = _paper_id(text)
    library = _page_library(offline)
    try:
        details = _final(library.paper_details(paper_id, network=not offline))
        comments = _final(library.comments(paper_id, network=not offline))
        paper = library.paper(paper_id) or (details.value.paper if details.value else None)
        stored = library.store.has_full_text(paper_id)
        state = library.export_entries([paper_id]) if paper is not None else []
    finally:
        _close(library)
    if paper is None:
        why = "; ".join(p for p in {details.problem, comments.problem} if p)
        raise CLIError(f"nothing known about {paper_id}" + (f" ({why})" if why else ""))
    problems = [
        f"{what}: {answer.problem}"
        for what, answer in (("linked repositories", details), ("comments", comments))
        if answer.problem
    ]
    for problem in problems:
        print(f"paperreader: {problem}", file=sys.stderr)
    repos = details.value
    thread = threaded(comments.value or ())
    if as_json:
        from paperreader.core.export import export

        data = json.loads(export(state, "json"))[0] if state else paper.to_dict()
        data["links"] = [
            {"label": link.label, "url": link.url, "safe": link.safe} for link in paper.links
        ]
        data["linked"] = repos.to_dict() if repos is not None else None
        data["comments_list"] = (
            [{**c.to_dict(), "depth": depth} for depth, c in thread]
            if comments.value is not None
            else None
        )
        data["full_text_stored"] = stored
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    _print_paper(paper, repos, thread, comments.value is not None, stored)
    return 0


def _final(answers: Any) -> Any:
    last = None
    for last in answers:  # noqa: B007
        pass
    return last


def _print_paper(
    paper: Any, repos: Any, thread: list[Any], have_comments: bool, stored: bool
) -> None:
    from paperreader.core.paperpage import REPO_KINDS

    lines = [paper.title, ""]
    fields = [
        ("id", paper.id),
        ("authors", ", ".join(paper.authors)),
        ("listed", paper.listing_day.isoformat() if paper.listing_day else ""),
        ("published", paper.published.isoformat() if paper.published else ""),
        ("upvotes", str(paper.upvotes)),
        ("comments", "" if paper.comments is None else str(paper.comments)),
        ("organization", paper.organization or ""),
        ("full text", "stored" if stored else "not stored (paperreader read ID fetches it)"),
    ]
    lines += [f"{name:<13}{value}" for name, value in fields if value]
    lines += ["", "Abstract", paper.summary or "(none)", "", "Links"]
    lines += [
        f"  {link.label:<13}{link.url}" + ("" if link.safe else "  (unsafe)")
        for link in paper.links
    ]
    lines.append("")
    if repos is None:
        lines.append("Linked repositories: unknown (not stored)")
    else:
        lines.append(f"Linked repositories: {repos.summary()}")
        for kind in REPO_KINDS:
            for repo in repos.repos(kind):
                tag = f" · {repo.tag}" if repo.tag else ""
                lines.append(f"  {kind:<8} ♥ {repo.likes:<6,} {repo.url}{tag}")
    lines.append("")
    if not have_comments:
        lines.append("Comments: unknown (not stored)")
    else:
        lines.append(f"Comments: {len(thread)}")
        for depth, comment in thread:
            indent = "  " * (depth + 1)
            when = comment.created.strftime("%Y-%m-%d %H:%M") if comment.created else ""
            who = comment.author + (f" (@{comment.handle})" if comment.handle else "")
            lines.append(f"{indent}{who} · {when}" + (" · hidden" if comment.hidden else ""))
            for line in (comment.text or "").splitlines():
                lines.append(f"{indent}  {line}")
    print("\n".join(lines))


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


def _run_app(period: Period | None, *, offline: bool, archive: bool = False) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the full-screen reader cannot read keys or draw (and would
        # spin); scripts want `list` or `export`.
        raise CLIError(
            "the reader needs a terminal (stdin and stdout); "
            "for scripts use `paperreader list` or `paperreader export`"
        )
    # No garbage collection while starting: importing Textual and building the first
    # screen allocate a lot and nothing cyclic worth collecting, and full collections in
    # the middle took 20-40 ms. The app turns the collector back on after its first frame.
    gc.disable()
    try:
        return _start_app(period, offline=offline, archive=archive)
    finally:
        gc.enable()


def _start_app(period: Period | None, *, offline: bool, archive: bool) -> int:
    from paperreader.core.config import load_config
    from paperreader.core.settings import chosen_settings, configured, start_source
    from paperreader.ui.app import PaperReaderApp  # the UI only when needed

    config = load_config()
    library = _library(offline)
    try:
        view = "archive" if archive else "listing"
        # Read before the app starts, so that its first frame already shows the papers:
        # the user's data, and the first screen of the view the settings open on (by
        # the app's own rule). (Not on a thread beside the imports: the two fight over
        # the GIL and the first frame came 20 ms later.)
        try:
            state = library.user_state()
            from_config = configured(config.theme, config.default_listing, config.default_sort)
            chosen = chosen_settings(from_config, state.settings, restore=True)
            source = start_source(period, view, chosen["period_kind"])
            state = state._replace(first=library.first_screen(source))
        except StoreError:
            state = None  # the app reads it again and shows the error in its window
        PaperReaderApp(library, period, view=view, config=config, user_state=state).run()
    finally:
        _close(library)
    return 0


def _list(period: Period | None, *, offline: bool, shape: str, watch: str | None = None) -> int:
    library = _library(offline)
    try:
        # The load policy the app uses: the store's answer, then the network's.
        source = Source("watch", key=watch) if watch is not None else Source(period=period)
        loaded = library.load_final(source)
        if watch is not None and loaded.origin == "none":
            raise CLIError(loaded.problem)
        if loaded.origin in ("none", "sample"):
            # (The app shows the bundled sample then; a script gets no made-up listing.)
            raise CLIError(f"nothing stored for that listing, and {loaded.problem}")
        if loaded.problem and loaded.origin == "cache":
            print(f"paperreader: {loaded.problem}; showing the stored copy", file=sys.stderr)
        elif loaded.problem:
            print(f"paperreader: {loaded.problem}", file=sys.stderr)
        return _print_rows(library, loaded.rows, shape)
    finally:
        _close(library)


def _print_rows(library: Library, rows: Sequence[Row], shape: str) -> int:
    """Rows as lines (``● ★ ▲ 12  id  title``), a JSON array or JSON lines."""
    if shape == "lines":
        read, marks = library.store.read_ids(), library.store.bookmark_ids()
        for row in rows:
            flags = ("●" if row.id not in read else " ") + ("★" if row.id in marks else " ")
            gone = "  [withdrawn]" if row.withdrawn else ""
            print(f"{flags} ▲{row.upvotes:>4}  {row.id:<11} {row.title}{gone}")
        return 0
    from paperreader.core.export import export

    items = json.loads(export(library.export_entries([row.id for row in rows]), "json"))
    if shape == "json":
        print(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        for item in items:
            print(json.dumps(item, ensure_ascii=False))
    return 0


# watches, similar papers, the digest (issue #13) -----------------------------------------


def _positive(text: str) -> int:
    """An argparse type: a whole number from 1 (a bad one exits 2 with one line)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{value} is not from 1 to 1000")
    return value


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
            since = Period.parse_kind("day", since_text).start
        except PeriodError as error:
            print(f"paperreader digest: --since: {error} (or 'last')", file=sys.stderr)
            return 2
    config = load_config()
    store = Store.open()
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
        store.close()
    return 0


def _export(fmt: str, output: str | None) -> int:
    from paperreader.core.export import export

    library = _library(offline=True)
    try:
        entries = library.export_entries()
        _say_notices(library.store)
    finally:
        library.close()
    text = export(entries, fmt)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    _write_atomic(Path(output), text)
    print(f"Exported {len(entries)} bookmark(s) as {fmt} to {output}", file=sys.stderr)
    return 0


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


# backup and import ---------------------------------------------------------------------

#: A backup smaller than this is read whole then parsed; a bigger one is parsed as it is
#: read (``read_backup``), so it is never held as bytes and as text at once.
READ_WHOLE_BELOW = 64 * 1024 * 1024


def _read_import(source: str) -> Any:
    """The parsed file to import (``-``: stdin), whatever its size; BackupError if it is
    not JSON, OSError if it cannot be read."""
    from paperreader.core.backup import load_backup, read_backup

    if source == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return read_backup(stream) if stream is not None else load_backup(sys.stdin.read())
    with open(source, "rb") as handle:
        if os.fstat(handle.fileno()).st_size < READ_WHOLE_BELOW:
            return load_backup(handle.read())
        return read_backup(handle)


def _backup(output: str | None) -> int:
    from paperreader.core.backup import dump_backup, make_backup

    store = Store.open()
    try:
        data = make_backup(store)
        _say_notices(store)  # after reading: a damaged text found then is said too
    finally:
        store.close()
    text = dump_backup(data)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    _write_atomic(Path(output), text)
    counts = ", ".join(
        f"{len(data[key])} {word}"
        for key, word in (
            ("bookmarks", "bookmark(s)"),
            ("read", "read mark(s)"),
            ("notes", "note(s)"),
            ("tags", "tagged paper(s)"),
        )
    )
    print(f"Backed up {counts} to {output}", file=sys.stderr)
    return 0


def _import(source: str) -> int:
    from paperreader.core.backup import BackupError, restore_backup

    name = "stdin" if source == "-" else source
    try:
        try:
            data = _read_import(source)
        except OSError as error:
            raise CLIError(f"cannot read {name}: {error.strerror or error}") from None
        store = Store.open()
        try:
            _say_notices(store)
            result = restore_backup(store, data)
        finally:
            store.close()
    except BackupError as error:
        raise CLIError(f"cannot import {name}: {error}") from None
    print(result.summary())
    return 0


# config --------------------------------------------------------------------------------


def _config(action: str, *, force: bool = False) -> int:
    from paperreader.core.config import default_config_text, load_config
    from paperreader.core.paths import Paths

    path = Paths.default().config_file
    if action == "path":
        print(path)
        return 0
    if action == "init":
        if path.exists() and not force:
            raise CLIError(f"{path} already exists (use --force to overwrite it)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CLIError(f"cannot create {path.parent}: {error.strerror or error}") from None
        _write_atomic(path, default_config_text())
        print(f"Wrote {path}")
        return 0
    config = load_config(path)
    for problem in config.problems:
        print(problem)
    if config.problems:
        return 1
    print(f"{path}: OK" if path.exists() else f"{path}: OK (no file: the defaults apply)")
    return 0


# sync ----------------------------------------------------------------------------------


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
        store = Store.open()
        progress = _ProgressLine(sys.stderr)
        try:
            result = sync_archive(
                store, client, since=first, until=last, refresh=refresh, on_progress=progress.show
            )
        except SyncInterrupted as stop:
            progress.clear()
            saved = stop.result.months_fetched
            print(
                f"paperreader: interrupted: {saved} month{'s' * (saved != 1)} saved; "
                "run again to continue",
                file=sys.stderr,
            )
            return 130
        except SyncError as error:
            progress.clear()
            saved = error.result.months_fetched
            print(
                f"paperreader: sync stopped: {error} ({saved} month{'s' * (saved != 1)} "
                "saved; run again to continue)",
                file=sys.stderr,
            )
            return 1
        finally:
            progress.clear()
            store.close()
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

    with Store.open() as store:
        line, problem = announce(store, command)
    if line:
        print(line)
    if problem:
        print(f"paperreader: {problem}", file=sys.stderr)
