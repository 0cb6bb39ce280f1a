"""The search query language: words, phrases, exclusions, filters, and safe FTS5 text."""

from __future__ import annotations

from datetime import date

import pytest

from paperreader.core.models import Paper
from paperreader.core.periods import Period
from paperreader.core.query import (
    FILTERS,
    Filter,
    Query,
    fts_match,
    fts_string,
    parse_query,
    tokens,
)
from paperreader.core.store import Store

# Words, phrases, exclusions ----------------------------------------------------------------


def test_plain_words() -> None:
    query = parse_query("  latent   reasoning ")
    assert query.words == ("latent", "reasoning")
    assert query == Query(words=("latent", "reasoning"))
    assert not query.is_empty


def test_quoted_phrases_and_words() -> None:
    query = parse_query('llama "latent reasoning" agents')
    assert query.words == ("llama", "agents")
    assert query.phrases == ("latent reasoning",)


def test_unclosed_phrase_runs_to_the_end() -> None:
    assert parse_query('x "latent reas').phrases == ("latent reas",)


def test_negation_of_words_and_phrases() -> None:
    query = parse_query('agents -survey -"position paper" - --x')
    assert query.words == ("agents",)
    assert query.excluded == ("survey", "position paper", "-x")
    assert not parse_query("-survey").is_empty


def test_punctuation_only_words_are_dropped() -> None:
    query = parse_query('--- ... "" " , " llama !!')
    assert query.words == ("llama",)
    assert query.phrases == ()


def test_empty_query() -> None:
    for text in ("", "   ", '""', "-"):
        query = parse_query(text)
        assert query.is_empty
        assert query == Query()
        assert query.describe() == "everything"
        assert fts_match(query) is None


def test_words_with_colons_that_are_not_filters_are_words() -> None:
    query = parse_query("10:30 :x https://github.com/a/b")
    assert query.words == ("10:30", ":x", "https://github.com/a/b")
    assert query.errors == ()
    assert fts_match(query) == '"10 30" AND "x" AND "https github com a b"'


# Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("author:chen", Filter("author", "contains", "chen")),
        ('author:"Jan Chorowski"', Filter("author", "contains", "Jan Chorowski")),
        ('Author:"  Jan   Chorowski "', Filter("author", "contains", "Jan Chorowski")),
        ("org:nvidia", Filter("org", "contains", "nvidia")),
        ('org:"Meta AI"', Filter("org", "contains", "Meta AI")),
        ("is:unread", Filter("is", "is", "unread")),
        ("is:read", Filter("is", "is", "read")),
        ("is:Bookmarked", Filter("is", "is", "bookmarked")),
        ("has:code", Filter("has", "is", "code")),
        ("has:project", Filter("has", "is", "project")),
        ("upvotes:>50", Filter("upvotes", ">", 50)),
        ("upvotes:>=50", Filter("upvotes", ">=", 50)),
        ("upvotes:<50", Filter("upvotes", "<", 50)),
        ("upvotes:<=50", Filter("upvotes", "<=", 50)),
        ("upvotes:=50", Filter("upvotes", "=", 50)),
        ("upvotes:50", Filter("upvotes", ">=", 50)),
        ("stars:>100", Filter("stars", ">", 100)),
        ("stars:0", Filter("stars", ">=", 0)),
        ("day:2026-08-17", Filter("day", "in", Period.day(date(2026, 8, 17)))),
        ("week:2026-W33", Filter("week", "in", Period("week", date(2026, 8, 10)))),
        ("month:2026-08", Filter("month", "in", Period("month", date(2026, 8, 1)))),
        ("id:2608.09888", Filter("id", "is", "2608.09888")),
        ("id:2608.09888v2", Filter("id", "is", "2608.09888")),
        ("-is:read", Filter("is", "is", "read", negated=True)),
        ("-author:chen", Filter("author", "contains", "chen", negated=True)),
    ],
)
def test_filters(text: str, expected: Filter) -> None:
    query = parse_query(f"llama {text} agents")
    assert query.filters == (expected,)
    assert query.words == ("llama", "agents")
    assert query.errors == ()
    assert not parse_query(text).is_empty


def test_every_filter_is_listed_in_order() -> None:
    assert tuple(FILTERS) == (
        "author",
        "org",
        "is",
        "has",
        "upvotes",
        "stars",
        "day",
        "week",
        "month",
        "id",
        "tag",
        "in",
    )


def test_unknown_filter_is_reported_and_the_rest_still_parsed() -> None:
    query = parse_query('llama foo:bar is:unread "latent reasoning"')
    assert query.errors == (
        'unknown filter "foo:" (known: author, org, is, has, upvotes, stars, day, week, month, '
        "id, tag, in)",
    )
    assert query.words == ("llama",)
    assert query.phrases == ("latent reasoning",)
    assert query.filters == (Filter("is", "is", "unread"),)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("upvotes:lots", 'bad value in "upvotes:lots": expected a number'),
        ("upvotes:>>5", "expected a number"),
        ("upvotes:-5", "expected a number"),
        ("stars:1.5", "expected a number"),
        ("day:2026-13-01", "'2026-13-01' is not a real date"),
        ("day:2026-08", "is not a day"),
        ("week:2026-W54", "not a real date, week or month"),
        ("week:2026-08-17", "is not a week"),
        ("month:2026-8", "is not a date"),
        ("month:2026-13", "not a real date"),
        ("is:shiny", "expected one of: unread, read, bookmarked"),
        ("has:paper", "expected one of: code, project"),
        ("id:2608", "is not an arXiv id"),
        ("id:../../x", "is not an arXiv id"),
        ('author:""', '"author:" needs a value, e.g. author:"Jan Chorowski"'),
        ("org:", '"org:" needs a value'),
        ("upvotes:", '"upvotes:" needs a value, e.g. upvotes:>50'),
    ],
)
def test_bad_values_are_reported_not_raised(text: str, fragment: str) -> None:
    query = parse_query(f"llama {text} is:read")
    assert len(query.errors) == 1
    assert fragment in query.errors[0]
    assert query.words == ("llama",)
    assert query.filters == (Filter("is", "is", "read"),)


def test_errors_alone_leave_the_query_empty() -> None:
    query = parse_query("foo:bar upvotes:lots")
    assert query.is_empty
    assert len(query.errors) == 2


# FTS5 expressions --------------------------------------------------------------------------


def test_tokens_follow_unicode61() -> None:
    assert tokens("in-context") == ("in", "context")
    assert tokens("GPT-4o, x²!") == ("GPT", "4o", "x²")
    assert tokens("Bjo\u0308rn") == ("Björn",)  # composed; the index folds the diacritic
    assert tokens("l'été") == ("l", "été")
    assert tokens("foo_bar") == ("foo", "bar")
    assert tokens("--- ...") == ()


def test_fts_string_quotes_everything() -> None:
    assert fts_string("llama") == '"llama"'
    assert fts_string("in-context") == '"in context"'
    assert fts_string('NEAR("a"') == '"NEAR a"'
    assert fts_string("***") is None


def test_fts_match() -> None:
    assert fts_match(parse_query("llama")) == '"llama"*'
    assert fts_match(parse_query("llama"), prefix_last=False) == '"llama"'
    assert fts_match(parse_query("in-context learn")) == '"in context" AND "learn"*'
    assert fts_match(parse_query('xy "latent reasoning"')) == '"xy"* AND "latent reasoning"'
    assert fts_match(parse_query("agents -survey -x")) == '("agents"*) NOT ("survey" OR "x")'
    assert fts_match(parse_query("-survey")) is None
    assert fts_match(parse_query("is:unread")) is None


def test_a_one_letter_last_word_is_a_whole_word() -> None:
    assert fts_match(parse_query("vision l")) == '"vision" AND "l"'
    assert fts_match(parse_query("gpt-4")) == '"gpt 4"'


def test_fts_match_restricted_to_columns() -> None:
    query = parse_query("llama -survey")
    assert fts_match(query, columns=("title",)) == '({title} : ("llama"*)) NOT ("survey")'


INJECTIONS = [
    '"',
    '""',
    '"""',
    "*",
    "llama*",
    "* llama",
    "NEAR(",
    "NEAR(a b, 2)",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "a AND",
    "OR b",
    "a NOT",
    "NOT a",
    "-NOT",
    ":",
    "title:llama",
    "col:word",
    "{title}:x",
    "{title} : x",
    "^",
    "^llama",
    "(",
    ")",
    "(a OR b)",
    "a + b",
    "'",
    "a'b",
    '-"',
    '"a" "',
    "\\",
    "%",
    "_",
    "\x00",
    "llama\x00",
    "🦙 llama",
    'author:"',
    'author:"x" OR',
    "author:%",
    "author:_",
    'author:"\\" OR 1=1 --',
    "org:'; DROP TABLE papers; --",
    "is:unread; DROP TABLE papers",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_fts_syntax_in_user_text_is_never_fts_syntax(store: Store, text: str) -> None:
    store.save_papers(
        [
            Paper("2608.00001", "Llama AND OR NOT NEAR", summary="a b title col word"),
            Paper("2608.00002", "Other", authors=("x",)),
        ]
    )
    query = parse_query(text)
    for prefix_last in (True, False):
        store.search(query, prefix_last=prefix_last)  # no StoreError
    assert store.paper_count() == 2


def test_keywords_are_plain_words(store: Store) -> None:
    store.save_papers(
        [Paper("2608.00001", "Near and not or"), Paper("2608.00002", "Something else")]
    )
    for text in ("NEAR", "AND", "OR", "NOT", "near and", "NOT or"):
        found = store.search(parse_query(text), prefix_last=False)
        assert [r.id for r in found] == ["2608.00001"], text


# Describing --------------------------------------------------------------------------------


def test_describe() -> None:
    query = parse_query("llama is:unread upvotes:>50")
    assert query.describe() == 'words "llama", unread, upvotes > 50'


def test_describe_everything() -> None:
    query = parse_query(
        'llama agents "latent reasoning" -survey author:"Jan Chorowski" org:meta '
        "is:read -is:bookmarked has:code has:project stars:<=10 upvotes:7 "
        "day:2026-08-17 week:2026-W33 month:2026-08 id:2608.09888 foo:bar"
    )
    assert query.describe() == (
        'words "llama" "agents", phrase "latent reasoning", without "survey", '
        'author "Jan Chorowski", org "meta", read, not bookmarked, with code, '
        "with a project page, stars <= 10, upvotes >= 7, day 2026-08-17, "
        "week 2026-W33, month 2026-08, id 2608.09888"
    )
