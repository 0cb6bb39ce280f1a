"""The reader's view state.

``View`` is immutable: a change replaces it whole (``view._replace(...)``), and the reader
screen redraws once per change. What the reader says about a view (its title, notice,
empty state) is worded in ``paperreader.ui.wording``.
"""

from __future__ import annotations

from typing import NamedTuple

from paperreader.core.library import Loaded, Source
from paperreader.core.rows import Row


class View(NamedTuple):
    """What the list shows: a source seen through an order and the unread filter, or,
    while searching, the search results over everything stored."""

    source: Source = Source()
    loaded: Loaded | None = None  # None: loading
    order: str = "upvotes"
    unread_only: bool = False
    query: str | None = None  # None: not searching
    search_rows: tuple[Row, ...] = ()
    search_note: str = ""
    search_errors: str = ""
    sync_text: str = ""  # a background sync's progress

    @property
    def searching(self) -> bool:
        return self.query is not None

    @property
    def sortable(self) -> bool:
        """Whether the user's order applies (day, week and month listings)."""
        return self.source.kind == "listing" and not self.source.trending and not self.searching
