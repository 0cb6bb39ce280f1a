"""Search per keystroke, as the app's search worker runs it, and opening the store."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from benchmarks.common import summary
from paperreader.core.library import SEARCH_LIMIT
from paperreader.core.paths import Paths
from paperreader.core.query import parse_query
from paperreader.core.store import Store

#: Queries typed character by character, as a user would.
QUERIES = (
    "llama",
    "diffusion model",
    "reinforcement learning",
    "author:chen agent",
    "is:unread reasoning",
)


def measure_search(paths: Paths, queries: Sequence[str] = QUERIES) -> dict[str, Any]:
    """Every keystroke of each query, as the app's search worker runs it."""
    everything: list[float] = []
    per_query: dict[str, dict[str, float]] = {}
    with Store.open(paths) as store:
        for text in queries:
            times = []
            for end in range(1, len(text) + 1):
                started = time.perf_counter()
                query = parse_query(text[:end])
                if not query.is_empty:
                    store.search(query, limit=SEARCH_LIMIT)
                times.append(time.perf_counter() - started)
            per_query[text] = summary(times, 1000)
            everything += times
    overall = summary(everything, 1000)
    return {
        "search_p50_ms": overall["median"],
        "search_p95_ms": overall["p95"],
        "search_max_ms": overall["max"],
        "search_per_query_ms": per_query,
    }


def measure_store_open(paths: Paths, repeats: int = 3) -> float:
    """Seconds to open the store (the app does it before its first frame)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        Store.open(paths).close()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
