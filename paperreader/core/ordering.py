"""Ordering and filtering list rows: pure functions over compact ``Row`` tuples.

They run over the whole view (up to the whole archive) on every change of order or
filter, so they stay simple loops over tuples: no per-row objects, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from paperreader.core.rows import Row

#: Orders of a listing, in the order the sort key cycles through them.
ORDERS: tuple[str, ...] = ("upvotes", "newest", "stars")
ORDER_LABELS = {"upvotes": "by upvotes", "newest": "newest first", "stars": "by GitHub stars"}


def order_rows(rows: Sequence[Row], order: str) -> Sequence[Row]:
    """Rows in the given order; ``upvotes`` keeps the order they came in (the API's)."""
    if order == "newest":
        # Listing day, then arXiv id: ids grow with submission time.
        return sorted(rows, key=lambda r: (r.listing_day or "", r.id), reverse=True)
    if order == "stars":
        return sorted(rows, key=lambda r: r.github_stars or -1, reverse=True)
    return rows


def unread_rows(rows: Sequence[Row], read_ids: Set[str]) -> Sequence[Row]:
    return [row for row in rows if row.id not in read_ids]


def count_unread(rows: Sequence[Row], read_ids: Set[str]) -> int:
    return sum(1 for row in rows if row.id not in read_ids)
