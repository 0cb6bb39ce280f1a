"""The full text (issue #12) in the benchmark: search with 1,000 full texts stored (it
must not slow down), search ``in:text``, and the full-text reader's first screen and
line step for a 200 KB and a 2 MB paper."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import percentile
from benchmarks.search import measure_search
from benchmarks.synthetic import xdg_paths
from paperreader.core.paths import Paths
from paperreader.core.store import Store

#: Full texts stored for the search-with-texts measurement, and queries in them.
FULL_TEXTS = 1_000
TEXT_QUERIES = ("attention in:text", "in:text diffusion model", "reward in:text upvotes:>5")

#: The targets of issue #12.
TEXT_TARGETS: dict[str, tuple[float, str]] = {
    "search_with_texts_p95_ms": (50.0, "search ≤ 50 ms p95 with 1,000 full texts stored"),
    "text_first_screen_200k_ms": (150.0, "first screen of a stored 200 KB text ≤ 150 ms"),
    "text_first_screen_2m_ms": (500.0, "first screen of a stored 2 MB text ≤ 500 ms"),
    "text_scroll_p95_ms": (16.0, "scrolling a 2 MB text: line step ≤ 16 ms (p95)"),
}

#: Rows of the report: (key, label, format).
TEXT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("full_texts_store_s", "store the full texts (s)", "{:.1f}"),
    ("search_with_texts_p95_ms", "search with full texts stored, p95 (ms)", "{:.1f}"),
    ("search_in_text_p95_ms", "search in:text, p95 (ms)", "{:.1f}"),
    ("text_first_screen_200k_ms", "full text 200 KB, first screen (ms)", "{:.1f}"),
    ("text_first_screen_2m_ms", "full text 2 MB, first screen (ms)", "{:.1f}"),
    ("text_layout_2m_s", "full text 2 MB, whole layout (s)", "{:.2f}"),
    ("text_scroll_p95_ms", "full text 2 MB, line step p95 (ms)", "{:.2f}"),
)


def store_full_texts(paths: Paths, count: int = FULL_TEXTS, sections: int = 12) -> float:
    """Store ``count`` synthetic full texts (about 20 KB each) for papers of the store;
    returns the seconds it took."""
    from tools.fakehub import make_item, paper_markdown

    started = time.perf_counter()
    with Store.open(paths) as store:
        rows = store.archive_rows(limit=count)
        for row in rows:
            item = make_item(row.id, row.title)
            store.save_full_text(row.id, paper_markdown(item, sections=sections), limit=2**40)
    return time.perf_counter() - started


def measure_full_texts(paths: Paths, count: int = FULL_TEXTS) -> dict[str, Any]:
    """Search per keystroke with ``count`` full texts stored: the usual queries (they
    must not slow down) and queries with ``in:text``."""
    seconds = store_full_texts(paths, count)
    plain = measure_search(paths)
    in_text = measure_search(paths, TEXT_QUERIES)
    return {
        "full_texts_store_s": seconds,
        "search_with_texts_p50_ms": plain["search_p50_ms"],
        "search_with_texts_p95_ms": plain["search_p95_ms"],
        "search_in_text_p95_ms": in_text["search_p95_ms"],
        "search_in_text_max_ms": in_text["search_max_ms"],
    }


def synthetic_text(size: int) -> str:
    """A paper's Markdown of about ``size`` bytes."""
    from tools.fakehub import make_item, paper_markdown

    one = paper_markdown(make_item("2608.00001", "A long paper"), sections=10)
    sections = max(int(10 * size / len(one.encode())), 1)
    return paper_markdown(make_item("2608.00001", "A long paper"), sections=sections)


def measure_reader(samples: int = 200) -> dict[str, Any]:
    """The full-text screen's own work, at 120x40 (116 columns of text, 36 rows):

    * first screen: read the stored text (decompress), cut it at headings, parse and lay
      out its first piece, render the rows on screen, for a 200 KB and a 2 MB paper;
    * scrolling the 2 MB paper laid out whole: one line step is the view's ``render_line``
      for every row on screen after moving by a line (as Textual asks after a scroll).
    """
    from paperreader.ui.markdown_lines import Doc, Links, layout, parse_blocks, split_sections

    width, height = 116, 36
    results: dict[str, Any] = {}
    text = ""
    with tempfile.TemporaryDirectory(prefix="paperreader-bench-text-") as folder:
        paths, _ = xdg_paths(Path(folder))
        with Store.open(paths) as store:
            for label, size in (("200k", 200_000), ("2m", 2_000_000)):
                store.save_full_text("2608.00001", synthetic_text(size), limit=2**40)
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    stored = store.full_text("2608.00001")
                    assert stored is not None
                    start, piece = split_sections(stored.text)[0]
                    doc = layout(parse_blocks(piece, Links(), start), width)
                    _render_rows(doc, 0, width, height)
                    times.append(time.perf_counter() - started)
                results[f"text_first_screen_{label}_ms"] = statistics.median(times) * 1000
                assert stored is not None
                results[f"text_size_{label}_bytes"] = stored.size
                text = stored.text
            started = time.perf_counter()
            links, whole = Links(), Doc()
            for start, piece in split_sections(text):
                layout(parse_blocks(piece, links, start), width, whole)
            results["text_layout_2m_s"] = time.perf_counter() - started
            results["text_lines_2m"] = len(whole.lines)
    steps = []
    cache: dict[int, Any] = {}
    top = len(whole.lines) // 3
    for step in range(samples):
        started = time.perf_counter()
        _render_rows(whole, top + step, width, height, cache)
        steps.append(time.perf_counter() - started)
    results["text_scroll_p95_ms"] = percentile(steps, 0.95) * 1000
    results["text_scroll_max_ms"] = max(steps) * 1000
    return results


def _render_rows(
    doc: Any, top: int, width: int, height: int, cache: dict[int, Any] | None = None
) -> None:
    """What ``TextView.render_line`` does for each row on screen (strips cached)."""
    from rich.style import Style
    from textual.strip import Strip

    base = Style(bgcolor="#1e1e1e", color="#e0e0e0")
    cache = {} if cache is None else cache
    for index in range(top, min(top + height, len(doc.lines))):
        strip = cache.get(index)
        if strip is None:
            strip = Strip(doc.lines[index]).apply_style(base).crop_extend(0, width, base)
            cache[index] = strip
        list(strip)
