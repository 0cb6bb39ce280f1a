"""``sync_archive`` of N papers from a local FakeHub (``tools/fakehub.py``) into an empty
store."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.common import BenchError
from benchmarks.synthetic import slug, synthetic_papers
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period, PeriodError
from paperreader.core.store import Store
from tools.fakehub import FakeHub, listing_day, make_item, upvotes

#: The months the sync benchmark's hub serves the N papers over.
SYNC_FIRST_DAY = date(2026, 5, 1)
SYNC_LAST_DAY = date(2026, 8, 22)


def paper_item(paper: Paper) -> dict[str, Any]:
    """An ``/api/daily_papers`` item for a paper (the shape FakeHub serves)."""
    extra: dict[str, Any] = {"ai_summary": paper.ai_summary, "ai_keywords": list(paper.ai_keywords)}
    if paper.github_repo:
        extra["githubRepo"] = paper.github_repo
        extra["githubStars"] = paper.github_stars
    if paper.project_page:
        extra["projectPage"] = paper.project_page
    if paper.organization:
        extra["organization"] = {"name": slug(paper.organization), "fullname": paper.organization}
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


class IndexedHub(FakeHub):
    """A FakeHub whose month listings are selected and sorted once, not per request.

    FakeHub scans and sorts every item on each request: fine for tests, but at 100,000
    papers it would be the server, not paperreader, that the sync benchmark measured.
    Anything but a plain month listing is left to FakeHub itself.
    """

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
            key = Period.parse_unit("month", query["month"]).key
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


def measure_sync(root: Path, n: int, *, seed: int = 0) -> dict[str, Any]:
    """``sync_archive`` of N papers over a few months from a local hub into an empty store."""
    from paperreader.core.client import HFClient
    from paperreader.core.sync import sync_archive

    items = [
        paper_item(p)
        for p in synthetic_papers(n, seed=seed + 7, first=SYNC_FIRST_DAY, last=SYNC_LAST_DAY)
    ]
    hub = IndexedHub(items, quota=10**9, window=3600)
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
