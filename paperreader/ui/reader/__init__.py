"""The reader: the main screen, its view state and every action on it.

``ReaderScreen`` is put together from one module per concern: ``base`` (layout, the view
state, loading, the detail), ``marks`` (read marks, bookmarks, notes, tags), ``listings``
(days, weeks, months, views), ``links`` (browser, clipboard), ``search``, ``background``
(export, sync), ``follow`` (watches, similar papers, for you) and ``palette`` (help,
command palette).
"""

from __future__ import annotations

from paperreader.ui.reader.background import BackgroundMixin
from paperreader.ui.reader.base import ReaderBase
from paperreader.ui.reader.follow import FollowMixin
from paperreader.ui.reader.links import LinksMixin
from paperreader.ui.reader.listings import ListingsMixin
from paperreader.ui.reader.marks import MarksMixin
from paperreader.ui.reader.palette import PaletteMixin
from paperreader.ui.reader.search import SearchMixin


class ReaderScreen(
    MarksMixin,
    ListingsMixin,
    LinksMixin,
    SearchMixin,
    FollowMixin,
    BackgroundMixin,
    PaletteMixin,
    ReaderBase,
):
    """The main screen: the list of papers, the detail, the title and notice bars."""


__all__ = ["ReaderBase", "ReaderScreen"]
