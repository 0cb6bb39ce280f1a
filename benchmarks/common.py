"""What the benchmarks share: the screen, their error, statistics, the children's setup."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Sequence
from pathlib import Path

SCREEN = (120, 40)  # columns, lines
#: The repository's root: on the children's PYTHONPATH, so that they import this
#: checkout's ``paperreader`` and ``benchmarks`` wherever the benchmark was started from.
REPO_ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """A benchmark that could not run (an app that never painted, a crash...)."""


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def summary(values: Sequence[float], scale: float = 1.0) -> dict[str, float]:
    return {
        "median": statistics.median(values) * scale,
        "p95": percentile(values, 0.95) * scale,
        "max": max(values) * scale,
        "samples": len(values),
    }


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a child process: this checkout first on PYTHONPATH, a
    256-colour terminal of ``SCREEN``'s size, no Textual or XDG settings of the caller's
    (``extra``, the store's XDG folders, is added last)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "XDG_"))}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    env["TERM"] = "xterm-256color"
    env["COLUMNS"], env["LINES"] = str(SCREEN[0]), str(SCREEN[1])
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: other work on the machine skews timings."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None
