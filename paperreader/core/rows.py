"""The rows of the paper list: what the list needs of a paper, and a listing of them.

Kept apart from the store so that the list (and the row ordering in ``ordering``) need
neither SQLite nor the store to be imported; the store builds these in SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class Row(NamedTuple):
    """What the paper list needs of one paper: compact, no widget, no full text."""

    id: str
    title: str
    upvotes: int
    comments: int | None
    github_stars: int | None
    authors: str  # first author, "et al." when there are more
    organization: str | None
    listing_day: str | None
    withdrawn: str | None = None  # the day it was withdrawn, if it was


class Listing(NamedTuple):
    """A listing (a day, week or month, or the trending list) with its rows in order."""

    unit: str  # "day", "week" or "month"; "trending" for the trending list (key "all")
    key: str
    sort: str
    fetched_at: datetime
    rows: tuple[Row, ...]
