"""Benchmarks of paperreader at scale: ``python -m benchmarks.bench`` from the repository's root.

For each size N (1,000, 10,000 and 100,000 papers by default; ``--sizes``) it builds a
store of N synthetic papers in a temporary folder and measures, in one run:

* **first paint** of every way in (``--ways``; default all): the real
  ``paperreader --archive --offline``, ``--date D``, ``--week W`` and ``--month M``
  (the newest stored day, its week and its month: about 2,900 papers at N = 100,000),
  each started in a fresh interpreter under a pseudo-terminal (120x40), timed from just
  before the process is spawned to the first bytes written to the terminal that contain
  the top row's title; a bare Textual app that paints one line is timed the same way,
  the runs of all of them taking turns, and each way's ratio of the medians to the bare
  app's is reported (the target is held by the worst). Both run from compiled bytecode,
  as an installed package does. The same runs give the time until the whole view is
  shown (the title bar says "N papers") and the peak RSS of the app process (the
  kernel's high-water mark once the whole view is open) (``benchmarks/paint.py``);
* **search**: every keystroke of a few queries typed character by character, as the
  app's search worker runs it: ``store.search(parse_query(prefix))``
  (``benchmarks/search.py``);
* **cursor**: ``j`` and ``pagedown`` in the real app (headless, 120x40, in a fresh
  interpreter: ``--cursor-child``) at the top, the middle and the end of the archive,
  each timed from the key event until the list has moved, the messages it caused are
  handled and the screen update is rendered to terminal output (``Pilot.press`` sleeps
  40 ms or more per key, so it cannot time this) (``benchmarks/cursor.py``);
* **sync**: ``sync_archive`` into an empty store from a local FakeHub
  (``tools/fakehub.py``) serving N papers over a few months (``benchmarks/sync.py``).

It prints a table, writes JSON (``--json``, default ``bench-results.json``) and says
which targets are met at the largest size. ``--quick`` is N = 1,000 with 2 repeats, for
tests. The synthetic papers recombine the bundled sample of real papers (titles,
abstract sentences, author names), so nothing outside the package is read
(``benchmarks/synthetic.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import SCREEN, BenchError, load_average
from benchmarks.cursor import cursor_child, measure_cursor
from benchmarks.follow import FOLLOW_TARGETS, measure_follow
from benchmarks.fulltext import (
    FULL_TEXTS,
    TEXT_ROWS,
    TEXT_TARGETS,
    measure_full_texts,
    measure_reader,
)
from benchmarks.paint import WAY_LABELS, WAYS, measure_first_paint
from benchmarks.search import QUERIES, measure_search, measure_store_open
from benchmarks.sync import measure_sync
from benchmarks.synthetic import build_store

DEFAULT_SIZES = (1_000, 10_000, 100_000)

#: The targets of the issue, checked at the largest size measured.
TARGETS: dict[str, tuple[float, str]] = {
    "first_paint_ratio": (1.25, "first paint ≤ 1.25× the bare Textual app, every way in"),
    "search_p95_ms": (50.0, "search ≤ 50 ms per keystroke at p95"),
    "cursor_step_p95_ms": (16.0, "cursor step ≤ 16 ms (p95, worst position)"),
    "peak_rss_mb": (250.0, "peak RSS ≤ 250 MB"),
    **FOLLOW_TARGETS,
    **TEXT_TARGETS,
}


# The run ------------------------------------------------------------------------------------


@dataclass
class Options:
    sizes: tuple[int, ...] = DEFAULT_SIZES
    repeats: int = 9
    warmup: int = 1
    samples: int = 30
    json_path: Path = Path("bench-results.json")
    quick: bool = False
    skip: frozenset[str] = field(default_factory=frozenset)
    ways: tuple[str, ...] = WAYS  # the ways in whose first paint is timed


def bench_size(n: int, options: Options, say: Callable[[str], None]) -> dict[str, Any]:
    metrics: dict[str, Any] = {"papers": n, "load_average": load_average()}
    with tempfile.TemporaryDirectory(prefix=f"paperreader-bench-{n}-") as folder:
        root = Path(folder)
        say(f"N = {n:,}: building the store…")
        built = build_store(root / "store", n)
        metrics["build_s"] = built.seconds
        metrics["store_disk_mb"] = built.disk_mb
        metrics["store_open_s"] = measure_store_open(built.paths)
        if "paint" not in options.skip and options.ways:
            ways = ", ".join(WAY_LABELS[way] for way in options.ways)
            say(f"N = {n:,}: first paint of {ways} ({options.repeats} runs of each)…")
            metrics.update(
                measure_first_paint(built, options.repeats, options.warmup, options.ways)
            )
        if "search" not in options.skip:
            say(f"N = {n:,}: search…")
            metrics.update(measure_search(built.paths))
        if "cursor" not in options.skip:
            say(f"N = {n:,}: cursor and page down…")
            metrics.update(measure_cursor(built, options.samples))
        if "sync" not in options.skip:
            say(f"N = {n:,}: sync from a local hub…")
            metrics.update(measure_sync(root / "sync", n))
        if "text" not in options.skip:
            texts = 50 if options.quick else min(FULL_TEXTS, n)
            say(f"N = {n:,}: search with {texts:,} full texts stored…")
            metrics.update(measure_full_texts(built.paths, texts))
            say(f"N = {n:,}: the full-text reader (200 KB, 2 MB)…")
            metrics.update(measure_reader())
        if "follow" not in options.skip:  # (last: it changes the store's bookmarks)
            say(f"N = {n:,}: watches, similar papers, for you…")
            samples = 20 if options.quick else 200
            metrics.update(measure_follow(built.paths, samples=min(samples, n)))
    return metrics


def check_targets(results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Each target against the largest size measured."""
    if not results:
        return {}
    size = max(results)
    checked: dict[str, Any] = {}
    for key, (limit, text) in TARGETS.items():
        value = results[size].get(key)
        checked[key] = {
            "target": text,
            "limit": limit,
            "size": size,
            "value": value,
            "met": None if value is None else value <= limit,
        }
    worst = results[size].get("first_paint_worst")
    if worst and "first_paint_ratio" in checked:
        checked["first_paint_ratio"]["worst"] = worst
    return checked


def environment() -> dict[str, Any]:
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:  # not installed as a distribution: not worth failing over
        textual = "?"
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "textual": textual,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": load_average(),
    }


#: The table's rows of each way in (rows of a way not timed are left out).
_WAY_ROWS: tuple[tuple[str, str, str], ...] = tuple(
    row
    for way, label in WAY_LABELS.items()
    for row in (
        (f"papers_{way}", f"{label}: papers", "{:,}"),
        (f"first_paint_{way}_s", f"{label}: first paint (s)", "{:.3f}"),
        (f"first_paint_{way}_ratio", f"{label}: first paint ratio (×)", "{:.2f}"),
        (f"shown_{way}_s", f"{label}: whole view shown (s)", "{:.2f}"),
        (f"peak_rss_{way}_mb", f"{label}: peak RSS (MB)", "{:.0f}"),
    )
)
_ROWS: tuple[tuple[str, str, str], ...] = (
    ("build_s", "build the store (s)", "{:.1f}"),
    ("store_disk_mb", "store on disk (MB)", "{:.0f}"),
    ("store_open_s", "Store.open (ms)", "ms"),
    ("bare_first_paint_s", "first paint, bare Textual app (s)", "{:.3f}"),
    *_WAY_ROWS,
    ("first_paint_ratio", "first paint ratio, worst way in (×)", "{:.2f}"),
    ("peak_rss_mb", "peak RSS, paperreader (MB)", "{:.0f}"),
    ("bare_peak_rss_mb", "peak RSS, bare Textual app (MB)", "{:.0f}"),
    ("search_p50_ms", "search per keystroke, median (ms)", "{:.1f}"),
    ("search_p95_ms", "search per keystroke, p95 (ms)", "{:.1f}"),
    ("cursor_top_p95_ms", "j at the top, p95 (ms)", "{:.1f}"),
    ("cursor_middle_p95_ms", "j in the middle, p95 (ms)", "{:.1f}"),
    ("cursor_end_p95_ms", "j at the end, p95 (ms)", "{:.1f}"),
    ("held_p95_ms", "j held down (30/s), p95 (ms)", "{:.1f}"),
    ("page_top_p95_ms", "page down at the top, p95 (ms)", "{:.1f}"),
    ("page_middle_p95_ms", "page down in the middle, p95 (ms)", "{:.1f}"),
    ("page_end_p95_ms", "page down at the end, p95 (ms)", "{:.1f}"),
    ("cursor_middle_p50_ms", "j in the middle, median (ms)", "{:.1f}"),
    ("page_middle_p50_ms", "page down in the middle, median (ms)", "{:.1f}"),
    ("key_worst_ms", "j / page down, worst sample (ms)", "{:.1f}"),
    ("sync_papers_per_s", "sync from a local hub (papers/s)", "{:,.0f}"),
    ("sync_requests", "sync requests", "{:,}"),
    *TEXT_ROWS,
    ("watch_counts_ms", "counts of 20 watches (ms)", "{:.0f}"),
    ("watch_open_ms", "a watch's first page (ms)", "{:.0f}"),
    ("similar_p95_ms", "similar papers, p95 (ms)", "{:.0f}"),
    ("for_you_ms", "for you, a week and 200 bookmarks (ms)", "{:.0f}"),
)


def format_table(results: dict[int, dict[str, Any]], targets: dict[str, Any]) -> str:
    sizes = sorted(results)
    header = ["metric", *(f"N = {n:,}" for n in sizes)]
    lines = [header]
    for key, label, fmt in _ROWS:
        if (key, label, fmt) in _WAY_ROWS and all(results[n].get(key) is None for n in sizes):
            continue  # a way in not timed
        cells = [label]
        for n in sizes:
            value = results[n].get(key)
            if value is None:
                cells.append("—")
            elif fmt == "ms":
                cells.append(f"{value * 1000:.0f}")
            else:
                cells.append(fmt.format(value))
        lines.append(cells)
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    text = []
    for index, row in enumerate(lines):
        text.append(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
        )
        if index == 0:
            text.append("  ".join("-" * w for w in widths))
    if targets:
        size = next(iter(targets.values()))["size"]
        text.append("")
        text.append(f"Targets at N = {size:,}:")
        for key, check in targets.items():
            value = check["value"]
            verdict = "not measured" if value is None else ("met" if check["met"] else "MISSED")
            shown = "" if value is None else f" (measured {value:.2f})"
            if check.get("worst"):
                shown = f" (measured {value:.2f}, worst: {WAY_LABELS[check['worst']]})"
            text.append(f"  {verdict:>12}  {check['target']}{shown}  [{key}]")
    return "\n".join(text)


def run(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    results: dict[int, dict[str, Any]] = {}
    load = load_average()
    for n in options.sizes:
        results[n] = bench_size(n, options, say)
    targets = check_targets(results)
    report = {
        "environment": {**environment(), "load_average_at_start": load},
        "options": {
            "sizes": list(options.sizes),
            "repeats": options.repeats,
            "warmup": options.warmup,
            "samples": options.samples,
            "quick": options.quick,
            "ways": list(options.ways),
            "queries": list(QUERIES),
            "screen": list(SCREEN),
        },
        "results": {str(n): metrics for n, metrics in results.items()},
        "targets": targets,
    }
    options.json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    say("")
    say(format_table(results, targets))
    say(f"\nWrote {options.json_path}")
    return report


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.strip().replace("_", "")) for part in text.split(",") if part)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000: {text!r}") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def _ways(text: str) -> tuple[str, ...]:
    ways = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [way for way in ways if way not in WAYS]
    if unknown or not ways:
        raise argparse.ArgumentTypeError(f"expected ways in among {', '.join(WAYS)}: {text!r}")
    return tuple(way for way in WAYS if way in ways)  # in the report's order


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description="Measure paperreader on synthetic stores of N papers: first paint of "
        "each way in against a bare Textual app, search per keystroke, cursor and "
        "page-down latency, peak memory and sync throughput.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=DEFAULT_SIZES,
        metavar="N,N,...",
        help="store sizes (default: 1000,10000,100000)",
    )
    parser.add_argument(
        "--repeats", type=int, default=9, help="cold starts of each app per size (default: 9)"
    )
    parser.add_argument(
        "--samples", type=int, default=30, help="key presses per key and position (default: 30)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=Path("bench-results.json"),
        metavar="PATH",
        help="where to write the results (default: bench-results.json)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="N = 1,000 only, 2 repeats, few samples (tests)"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("paint", "search", "cursor", "sync", "text", "follow"),
        help="leave out a measurement (repeatable)",
    )
    parser.add_argument(
        "--ways",
        type=_ways,
        default=WAYS,
        metavar="WAY,WAY,...",
        help=f"the ways in whose first paint is timed (default: all: {','.join(WAYS)})",
    )
    parser.add_argument("--cursor-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cursor_child:
        return cursor_child(*args.cursor_child)
    options = Options(
        sizes=args.sizes,
        repeats=max(args.repeats, 1),
        warmup=1,
        samples=max(args.samples, 1),
        json_path=args.json,
        skip=frozenset(args.skip),
        ways=args.ways,
    )
    if args.quick:
        options.sizes, options.repeats, options.warmup = (1_000,), 2, 0
        options.samples, options.quick = 5, True

    def say(text: str) -> None:
        print(text, flush=True)

    try:
        run(options, say)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
