"""The search planner: a query (words, phrases, filters) as the few SQL statements that
answer it fast on a big archive, and the rows they find.

Imported by the first search, not at start (with the search language, ``query``).
``Store.search`` holds the store's lock while a ``Planner`` runs, so that its few
statements see one consistent store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from paperreader.core.periods import Period
from paperreader.core.query import (
    COMPARISONS,
    MIN_PREFIX,
    Filter,
    Query,
    fts_any,
    fts_match,
    tokens,
)
from paperreader.core.rows import Row
from paperreader.core.store.papers import ROW_COLUMNS


class Planner:
    """Plans and runs one search over the store read by ``read`` (``Store._read``)."""

    #: Column weights of bm25 over (title, authors, summary, ai_summary, ai_keywords,
    #: organization): a word in the title counts most.
    _BM25 = "bm25(papers_fts, 10.0, 5.0, 1.0, 2.0, 3.0, 4.0)"
    #: At most this many matches are ranked with bm25 (about 2 µs each); past it, title
    #: matches come first and each group is ranked, or if still too big, newest first.
    _RANK_AT_MOST = 3000
    #: Read or bookmarked papers are looked up one by one (then sorted) when there are at
    #: most this many marks; with more, each paper is checked as the archive is walked.
    _LOOK_UP_AT_MOST = 8000
    #: The order conditions are tested in while walking the listing-day index: first
    #: comparisons on the index's own columns (no row needed), then the words (a lookup
    #: by rowid in the set of matches), then what needs the paper's row.
    _COMPARE, _WORDS, _ROW = range(3)

    def __init__(self, read: Callable[..., list[Any]]) -> None:
        self._read = read

    def search(self, query: Query, *, limit: int, prefix_last: bool) -> tuple[Row, ...]:
        """The rows ``Store.search`` returns (which see); ``limit`` is at least 1."""
        short = self._shortest_prefix()
        in_text = any(f.name == "in" and not f.negated for f in query.filters)
        if in_text and (query.words or query.phrases):
            return self._search_texts(query, limit=limit, prefix_last=prefix_last)
        match = fts_match(query, prefix_last=prefix_last, min_prefix=short)
        conditions = [self._filter_condition(f, min_prefix=short) for f in query.filters]
        if match is None:
            if (excluded := fts_any(query.excluded)) is not None:
                # FTS5's NOT needs a left operand: with no words, exclude in SQL.
                conditions.append(
                    (
                        self._WORDS,
                        "+p.rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                        (excluded,),
                    )
                )
            return self._with_notes(query, conditions, limit, self._newest(conditions, limit))
        if conditions and (few := self._few_candidates(conditions)) is not None:
            # Selective filters: rank the few papers they leave, whatever the words.
            return self._with_notes(query, conditions, limit, self._ranked(match, few, limit))
        # Title matches first: when they alone fill the list, nothing else is needed.
        title = fts_match(query, prefix_last=prefix_last, columns=("title",), min_prefix=short)
        title = title or match
        in_title = self._match_count(title)
        if in_title < limit or conditions:
            count = self._match_count(match)
            if count <= self._RANK_AT_MOST:
                return self._with_notes(
                    query,
                    conditions,
                    limit,
                    self._search_group(match, conditions, limit, count),
                )
        hits = self._search_group(title, conditions, limit, in_title)
        if len(hits) < limit:
            # The rest, matching outside the title: many (or the whole query would
            # have been ranked), so newest first.
            rest = f"({match}) NOT ({title})"
            hits += self._search_group(
                rest, conditions, limit - len(hits), self._RANK_AT_MOST + 1, group=1
            )
        return self._with_notes(query, conditions, limit, hits)

    #: The shortest last word searched as a prefix in full texts (their index keeps no
    #: prefixes: a short one would merge the lists of thousands of words).
    _TEXT_PREFIX = 3

    def _search_texts(self, query: Query, *, limit: int, prefix_last: bool) -> tuple[Row, ...]:
        """``in:text``: the words in the stored full texts, best match first (bm25), with
        the other filters. Only the full texts' own index is read, so searches without
        ``in:text`` never pay for it."""
        match = fts_match(query, prefix_last=prefix_last, min_prefix=self._TEXT_PREFIX)
        if match is None:
            return ()
        others = [f for f in query.filters if f.name != "in"]
        conditions = [self._filter_condition(f, min_prefix=self._TEXT_PREFIX) for f in others]
        where, params = self._where(conditions)
        sql = (
            "SELECT p.rowid, bm25(full_texts_fts) AS score FROM full_texts_fts"
            " CROSS JOIN full_texts t ON t.rowid = full_texts_fts.rowid"
            " CROSS JOIN papers p ON p.id = t.paper_id"
            f" WHERE full_texts_fts MATCH ? AND {where} ORDER BY score LIMIT ?"
        )
        found = self._read(sql, (match, *params, limit))
        return self._search_rows([(0, score, rowid) for rowid, score in found])

    def _with_notes(
        self,
        query: Query,
        conditions: list[tuple[int, str, tuple[Any, ...]]],
        limit: int,
        hits: list[tuple[int, float, int]],
    ) -> tuple[Row, ...]:
        """The hits, after the papers whose own note holds every word (they come first)."""
        words = [*query.words, *query.phrases]
        if not words:
            return self._search_rows(hits)
        where, params = self._where(conditions)
        likes = " AND ".join("n.note LIKE ? ESCAPE '\\'" for _ in words)
        patterns = [
            "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in words
        ]
        noted = self._read(
            f"SELECT p.rowid FROM user.notes n JOIN papers p ON p.id = n.paper_id "
            f"WHERE {likes} AND {where} LIMIT ?",
            (*patterns, *params, limit),
        )
        if not noted:
            return self._search_rows(hits)
        first = [(-1, 0.0, rowid) for (rowid,) in noted]
        seen = {rowid for (rowid,) in noted}
        return self._search_rows([*first, *(h for h in hits if h[2] not in seen)][:limit])

    def _few_candidates(
        self, conditions: list[tuple[int, str, tuple[Any, ...]]]
    ) -> list[int] | None:
        """The rowids of the papers meeting ``conditions`` if there are at most
        ``_RANK_AT_MOST`` of them, else None (found out quickly: it stops there)."""
        where, params = self._where(conditions)
        sql = f"SELECT p.rowid FROM papers p WHERE {where} LIMIT ?"
        found = self._read(sql, (*params, self._RANK_AT_MOST + 1))
        return [rowid for (rowid,) in found] if len(found) <= self._RANK_AT_MOST else None

    def _ranked(self, match: str, rowids: list[int], limit: int) -> list[tuple[int, float, int]]:
        """The best ``limit`` of ``rowids`` that match, ranked by bm25."""
        # The unary + keeps FTS5 from being asked for each rowid in turn.
        sql = (
            f"SELECT rowid, {self._BM25} AS score FROM papers_fts WHERE papers_fts MATCH ?"
            " AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY score LIMIT ?"
        )
        found = self._read(sql, (match, json.dumps(rowids), limit))
        return [(0, score, rowid) for rowid, score in found]

    def _shortest_prefix(self) -> int:
        """The shortest last word searched as a prefix (a shorter one is a whole word).

        That is the shortest prefix the index keeps (``prefix = '2 3'``), but never one
        letter; with no such index, 3: two letters would merge the lists of hundreds of
        words, which takes hundreds of milliseconds on a big archive.
        """
        found = self._read("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'")
        _, _, option = (found[0][0] if found else "").partition("prefix")
        value = option.split(",")[0].split(")")[0]  # " = '2 3'"
        lengths = [int(n) for n in value.replace("'", " ").split() if n.isdigit()]
        return max(MIN_PREFIX, min(lengths)) if lengths else 3

    def _match_count(self, match: str) -> int:
        """How many papers an FTS expression matches, up to ``_RANK_AT_MOST + 1``: enough
        to choose how to rank, and quick (it stops there; no ranking, no rows)."""
        sql = "SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)"
        return int(self._read(sql, (match, self._RANK_AT_MOST + 1))[0][0])

    def _search_group(
        self,
        match: str,
        conditions: list[tuple[int, str, tuple[Any, ...]]],
        limit: int,
        count: int | None = None,
        *,
        group: int = 0,
    ) -> list[tuple[int, float, int]]:
        """The best ``limit`` papers matching ``match`` and ``conditions``, as (group,
        score, rowid): ranked by bm25 if there are few enough (``count``, counted if
        None), else newest first (score = position), walking the listing-day index."""
        if count is None:
            count = self._match_count(match)
        where, params = self._where(conditions)
        if count <= self._RANK_AT_MOST:
            # CROSS JOIN: the matches drive, the filters are checked on each.
            join = " CROSS JOIN papers p ON p.rowid = papers_fts.rowid" if conditions else ""
            sql = (
                f"SELECT papers_fts.rowid, {self._BM25} AS score FROM papers_fts{join}"
                f" WHERE papers_fts MATCH ? AND {where} ORDER BY score LIMIT ?"
            )
            found = self._read(sql, (match, *params, limit))
            return [(group, score, rowid) for rowid, score in found]
        # The unary + keeps SQLite from looking the matches up one by one and sorting
        # them: it walks the archive in order (on an index) and stops at ``limit``.
        words = (
            self._WORDS,
            "+p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
            (match,),
        )
        return self._newest([*conditions, words], limit, group=group)

    def _newest(
        self, conditions: list[tuple[int, str, tuple[Any, ...]]], limit: int, *, group: int = 0
    ) -> list[tuple[int, float, int]]:
        """The ``limit`` newest papers meeting ``conditions`` as (group, position, rowid).

        Only rowids are selected, so an index holding the filtered columns answers it
        without reading the (wide) rows of papers.
        """
        where, params = self._where(conditions)
        sql = (
            f"SELECT p.rowid FROM papers p WHERE {where}"
            " ORDER BY p.listing_day DESC, p.upvotes DESC LIMIT ?"
        )
        found = self._read(sql, (*params, limit))
        return [(group, float(position), rowid) for position, (rowid,) in enumerate(found)]

    def _search_rows(self, hits: list[tuple[int, float, int]]) -> tuple[Row, ...]:
        """The rows of ranked hits, in order; equal scores go to the most upvoted."""
        if not hits:
            return ()
        found = self._read(
            f"SELECT p.rowid, {ROW_COLUMNS} FROM papers p"
            " WHERE p.rowid IN (SELECT value FROM json_each(?))",
            (json.dumps([rowid for _, _, rowid in hits]),),
        )
        rows = {r[0]: Row._make(r[1:]) for r in found}
        hits = [h for h in hits if h[2] in rows]
        hits.sort(key=lambda h: (h[0], h[1], -rows[h[2]].upvotes))
        return tuple(rows[rowid] for _, _, rowid in hits)

    @staticmethod
    def _where(conditions: list[tuple[int, str, tuple[Any, ...]]]) -> tuple[str, list[Any]]:
        """Conditions joined with AND, cheapest first (SQLite tests them in this order)."""
        ordered = sorted(conditions, key=lambda c: c[0])
        params = [value for _, _, values in ordered for value in values]
        return " AND ".join(clause for _, clause, _ in ordered) or "1", params

    def _filter_condition(
        self, item: Filter, *, min_prefix: int
    ) -> tuple[int, str, tuple[Any, ...]]:
        """A filter as (cost, SQL condition on ``papers p``, parameters).

        User text only ever travels as a parameter; operators come from a fixed set.
        """
        match item.name:
            case "author":
                clause, params = self._text_clause("authors", str(item.value), min_prefix)
            case "org":
                clause, params = self._text_clause("organization", str(item.value), min_prefix)
            case "is":
                table = "bookmarks" if item.value == "bookmarked" else "read_marks"
                marks = f"(SELECT paper_id FROM user.{table})"
                if item.value == "unread":
                    clause = f"p.id NOT IN {marks}"
                elif not item.negated and self._count_marks(table) <= self._LOOK_UP_AT_MOST:
                    clause = f"p.id IN {marks}"  # few: look them up, then sort
                else:
                    clause = f"+p.id IN {marks}"  # many: check each paper in order
                params = ()
            case "has" if item.value == "note":
                clause, params = "p.id IN (SELECT paper_id FROM user.notes)", ()
            case "has" if item.value in ("model", "dataset", "space"):
                column = f"{item.value}s"  # models, datasets, spaces: fixed names
                clause = f"p.id IN (SELECT paper_id FROM paper_details WHERE {column} > 0)"
                params = ()
            case "in":
                clause, params = "p.id IN (SELECT paper_id FROM full_texts)", ()
            case "has":
                column = "p.github_repo" if item.value == "code" else "p.project_page"
                clause, params = f"coalesce({column}, '') != ''", ()
            case "tag":
                tag = str(item.value).lower().lstrip("#")
                clause = "p.id IN (SELECT paper_id FROM user.tags WHERE tag = ?)"
                params = (tag,)
            case "upvotes" | "stars":
                if item.op not in COMPARISONS:
                    raise ValueError(f"unknown comparison {item.op!r}")
                column = "p.upvotes" if item.name == "upvotes" else "p.github_stars"
                clause, params = f"{column} {item.op} ?", (item.value,)
            case "day" | "week" | "month":
                period = item.value
                if not isinstance(period, Period):
                    raise ValueError(f"{item.name} needs a Period, not {period!r}")
                clause = "p.listing_day BETWEEN ? AND ?"
                params = (period.start.isoformat(), period.end.isoformat())
            case "id":
                clause, params = "p.id = ?", (item.value,)
            case _:
                raise ValueError(f"no SQL for the filter {item.name!r}")
        if item.negated:
            clause = f"NOT coalesce(({clause}), 0)"
        indexed = item.name in ("upvotes", "day", "week", "month")
        return (self._COMPARE if indexed else self._ROW), clause, params

    def _count_marks(self, table: str) -> int:
        return int(self._read(f"SELECT count(*) FROM user.{table}")[0][0])

    @staticmethod
    def _text_clause(column: str, text: str, min_prefix: int) -> tuple[str, tuple[Any, ...]]:
        """Papers whose ``column`` (authors: any one author) holds ``text``: as a
        case-insensitive substring (LIKE, which folds ASCII letters only), or as words in
        the column's index (which folds case and diacritics: Bjorn finds Björn), the last
        word as a prefix."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if column == "organization":
            # The display name (Pathway) or the handle (pathwaycom).
            clause = (
                "(p.organization LIKE ? ESCAPE '\\' OR p.organization_handle LIKE ? ESCAPE '\\')"
            )
            params = [pattern, pattern]
        else:
            clause = "EXISTS (SELECT 1 FROM json_each(p.authors) WHERE value LIKE ? ESCAPE '\\')"
            params = [pattern]
            if text.isascii() and text.isprintable() and not any(c in text for c in '"\\'):
                # The raw JSON holds such text as is: a cheap test before parsing it.
                clause = f"p.authors LIKE ? ESCAPE '\\' AND {clause}"
                params.insert(0, pattern)
        words = tokens(text)
        if words:
            last = "*" if len(words[-1]) >= min_prefix else ""
            phrase = '"' + " ".join(words).replace('"', '""') + '"' + last
            clause = (
                f"({clause} OR p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?))"
            )
            params.append(f"{{{column}}} : {phrase}")
        return clause, tuple(params)
