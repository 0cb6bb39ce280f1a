"""Wording: plurals, cut titles, and the reader's messages (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperreader.core.export import export_stem
from paperreader.core.library import Loaded, Source
from paperreader.core.periods import Period
from paperreader.core.rows import Row
from paperreader.core.wording import count_label, noun, plural, shorten
from paperreader.ui.wording import (
    annotation_saved,
    bookmark_changed,
    copied_message,
    copy_failed_message,
    empty_message,
)


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (0, "paper", "0 papers"),
        (1, "paper", "1 paper"),
        (2, "paper", "2 papers"),
        (1, "comment", "1 comment"),
        (-1, "day", "-1 day"),
        (1204, "paper", "1,204 papers"),
        (2, "entry", "2 entries"),
        (1, "GitHub star", "1 GitHub star"),
    ],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_noun_and_count_label() -> None:
    assert noun(1, "child", "children") == "child"
    assert noun(3, "child", "children") == "children"
    assert count_label(0, "paper", zero="no papers") == "no papers"
    assert count_label(1, "paper", zero="no papers") == "1 paper"
    assert count_label(0, "paper") == "0 papers"


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    title = "Can We Defend Against AI-Generated Video Attacks on Real-World Crisis Events?"
    assert shorten(title, 200) == title
    assert shorten(title, 30) == "Can We Defend Against…"
    assert shorten("Supercalifragilistic", 8) == "Superca…"  # one long word: mid-word
    assert shorten("a  b\n c", 10) == "a b c"  # whitespace folded
    assert shorten("anything", 0) == ""
    assert shorten("anything", 1) == "…"


@given(st.text(max_size=200), st.integers(min_value=0, max_value=120))
def test_shorten_fits_and_keeps_a_prefix(text: str, width: int) -> None:
    short = shorten(text, width)
    folded = " ".join(text.split())
    assert len(short) <= width
    if len(folded) <= width:
        assert short == folded
    elif width:
        assert short.endswith("…") and folded.startswith(short[:-1])


def test_annotation_saved_says_what_changed() -> None:
    assert annotation_saved("read §3", None) == "Note saved."
    assert annotation_saved(None, ("rl", "to-read")) == "Tags: rl to-read."
    assert annotation_saved(None, ()) == "Tags removed."
    assert annotation_saved("", None) == "Note removed."
    assert annotation_saved("x", ("rl",)) == "Note saved; tags: rl."
    assert "Note" not in annotation_saved(None, ("rl",))


def test_copied_message_is_one_line() -> None:
    url = "https://huggingface.co/papers/2608.10000"
    fallback = copied_message(
        "Hugging Face link",
        url,
        "fallback",
        "Pyperclip could not find "
        "a copy/paste mechanism for your system.\nSee https://pyperclip...",
    )
    assert fallback == (
        f"Copied the Hugging Face link (through the terminal; no system clipboard): {url}"
    )
    assert "\n" not in fallback and "yperclip" not in fallback
    assert copied_message("arXiv link", url, "system").startswith(
        "Copied the arXiv link to the system clipboard: "
    )
    assert "\n" not in copied_message("x", "a\nb", "terminal")
    failed = copy_failed_message("Pyperclip could not find a mechanism " * 10 + "\nmore")
    assert "\n" not in failed and len(failed) < 200 and "…" in failed


def _loaded(period: Period | None, rows: int = 0, origin: str = "network") -> Loaded:
    row = Row("2608.1", "t", 1, None, None, "a", None, "2026-08-17")
    return Loaded(Source(period=period), (row,) * rows, origin)


def test_empty_message_on_a_weekend_does_not_say_weekends_have_none() -> None:
    sunday = Period.day(date(2026, 8, 23))
    message = empty_message(_loaded(sunday), today=date(2026, 8, 25))
    assert "weekends have none" not in message
    assert message == "No papers are listed on Sun 2026-08-23 (a weekend day)."
    monday = Period.day(date(2026, 8, 17))
    assert "holiday" in empty_message(_loaded(monday), today=date(2026, 8, 25))


def test_empty_message_cases() -> None:
    today = date(2026, 8, 18)
    assert empty_message(None) == "Loading…"
    assert empty_message(_loaded(None), query="") == "Type to search every stored paper."
    assert "“llama”" in empty_message(_loaded(None), query="llama")
    assert "Press x" in empty_message(_loaded(None, 3), unread_only=True, unread_key="x")
    assert "yet" in empty_message(_loaded(Period.day(today)), today=today)
    assert "yet" in empty_message(_loaded(Period.week_of(today)), today=today)
    old = Period.day(date(2023, 5, 1))
    assert "began on Thu 2023-05-04" in empty_message(_loaded(old), today=today)
    failed = Loaded(Source(period=Period.day(date(2026, 8, 17))), (), "none", problem="timeout")
    assert empty_message(failed, today=today).endswith(": timeout")
    assert "bookmarks" in empty_message(Loaded(Source("bookmarks"), (), "store"))
    month = Period.month_of(date(2026, 7, 1))
    assert empty_message(_loaded(month), today=today) == "No papers are listed in July 2026."


def test_export_stem_names_the_view() -> None:
    today = date(2026, 8, 18)
    assert export_stem("view", today, "2026-08-17") == "paperreader-view-2026-08-17"
    assert export_stem("view", today, "2026-W33") == "paperreader-view-2026-W33"
    assert export_stem("bookmarks", today) == "paperreader-bookmarks-2026-08-18"
    assert export_stem("view", today, "../../etc") == "paperreader-view-2026-08-18"


def test_a_bookmark_notice_quotes_the_title_cut_at_a_word() -> None:
    assert bookmark_changed("Short title", True) == "Bookmarked “Short title”"
    assert bookmark_changed("Short title", False) == "Removed the bookmark on “Short title”"
    long = "Thinking in a Low-Resource Language: What SFT Builds, What RL Fixes, and More"
    message = bookmark_changed(long, True)
    assert message == "Bookmarked “Thinking in a Low-Resource Language: What SFT Builds, What…”"
