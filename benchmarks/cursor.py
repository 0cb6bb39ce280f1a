"""Cursor and page-down latency in the real app, in a fresh interpreter.

``measure_cursor`` starts ``python -m benchmarks.bench --cursor-child ROOT N SAMPLES``
(this checkout on its PYTHONPATH), which runs ``cursor_child`` and prints its figures as
one line of JSON.
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import SCREEN, BenchError, child_env, summary
from benchmarks.synthetic import BuiltStore, xdg_paths
from paperreader.core.paths import Paths
from paperreader.core.store import Store

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
            while (
                app.reader.loaded is None
                or app.reader.loaded.partial
                or len(app.paper_list.rows) < n
            ):
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
                while app.reader._detail_id != wanted:
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
                    stats = summary(times, 1000)
                    results[f"{name}_{position}_p50_ms"] = stats["median"]
                    results[f"{name}_{position}_p95_ms"] = stats["p95"]
                    results[f"{name}_{position}_max_ms"] = stats["max"]
            # A held key: steps at the terminal's key-repeat rate, from the middle,
            # each timed from its key to its frame (the detail waits for the cursor to
            # rest, so only the list moves).
            await place(n // 2)
            held = []
            for step in range(1, samples + 1):
                began = time.perf_counter()
                held.append(await press("j", "j", min(n // 2 + step, n - 1)))
                await asyncio.sleep(max(0.0, KEY_REPEAT - (time.perf_counter() - began)))
            stats = summary(held, 1000)
            results["held_p50_ms"], results["held_p95_ms"] = stats["median"], stats["p95"]
            results["held_max_ms"] = stats["max"]
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
    argv = [sys.executable, "-m", "benchmarks.bench", "--cursor-child"]
    argv += [str(built.root), str(built.size), str(samples)]
    env = child_env(built.env)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise BenchError(f"the cursor benchmark failed: {done.stderr.strip()[-800:]}")
    results: dict[str, Any] = json.loads(lines[-1])
    return results


def cursor_child(root: str, size: str, samples: str) -> int:
    paths, _ = xdg_paths(Path(root))
    results = asyncio.run(_cursor_latency(paths, int(size), int(samples)))
    print(json.dumps(results))
    return 0
