"""Build the bundled offline sample, ``paperreader/core/sample/daily-sample.json.gz``.

It takes the papers of the last few listing days in the scraped data set and writes them
in the shape of real ``/api/daily_papers`` items, together with one whole real item (the
API fixture, copied as it is). Run it from the project's root::

    .venv/bin/python scripts/make_sample.py [--data FILE.jsonl.gz] [--fixture FILE.json]

What the scraped data does not have is left out rather than made up: there are no
upvotes (``upvotes`` is 0, as the brief asks), and no comment counts, arXiv dates or
discussion ids (those keys are absent, which the parser reads as "unknown").

The output is deterministic: the same input gives the same bytes (gzip ``mtime=0``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("/work/shared/data/hf-daily-papers-2025-12-to-2026-10.jsonl.gz")
DEFAULT_FIXTURE = Path("/work/shared/fixtures/daily-item.json")
OUTPUT = ROOT / "paperreader" / "core" / "sample" / "daily-sample.json.gz"
DAYS = 5
THUMBNAIL = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png"

# A repository link: github.com/<owner>/<repo> and nothing after it. The scraped pages also
# list the site's own footer link (github.com/huggingface), organisation pages, and links
# to files or pull requests quoted in the abstract; the paper's repository is the last
# owner/repo link on the page.
_REPO = re.compile(r"^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/?$")
_STARS = re.compile(r"^(\d+(?:\.\d+)?)([kKmM]?)$")


def read_rows(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def github_repo(urls: object) -> str | None:
    if not isinstance(urls, list):
        return None
    repos = [url for url in urls if isinstance(url, str) and _REPO.match(url)]
    return repos[-1].rstrip("/") if repos else None


def stars(text: object) -> int | None:
    """``"681"`` -> 681, ``"11.8k"`` -> 11800 (the page rounds, so do we); else None."""
    if not isinstance(text, str):
        return None
    match = _STARS.match(text.strip().replace(",", ""))
    if not match:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return round(float(match[1]) * scale)


def object_id(*parts: str) -> str:
    """A stable 24-hex id in the style of the API's ``_id`` values (an identifier, not data)."""
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()[:24]


def to_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """One scraped row as a ``/api/daily_papers`` item, with only what the row tells."""
    paper_id = row["id"]
    title = row["title"]
    abstract = row.get("abstract")
    # Some pages had no abstract, or only the title again: that is no summary.
    summary = abstract if isinstance(abstract, str) and abstract.strip() != title.strip() else ""
    authors = [
        {"_id": object_id(paper_id, str(index), name), "name": name, "hidden": False}
        for index, name in enumerate(row.get("authors") or [])
        if isinstance(name, str) and name.strip()
    ]
    paper: dict[str, Any] = {
        "id": paper_id,
        "authors": authors,
        "submittedOnDailyAt": f"{row['listed_on']}T00:00:00.000Z",
        "title": title,
        "summary": summary,
        "upvotes": 0,
    }
    repo = github_repo(row.get("github"))
    if repo:
        paper["githubRepo"] = repo
        count = stars(row.get("stars"))
        if count is not None:
            paper["githubStars"] = count
    return {
        "paper": paper,
        "title": title,
        "summary": summary,
        "thumbnail": THUMBNAIL.format(id=paper_id),
    }


def build(rows: Iterable[Mapping[str, Any]], fixture: dict[str, Any], days: int) -> list[dict]:
    """Every paper of the last ``days`` listing days, and the fixture, newest day first.

    Within a day the scraped order (the page's order) is kept; the fixture, copied as it
    is, takes the place of its scraped row if the data has one on the same day.
    """
    rows = list(rows)
    fixture_id = fixture["paper"]["id"]
    fixture_day = fixture["paper"]["submittedOnDailyAt"][:10]
    last_days = sorted({row["listed_on"] for row in rows}, reverse=True)[:days]
    chosen: list[tuple[str, int, dict[str, Any]]] = [(fixture_day, -1, fixture)]
    seen = {fixture_id}
    for index, row in enumerate(rows):
        if row["listed_on"] in last_days and row["id"] not in seen:
            seen.add(row["id"])
            chosen.append((row["listed_on"], index, to_item(row)))
    # Newest day first, then page order: sort by the day descending, the index ascending.
    chosen.sort(key=lambda entry: entry[1])
    chosen.sort(key=lambda entry: entry[0], reverse=True)
    return [item for _, _, item in chosen]


def encode(items: list[dict[str, Any]]) -> bytes:
    text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    fixture = json.loads(args.fixture.read_text(encoding="utf-8"))
    items = build(read_rows(args.data), fixture, args.days)
    data = encode(items)
    args.output.write_bytes(data)
    days = sorted({item["paper"]["submittedOnDailyAt"][:10] for item in items})
    print(
        f"wrote {args.output}: {len(items)} papers, {len(days)} days "
        f"({days[0]} .. {days[-1]}), {len(data):,} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
