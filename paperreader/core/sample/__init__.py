"""The bundled offline sample: real Daily Papers, shown when there is no network and no cache.

``daily-sample.json.gz`` (built by ``scripts/make_sample.py``) is a JSON list of items in
the shape of ``/api/daily_papers``: the papers of the last five listing days of a scraped
data set, plus one whole real API item. The scraped papers carry no upvotes (0) and no
comment counts or arXiv dates (absent); everything else in them is real.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from paperreader.core.models import ParseResult, parse_papers

SAMPLE_FILE = "daily-sample.json.gz"

#: The first and the last listing day in the bundled file (a test keeps them in step).
SAMPLE_FIRST_DAY = date(2026, 8, 11)
SAMPLE_LAST_DAY = date(2026, 8, 22)

#: One line for the UI to show while the sample is on screen.
SAMPLE_NOTE = (
    f"Offline sample: real Hugging Face Daily Papers from {SAMPLE_FIRST_DAY.isoformat()} "
    f"to {SAMPLE_LAST_DAY.isoformat()}, bundled with paperreader and shown because there is "
    "no network and nothing cached (upvotes are not included)."
)


@cache
def _raw() -> bytes:
    return resources.files(__package__).joinpath(SAMPLE_FILE).read_bytes()


def load_sample_items() -> list[dict[str, Any]]:
    """The raw API items of the sample (a fresh list each call, safe to modify)."""
    items = json.loads(gzip.decompress(_raw()).decode("utf-8"))
    if not isinstance(items, list):
        raise ValueError(f"{SAMPLE_FILE} is not a JSON list")
    return items


@cache
def load_sample() -> ParseResult:
    """The sample, parsed like any API response."""
    return parse_papers(load_sample_items())


def sample_days() -> list[date]:
    """The listing days the sample has papers for, newest first."""
    days = {paper.listing_day for paper in load_sample().papers if paper.listing_day}
    return sorted(days, reverse=True)
