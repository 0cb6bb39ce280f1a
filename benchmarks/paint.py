"""First paint of every way into the app, under a pseudo-terminal, against a bare Textual app.

Each way in (``WAYS``: the archive, a day, a week, a month, a watch) is the real
``python -m paperreader ... --offline`` started in a fresh interpreter on a pseudo-terminal
of ``SCREEN``, timed from just before the process is spawned to the first bytes written
to the terminal that contain the top row's title (the view has painted its papers), then
to the title bar's count of the whole view. A bare Textual app that paints one line is
timed the same way; the runs of all of them take turns, and each way's median is divided
by the bare app's median.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import SCREEN, BenchError, child_env
from benchmarks.synthetic import BuiltStore
from paperreader.core.library import Library, Source
from paperreader.core.ordering import order_rows
from paperreader.core.periods import Period
from paperreader.core.store import Row, Store

#: Shown by the bare Textual app of the first-paint comparison.
BARE_TEXT = "paperreader-bench: a bare Textual app"
#: The ways in, in the report's order (``--ways`` picks some); ``plan_ways`` says what
#: each opens in a built store.
WAYS: tuple[str, ...] = ("archive", "day", "week", "month", "watch")
#: The watch timed as a way in (``--watch``): a topic, as most watches are (the first of
#: the watches of ``benchmarks/follow.py``). The store builder adds it to the store.
WATCH = ("robots", "robot")
#: How the report names them.
WAY_LABELS = {
    "archive": "the archive",
    "day": "a day",
    "week": "a week",
    "month": "a month",
    "watch": "a watch",
}
#: The characters of the top row's title looked for in the output (a row's title is
#: written in one piece, as long as the title column is wider than this).
MARKER_CHARS = 16


@dataclass(frozen=True, slots=True)
class WayIn:
    """A way into the app and what it shows once painted."""

    name: str  # a key of WAY_LABELS
    args: tuple[str, ...]  # after ``python -m paperreader``
    papers: int  # rows of the view
    marker: str  # the start of the top row's title: the view has painted its papers
    loaded: str  # the title bar's count: the whole view is shown


def _shown(name: str, args: Sequence[str], rows: Sequence[Row]) -> WayIn:
    """The way in ``name`` (``args``) showing ``rows`` in the order the app lists them."""
    if not rows:
        raise BenchError(f"the store has nothing to show for {' '.join(args)}")
    noun = "paper" if len(rows) == 1 else "papers"
    return WayIn(
        name, (*args, "--offline"), len(rows), rows[0].title[:MARKER_CHARS], f"{len(rows):,} {noun}"
    )


def plan_ways(built: BuiltStore, names: Iterable[str] = WAYS) -> list[WayIn]:
    """The ways in ``names`` for the store ``built``: the archive, the newest stored day,
    its ISO week and its month (at N = 100,000 the newest month, August 2026, has about
    2,900 papers), and the watch ``WATCH`` (added to the store if it is not there: at
    N = 100,000 it has about 10,000 papers). Listings are ordered as the app first shows
    them (by upvotes), a watch newest first."""
    with Store.open(built.paths) as store:
        library = Library(store)  # no client: offline, as the app is started
        newest = store.newest_day()
        if newest is None:
            raise BenchError("the store has no listing day")

        def listing(name: str, flag: str, period: Period) -> WayIn:
            loaded = library.load_final(Source(period=period), network=False)
            return _shown(name, (flag, period.key), order_rows(loaded.rows, "upvotes"))

        def watch(name: str, query: str) -> WayIn:
            if store.watch_record(name) is None:
                library.add_watch(name, query)
            return _shown("watch", ("--watch", name), library.watch_rows(name))

        plans: dict[str, Callable[[], WayIn]] = {
            "archive": lambda: _shown("archive", ("--archive",), library.archive_rows()),
            "day": lambda: listing("day", "--date", Period.day(newest)),
            "week": lambda: listing("week", "--week", Period.week_of(newest)),
            "month": lambda: listing("month", "--month", Period.month_of(newest)),
            "watch": lambda: watch(*WATCH),
        }

        return [plans[name]() for name in names]


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
    name: str | None = None,
) -> PtyRun:
    """Run ``argv`` on a fresh pseudo-terminal; time the first output bytes holding
    ``marker`` (and then ``loaded``), read the peak RSS, then press q and reap it.
    ``name`` names the program in errors (default: its arguments)."""
    import fcntl
    import struct
    import termios

    what = name or " ".join(argv[1:])[:100]
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
                    f"{what!r} did not show {marker!r} within {timeout:.0f} s; "
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
            f"{what!r} exited (code {proc.returncode}) before showing {marker!r}; "
            f"its screen: {_screen_text(output)!r}"
        )
    if then is not None and done is None:
        raise BenchError(f"{what!r} painted but never showed {loaded!r}")
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


def measure_first_paint(
    built: BuiltStore, repeats: int, warmup: int, ways: Sequence[str] = WAYS
) -> dict[str, Any]:
    """Cold starts of the app by each of ``ways`` and of a bare Textual app, taking turns;
    per way in: the median first paint and its ratio to the bare app's median, the median
    time until the whole view is shown and the peak RSS. ``first_paint_ratio`` is the
    worst way's (the target holds for every way in) and ``peak_rss_mb`` the highest.

    All run from byte-compiled modules, as after ``pip install`` (which compiles them):
    the package is compiled first, and the children may write bytecode (an editable
    install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile paperreader's
    modules from source at every start, and not Textual's)."""
    import compileall

    import paperreader

    compileall.compile_dir(str(Path(paperreader.__file__).resolve().parent), quiet=1)
    plans = {plan.name: plan for plan in plan_ways(built, ways)}
    app_argv = [sys.executable, "-m", "paperreader"]
    bare_argv = [sys.executable, "-c", _BARE_APP]
    env = child_env(built.env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs: dict[str, list[PtyRun]] = {name: [] for name in ("bare", *plans)}
    entrants = list(runs)
    for round_ in range(warmup + repeats):
        # Each round starts with the next one, so none always follows the same other.
        shift = round_ % len(entrants)
        for which in entrants[shift:] + entrants[:shift]:
            if which == "bare":
                run = run_in_pty(bare_argv, env, BARE_TEXT, name="the bare Textual app")
            else:
                plan = plans[which]
                run = run_in_pty([*app_argv, *plan.args], env, plan.marker, loaded=plan.loaded)
            if round_ >= warmup:
                runs[which].append(run)
    bare_paint = statistics.median(r.first_paint for r in runs["bare"])
    results: dict[str, Any] = {
        "bare_first_paint_s": bare_paint,
        "bare_peak_rss_mb": max(_peak(r) for r in runs["bare"]),
        "bare_first_paint_runs_s": [r.first_paint for r in runs["bare"]],
    }
    for name, plan in plans.items():
        paint = statistics.median(r.first_paint for r in runs[name])
        results[f"first_paint_{name}_s"] = paint
        results[f"first_paint_{name}_ratio"] = paint / bare_paint
        results[f"shown_{name}_s"] = statistics.median(r.loaded or 0.0 for r in runs[name])
        results[f"peak_rss_{name}_mb"] = max(_peak(r) for r in runs[name])
        results[f"papers_{name}"] = plan.papers
        results[f"args_{name}"] = " ".join(plan.args)
        results[f"first_paint_{name}_runs_s"] = [r.first_paint for r in runs[name]]
    if plans:
        worst = max(plans, key=lambda name: results[f"first_paint_{name}_ratio"])
        results["first_paint_ratio"] = results[f"first_paint_{worst}_ratio"]
        results["first_paint_worst"] = worst
        results["peak_rss_mb"] = max(results[f"peak_rss_{name}_mb"] for name in plans)
    return results
