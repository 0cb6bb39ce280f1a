"""Benchmark of following what matters (issue #13): ``python -m benchmarks.follow``.

On a store of N synthetic papers (``bench.build_store``, 100,000 by default; or an
existing one with ``--root``) it measures, as the app and the CLI run them:

* **watch counts**: total, unread and new of 20 watches together (``Library.watches``),
  the watches a reader would keep: topics (words, phrases), some with a filter;
* **opening a watch**: its rows, newest first (``Library.watch_rows``), the slowest of
  the 20;
* **similar**: ``Library.similar(id, 50)`` for 200 random papers, p95;
* **for you**: ``Library.for_you()`` over the last 7 stored days with 200 bookmarks.

Kept apart from ``bench`` (which may move) so that it can be called from it:
``measure_follow(paths)`` returns the numbers and ``FOLLOW_TARGETS`` the limits.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from paperreader.core.library import FIRST_PAGE, Library
from paperreader.core.paths import Paths
from paperreader.core.store import Store

#: Twenty watches as a reader would keep them: topics, phrases, a few filters.
WATCHES: tuple[str, ...] = (
    "robot",
    "diffusion",
    "reinforcement learning",
    "llama",
    '"chain of thought"',
    "video generation",
    "speech",
    "quantization",
    '"retrieval augmented"',
    '"mixture of experts"',
    "3d",
    "math reasoning",
    "agent has:code",
    "benchmark -survey",
    "diffusion upvotes:>20",
    "multimodal has:code",
    "world model",
    "tokenizer",
    'author:"Wei Chen"',
    "distillation stars:>100",
)

#: The limits of the issue (milliseconds).
FOLLOW_TARGETS: dict[str, tuple[float, str]] = {
    "watch_counts_ms": (100.0, "counts of 20 watches ≤ 100 ms together"),
    "watch_open_ms": (100.0, "opening a watch (its rows) ≤ 100 ms"),
    "similar_p95_ms": (50.0, "similar papers ≤ 50 ms p95"),
    "for_you_ms": (200.0, "for you over a week and 200 bookmarks ≤ 200 ms"),
}


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(0.95 * len(ordered)) - 1, 0)]


def measure_follow(paths: Paths, *, repeats: int = 5, samples: int = 200) -> dict[str, Any]:
    """The four numbers (ms) on the store at ``paths`` (its watches and bookmarks are
    replaced by the benchmark's)."""
    rng = random.Random(13)
    with Store.open(paths) as store:
        library = Library(store)
        for record in store.watch_records():
            store.remove_watch(record.name)
        for number, query in enumerate(WATCHES):
            library.add_watch(f"watch {number}", query)
        ids = [row.id for row in store.archive_rows()]
        for paper_id in store.bookmark_ids():
            paper = store.paper(paper_id)
            if paper is not None:
                store.set_bookmark(paper, False)
        for paper_id in rng.sample(ids, min(200, len(ids))):
            paper = store.paper(paper_id)
            if paper is not None:
                store.set_bookmark(paper)
        library.watches()  # warm: the first reads fill the page cache
        counts = [_timed(library.watches) for _ in range(repeats)]
        # What the app paints first: a watch's first page (the rest follows).
        opens = [
            max(
                _timed(partial(library.watch_rows, n, limit=FIRST_PAGE))
                for n in ("watch 0", "watch 12")
            )
            for _ in range(repeats)
        ]
        whole = [_timed(lambda: library.watch_rows("watch 0")) for _ in range(repeats)]
        similar = [_timed(partial(library.similar, i, 50)) for i in rng.sample(ids, samples)]
        for_you = [_timed(library.for_you) for _ in range(repeats)]
        totals = {w.name: w.total for w in library.watches()}
    return {
        "papers": len(ids),
        "watch_counts_ms": statistics.median(counts),
        "watch_open_ms": statistics.median(opens),
        "watch_open_whole_ms": statistics.median(whole),
        "similar_p95_ms": _p95(similar),
        "similar_p50_ms": statistics.median(similar),
        "for_you_ms": statistics.median(for_you),
        "watch_sizes": totals,
    }


def check(results: dict[str, Any]) -> dict[str, bool]:
    return {key: results[key] <= limit for key, (limit, _) in FOLLOW_TARGETS.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.follow")
    parser.add_argument("--size", type=int, default=100_000, help="papers (default 100,000)")
    parser.add_argument("--root", type=Path, help="an existing store built by bench (its root)")
    options = parser.parse_args(argv)
    from benchmarks.synthetic import build_store, xdg_paths

    with tempfile.TemporaryDirectory(prefix="paperreader-follow-") as scratch:
        if options.root is not None:
            paths, _ = xdg_paths(options.root)
        else:
            print(f"building a store of {options.size:,} papers…", file=sys.stderr)
            paths = build_store(Path(scratch), options.size).paths
        results = measure_follow(paths)
    met = check(results)
    for key, (_limit, label) in FOLLOW_TARGETS.items():
        mark = "ok" if met[key] else "MISSED"
        print(f"{label:50} {results[key]:8.1f} ms  {mark}")
    print(json.dumps({k: v for k, v in results.items() if k != "watch_sizes"}))
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
