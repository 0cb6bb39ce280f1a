"""Benchmarks of paperreader at scale: ``python -m paperreader.bench``.

For each size N (1,000, 10,000 and 100,000 papers by default; ``--sizes``) it builds a
store of N synthetic papers in a temporary folder and measures, in one run:

* **first paint**: the real ``paperreader --archive --offline`` started in a fresh
  interpreter under a pseudo-terminal (120x40), timed from just before the process is
  spawned to the first bytes written to the terminal that contain the top paper's title;
  a bare Textual app that paints one line is timed the same way, runs of the two
  alternating, and the ratio of the medians is reported. Both run from compiled
  bytecode, as an installed package does. The same runs give the time
  until the whole archive is shown (the title bar says "N papers") and the peak RSS of
  the app process (the kernel's high-water mark once the whole archive is open);
* **search**: every keystroke of a few queries typed character by character, as the
  app's search worker runs it: ``store.search(parse_query(prefix))``;
* **cursor**: ``j`` and ``pagedown`` in the real app (headless, 120x40, in a fresh
  interpreter) at the top, the middle and the end of the archive, each timed from the
  key event until the list has moved, the messages it caused are handled and the screen
  update is rendered to terminal output (``Pilot.press`` sleeps 40 ms or more per key,
  so it cannot time this);
* **sync**: ``sync_archive`` into an empty store from a local FakeHub serving N papers
  over a few months.

It prints a table, writes JSON (``--json``, default ``bench-results.json``) and says
which targets are met at the largest size. ``--quick`` is N = 1,000 with 2 repeats, for
tests. The synthetic papers recombine the bundled sample of real papers (titles,
abstract sentences, author names), so nothing outside the package is read.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import itertools
import json
import math
import os
import platform
import random
import re
import select
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from paperreader.core.library import SEARCH_LIMIT
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period, PeriodError
from paperreader.core.query import parse_query
from paperreader.core.sample import load_sample
from paperreader.core.store import Store

DEFAULT_SIZES = (1_000, 10_000, 100_000)
#: The span of the synthetic archive's listing days (weekdays only).
FIRST_LISTING_DAY = date(2023, 5, 4)
LAST_LISTING_DAY = date(2026, 8, 22)
#: The months the sync benchmark's hub serves the N papers over.
SYNC_FIRST_DAY = date(2026, 5, 1)
SYNC_LAST_DAY = date(2026, 8, 22)
#: Queries typed character by character, as a user would.
QUERIES = (
    "llama",
    "diffusion model",
    "reinforcement learning",
    "author:chen agent",
    "is:unread reasoning",
)
SCREEN = (120, 40)  # columns, lines
BATCH = 5_000
#: Shown by the bare Textual app of the first-paint comparison.
BARE_TEXT = "paperreader-bench: a bare Textual app"

#: The targets of the issue, checked at the largest size measured.
TARGETS: dict[str, tuple[float, str]] = {
    "first_paint_ratio": (1.25, "first paint ≤ 1.25× the bare Textual app"),
    "search_p95_ms": (50.0, "search ≤ 50 ms per keystroke at p95"),
    "cursor_step_p95_ms": (16.0, "cursor step ≤ 16 ms (p95, worst position)"),
    "peak_rss_mb": (250.0, "peak RSS ≤ 250 MB"),
    "search_with_texts_p95_ms": (50.0, "search ≤ 50 ms p95 with 1,000 full texts stored"),
    "text_first_screen_200k_ms": (150.0, "first screen of a stored 200 KB text ≤ 150 ms"),
    "text_first_screen_2m_ms": (500.0, "first screen of a stored 2 MB text ≤ 500 ms"),
    "text_scroll_p95_ms": (16.0, "scrolling a 2 MB text: line step ≤ 16 ms (p95)"),
}
#: Full texts stored for the search-with-texts measurement, and queries in them.
FULL_TEXTS = 1_000
TEXT_QUERIES = ("attention in:text", "in:text diffusion model", "reward in:text upvotes:>5")


class BenchError(Exception):
    """A benchmark that could not run (an app that never painted, a crash...)."""


# Synthetic papers -------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STOPWORDS = frozenset(
    _words(
        "a an and are as at be by can do does for from how in into is it its of on or our over "
        "than that the their this to towards toward under via we what when where which while "
        "who why with without"
    )
)
_NAME_PARTS = _words(
    "Omni Flash Seed Vid Gen Lumo Zero Quant Sparse Mem Agent Vision Reason Think Scale "
    "Star Nova Aria Orca Cosmo Pixel Token Wave Sky Deep Hyper Uni Any Edit Dream Motion "
    "World Code Math Chart Doc Speech Audio Robo Nav Med Geo Fast Long Tiny Mega Poly"
)
_NAME_SUFFIXES = ("", "", "", "", "-R1", "-VL", "2", "-3", "Bench", "++", "-X", "Lite", "LM")
_FIRST_NAMES = _words(
    "Wei Jie Yu Xin Hao Yifan Zhiyuan Jiaqi Mingyu Siyuan Haoran Yuxuan Ziyi Chen Lei Tao "
    "Minjun Jiwoo Seojun Hyunwoo Takeshi Yuki Haruto Aarav Priya Rohan Ananya Arjun Omar "
    "Layla Amir Fatima Daniel Sarah Michael Emily David Laura Thomas Anna Lukas Sophie "
    "Mateo Lucia Giulia Marco Elena Pierre Camille Ivan Olga Noah Maya Ethan Chloe"
)
_LAST_NAMES = _words(
    "Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo "
    "Kim Lee Park Choi Jung Tanaka Sato Suzuki Singh Kumar Sharma Patel Gupta Ahmed Hassan "
    "Smith Johnson Brown Miller Davis Garcia Martinez Rossi Bianchi Müller Schmidt Schneider "
    "Dubois Martin Ivanov Petrov Nguyen Tran Cohen Levi Silva Santos Novak Kowalski"
)
_ORGANIZATIONS = (
    "NVIDIA",
    "Google DeepMind",
    "Google",
    "Meta AI",
    "Microsoft Research",
    "Qwen",
    "ByteDance Seed",
    "Tencent Hunyuan",
    "DeepSeek",
    "Hugging Face",
    "Allen Institute for AI",
    "Shanghai AI Laboratory",
    "Tsinghua University",
    "Peking University",
    "Stanford University",
    "MIT",
    "Carnegie Mellon University",
    "Apple",
    "Amazon",
    "Salesforce AI Research",
    "Mistral AI",
    "KAIST AI",
    "Zhipu AI",
    "Moonshot AI",
    "OpenGVLab",
    "Pathway",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class _Corpus:
    """Pieces of real papers to recombine."""

    descriptions: tuple[str, ...]  # titles without their "Name:" prefix
    names: tuple[str, ...]  # the "Name" prefixes of real titles
    sentences: tuple[str, ...]  # sentences of real abstracts
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    full_names: tuple[str, ...]


@functools.cache
def _corpus() -> _Corpus:
    papers = load_sample().papers
    descriptions: list[str] = []
    names: list[str] = []
    for paper in papers:
        head, colon, rest = paper.title.partition(": ")
        if colon and len(head) <= 30 and len(rest) >= 20:
            names.append(head)
            descriptions.append(rest)
        else:
            descriptions.append(paper.title)
    sentences = [
        sentence
        for paper in papers
        for sentence in _SENTENCE_END.split(paper.summary)
        if 40 <= len(sentence) <= 400 and "http" not in sentence
    ]
    full_names = sorted({a for p in papers for a in p.authors if " " in a})
    first = {name.split()[0] for name in full_names if name.split()[0].isalpha()}
    last = {name.split()[-1] for name in full_names if name.split()[-1].isalpha()}
    return _Corpus(
        descriptions=tuple(descriptions),
        names=tuple(names),
        sentences=tuple(sentences),
        first_names=tuple(sorted(first | set(_FIRST_NAMES))),
        last_names=tuple(sorted(last | set(_LAST_NAMES))),
        full_names=tuple(full_names),
    )


def weekdays(first: date, last: date) -> list[date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def day_counts(n: int, first: date, last: date, rng: random.Random) -> list[tuple[date, int]]:
    """Spread ``n`` papers over the weekdays of ``first``..``last``, newest days fullest.

    Each day weighs 25 to 120 (growing over the span, as Daily Papers did) with some
    noise; the counts are these weights scaled to add up to exactly ``n``.
    """
    days = weekdays(first, last)
    span = max(len(days) - 1, 1)
    weights = [(25 + 95 * i / span) * rng.uniform(0.75, 1.25) for i in range(len(days))]
    scale = n / sum(weights)
    exact = [w * scale for w in weights]
    counts = [math.floor(x) for x in exact]
    # Largest remainders get the papers rounding left over.
    order = sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return [(day, count) for day, count in zip(days, counts, strict=True) if count]


def _title(corpus: _Corpus, rng: random.Random) -> str:
    description = rng.choice(corpus.descriptions)
    if rng.random() < 0.55:
        if corpus.names and rng.random() < 0.3:
            name = rng.choice(corpus.names)
        else:
            name = rng.choice(_NAME_PARTS) + rng.choice(_NAME_PARTS) + rng.choice(_NAME_SUFFIXES)
        return f"{name}: {description}"
    return description


def _author(corpus: _Corpus, rng: random.Random) -> str:
    if corpus.full_names and rng.random() < 0.15:
        return rng.choice(corpus.full_names)
    return f"{rng.choice(corpus.first_names)} {rng.choice(corpus.last_names)}"


def _keywords(title: str, rng: random.Random) -> tuple[str, ...]:
    words = [
        w.strip(".,:;()?!").lower()
        for w in title.replace(":", " ").split()
        if len(w.strip(".,:;()?!")) >= 4
    ]
    words = [w for w in dict.fromkeys(words) if w not in _STOPWORDS]
    phrases = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    pool = list(dict.fromkeys(phrases + words))
    return tuple(rng.sample(pool, min(len(pool), rng.randint(3, 6))))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "project"


def synthetic_papers(
    n: int,
    *,
    seed: int = 0,
    first: date = FIRST_LISTING_DAY,
    last: date = LAST_LISTING_DAY,
    abstract: int = 1350,
) -> Iterator[Paper]:
    """``n`` papers with realistic lengths and skews, oldest listing day first.

    Titles, abstract sentences and author names come from the bundled sample of real
    papers, recombined; ids are arXiv-style (``YYMM.NNNNN`` of the publication month) and
    unique; upvotes and GitHub stars are heavy-tailed; about 40% have a GitHub repo.
    Abstracts are about ``abstract`` characters long (30% spread), as on Daily Papers.
    """
    rng = random.Random(seed)
    corpus = _corpus()
    serial: dict[str, int] = {}
    for day, count in day_counts(n, first, last, rng):
        for _ in range(count):
            published = day - timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 7)))
            month = f"{published:%y%m}"
            serial[month] = serial.get(month, rng.randint(100, 1500)) + rng.randint(1, 3)
            title = _title(corpus, rng)
            target = min(max(int(rng.gauss(abstract, abstract * 0.3)), abstract // 3), abstract * 2)
            sentences: list[str] = []
            length = 0
            while length < target:
                sentences.append(rng.choice(corpus.sentences))
                length += len(sentences[-1]) + 1
            wanted = rng.choices(range(3, 13), (6, 9, 10, 10, 9, 8, 6, 5, 4, 3))[0]
            names: dict[str, None] = {}
            while len(names) < wanted:
                names[_author(corpus, rng)] = None
            authors = tuple(names)
            has_code = rng.random() < 0.4
            organization = rng.choice(_ORGANIZATIONS) if rng.random() < 0.3 else None
            slug = _slug(title.partition(":")[0])
            owner = _slug(organization or authors[0])
            yield Paper(
                id=f"{month}.{serial[month]:05d}",
                title=title,
                summary=" ".join(sentences),
                authors=authors,
                listing_day=day,
                published=published,
                upvotes=min(int(rng.lognormvariate(1.7, 1.25)), 3000),
                comments=rng.choices((0, 1, 2, 3, 5, 9), (60, 18, 9, 6, 4, 3))[0],
                github_repo=f"https://github.com/{owner}/{slug}" if has_code else None,
                github_stars=min(int(rng.lognormvariate(3.5, 1.8)), 60_000) if has_code else None,
                project_page=f"https://{slug}.github.io/" if rng.random() < 0.25 else None,
                ai_summary=" ".join(sentences[:2])[:320] if rng.random() < 0.85 else "",
                ai_keywords=_keywords(title, rng),
                organization=organization,
                submitter=_slug(authors[-1]).replace("-", "") or None,
            )


# Stores ---------------------------------------------------------------------------------


def xdg_paths(root: Path) -> tuple[Paths, dict[str, str]]:
    """Folders under ``root`` laid out as ``Paths.default()`` finds them with the XDG
    variables returned (so a subprocess with those variables opens the same store)."""
    env = {
        "XDG_DATA_HOME": str(root / "xdg-data"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
        "XDG_CONFIG_HOME": str(root / "xdg-config"),
    }
    paths = Paths(
        data_dir=root / "xdg-data" / "paperreader",
        cache_dir=root / "xdg-cache" / "paperreader",
        config_dir=root / "xdg-config" / "paperreader",
    )
    return paths, env


@dataclass(frozen=True, slots=True)
class BuiltStore:
    root: Path
    paths: Paths
    env: dict[str, str]
    size: int
    seconds: float
    top_title: str  # the first row of the archive view
    disk_mb: float


def build_store(
    root: Path, n: int, *, seed: int = 0, batch: int = BATCH, abstract: int = 1350
) -> BuiltStore:
    """A store of ``n`` synthetic papers under ``root``, with some read marks (5%) and
    bookmarks (0.1%, at most 100) as a user's would have."""
    paths, env = xdg_paths(root)
    rng = random.Random(seed + 1)
    started = time.perf_counter()
    read: list[str] = []
    marked: list[Paper] = []
    with Store.open(paths) as store:
        stamp = datetime(2026, 8, 23, tzinfo=UTC)
        pending: list[Paper] = []
        for paper in synthetic_papers(n, seed=seed, abstract=abstract):
            pending.append(paper)
            if rng.random() < 0.05:
                read.append(paper.id)
            if rng.random() < 0.001 and len(marked) < 100:
                marked.append(paper)
            if len(pending) >= batch:
                store.save_papers(pending, fetched_at=stamp)
                pending = []
        if pending:
            store.save_papers(pending, fetched_at=stamp)
        store.set_read(read)
        for paper in marked:
            store.set_bookmark(paper)
        top = store.archive_rows(limit=1)
        with store._lock:  # fold the WAL into the file: the app opens a tidy store
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    disk = sum(f.stat().st_size for f in root.rglob("*.sqlite3*") if f.is_file())
    return BuiltStore(root, paths, env, n, seconds, top[0].title if top else "", disk / 1e6)


# Statistics -------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def _summary(values: Sequence[float], scale: float = 1.0) -> dict[str, float]:
    return {
        "median": statistics.median(values) * scale,
        "p95": percentile(values, 0.95) * scale,
        "max": max(values) * scale,
        "samples": len(values),
    }


# First paint under a pseudo-terminal ---------------------------------------------------------

_BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Static({BARE_TEXT!r})


Bare().run()
"""

_ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=!$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)")


@dataclass(slots=True)
class PtyRun:
    first_paint: float  # seconds from spawn to the first bytes holding the marker
    loaded: float | None  # seconds to the bytes holding ``loaded`` (None: not asked)
    hwm_mb: float | None  # VmHWM when loaded (or at first paint), from /proc
    maxrss_mb: float | None  # ru_maxrss (counts the pre-exec fork too: see _peak)
    exit_code: int | None


def _vm_hwm(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(found[1]) * 1024 / 1e6 if found else None


def _maxrss_mb(rusage: Any) -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return float(rusage.ru_maxrss * scale / 1e6)


def run_in_pty(
    argv: Sequence[str],
    env: dict[str, str],
    marker: str,
    *,
    loaded: str | None = None,
    size: tuple[int, int] = SCREEN,
    timeout: float = 120.0,
) -> PtyRun:
    """Run ``argv`` on a fresh pseudo-terminal; time the first output bytes holding
    ``marker`` (and then ``loaded``), read the peak RSS, then press q and reap it."""
    import fcntl
    import struct
    import termios

    wanted = marker.encode()
    then = loaded.encode() if loaded else None
    keep = max(len(wanted), len(then or b"")) - 1
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        os.close(slave)
    first: float | None = None
    done: float | None = None
    hwm: float | None = None
    output = bytearray()
    tail = b""
    quit_at: float | None = None
    reaped: tuple[int, Any] | None = None
    try:
        while True:
            now = time.perf_counter()
            if quit_at is None and now - started > timeout:
                raise BenchError(
                    f"{argv[-1]!r} did not show {marker!r} within {timeout:.0f} s; "
                    f"its screen: {_screen_text(output)!r}"
                )
            if quit_at is not None and now - quit_at > 10:
                break  # it ignores q: killed below
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if quit_at is not None:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        reaped = (status, usage)
                        break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal (it exited)
                chunk = b""
            if not chunk:
                break
            at = time.perf_counter() - started
            output += chunk
            del output[:-200_000]
            window = tail + chunk
            tail = window[-keep:] if keep > 0 else b""
            if first is None and wanted in window:
                first = at
            if first is not None and then is not None and done is None and then in window:
                done = at
            if quit_at is None and first is not None and (then is None or done is not None):
                hwm = _vm_hwm(proc.pid)
                os.write(master, b"q")
                quit_at = time.perf_counter()
        if reaped is None:
            deadline = time.perf_counter() + 10
            while reaped is None and time.perf_counter() < deadline:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    reaped = (status, usage)
                elif select.select([master], [], [], 0.05)[0]:
                    with contextlib.suppress(OSError):  # keep its last writes flowing
                        os.read(master, 65536)
            if reaped is None:
                proc.send_signal(signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                reaped = (status, usage)
    finally:
        if reaped is None and proc.returncode is None:
            with contextlib.suppress(OSError):
                proc.send_signal(signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                reaped = (status, usage)
        if reaped is not None:
            proc.returncode = os.waitstatus_to_exitcode(reaped[0])
        os.close(master)
    if first is None:
        raise BenchError(
            f"{argv[-1]!r} exited (code {proc.returncode}) before showing {marker!r}; "
            f"its screen: {_screen_text(output)!r}"
        )
    if then is not None and done is None:
        raise BenchError(f"{argv[-1]!r} painted but never showed {loaded!r}")
    return PtyRun(
        first_paint=first,
        loaded=done,
        hwm_mb=hwm,
        maxrss_mb=_maxrss_mb(reaped[1]) if reaped else None,
        exit_code=proc.returncode,
    )


def _peak(run: PtyRun) -> float:
    """The high-water mark of the process's RSS. VmHWM is the one to trust: it starts
    afresh at exec, where ru_maxrss also counts the forked copy of this (bigger) process
    before the exec; ru_maxrss serves only where there is no /proc."""
    return run.hwm_mb if run.hwm_mb is not None else (run.maxrss_mb or 0.0)


def _screen_text(output: bytes | bytearray) -> str:
    text = _ESCAPES.sub(b" ", bytes(output[-4000:])).decode("utf-8", "replace")
    return " ".join(text.split())[-600:]


def _child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "XDG_"))}
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p
    )
    env["TERM"] = "xterm-256color"
    env["COLUMNS"], env["LINES"] = str(SCREEN[0]), str(SCREEN[1])
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def measure_first_paint(built: BuiltStore, repeats: int, warmup: int) -> dict[str, Any]:
    """Cold starts of the app and of a bare Textual app, alternating; medians and ratio.

    Both run from byte-compiled modules, as after ``pip install`` (which compiles them):
    the package is compiled first, and the children may write bytecode (an editable
    install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile paperreader's
    modules from source at every start, and not Textual's)."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent), quiet=1)
    app_argv = [sys.executable, "-m", "paperreader", "--archive", "--offline"]
    bare_argv = [sys.executable, "-c", _BARE_APP]
    env = _child_env(built.env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    marker = built.top_title[:16]
    loaded = f"{built.size:,} papers"
    app_runs: list[PtyRun] = []
    bare_runs: list[PtyRun] = []
    for round_ in range(warmup + repeats):
        order = ("app", "bare") if round_ % 2 == 0 else ("bare", "app")
        for which in order:
            if which == "app":
                run = run_in_pty(app_argv, env, marker, loaded=loaded)
                if round_ >= warmup:
                    app_runs.append(run)
            else:
                run = run_in_pty(bare_argv, env, BARE_TEXT)
                if round_ >= warmup:
                    bare_runs.append(run)
    app_paint = statistics.median(r.first_paint for r in app_runs)
    bare_paint = statistics.median(r.first_paint for r in bare_runs)
    return {
        "first_paint_s": app_paint,
        "bare_first_paint_s": bare_paint,
        "first_paint_ratio": app_paint / bare_paint,
        "full_load_s": statistics.median(r.loaded or 0.0 for r in app_runs),
        "peak_rss_mb": max(_peak(r) for r in app_runs),
        "bare_peak_rss_mb": max(_peak(r) for r in bare_runs),
        "first_paint_runs_s": [r.first_paint for r in app_runs],
        "bare_first_paint_runs_s": [r.first_paint for r in bare_runs],
    }


# Search -----------------------------------------------------------------------------------


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
            per_query[text] = _summary(times, 1000)
            everything += times
    overall = _summary(everything, 1000)
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


# Cursor and page down in the real app -------------------------------------------------------

POSITIONS = ("top", "middle", "end")
KEYS = (("j", "j", "cursor"), ("pagedown", None, "page"))
#: Seconds between the presses of a held key (a common terminal key-repeat rate: 30/s).
KEY_REPEAT = 1 / 30


async def _cursor_latency(paths: Paths, n: int, samples: int) -> dict[str, Any]:
    from textual import events

    from paperreader.core.library import Library
    from paperreader.ui.app import PaperReaderApp

    store = Store.open(paths)
    library = Library(store)
    gc.disable()  # as the CLI starts the app: the app resumes it after its first frame
    app = PaperReaderApp(library, None, view="archive", restore=False)
    results: dict[str, Any] = {}
    try:
        async with app.run_test(size=SCREEN) as pilot:
            # Render each screen update to terminal output, as a real terminal run does
            # (the headless driver skips that step).
            display = app._display

            def render_and_display(screen: Any, renderable: Any) -> None:
                if renderable is not None and hasattr(renderable, "render_segments"):
                    renderable.render_segments(app.console)
                display(screen, renderable)

            app._display = render_and_display  # type: ignore[method-assign]
            started = time.perf_counter()
            while app.loaded is None or app.loaded.partial or len(app.paper_list.rows) < n:
                if time.perf_counter() - started > 300:
                    raise BenchError("the archive view did not load within 300 s")
                await pilot.pause(0.05)
            await pilot.pause()
            paper_list = app.paper_list
            height = paper_list.scrollable_content_region.height
            page = max(1, height - 1)

            async def place(index: int) -> None:
                """The cursor on ``index``, shown on the list's last line (as when the
                user moved down to it) and the app at rest: the detail pane shows that
                paper, as it does once the user stops there."""
                paper_list.scroll_to(y=max(0, index - height + 1), animate=False, immediate=True)
                paper_list.cursor = index
                wanted = paper_list.rows[index].id
                began = time.perf_counter()
                while app._detail_id != wanted:
                    if time.perf_counter() - began > 10:
                        raise BenchError(f"the detail of row {index} was never shown")
                    await pilot.pause(0.005)
                await pilot._wait_for_screen()  # and its frame drawn before the press
                app.screen._on_timer_update()
                await pilot.pause()

            async def press(key: str, char: str | None, expected: int) -> float:
                begin = time.perf_counter()
                event = events.Key(key, char)
                event.set_sender(app)
                app.post_message(event)
                while paper_list.cursor != expected:  # on its way through the app
                    await asyncio.sleep(0)
                    if time.perf_counter() - begin > 10:
                        raise BenchError(f"{key} did not move the cursor to {expected}")
                await pilot._wait_for_screen()  # the messages it caused are handled
                app.screen._on_timer_update()  # and the screen update is rendered now
                return time.perf_counter() - begin

            for key, char, name in KEYS:
                step = 1 if name == "cursor" else page
                starts = {"top": 0, "middle": n // 2, "end": max(0, n - 1 - step)}
                for position in POSITIONS:
                    times = []
                    for _ in range(samples):
                        await place(starts[position])
                        expected = min(starts[position] + step, n - 1)
                        times.append(await press(key, char, expected))
                    summary = _summary(times, 1000)
                    results[f"{name}_{position}_p50_ms"] = summary["median"]
                    results[f"{name}_{position}_p95_ms"] = summary["p95"]
                    results[f"{name}_{position}_max_ms"] = summary["max"]
            # A held key: steps at the terminal's key-repeat rate, from the middle,
            # each timed from its key to its frame (the detail waits for the cursor to
            # rest, so only the list moves).
            await place(n // 2)
            held = []
            for step in range(1, samples + 1):
                began = time.perf_counter()
                held.append(await press("j", "j", min(n // 2 + step, n - 1)))
                await asyncio.sleep(max(0.0, KEY_REPEAT - (time.perf_counter() - began)))
            summary = _summary(held, 1000)
            results["held_p50_ms"], results["held_p95_ms"] = summary["median"], summary["p95"]
            results["held_max_ms"] = summary["max"]
            await pilot.pause()
    finally:
        gc.enable()
        library.close()
    results["cursor_step_p95_ms"] = max(
        results["held_p95_ms"], *(results[f"cursor_{p}_p95_ms"] for p in POSITIONS)
    )
    results["page_down_p95_ms"] = max(results[f"page_{p}_p95_ms"] for p in POSITIONS)
    results["key_worst_ms"] = max(v for k, v in results.items() if k.endswith("_max_ms"))
    return results


def measure_cursor(built: BuiltStore, samples: int) -> dict[str, Any]:
    """Cursor and page-down latency, measured in a fresh interpreter: the app's heap
    (and so the pauses of Python's garbage collector) is then its own, not the
    benchmark's with whatever earlier sizes left in it."""
    argv = [sys.executable, "-m", "paperreader.bench", "--cursor-child"]
    argv += [str(built.root), str(built.size), str(samples)]
    env = _child_env(built.env)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise BenchError(f"the cursor benchmark failed: {done.stderr.strip()[-800:]}")
    results: dict[str, Any] = json.loads(lines[-1])
    return results


def _cursor_child(root: str, size: str, samples: str) -> int:
    paths, _ = xdg_paths(Path(root))
    results = asyncio.run(_cursor_latency(paths, int(size), int(samples)))
    print(json.dumps(results))
    return 0


# Sync against a local hub ----------------------------------------------------------------


def paper_item(paper: Paper) -> dict[str, Any]:
    """An ``/api/daily_papers`` item for a paper (the shape FakeHub serves)."""
    from paperreader.fakehub import make_item

    extra: dict[str, Any] = {"ai_summary": paper.ai_summary, "ai_keywords": list(paper.ai_keywords)}
    if paper.github_repo:
        extra["githubRepo"] = paper.github_repo
        extra["githubStars"] = paper.github_stars
    if paper.project_page:
        extra["projectPage"] = paper.project_page
    if paper.organization:
        extra["organization"] = {"name": _slug(paper.organization), "fullname": paper.organization}
    item = make_item(
        paper.id,
        paper.title,
        day=paper.listing_day or SYNC_LAST_DAY,
        upvotes=paper.upvotes,
        summary=paper.summary,
        authors=paper.authors,
        submitter=paper.submitter,
        comments=paper.comments or 0,
        **extra,
    )
    if paper.published:
        item["paper"]["publishedAt"] = item["publishedAt"] = f"{paper.published}T00:00:00.000Z"
    return item


def _indexed_hub(items: list[dict[str, Any]]) -> Any:
    """A FakeHub whose month listings are selected and sorted once, not per request.

    FakeHub scans and sorts every item on each request: fine for tests, but at 100,000
    papers it would be the server, not paperreader, that the sync benchmark measured.
    Anything but a plain month listing is left to FakeHub itself.
    """
    from paperreader.fakehub import FakeHub, listing_day, upvotes

    class IndexedHub(FakeHub):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.months: dict[str, list[dict[str, Any]]] = {}
            for item in sorted(self.items, key=upvotes, reverse=True):
                if day := listing_day(item):
                    self.months.setdefault(day[:7], []).append(item)

        def _daily(self, query: dict[str, str], base: str) -> tuple[list[Any], dict[str, str]]:
            plain = set(query) <= {"month", "limit", "p", "sort"}
            if not plain or "month" not in query or query.get("sort") != "publishedAt":
                return super()._daily(query, base)
            try:
                key = Period.parse_kind("month", query["month"]).key
                limit, page = int(query.get("limit", "50")), int(query.get("p", "0"))
            except (PeriodError, ValueError):
                return super()._daily(query, base)
            if not 1 <= limit <= 100 or page < 0 or self.fault:
                return super()._daily(query, base)
            selected = self.months.get(key, [])
            start = page * limit
            headers = {}
            if start + limit < len(selected):
                after = {**query, "p": str(page + 1), "limit": str(limit)}
                headers["Link"] = f'<{base}/api/daily_papers?{urlencode(after)}>; rel="next"'
            return selected[start : start + limit], headers

    return IndexedHub(items, quota=10**9, window=3600)


def measure_sync(root: Path, n: int, *, seed: int = 0) -> dict[str, Any]:
    """``sync_archive`` of N papers over a few months from a local hub into an empty store."""
    from paperreader.core.client import HFClient
    from paperreader.core.sync import sync_archive

    items = [
        paper_item(p)
        for p in synthetic_papers(n, seed=seed + 7, first=SYNC_FIRST_DAY, last=SYNC_LAST_DAY)
    ]
    hub = _indexed_hub(items)
    del items
    paths = Paths.under(root)
    with hub, HFClient(base_url=hub.url, timeout=60) as client, Store.open(paths) as store:
        started = time.perf_counter()
        result = sync_archive(
            store,
            client,
            since=SYNC_FIRST_DAY,
            until=SYNC_LAST_DAY,
            today=lambda: SYNC_LAST_DAY + timedelta(days=1),
        )
        seconds = time.perf_counter() - started
        stored = store.paper_count()
    if stored != n:
        raise BenchError(f"the sync stored {stored:,} papers of {n:,}")
    return {
        "sync_s": seconds,
        "sync_papers_per_s": n / seconds,
        "sync_requests": result.requests,
        "sync_months": result.months_fetched,
    }


# Full texts ---------------------------------------------------------------------------------


def store_full_texts(paths: Paths, count: int = FULL_TEXTS, sections: int = 12) -> float:
    """Store ``count`` synthetic full texts (about 20 KB each) for papers of the store;
    returns the seconds it took."""
    from paperreader.fakehub import make_item, paper_markdown

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
    from paperreader.fakehub import make_item, paper_markdown

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


def bench_size(n: int, options: Options, say: Callable[[str], None]) -> dict[str, Any]:
    metrics: dict[str, Any] = {"papers": n, "load_average": _load_average()}
    with tempfile.TemporaryDirectory(prefix=f"paperreader-bench-{n}-") as folder:
        root = Path(folder)
        say(f"N = {n:,}: building the store…")
        built = build_store(root / "store", n)
        metrics["build_s"] = built.seconds
        metrics["store_disk_mb"] = built.disk_mb
        metrics["store_open_s"] = measure_store_open(built.paths)
        if "paint" not in options.skip:
            say(f"N = {n:,}: first paint ({options.repeats} runs of each app)…")
            metrics.update(measure_first_paint(built, options.repeats, options.warmup))
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
        "load_average": _load_average(),
    }


def _load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: other work on the machine skews timings."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


_ROWS: tuple[tuple[str, str, str], ...] = (
    ("build_s", "build the store (s)", "{:.1f}"),
    ("store_disk_mb", "store on disk (MB)", "{:.0f}"),
    ("store_open_s", "Store.open (ms)", "ms"),
    ("first_paint_s", "first paint, paperreader (s)", "{:.3f}"),
    ("bare_first_paint_s", "first paint, bare Textual app (s)", "{:.3f}"),
    ("first_paint_ratio", "first paint ratio (×)", "{:.2f}"),
    ("full_load_s", "whole archive shown (s)", "{:.2f}"),
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
    ("full_texts_store_s", "store the full texts (s)", "{:.1f}"),
    ("search_with_texts_p95_ms", "search with full texts stored, p95 (ms)", "{:.1f}"),
    ("search_in_text_p95_ms", "search in:text, p95 (ms)", "{:.1f}"),
    ("text_first_screen_200k_ms", "full text 200 KB, first screen (ms)", "{:.1f}"),
    ("text_first_screen_2m_ms", "full text 2 MB, first screen (ms)", "{:.1f}"),
    ("text_layout_2m_s", "full text 2 MB, whole layout (s)", "{:.2f}"),
    ("text_scroll_p95_ms", "full text 2 MB, line step p95 (ms)", "{:.2f}"),
    ("sync_requests", "sync requests", "{:,}"),
)


def format_table(results: dict[int, dict[str, Any]], targets: dict[str, Any]) -> str:
    sizes = sorted(results)
    header = ["metric", *(f"N = {n:,}" for n in sizes)]
    lines = [header]
    for key, label, fmt in _ROWS:
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
            text.append(f"  {verdict:>12}  {check['target']}{shown}  [{key}]")
    return "\n".join(text)


def run(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    results: dict[int, dict[str, Any]] = {}
    load = _load_average()
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m paperreader.bench",
        description="Measure paperreader on synthetic stores of N papers: first paint "
        "against a bare Textual app, search per keystroke, cursor and page-down latency, "
        "peak memory and sync throughput.",
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
        choices=("paint", "search", "cursor", "sync", "text"),
        help="leave out a measurement (repeatable)",
    )
    parser.add_argument("--cursor-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cursor_child:
        return _cursor_child(*args.cursor_child)
    options = Options(
        sizes=args.sizes,
        repeats=max(args.repeats, 1),
        warmup=1,
        samples=max(args.samples, 1),
        json_path=args.json,
        skip=frozenset(args.skip),
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
