"""Cleaning text from the network, and telling safe links from unsafe ones."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperreader.core.models import parse_paper
from paperreader.core.text import (
    clean_paragraphs,
    clean_text,
    display_url,
    safe_url,
    strip_controls,
)

#: Every character with the Unicode Bidi_Control property.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("a\x1b[1;38;5;196mb", "ab"),
        ("x\x1b]52;c;aGk=\x07y", "xy"),  # OSC 52 clipboard write, BEL-terminated
        ("x\x1b]0;pwned\x1b\\y", "xy"),  # OSC title, ST-terminated
        ("x\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # OSC 8 hyperlink
        ("x\x9b31my", "xy"),  # 8-bit CSI
        ("x\x9d0;title\x9cy", "xy"),  # 8-bit OSC with 8-bit ST
        ("x\x1bPq#0;2;0;0;0\x1b\\y", "xy"),  # DCS (sixel)
        ("clear\x1b[2J\x1b[H", "clear"),
        ("x\x1bcy", "xcy"),  # ESC c (full reset) loses its ESC; 'c' is harmless text
        ("x\x1b]0;unterminated title", "x"),
    ],
)
def test_escape_sequences_are_removed_whole(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert "\x1b" not in clean_text(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b\x07c\x08d", "abcd"),  # C0
        ("a\x7fb", "ab"),  # DEL
        ("a\x85b\x80c\x9ad", "abcd"),  # C1 (not introducers of strings)
        ("\u202eevil\u202c", "evil"),  # bidi override and pop
        ("\u2066iso\u2069 \u200emark\u200f", "iso mark"),  # isolates, LRM/RLM
        ("zero\u200bwidth\u200d", "zerowidth"),  # zero-width space and joiner
        ("\ufeffbom", "bom"),
        ("word\u2060joiner", "wordjoiner"),
    ],
)
def test_invisible_and_control_characters_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_arabic_letter_mark_is_removed() -> None:
    # Regression: U+061C, a Bidi_Control like LRM/RLM, once survived.
    assert clean_text("a\u061cb") == "ab"


def test_markup_is_kept_literally() -> None:
    text = "[bold]x[/] [link=https://evil]y[/link] [@click=app.quit]z[/]"
    assert clean_text(text) == text


def test_non_strings_become_empty() -> None:
    for value in (None, 42, 3.5, ["a"], {"a": "b"}, b"bytes"):
        assert clean_text(value) == ""
        assert clean_paragraphs(value) == ""


def test_white_space_is_collapsed() -> None:
    assert clean_text("  a \t b\n\nc\r\nd\u00a0e\u2028f  ") == "a b c d e f"
    assert clean_text(" \n\t ") == ""


def test_unicode_text_is_kept() -> None:
    text = "Przemysław Uznański — 東京 🦙 Ελληνικά"
    assert clean_text(text) == text


def test_clean_paragraphs_keeps_blank_line_paragraphs() -> None:
    raw = "First line\nwrapped  here.\n\n  \nSecond\tparagraph.\r\n\r\nThird.\n"
    assert clean_paragraphs(raw) == "First line wrapped here.\n\nSecond paragraph.\n\nThird."


def test_clean_paragraphs_strips_controls_but_keeps_breaks() -> None:
    raw = "One\x1b[31m red\x1b[0m\n\n\u202eTwo\x00"
    assert clean_paragraphs(raw) == "One red\n\nTwo"
    assert clean_paragraphs("\n\n\n") == ""


def test_strip_controls_keeps_white_space() -> None:
    assert strip_controls("a\n\tb\x1b[0m") == "a\n\tb"


@pytest.mark.parametrize(
    "raw",
    ["costs \\$0.0007", "50\\% of \\& more \\_x \\#1 \\{x_i\\}", "\\alpha and \\\\ stay"],
)
def test_tex_is_kept_as_written(raw: str) -> None:
    """The website shows ``\\$0.0007`` and ``\\{x_i\\}``: unescaping changed the maths."""
    paper = parse_paper({"id": "2608.00001", "title": f"T {raw}", "summary": f"S {raw}\n  more"})
    assert paper is not None
    assert paper.title == f"T {raw}"
    assert paper.summary == f"S {raw} more"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/pathwaycom/arc-task-gen",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/a?b=c#d",
        "https://127.0.0.1:8080/x",
        "https://[::1]/x",
    ],
)
def test_safe_url_accepts_http_with_a_host(url: str) -> None:
    assert safe_url(url) == url


def test_safe_url_strips_surrounding_space() -> None:
    assert safe_url("  https://example.com/  ") == "https://example.com/"


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/file",
        "example.com/path",
        "//example.com/path",
        "http://",
        "https:///path",
        "https://exa mple.com",
        "https://example.com/a b",
        "https://example.com/\nx",
        "https://example.com/\x1b]52;c;aGk=\x07",
        "https://example.com/\x00",
        "https://example.com/\u202e",
        "https://example.com/\u200b",
        "https://[::1/x",
        "https://example.com/" + "a" * 3000,
        "",
        "   ",
        None,
        42,
        ["https://example.com"],
        b"https://example.com",
    ],
    ids=repr,
)
def test_safe_url_rejects(value: object) -> None:
    assert safe_url(value) is None


def test_display_url_shows_unsafe_links_as_clean_text() -> None:
    assert display_url("javascript:alert(1)\x1b[2J") == "javascript:alert(1)"
    assert display_url(None) == ""


# Property --------------------------------------------------------------------------------

_any_text = st.text(st.characters(codec="utf-8"), max_size=60)
_hostile_pieces = st.sampled_from(
    [
        "\x1b[",
        "\x1b]",
        "\x1b\\",
        "\x07",
        "\x9b",
        "\x9d",
        "\x9c",
        "\x1bP",
        "31m",
        "\u202e",
        "\u061c",
        "\u2067",
        "\u200b",
        "\ufeff",
        "\n",
        "[bold]",
        "\\$",
    ]
)
_mixed_text = st.lists(st.one_of(_any_text, _hostile_pieces), max_size=12).map("".join)


def _assert_clean(out: str) -> None:
    assert not any(unicodedata.category(c) == "Cc" for c in out if c != "\n"), repr(out)
    assert not BIDI_CONTROLS.intersection(out), repr(out)
    assert "\ufeff" not in out and "\u200b" not in out


@settings(max_examples=400, deadline=None)
@given(_mixed_text)
def test_clean_text_output_has_no_controls(raw: str) -> None:
    out = clean_text(raw)
    _assert_clean(out)
    assert "\n" not in out
    assert out == out.strip()
    assert "  " not in out
    assert clean_text(out) == out  # idempotent


@settings(max_examples=200, deadline=None)
@given(_mixed_text)
def test_clean_paragraphs_output_has_no_controls(raw: str) -> None:
    out = clean_paragraphs(raw)
    _assert_clean(out)
    assert "\n\n\n" not in out


@settings(max_examples=200, deadline=None)
@given(_mixed_text)
def test_safe_url_never_returns_something_unsafe(raw: str) -> None:
    for candidate in (raw, "https://example.com/" + raw):
        url = safe_url(candidate)
        if url is not None:
            assert url.lower().startswith(("http://", "https://"))
            assert not any(c.isspace() for c in url)
            _assert_clean(url)
