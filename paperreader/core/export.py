"""Exporting papers (a reading list, bookmarks, a search) as JSON, Markdown, BibTeX or CSV.

Every exporter takes a sequence of ``ExportEntry`` and returns the whole document as text;
writing it somewhere is the caller's job. The output is deterministic (no "exported at"
stamp), so exporting the same entries twice gives the same text.

All text in a paper comes from strangers, so each format escapes what is significant in it:

* JSON: control characters are stripped; ``json`` does the rest.
* Markdown: ``[ ] ( ) * _ ` # < > |`` and friends are backslash-escaped, so a title such as
  ``[click](javascript:alert(1))`` or ``<script>`` stays text; only http(s) links are linked.
* BibTeX: LaTeX specials are replaced by commands that never produce an unbalanced brace
  (``{`` becomes ``\\textbraceleft{}``, as BibTeX counts ``\\{`` as a brace); keys are
  ASCII ``[a-z0-9]`` and unique.
* CSV: a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
  carriage return at the start) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from paperreader.core.formats import FORMATS, file_extension, unknown_format
from paperreader.core.models import Paper, normalize_id
from paperreader.core.text import clean_text, safe_url, strip_controls

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ExportEntry",
    "bibtex_key",
    "escape_latex",
    "escape_markdown",
    "export",
    "export_stem",
    "file_extension",
    "to_bibtex",
    "to_csv",
    "to_json",
    "to_markdown",
]


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One paper to export, with what the user added to it."""

    paper: Paper
    bookmarked_at: datetime | None = None  # aware, UTC
    read: bool = False
    note: str = ""
    tags: tuple[str, ...] = ()


def export_stem(what: str, today: date, period_key: str | None = None) -> str:
    """The default file name (without extension) of an export: named after the view's
    period when it has one (``paperreader-view-2026-W33``), else after today
    (``paperreader-bookmarks-2026-08-18``). ``what``: ``"bookmarks"``, ``"view"``..."""
    word = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-") or "export"
    key = period_key if period_key and re.fullmatch(r"[0-9A-Za-z-]+", period_key) else None
    return f"paperreader-{word}-{key or today.isoformat()}"


def export(entries: Sequence[ExportEntry], fmt: str) -> str:
    """Export in the format named ``fmt`` (one of ``FORMATS``)."""
    exporter = _EXPORTERS.get(fmt.strip().lower()) if isinstance(fmt, str) else None
    if exporter is None:
        raise unknown_format(fmt)
    return exporter(entries)


# Shared helpers ---------------------------------------------------------------------------


def _line(value: object) -> str:
    """One line of text, without control characters."""
    return clean_text(value)


def _block(value: object) -> str:
    """Multi-line text (a note) without control characters; line breaks kept."""
    if not isinstance(value, str):
        return ""
    text = strip_controls(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tags(entry: ExportEntry) -> list[str]:
    return [tag for tag in (_line(t) for t in entry.tags) if tag]


def _authors(paper: Paper) -> list[str]:
    return [name for name in (_line(a) for a in paper.authors) if name]


def _optional_link(value: str | None) -> str | None:
    return safe_url(value) if value else None


def _timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z``; a naive datetime is taken to be UTC already."""
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# JSON ---------------------------------------------------------------------------------------


def _json_object(entry: ExportEntry) -> dict[str, Any]:
    paper = entry.paper
    return {
        "id": paper.id,
        "title": _line(paper.title),
        "authors": _authors(paper),
        "links": {
            "huggingface": paper.hf_url,
            "arxiv": paper.arxiv_url,
            "pdf": paper.pdf_url,
            "code": _optional_link(paper.github_repo),
            "project": _optional_link(paper.project_page),
            "media": [url for url in (_optional_link(u) for u in paper.media) if url],
        },
        "upvotes": paper.upvotes,
        "comments": paper.comments,
        "github_stars": paper.github_stars,
        "listing_day": _iso(paper.listing_day),
        "published": _iso(paper.published),
        "organization": _line(paper.organization) or None,
        "organization_handle": paper.organization_handle,
        "submitter": _line(paper.submitter) or None,
        "submitter_handle": paper.submitter_handle,
        "withdrawn": _iso(paper.withdrawn),
        "ai_summary": _line(paper.ai_summary),
        "ai_keywords": [k for k in (_line(k) for k in paper.ai_keywords) if k],
        "summary": _block(paper.summary),
        "bookmarked": entry.bookmarked_at is not None,
        "bookmarked_at": _timestamp(entry.bookmarked_at),
        "read": bool(entry.read),
        "note": _block(entry.note),
        "tags": _tags(entry),
    }


def to_json(entries: Sequence[ExportEntry]) -> str:
    """A JSON array with one object per paper (``[]`` for no papers), ending in a newline."""
    data = [_json_object(entry) for entry in entries]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# Markdown -----------------------------------------------------------------------------------

# Everything CommonMark lets a backslash escape that could start or end markup in running
# text: links and images, emphasis, code, headings, HTML, tables, strikethrough, entities,
# and ``$`` math as GitHub renders it.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|!~&$])")
# Characters that would end or confuse a link destination; percent-encoded.
_URL_UNSAFE = {c: f"%{ord(c):02X}" for c in "()<>\"'`\\| [] "}


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown-significant characters so ``text`` shows as itself."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A line that would still start a list item or a setext heading underline.
    text = re.sub(r"(?m)^(\s*)([-+=])", r"\1\\\2", text)
    return re.sub(r"(?m)^(\s*\d+)\.", r"\1\\.", text)


def _markdown_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


def _markdown_link(label: str, url: str) -> str:
    return f"[{escape_markdown(label)}]({_markdown_url(url)})"


def _markdown_section(entry: ExportEntry) -> list[str]:
    paper = entry.paper
    title = escape_markdown(_line(paper.title) or paper.id)
    lines = [f"## [{title}]({_markdown_url(paper.hf_url)})", ""]

    authors = _authors(paper)
    if authors:
        lines += [f"**Authors:** {escape_markdown(', '.join(authors))}", ""]
    organization = _line(paper.organization)
    if organization:
        lines += [f"**Organization:** {escape_markdown(organization)}", ""]

    facts = []
    if paper.listing_day:
        facts.append(f"**Listed:** {paper.listing_day.isoformat()}")
    if paper.published:
        facts.append(f"**Published:** {paper.published.isoformat()}")
    facts.append(f"**Upvotes:** {paper.upvotes}")
    if paper.comments is not None:
        facts.append(f"**Comments:** {paper.comments}")
    if entry.read:
        facts.append("**Read**")
    lines += [" · ".join(facts), ""]

    links = [
        _markdown_link(f"arXiv {paper.id}", paper.arxiv_url),
        _markdown_link("PDF", paper.pdf_url),
    ]
    code = _optional_link(paper.github_repo)
    if code:
        stars = f" ({paper.github_stars} stars)" if paper.github_stars is not None else ""
        links.append(_markdown_link("Code", code) + stars)
    project = _optional_link(paper.project_page)
    if project:
        links.append(_markdown_link("Project page", project))
    lines += [f"- {link}" for link in links]
    lines.append("")

    summary = _line(paper.ai_summary)
    if summary:
        lines += [f"> {escape_markdown(summary)}", ""]
    note = _block(entry.note)
    if note:
        note_lines = [escape_markdown(line) for line in note.split("\n")]
        # Two trailing spaces would be invisible; a backslash is a visible hard break.
        lines += ["**Note:** " + "\\\n".join(line for line in note_lines if line), ""]
    tags = _tags(entry)
    if tags:
        lines += ["**Tags:** " + ", ".join(f"`{_code_span(tag)}`" for tag in tags), ""]
    return lines


def _code_span(text: str) -> str:
    """Text for a one-backtick code span: backticks cannot close it early."""
    return text.replace("`", "'")


def to_markdown(entries: Sequence[ExportEntry], title: str = "Reading list") -> str:
    """A Markdown document: ``# title`` and one ``##`` section per paper."""
    heading = escape_markdown(_line(title)) or "Reading list"
    lines = [f"# {heading}", ""]
    if not entries:
        lines += ["*No papers.*", ""]
    for entry in entries:
        lines += _markdown_section(entry)
    return "\n".join(lines).rstrip("\n") + "\n"


# BibTeX -------------------------------------------------------------------------------------

# BibTeX counts every brace, escaped or not, so ``\{`` would unbalance a field: braces (and
# the backslash) become text commands whose own braces are balanced.
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_SPECIALS)) + "]")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Letters NFKD does not take apart.
_ASCII_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
    }
)

_STOPWORDS = frozenset(
    """a an the and or but nor of on in into onto at by for from to with without within via
    is are be being was were do does did can could should would will may might must
    how what why when where which who whom whose this that these those it its we our you
    your they their not no yes as vs versus towards toward about beyond through using over
    under up down out than then so if""".split()  # noqa: SIM905
)


def escape_latex(text: str) -> str:
    """Make ``text`` safe in a braced BibTeX field: specials escaped, controls stripped."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_SPECIALS[m.group()], _line(text))


def _ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits of ``text``; accents dropped, others removed."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode("ascii").lower())


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _author_key(name: str) -> str:
    """The last name of an author as ``[a-z0-9]*``: "Last, First" or else the last word."""
    name = _line(name)
    if "," in name:
        word = _ascii_word(name.split(",", 1)[0])
        if word:
            return word
    for token in reversed(name.split()):
        word = _ascii_word(token)
        if word and word not in _NAME_SUFFIXES:
            return word
    return ""


def _year(paper: Paper) -> int | None:
    for day in (paper.published, paper.listing_day):
        if day:
            return day.year
    match = re.match(r"^(\d{2})\d{2}\.", paper.id)
    return 2000 + int(match.group(1)) if match else None


def bibtex_key(paper: Paper) -> str:
    """The base citation key, e.g. ``engdahl2026bdhcq``; ``arxiv260809888`` without authors.

    Always ``[a-z0-9]+``; ``to_bibtex`` makes keys unique by appending letters.
    """
    author = _author_key(paper.authors[0]) if paper.authors else ""
    if not author:
        return "arxiv" + (re.sub(r"[^0-9a-z]", "", paper.id.lower()) or "paper")
    year = _year(paper)
    word = next(
        (
            w
            for w in (_ascii_word(token) for token in _line(paper.title).split())
            if w and not w.isdigit() and w not in _STOPWORDS
        ),
        "",
    )
    return f"{author}{year or ''}{word}"


def _suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa, ..."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _unique_keys(papers: Iterable[Paper]) -> list[str]:
    used: set[str] = set()
    keys = []
    for paper in papers:
        base = bibtex_key(paper)
        key, n = base, 0
        while key in used:
            n += 1
            key = base + _suffix(n)
        used.add(key)
        keys.append(key)
    return keys


def _bibtex_name(name: str) -> str:
    """One author for an ``and``-separated list: braced when BibTeX would misread it."""
    escaped = escape_latex(name)
    if "," in escaped or re.search(r"(?i)(^|\s)and(\s|$)", escaped) or escaped.lower() == "others":
        return "{" + escaped + "}"
    return escaped


def _bibtex_entry(key: str, entry: ExportEntry) -> str:
    paper = entry.paper
    fields: list[tuple[str, str]] = [
        ("title", "{{" + (escape_latex(paper.title) or escape_latex(paper.id)) + "}}")
    ]
    authors = [_bibtex_name(a) for a in _authors(paper)]
    if authors:
        fields.append(("author", "{" + " and ".join(authors) + "}"))
    year = _year(paper)
    if year:
        fields.append(("year", "{" + str(year) + "}"))
    if paper.published:
        fields.append(("month", _MONTHS[paper.published.month - 1]))
    arxiv_id = normalize_id(paper.id)
    if arxiv_id:
        fields += [
            ("eprint", "{" + arxiv_id + "}"),
            ("archivePrefix", "{arXiv}"),
            ("url", "{https://arxiv.org/abs/" + arxiv_id + "}"),
        ]
    note = escape_latex(_block(entry.note))
    if note:
        fields.append(("annote", "{" + note + "}"))
    tags = [escape_latex(tag) for tag in _tags(entry)]
    if tags:
        fields.append(("keywords", "{" + ", ".join(tags) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def to_bibtex(entries: Sequence[ExportEntry]) -> str:
    """``@misc`` entries for BibTeX and biber, one per paper ('' for no papers)."""
    keys = _unique_keys(entry.paper for entry in entries)
    return "\n".join(_bibtex_entry(key, entry) for key, entry in zip(keys, entries, strict=True))


# CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "authors",
    "listing_day",
    "published",
    "upvotes",
    "github_stars",
    "hf_url",
    "arxiv_url",
    "pdf_url",
    "code_url",
    "project_url",
    "bookmarked_at",
    "read",
    "note",
    "tags",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str | int:
    """A CSV cell: numbers as they are, text defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(entries: Sequence[ExportEntry]) -> str:
    """CSV with a header row (always present) and one row per paper; ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        paper = entry.paper
        row = (
            paper.id,
            _line(paper.title),
            "; ".join(_authors(paper)),
            _iso(paper.listing_day),
            _iso(paper.published),
            paper.upvotes,
            paper.github_stars,
            paper.hf_url,
            paper.arxiv_url,
            paper.pdf_url,
            _optional_link(paper.github_repo),
            _optional_link(paper.project_page),
            _timestamp(entry.bookmarked_at),
            "true" if entry.read else "false",
            _block(entry.note),
            "; ".join(_tags(entry)),
        )
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


_EXPORTERS: dict[str, Callable[[Sequence[ExportEntry]], str]] = {
    "json": to_json,
    "markdown": to_markdown,
    "bibtex": to_bibtex,
    "csv": to_csv,
}
