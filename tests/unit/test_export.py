"""Tests for paperreader.core.export: every format, hostile input, and empty lists."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from paperreader.core.export import (
    CSV_COLUMNS,
    FORMATS,
    ExportEntry,
    bibtex_key,
    escape_latex,
    escape_markdown,
    export,
    file_extension,
    to_bibtex,
    to_csv,
    to_json,
    to_markdown,
)
from paperreader.core.models import Paper

HOSTILE_TITLE = "50% of $x & y_z #1 {unbalanced"
MARKUP_TITLE = "[bold]x[/] and [click](javascript:alert(1)) <script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def make_paper(**changes: object) -> Paper:
    fields: dict[str, object] = {
        "id": "2608.09888",
        "title": "BDH-CQ: Quantum Baby Dragons",
        "summary": "We study dragons.\n\nThen we study more dragons.",
        "authors": ("Anna Engdahl", "Bo Li", "Carla Díaz"),
        "listing_day": date(2026, 8, 11),
        "published": date(2026, 8, 10),
        "upvotes": 42,
        "comments": 3,
        "github_repo": "https://github.com/example/bdh",
        "github_stars": 120,
        "project_page": "https://example.org/bdh",
        "ai_summary": "Dragons, but quantum.",
        "ai_keywords": ("dragons", "quantum"),
        "organization": "Example Lab",
        "submitter": "someone",
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


def hostile_entry() -> ExportEntry:
    paper = make_paper(
        title=HOSTILE_TITLE,
        authors=("Jürgen {Ö}ngström", "Ben and Jerry", "Smith, John", "François } Noël \\relax"),
        github_repo="javascript:alert(1)",
        project_page="https://example.org/a(b)<c>",
        ai_summary=MARKUP_TITLE,
        organization="=cmd|' /C calc'!A0",
    )
    return ExportEntry(
        paper,
        bookmarked_at=datetime(2026, 8, 12, 9, 30, tzinfo=UTC),
        read=True,
        note="100% ~sure~ ^_^ #tag & more\n- not a list\n=SUM(A1)",
        tags=("to-read", "@mention"),
    )


# A small BibTeX reader, strict about everything BibTeX and biber are strict about --------

_ENTRY_HEAD = re.compile(r"@([A-Za-z]+)\{([^,\s{}()\"#%'=]*),")
_FIELD_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*")
_BARE_VALUE = re.compile(r"[A-Za-z0-9]+")
_KNOWN_ESCAPES = re.compile(
    r"\\(?:[$&%#_]|text(?:backslash|braceleft|braceright|asciicircum|asciitilde"
    r"|less|greater|bar)\{\})"
)


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Entries as (type, key, {field: raw value}); AssertionError on anything malformed."""
    entries = []
    pos = 0
    while True:
        at = text.find("@", pos)
        if at == -1:
            assert text[pos:].strip() == "", f"junk after the last entry: {text[pos:]!r}"
            return entries
        assert text[pos:at].strip() == "", f"junk between entries: {text[pos:at]!r}"
        head = _ENTRY_HEAD.match(text, at)
        assert head, f"bad entry head at {text[at : at + 40]!r}"
        kind, key = head.groups()
        pos = head.end()
        fields: dict[str, str] = {}
        while True:
            name_match = _FIELD_NAME.match(text, pos)
            assert name_match, f"bad field at {text[pos : pos + 40]!r}"
            name = name_match.group(1).lower()
            assert name not in fields, f"field {name} twice"
            pos = name_match.end()
            if text[pos] == "{":
                depth, end = 0, pos
                while True:
                    assert end < len(text), "unbalanced braces: the entry never ends"
                    if text[end] == "{":
                        depth += 1
                    elif text[end] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    end += 1
                fields[name] = text[pos + 1 : end]
                pos = end + 1
            else:
                bare = _BARE_VALUE.match(text, pos)
                assert bare, f"bad value at {text[pos : pos + 40]!r}"
                fields[name] = bare.group()
                pos = bare.end()
            rest = re.compile(r"\s*([,}])").match(text, pos)
            assert rest, f"expected , or }} at {text[pos : pos + 40]!r}"
            pos = rest.end()
            if rest.group(1) == "}":
                break
            closing = re.compile(r"\s*\}").match(text, pos)  # a trailing comma
            if closing:
                pos = closing.end()
                break
        entries.append((kind, key, fields))


def check_value(value: str) -> None:
    """A field value: balanced, no control characters, every special escaped."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, f"closing brace without an opening one in {value!r}"
    assert depth == 0, f"unbalanced braces in {value!r}"
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", value), f"control character in {value!r}"
    # BibTeX counts \{ as a brace but LaTeX does not: never produce one.
    assert "\\{" not in value
    assert "\\}" not in value
    rest = _KNOWN_ESCAPES.sub("", value)
    assert "\\" not in rest, f"unknown command in {value!r}"
    assert not re.search(r"[%&#$_^~]", rest), f"unescaped special in {value!r}"


def check_bibtex(text: str, count: int) -> list[tuple[str, str, dict[str, str]]]:
    entries = parse_bibtex(text)
    assert len(entries) == count
    keys = [key for _, key, _ in entries]
    assert len(set(keys)) == len(keys), f"duplicate keys: {keys}"
    for kind, key, fields in entries:
        assert kind == "misc"
        assert re.fullmatch(r"[a-z0-9]+", key), key
        for required in ("title", "year", "eprint", "archiveprefix", "url"):
            assert required in fields, f"{key}: no {required}"
        assert fields["title"].startswith("{") and fields["title"].endswith("}")
        assert fields["archiveprefix"] == "arXiv"
        for name, value in fields.items():
            if name not in ("url", "eprint"):
                check_value(value)
    return entries


def split_authors(value: str) -> list[str]:
    """Split an author field on " and " at brace depth 0, as BibTeX does."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        if value[i] == "{":
            depth += 1
        elif value[i] == "}":
            depth -= 1
        elif depth == 0 and re.match(r"\s+and\s+", value[i:], re.IGNORECASE) and i > start:
            match = re.match(r"\s+and\s+", value[i:], re.IGNORECASE)
            assert match
            names.append(value[start:i])
            i += match.end()
            start = i
            continue
        i += 1
    names.append(value[start:])
    return names


# Dispatch and empty lists -------------------------------------------------------------------


def test_formats_and_extensions() -> None:
    assert FORMATS == ("json", "markdown", "bibtex", "csv")
    assert [file_extension(f) for f in FORMATS] == ["json", "md", "bib", "csv"]


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ValueError) as info:
        export([], "docx")
    for fmt in FORMATS:
        assert fmt in str(info.value)
    with pytest.raises(ValueError):
        file_extension("docx")


def test_dispatch_matches_the_exporters() -> None:
    entries = [ExportEntry(make_paper())]
    assert export(entries, "json") == to_json(entries)
    assert export(entries, "markdown") == to_markdown(entries)
    assert export(entries, "bibtex") == to_bibtex(entries)
    assert export(entries, "csv") == to_csv(entries)
    assert export(entries, " JSON ") == to_json(entries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_list_gives_valid_output(fmt: str) -> None:
    text = export([], fmt)
    if fmt == "json":
        assert json.loads(text) == []
        assert text.endswith("\n")
    elif fmt == "markdown":
        assert text.startswith("# Reading list\n")
        assert text.endswith("\n")
    elif fmt == "bibtex":
        assert parse_bibtex(text) == []
    else:
        assert list(csv.reader(io.StringIO(text))) == [list(CSV_COLUMNS)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_accepts_hostile_input(fmt: str) -> None:
    text = export([hostile_entry(), ExportEntry(make_paper(id="2608.00001"))], fmt)
    assert "\x1b" not in text
    assert text.endswith("\n")


# JSON ---------------------------------------------------------------------------------------


def test_json_fields() -> None:
    entry = ExportEntry(
        make_paper(),
        bookmarked_at=datetime(2026, 8, 12, 11, 30, 5, 123, tzinfo=timezone(timedelta(hours=2))),
        read=True,
        note="Read §3 first.",
        tags=("dragons", "later"),
    )
    text = to_json([entry, ExportEntry(make_paper(id="2608.00001"))])
    assert text.endswith("\n")
    assert "Díaz" in text  # ensure_ascii=False
    data = json.loads(text)
    assert len(data) == 2
    obj = data[0]
    assert set(obj) == {
        "id",
        "title",
        "authors",
        "links",
        "upvotes",
        "comments",
        "github_stars",
        "listing_day",
        "published",
        "organization",
        "organization_handle",
        "submitter",
        "submitter_handle",
        "withdrawn",
        "ai_summary",
        "ai_keywords",
        "summary",
        "bookmarked",
        "bookmarked_at",
        "read",
        "note",
        "tags",
    }
    paper = entry.paper
    assert obj["id"] == paper.id
    assert obj["title"] == paper.title
    assert obj["authors"] == list(paper.authors)
    assert obj["links"] == {
        "huggingface": paper.hf_url,
        "arxiv": paper.arxiv_url,
        "pdf": paper.pdf_url,
        "code": paper.github_repo,
        "project": paper.project_page,
        "media": [],
    }
    assert obj["upvotes"] == 42
    assert obj["comments"] == 3
    assert obj["github_stars"] == 120
    assert obj["listing_day"] == "2026-08-11"
    assert obj["published"] == "2026-08-10"
    assert obj["organization"] == "Example Lab"
    assert obj["ai_summary"] == paper.ai_summary
    assert obj["ai_keywords"] == ["dragons", "quantum"]
    assert obj["summary"] == paper.summary
    assert obj["bookmarked_at"] == "2026-08-12T09:30:05Z"  # converted to UTC
    assert obj["read"] is True
    assert obj["note"] == "Read §3 first."
    assert obj["tags"] == ["dragons", "later"]
    assert data[1]["bookmarked_at"] is None
    assert data[1]["read"] is False
    assert data[1]["note"] == ""
    assert data[1]["tags"] == []


def test_json_missing_and_unsafe_values() -> None:
    paper = make_paper(
        github_repo="javascript:alert(1)",
        project_page=None,
        listing_day=None,
        published=None,
        comments=None,
        github_stars=None,
        organization=None,
        title="red \x1b[31mtitle\x1b[0m\x9b",
    )
    obj = json.loads(to_json([ExportEntry(paper)]))[0]
    assert obj["links"]["code"] is None
    assert obj["links"]["project"] is None
    assert obj["listing_day"] is None
    assert obj["published"] is None
    assert obj["comments"] is None
    assert obj["github_stars"] is None
    assert obj["organization"] is None
    assert obj["title"] == "red title"


def test_json_hostile_text_survives_as_data() -> None:
    obj = json.loads(to_json([hostile_entry()]))[0]
    assert obj["title"] == HOSTILE_TITLE
    assert obj["ai_summary"] == MARKUP_TITLE
    assert obj["authors"][0] == "Jürgen {Ö}ngström"
    assert obj["note"].splitlines() == ["100% ~sure~ ^_^ #tag & more", "- not a list", "=SUM(A1)"]
    assert obj["links"]["project"] == "https://example.org/a(b)<c>"


# Markdown -----------------------------------------------------------------------------------


def markdown_links(text: str, preset: str = "commonmark") -> list[str]:
    """Every link target in the rendered document; fails on any raw HTML."""
    md = MarkdownIt(preset)
    if preset == "gfm-like":
        md.enable("linkify")
    hrefs = []
    stack = list(md.parse(text))
    while stack:
        token = stack.pop()
        assert token.type not in ("html_inline", "html_block"), token
        if token.type == "link_open":
            hrefs.append(str(token.attrGet("href")))
        stack.extend(token.children or ())
    return hrefs


def inline_text(markdown: str) -> str:
    """The plain text of a one-paragraph Markdown snippet as a reader would see it."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    inline = [t for t in tokens if t.type == "inline"]
    assert len(inline) == 1, tokens
    children = inline[0].children or []
    assert all(c.type in ("text", "text_special") for c in children), children
    return "".join(c.content for c in children)


def test_markdown_layout() -> None:
    entry = ExportEntry(make_paper(), read=True, note="Read §3.", tags=("dragons", "later"))
    text = to_markdown([entry], title="My list")
    assert text.startswith(
        "# My list\n\n## [BDH-CQ: Quantum Baby Dragons](https://huggingface.co/papers/2608.09888)"
    )
    assert "Anna Engdahl, Bo Li, Carla Díaz" in text
    assert "2026-08-11" in text
    assert "42" in text
    assert "- [PDF](https://arxiv.org/pdf/2608.09888)" in text
    assert "> Dragons, but quantum." in text
    assert "Read §3." in text
    assert "`dragons`" in text
    assert sorted(markdown_links(text)) == sorted(
        [
            "https://huggingface.co/papers/2608.09888",
            "https://arxiv.org/abs/2608.09888",
            "https://arxiv.org/pdf/2608.09888",
            "https://github.com/example/bdh",
            "https://example.org/bdh",
        ]
    )
    assert to_markdown([entry]).startswith("# Reading list\n")


@pytest.mark.parametrize("preset", ["commonmark", "gfm-like"])
def test_markdown_cannot_be_injected(preset: str) -> None:
    entry = hostile_entry()
    paper = make_paper(
        id="2608.00002", title=MARKUP_TITLE, authors=("<img src=x onerror=alert(1)>",)
    )
    text = to_markdown([entry, ExportEntry(paper)])
    assert "](javascript:" not in text
    hrefs = markdown_links(text, preset)
    assert not any("javascript" in href for href in hrefs)
    # Only the links we made: the unsafe code link is left out, the odd project URL encoded.
    assert "https://example.org/a%28b%29%3Cc%3E" in hrefs
    assert len(hrefs) == 4 + 5


def test_markdown_title_shows_as_itself() -> None:
    text = to_markdown([ExportEntry(make_paper(title=MARKUP_TITLE))])
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    tokens = MarkdownIt("commonmark").parse(heading)
    children = next(t for t in tokens if t.type == "inline").children or []
    assert children[0].type == "link_open"
    assert children[-1].type == "link_close"
    assert "".join(c.content for c in children if c.type in ("text", "text_special")) == (
        MARKUP_TITLE
    )


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE_TITLE,
        MARKUP_TITLE,
        "# not a heading",
        "- not a list",
        "+ nor this",
        "1. nor this",
        "> nor a quote",
        "*not emphasis* _nor this_ **nor** `code`",
        "&amp; &lt;b&gt; | a | b |",
        "<https://example.com> ![img](x.png) ~~gone~~ $x^2$",
        "back\\slash\\",
    ],
)
def test_escape_markdown_round_trips(text: str) -> None:
    assert inline_text(escape_markdown(text)) == text


@settings(max_examples=300)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_escape_markdown_round_trips_any_line(raw: str) -> None:
    text = " ".join(raw.split())
    if text and not re.search(r"[\x00-\x1f\x7f-\x9f]", text):
        assert inline_text(escape_markdown(text)) == text


def test_markdown_empty() -> None:
    text = to_markdown([])
    assert text == "# Reading list\n\n*No papers.*\n"
    assert markdown_links(text) == []


# BibTeX -------------------------------------------------------------------------------------


def test_bibtex_entry() -> None:
    entry = ExportEntry(make_paper(), note="Read §3.", tags=("dragons",))
    text = to_bibtex([entry])
    assert text.startswith("@misc{engdahl2026bdhcq,\n")
    [(_, key, fields)] = check_bibtex(text, 1)
    assert key == "engdahl2026bdhcq"
    assert fields["title"] == "{BDH-CQ: Quantum Baby Dragons}"
    assert split_authors(fields["author"]) == ["Anna Engdahl", "Bo Li", "Carla Díaz"]
    assert fields["year"] == "2026"
    assert fields["month"] == "aug"
    assert fields["eprint"] == "2608.09888"
    assert fields["url"] == "https://arxiv.org/abs/2608.09888"
    assert "primaryclass" not in fields
    assert fields["annote"] == "Read §3."
    assert fields["keywords"] == "dragons"


def test_bibtex_hostile_input() -> None:
    text = to_bibtex([hostile_entry()])
    [(_, key, fields)] = check_bibtex(text, 1)
    assert key == "ongstrom2026x"
    assert fields["title"] == (r"{50\% of \$x \& y\_z \#1 \textbraceleft{}unbalanced}")
    authors = split_authors(fields["author"])
    assert authors == [
        r"Jürgen \textbraceleft{}Ö\textbraceright{}ngström",
        "{Ben and Jerry}",
        "{Smith, John}",
        r"François \textbraceright{} Noël \textbackslash{}relax",
    ]
    assert "\n" not in fields["annote"]


def test_bibtex_year_fallbacks() -> None:
    no_published = make_paper(published=None, listing_day=date(2025, 12, 31))
    no_dates = make_paper(id="2401.00001", published=None, listing_day=None)
    entries = check_bibtex(to_bibtex([ExportEntry(no_published), ExportEntry(no_dates)]), 2)
    assert entries[0][2]["year"] == "2025"
    assert "month" not in entries[0][2]
    assert entries[1][2]["year"] == "2024"
    assert entries[1][1] == "engdahl2024bdhcq"


@pytest.mark.parametrize(
    ("authors", "title", "key"),
    [
        ((), "Anything", "arxiv260809888"),
        (("李明",), "Anything", "arxiv260809888"),
        (("Zoë Ålund-Øster",), "The Art of Łódź", "alundoster2026art"),
        (("Straße, Hans",), "On a Model", "strasse2026model"),
        (("Martin Luther King Jr.",), "A 3D World", "king20263d"),
        (("Anna Engdahl",), "The 50% of It", "engdahl2026"),
    ],
)
def test_bibtex_keys(authors: tuple[str, ...], title: str, key: str) -> None:
    assert bibtex_key(make_paper(authors=authors, title=title)) == key


def test_bibtex_key_collisions() -> None:
    papers = [
        make_paper(id="2608.00001", title="Deep Dragons"),
        make_paper(id="2608.00002", title="Deep dragons again"),
        make_paper(id="2608.00003", title="Deepa"),  # natural key = first collision key
        make_paper(id="2608.00004", title="Deep"),
        make_paper(id="2608.00005", authors=()),
        make_paper(id="2608.00005", authors=()),
    ]
    entries = check_bibtex(to_bibtex([ExportEntry(p) for p in papers]), len(papers))
    assert [key for _, key, _ in entries] == [
        "engdahl2026deep",
        "engdahl2026deepa",
        "engdahl2026deepaa",
        "engdahl2026deepb",
        "arxiv260800005",
        "arxiv260800005a",
    ]


def test_escape_latex() -> None:
    assert escape_latex("a\\b{c}$&%#_^~") == (
        r"a\textbackslash{}b\textbraceleft{}c\textbraceright{}\$\&\%\#\_"
        r"\textasciicircum{}\textasciitilde{}"
    )
    assert escape_latex("x\x00\x1b[31my\x9b\u202e") == "xy"
    assert escape_latex("Ünïcødé stays") == "Ünïcødé stays"


_any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=200)
@given(
    titles=st.lists(_any_text, min_size=1, max_size=4),
    authors=st.lists(_any_text, max_size=4),
    note=_any_text,
    tags=st.lists(_any_text, max_size=3),
)
def test_bibtex_any_text_is_well_formed(
    titles: list[str], authors: list[str], note: str, tags: list[str]
) -> None:
    entries = [
        ExportEntry(make_paper(title=t, authors=tuple(authors)), note=note, tags=tuple(tags))
        for t in titles
    ]
    check_bibtex(to_bibtex(entries), len(entries))


# CSV ----------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_COLUMNS)
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    return [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]


def test_csv_row() -> None:
    entry = ExportEntry(
        make_paper(),
        bookmarked_at=datetime(2026, 8, 12, 9, 30, tzinfo=UTC),
        read=True,
        note="Two\nlines",
        tags=("a", "b"),
    )
    [row] = read_csv(to_csv([entry]))
    assert row == {
        "id": "2608.09888",
        "title": "BDH-CQ: Quantum Baby Dragons",
        "authors": "Anna Engdahl; Bo Li; Carla Díaz",
        "listing_day": "2026-08-11",
        "published": "2026-08-10",
        "upvotes": "42",
        "github_stars": "120",
        "hf_url": "https://huggingface.co/papers/2608.09888",
        "arxiv_url": "https://arxiv.org/abs/2608.09888",
        "pdf_url": "https://arxiv.org/pdf/2608.09888",
        "code_url": "https://github.com/example/bdh",
        "project_url": "https://example.org/bdh",
        "bookmarked_at": "2026-08-12T09:30:00Z",
        "read": "true",
        "note": "Two\nlines",
        "tags": "a; b",
    }


def test_csv_formula_injection() -> None:
    paper = make_paper(
        title=FORMULA,
        authors=("+cmd|' /C calc'!A0", "Bo Li"),
        github_repo="javascript:alert(1)",
        github_stars=None,
        listing_day=None,
    )
    entry = ExportEntry(paper, note="@SUM(1+1)*cmd|' /C calc'!A0", tags=("-2+3", "ok"))
    [row] = read_csv(to_csv([entry]))
    assert row["title"] == "'" + FORMULA
    assert row["authors"] == "'+cmd|' /C calc'!A0; Bo Li"
    assert row["note"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["tags"] == "'-2+3; ok"
    assert row["code_url"] == ""
    assert row["github_stars"] == ""
    assert row["listing_day"] == ""
    assert row["read"] == "false"


@settings(max_examples=200)
@given(title=_any_text, note=_any_text)
def test_csv_no_cell_starts_a_formula(title: str, note: str) -> None:
    paper = make_paper(title=title or "x")
    [row] = read_csv(to_csv([ExportEntry(paper, note=note)]))
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
