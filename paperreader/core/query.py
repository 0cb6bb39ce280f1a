"""Search queries: what the user types after ``/``, read into words, phrases and filters.

``llama author:"Jan Chorowski" is:unread upvotes:>50 -survey "latent reasoning"``

* plain words are searched (ranked) over title, authors, abstract, AI summary and
  keywords, and organization; the last word is a prefix while the user types;
* ``"quoted phrases"`` must appear as written (word order kept);
* a leading ``-`` excludes a word or a phrase (``-survey``), or negates a filter
  (``-is:read``, ``-has:code``);
* ``name:value`` is a filter from ``FILTERS`` (values may be quoted);
* ``in:text`` searches the words in the stored full texts of papers instead.

Reading never fails: an unknown filter or a bad value becomes a readable message in
``Query.errors`` and the rest of the text is still used. Nothing here touches SQL or
the screen; ``fts_match`` turns a query into an FTS5 MATCH expression in which every
piece of user text is a quoted string, so user text can never be FTS5 syntax.

Filters are the table ``FILTERS``: to add one (say ``tag:NAME``) add a ``FilterKind``
there and its SQL condition in ``store.search.Planner._filter_condition``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from paperreader.core.models import normalize_id
from paperreader.core.periods import Period, PeriodError, Unit

#: What a filter compares with: text, a number, or a listing period.
FilterValue = str | int | Period

#: Comparison operators of the numeric filters, longest first (so ``>=`` is not ``>``).
COMPARISONS: tuple[str, ...] = (">=", "<=", ">", "<", "=")


@dataclass(frozen=True, slots=True)
class Filter:
    """One ``name:value`` of a query, read and checked.

    ``op`` is ``"contains"`` (author, org), ``"is"`` (is, has, id), one of
    ``COMPARISONS`` (upvotes, stars) or ``"in"`` (day, week, month; ``value`` is a Period).
    ``negated`` is set by a leading ``-``: ``-is:read`` keeps the papers the filter drops.
    """

    name: str
    op: str
    value: FilterValue
    negated: bool = False


class FilterValueError(ValueError):
    """A filter value that cannot be used; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class FilterKind:
    """A filter the query language knows: how to read its value and how to say it."""

    name: str
    #: A working example, shown when the value is missing or bad.
    example: str
    #: Reads the text after the colon into ``(op, value)``; raises FilterValueError.
    read: Callable[[str], tuple[str, FilterValue]]
    #: The filter in a few words, for ``Query.describe``.
    describe: Callable[[Filter], str]


# Value readers -----------------------------------------------------------------------------


def _read_text(text: str) -> tuple[str, FilterValue]:
    value = " ".join(text.split())
    if not value:
        raise FilterValueError("it needs a value")
    return "contains", value


def _read_choice(*choices: str) -> Callable[[str], tuple[str, FilterValue]]:
    def read(text: str) -> tuple[str, FilterValue]:
        value = text.strip().lower()
        if value not in choices:
            raise FilterValueError(f"expected one of: {', '.join(choices)}")
        return "is", value

    return read


_NUMBER = re.compile(r"^\s*(>=|<=|>|<|=)?\s*([0-9]{1,12})\s*$")


def _read_number(text: str) -> tuple[str, FilterValue]:
    match = _NUMBER.match(text)
    if match is None:
        raise FilterValueError(
            "expected a number, optionally after >, >=, <, <= or = (a plain number means >=)"
        )
    return match[1] or ">=", int(match[2])


def _read_period(unit: Unit) -> Callable[[str], tuple[str, FilterValue]]:
    def read(text: str) -> tuple[str, FilterValue]:
        try:
            return "in", Period.parse_unit(unit, text)
        except PeriodError as error:
            raise FilterValueError(str(error)) from None

    return read


def _read_id(text: str) -> tuple[str, FilterValue]:
    paper_id = normalize_id(text)
    if paper_id is None:
        raise FilterValueError(f"{text.strip()!r} is not an arXiv id like 2608.09888")
    return "is", paper_id


# How filters are said ----------------------------------------------------------------------

_CHOICE_WORDS = {
    "unread": "unread",
    "read": "read",
    "bookmarked": "bookmarked",
    "code": "with code",
    "project": "with a project page",
    "model": "with a linked model",
    "dataset": "with a linked dataset",
    "space": "with a linked Space",
    "text": "in stored full texts",
}


def _say_text(item: Filter) -> str:
    return f'{item.name} "{item.value}"'


def _say_choice(item: Filter) -> str:
    return _CHOICE_WORDS.get(str(item.value), str(item.value))


def _say_number(item: Filter) -> str:
    return f"{item.name} {item.op} {item.value}"


def _say_period(item: Filter) -> str:
    return f"{item.name} {item.value}"


def _say_id(item: Filter) -> str:
    return f"id {item.value}"


#: Every filter, in the order they are listed to the user.
FILTERS: dict[str, FilterKind] = {
    kind.name: kind
    for kind in (
        FilterKind("author", 'author:"Jan Chorowski"', _read_text, _say_text),
        FilterKind("org", "org:nvidia", _read_text, _say_text),
        FilterKind("is", "is:unread", _read_choice("unread", "read", "bookmarked"), _say_choice),
        FilterKind(
            "has",
            "has:code",
            _read_choice("code", "project", "note", "model", "dataset", "space"),
            _say_choice,
        ),
        FilterKind("upvotes", "upvotes:>50", _read_number, _say_number),
        FilterKind("stars", "stars:>100", _read_number, _say_number),
        FilterKind("day", "day:2026-08-17", _read_period("day"), _say_period),
        FilterKind("week", "week:2026-W33", _read_period("week"), _say_period),
        FilterKind("month", "month:2026-08", _read_period("month"), _say_period),
        FilterKind("id", "id:2608.09888", _read_id, _say_id),
        FilterKind("tag", "tag:to-read", _read_text, _say_text),
        # The words are searched in the stored full texts (papers without one: -in:text).
        FilterKind("in", "in:text", _read_choice("text"), _say_choice),
    )
}


# Tokens, as the FTS5 unicode61 tokenizer sees them -----------------------------------------


def _is_token_char(char: str) -> bool:
    """Letters, numbers and private-use characters, as in unicode61's default categories;
    plus the combining diacritics U+0300-U+036F, which it keeps in a token (then folds)."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co" or "\u0300" <= char <= "\u036f"


def tokens(text: str) -> tuple[str, ...]:
    """The words the full-text index would make of ``text`` (``in-context`` → in, context).

    Case and diacritics are kept: the index folds them itself when it reads the query.
    """
    found: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text) + " ":
        if _is_token_char(char):
            current.append(char)
        elif current:
            token = "".join(current)
            # A token of combining marks alone is nothing to the index.
            if not all("\u0300" <= c <= "\u036f" for c in token):
                found.append(token)
            current = []
    return tuple(found)


def fts_string(text: str) -> str | None:
    """``text`` as one FTS5 string (a phrase of its tokens), or None if it has no tokens.

    Tokens cannot hold a double quote, but any would be doubled all the same: whatever
    the user typed, the result is a single quoted string, never FTS5 syntax.
    """
    words = tokens(text)
    if not words:
        return None
    return '"' + " ".join(words).replace('"', '""') + '"'


# The query ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: see the module docstring for the syntax."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to search or filter by (errors alone leave a query empty)."""
        return not (self.words or self.phrases or self.excluded or self.filters)

    def describe(self) -> str:
        """The query in a few words: ``words "llama", unread, upvotes > 50``."""
        parts: list[str] = []
        if self.words:
            parts.append("words " + " ".join(f'"{w}"' for w in self.words))
        parts.extend(f'phrase "{p}"' for p in self.phrases)
        if self.excluded:
            parts.append("without " + " ".join(f'"{w}"' for w in self.excluded))
        for item in self.filters:
            said = FILTERS[item.name].describe(item)
            parts.append(f"not {said}" if item.negated else said)
        return ", ".join(parts) if parts else "everything"


_FILTER = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)


def _known() -> str:
    return ", ".join(FILTERS)


#: The most words, phrases and filters a query may hold: each is a condition of one SQL
#: statement, and SQLite refuses an expression deeper than 1000 ("Expression tree is too
#: large"). The terms past it are left out, and ``Query.errors`` says so.
MAX_TERMS = 100


def parse_query(text: str) -> Query:
    """Read what the user typed. Never raises: problems end up in ``Query.errors``."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    filters: list[Filter] = []
    errors: list[str] = []
    dropped = 0

    def room() -> bool:
        """Whether one more term fits (``MAX_TERMS``); counts the ones that do not."""
        nonlocal dropped
        if len(words) + len(phrases) + len(excluded) + len(filters) < MAX_TERMS:
            return True
        dropped += 1
        return False

    def add_text(piece: str, *, negated: bool, phrase: bool) -> None:
        if not tokens(piece):
            return  # punctuation alone: nothing the index could match
        if not room():
            return
        piece = " ".join(piece.split())
        if negated:
            excluded.append(piece)
        elif phrase:
            phrases.append(piece)
        else:
            words.append(piece)

    def add_filter(name: str, value: str, *, negated: bool, written: str) -> None:
        kind = FILTERS.get(name.lower())
        if kind is None:
            errors.append(f'unknown filter "{name}:" (known: {_known()})')
            return
        try:
            op, parsed = kind.read(value)
        except FilterValueError as error:
            if not value.strip():
                errors.append(f'"{written}" needs a value, e.g. {kind.example}')
            else:
                errors.append(f'bad value in "{written}": {error} (e.g. {kind.example})')
            return
        if room():
            filters.append(Filter(kind.name, op, parsed, negated))

    position, end = 0, len(text)
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        if negated:
            position += 1
            if position >= end or text[position].isspace():
                continue
        if text[position] == '"':
            # A phrase; one left open (still being typed) runs to the end of the text.
            close = text.find('"', position + 1)
            close = end if close < 0 else close
            add_text(text[position + 1 : close], negated=negated, phrase=True)
            position = close + 1
            continue
        start = position
        while position < end and not text[position].isspace() and text[position] != '"':
            position += 1
        piece = text[start:position]
        match = _FILTER.match(piece)
        if match is None or match[2].startswith("//"):  # a word, or a link (https://...)
            add_text(piece, negated=negated, phrase=False)
            continue
        name, value = match[1], match[2]
        if not value and position < end and text[position] == '"':
            close = text.find('"', position + 1)
            close = end if close < 0 else close
            value = text[position + 1 : close]
            position = close + 1
        written = f'{name}:"{value}"' if " " in value else f"{name}:{value}"
        add_filter(name, value, negated=negated, written=("-" if negated else "") + written)

    if dropped:
        errors.append(
            f"query too long: at most {MAX_TERMS} words, phrases and filters "
            f"(the last {dropped} left out)"
        )
    return Query(tuple(words), tuple(phrases), tuple(excluded), tuple(filters), tuple(errors))


#: The shortest last word searched as a prefix while typing: one letter would match most
#: of the archive (and be slow); it is matched as a whole word instead.
MIN_PREFIX = 2


def fts_match(
    query: Query,
    *,
    prefix_last: bool = True,
    columns: tuple[str, ...] = (),
    min_prefix: int = MIN_PREFIX,
) -> str | None:
    """An FTS5 MATCH expression for the query's words and phrases; None if it has none.

    Every word and phrase is a quoted string (``in-context`` → ``"in context"``), all
    required (AND). The last word gets ``*`` (a prefix, for search as you type) when
    ``prefix_last`` and its last token has at least ``min_prefix`` characters (a shorter
    one is matched as a whole word). Excluded words follow as ``NOT (...)``; excluded
    words alone give None: FTS5's NOT needs something on its left, so the caller
    excludes them in SQL (see ``fts_any``). ``columns`` restricts the words and phrases
    (not the excluded words) to those columns of the index.
    """
    positive: list[str] = []
    for index, word in enumerate(query.words):
        quoted = fts_string(word)
        if quoted is None:
            continue
        if prefix_last and index == len(query.words) - 1 and len(tokens(word)[-1]) >= min_prefix:
            quoted += "*"
        positive.append(quoted)
    positive.extend(q for q in map(fts_string, query.phrases) if q is not None)
    if not positive:
        return None
    expression = " AND ".join(positive)
    if columns:
        expression = "{" + " ".join(columns) + "} : (" + expression + ")"
    negative = fts_any(query.excluded)
    if negative is not None:
        expression = f"({expression}) NOT ({negative})"
    return expression


def fts_any(texts: tuple[str, ...]) -> str | None:
    """An FTS5 expression matching any of ``texts`` (each a quoted phrase), or None."""
    quoted = [q for q in map(fts_string, texts) if q is not None]
    return " OR ".join(quoted) if quoted else None
