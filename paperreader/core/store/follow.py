"""Following what matters (issue #13), in SQL: the papers of a watch and their counts,
the papers closest in text to one paper, and the text of papers for "for you".

Imported by the first use (like the search planner, whose filters it reuses).
``Store`` holds its lock while these run.

* A watch's papers are found as rowids (the FTS5 index for its words, the planner's SQL
  for its filters), so counting 20 watches reads no paper row when a watch is words only.
  "New" papers are those stored after the user last opened the watch: a rowid past the
  one remembered (rowids only grow; a cache made again after being deleted starts
  lower, so a remembered rowid past the cache's largest counts nothing as new).
* Similar papers: the paper's most distinctive words (few papers hold them: counted in
  the index, each up to a cap, so a common word costs little) as an OR query over title,
  abstract, AI summary and keywords, ranked by bm25.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from paperreader.core.query import Query, fts_any, fts_match
from paperreader.core.rows import Row
from paperreader.core.store.papers import ROW_COLUMNS, _json_list
from paperreader.core.store.search import Planner

#: Words never used to find similar papers: too common in abstracts to say anything.
_STOPWORDS_TEXT = """
    a about above across after again against all also although am among an and any are as
    at be been before being below between both but by can could did do does doing done
    down during each either et etc even ever every few for from further had has have having
    he her here hers him his how however i if in into is it its itself just may me might
    more most much must my no nor not now of off often on once only or other our ours out
    over own per rather same several she should since so some such than that the their
    them then there these they this those through thus to too toward towards under until
    up upon us use used uses using very via was we well were what when where whether which
    while who whom whose why will with within without would yet you your
    approach approaches based demonstrate existing experiments first furthermore introduce
    method methods moreover new novel paper propose proposed results show shows significantly
    state study two work achieve achieves across extensive however outperforms performance
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the index keeps them: lower case, diacritics removed."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def _useful(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in STOPWORDS


class Counts(NamedTuple):
    """A watch's papers: all, unread, and stored since it was last opened."""

    total: int
    unread: int
    new: int


#: A watch's order: newest listing day first, then most upvoted (the id breaks ties, so
#: that a first page is always the start of the whole list).
_NEWEST_FIRST = "ORDER BY p.listing_day DESC, p.upvotes DESC, p.id"
#: The newest days a watch's first page is looked for in first, when its plan scans the
#: papers (see ``FollowPlanner.rows_matching``).
WINDOW_DAYS = 60


class FollowPlanner(Planner):
    """Watches, similar papers and the text "for you" needs, over ``Store._read``."""

    #: Column weights of bm25 for similar papers: authors and organization not at all.
    _SIMILAR_BM25 = "bm25(papers_fts, 10.0, 0.0, 1.0, 2.0, 4.0, 0.0)"
    #: Words of a paper weighed by where they are (title, AI keywords, AI summary, abstract).
    _SIMILAR_WEIGHTS = (3.0, 3.0, 1.5, 1.0)
    #: The distinctive words asked for at most, and how rare a word must be to be one (a
    #: word in more papers than that share is too common to tell papers apart, and its
    #: long list of papers would be slow to rank).
    _SIMILAR_TERMS = 12
    _SIMILAR_MAX_SHARE = 0.05
    _SIMILAR_RARE_SHARE = 0.001
    #: The words of a paper looked up in the index at most (the best placed ones).
    _SIMILAR_CANDIDATES = 40

    def __init__(self, read: Callable[..., list[Any]]) -> None:
        super().__init__(read)

    # Watches ---------------------------------------------------------------------------
    def _plan(self, query: Query) -> tuple[str, list[Any]]:
        """SQL selecting ``rowid`` of every stored paper matching ``query`` (whole words:
        a watch is not being typed), and its parameters."""
        sql, params, _ = self._plan_parts(query)
        return sql, params

    def _plan_parts(self, query: Query) -> tuple[str, list[Any], str | None]:
        """``_plan``, and its condition on ``papers p`` when it is a scan of the papers
        (filters; words with filters, when they match many), else None (the word index
        answers alone, or its few matches are looked up)."""
        short = self._shortest_prefix()
        match = fts_match(query, prefix_last=False, min_prefix=short)
        conditions = [self._filter_condition(f, min_prefix=short) for f in query.filters]
        if match is None:
            excluded = fts_any(query.excluded)
            if excluded is not None:
                conditions.append(
                    (
                        self._WORDS,
                        "+p.rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                        (excluded,),
                    )
                )
            where, params = self._where(conditions)
            return f"SELECT p.rowid AS rowid FROM papers p WHERE {where}", params, where
        if not conditions:
            return "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?", [match], None
        where, params = self._where(conditions)
        if self._match_count(match) <= self._RANK_AT_MOST:
            # Few matches: check the filters on each one's row.
            return (
                "SELECT papers_fts.rowid AS rowid FROM papers_fts CROSS JOIN papers p "
                f"ON p.rowid = papers_fts.rowid WHERE papers_fts MATCH ? AND {where}",
                [match, *params],
                None,
            )
        # Many: walk the papers (on an index holding what filters read), each checked
        # against the filters, then looked up in the set of matches (made once).
        words = (
            self._WORDS,
            "+p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
            (match,),
        )
        where, params = self._where([*conditions, words])
        return f"SELECT p.rowid AS rowid FROM papers p WHERE {where}", params, where

    def matching(self, query: Query) -> list[int]:
        """The rowids of every stored paper matching ``query``, in no particular order."""
        sql, params = self._plan(query)
        return [r for (r,) in self._read(sql, params)]

    def counts(self, queries: Sequence[tuple[Query, int]]) -> list[Counts]:
        """Total, unread and new papers of each (query, seen rowid), counted in SQL (the
        read papers' rowids put once in a temporary table)."""
        self._read("CREATE TEMP TABLE IF NOT EXISTS watch_read (r INTEGER PRIMARY KEY)")
        self._read("DELETE FROM temp.watch_read")
        self._read(
            "INSERT OR IGNORE INTO temp.watch_read SELECT p.rowid FROM user.read_marks m "
            "JOIN papers p ON p.id = m.paper_id"
        )
        top = int(self._read("SELECT coalesce(max(rowid), 0) FROM papers")[0][0])
        found = []
        for query, seen in queries:
            sql, params = self._plan(query)
            ((total, read, new),) = self._read(
                "SELECT count(*), sum(rowid IN (SELECT r FROM temp.watch_read)), "
                f"sum(rowid > ?) FROM ({sql})",
                [seen, *params],
            )
            total = int(total)
            new = 0 if seen > top else int(new or 0)
            found.append(Counts(total, total - int(read or 0), new))
        return found

    def rows_matching(self, query: Query, limit: int = -1) -> tuple[Row, ...]:
        """The rows of the stored papers matching ``query``, newest listing day first,
        then most upvoted (the first ``limit`` only, if given), found in SQL: no list of
        rowids through Python (a topic watch's first page, what ``paperreader --watch``
        shows first: 2-3 ms at 100,000 papers, not 5-7)."""
        sql, params, scan = self._plan_parts(query)
        if scan is not None and limit >= 0:
            # A scan with a filter (``agent has:code``) costs 15-35 ms over the whole
            # archive. Its first page is most often among the newest papers: walk those
            # first (``WINDOW_DAYS``, newest first, stopping at ``limit``: 3-5 ms). Only
            # if they hold fewer than ``limit`` is the whole archive scanned.
            newest = self._read("SELECT max(listing_day) FROM papers")[0][0]
            if newest:
                since = (date.fromisoformat(newest) - timedelta(days=WINDOW_DAYS)).isoformat()

                def page(days: str, rows: int) -> list[Any]:
                    # On the index that holds what filters read, in the page's order: a
                    # row is read from the table only once it is on the page.
                    return self._read(
                        f"SELECT {ROW_COLUMNS} FROM papers p INDEXED BY papers_for_filters "
                        f"WHERE {days} AND ({scan}) {_NEWEST_FIRST} LIMIT ?",
                        [since, *params, rows],
                    )

                found = page("p.listing_day >= ?", limit)
                if len(found) < limit:  # then the older ones (they all come after)
                    older = "(p.listing_day < ? OR p.listing_day IS NULL)"
                    found += page(older, limit - len(found))
                return tuple(map(Row._make, found))
        self._read("CREATE TEMP TABLE IF NOT EXISTS watch_rows (r INTEGER PRIMARY KEY)")
        self._read("DELETE FROM temp.watch_rows")
        self._read(f"INSERT OR IGNORE INTO temp.watch_rows {sql}", params)
        count = int(self._read("SELECT count(*) FROM temp.watch_rows")[0][0])
        papers = int(self._read("SELECT coalesce(max(rowid), 0) FROM papers")[0][0])
        # The first few of many (a topic): walk the papers newest first on the day index
        # and stop at ``limit`` (``+rowid``: about limit * papers / count steps). Of few
        # (an author), or all of them: look each one up and sort (about count steps).
        walk = 0 <= limit < count and count * count > limit * papers
        rowid = "+p.rowid" if walk else "p.rowid"
        found = self._read(
            f"SELECT {ROW_COLUMNS} FROM papers p WHERE {rowid} IN (SELECT r FROM temp.watch_rows) "
            f"{_NEWEST_FIRST} LIMIT ?",
            (limit,),
        )
        return tuple(map(Row._make, found))

    def rows_in_order(self, rowids: Sequence[int]) -> tuple[Row, ...]:
        """The rows of these papers, in the order given."""
        if not rowids:
            return ()
        import json

        found = self._read(
            f"SELECT p.rowid, {ROW_COLUMNS} FROM papers p "
            "WHERE p.rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(list(rowids)),),
        )
        rows = {r[0]: Row._make(r[1:]) for r in found}
        return tuple(rows[r] for r in rowids if r in rows)

    # Similar papers --------------------------------------------------------------------
    def distinctive(self, texts: Sequence[str]) -> list[str]:
        """The most distinctive words of a paper's texts (title, keywords, AI summary,
        abstract): weighed by where they occur and how few other papers hold them."""
        weights: dict[str, float] = {}
        for text, weight in zip(texts, self._SIMILAR_WEIGHTS, strict=False):
            for word in words_of(text):
                if _useful(word):
                    weights[word] = weights.get(word, 0.0) + weight
        total = int(self._read("SELECT count(*) FROM papers")[0][0]) or 1
        # (In a small store, speed is no concern: only words in half the papers go.)
        most = int(max(self._SIMILAR_MAX_SHARE * total, min(200, total // 2), 2))
        # The best placed words only: each costs a look at the index.
        candidates = sorted(weights, key=weights.__getitem__, reverse=True)
        scored = []
        for word in candidates[: self._SIMILAR_CANDIDATES]:
            # How many papers hold the word, counted up to ``most`` (a common word's
            # long list is not read to its end).
            df = int(
                self._read(
                    "SELECT count(*) FROM (SELECT 1 FROM papers_fts "
                    "WHERE papers_fts MATCH ? LIMIT ?)",
                    (f'"{word}"', most + 1),
                )[0][0]
            )
            if df < 2 or df > most:
                continue  # in no other paper, or in too many
            # Very rare words (a name, a typo) say less than their rarity suggests.
            floor = max(float(df), self._SIMILAR_RARE_SHARE * total)
            scored.append((math.log(1 + total / floor) * min(weights[word], 6.0), word))
        scored.sort(reverse=True)
        return [word for _, word in scored[: self._SIMILAR_TERMS]]

    def similar(self, rowid: int, texts: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """The ``limit`` papers closest to the paper ``rowid`` (itself excluded), as
        (rowid, bm25 score), best first."""
        words = self.distinctive(texts)
        if not words:
            return []
        match = (
            "{title summary ai_summary ai_keywords} : ("
            + " OR ".join('"' + w + '"' for w in words)
            + ")"
        )
        sql = (
            f"SELECT rowid, {self._SIMILAR_BM25} AS score FROM papers_fts "
            "WHERE papers_fts MATCH ? AND rowid != ? ORDER BY score LIMIT ?"
        )
        return [(r, s) for r, s in self._read(sql, (match, rowid, limit))]

    def paper_texts(self, paper_id: str) -> tuple[int, list[str]] | None:
        """A paper's rowid and texts (title, keywords, AI summary, abstract)."""
        found = self._read(
            "SELECT rowid, title, ai_keywords, ai_summary, summary FROM papers WHERE id = ?",
            (paper_id,),
        )
        if not found:
            return None
        rowid, title, keywords, ai_summary, summary = found[0]
        return int(rowid), [title, " ".join(_json_list(keywords)), ai_summary, summary]

    # For you ---------------------------------------------------------------------------
    def texts_with_rows(self, where: str, params: Sequence[Any]) -> list[tuple[Row, str]]:
        """Rows of the papers meeting ``where`` with their text (title, keywords, AI
        summary), for "for you"."""
        found = self._read(
            f"SELECT {ROW_COLUMNS}, p.ai_keywords, p.ai_summary FROM papers p WHERE {where}",
            params,
        )
        width = len(Row._fields)
        return [
            (
                Row._make(r[:width]),
                f"{r[1]} {' '.join(_json_list(r[width]))} {r[width + 1]}",
            )
            for r in found
        ]

    def profile(self) -> list[tuple[str, str, str, str]]:
        """What the user kept: (paper id, kind, title, text) of each bookmarked, tagged or
        noted paper (the note and the tags are part of its text)."""
        found = self._read(
            "SELECT p.id, p.title, p.ai_keywords, p.ai_summary, "
            "(SELECT note FROM user.notes n WHERE n.paper_id = p.id), "
            "(SELECT group_concat(tag, ' ') FROM user.tags t WHERE t.paper_id = p.id), "
            "p.id IN (SELECT paper_id FROM user.bookmarks) "
            "FROM papers p WHERE p.id IN (SELECT paper_id FROM user.bookmarks UNION "
            "SELECT paper_id FROM user.tags UNION SELECT paper_id FROM user.notes)"
        )
        items = []
        for paper_id, title, keywords, ai_summary, note, tags, marked in found:
            kind = "bookmark" if marked else f"#{tags.split()[0]}" if tags else "note"
            text = " ".join(
                (title, " ".join(_json_list(keywords)), ai_summary, note or "", tags or "")
            )
            items.append((paper_id, kind, title, text))
        return items
