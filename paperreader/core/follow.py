"""Following what matters (issue #13): watches, "for you", and telling the user.

* A **watch** is a name and a query in the search language (``core.query``); it is
  stored with the user's data (``UserRecords.watch_records``), counted and listed by the
  store (``store.follow``). A query the search would complain about is refused with the
  search's own message.
* **For you** ranks recent papers by how close their words are to what the user kept:
  bookmarked, tagged and noted papers (tf-idf over the papers at hand, cosine), each
  with the reason: the kept paper it is most like.
* **Notify**: ``notify_command`` (an argument list, never run through a shell) is run
  with a one-line summary when a sync or a digest finds new papers for a watch.

Imported when first needed, never at start.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from paperreader.core.query import Query, parse_query
from paperreader.core.rows import Row
from paperreader.core.store.follow import STOPWORDS, FollowPlanner, words_of
from paperreader.core.text import clean_text
from paperreader.core.wording import noun

if TYPE_CHECKING:
    from paperreader.core.store import Store

#: The longest watch name.
MAX_NAME = 60
#: Days of papers "for you" ranks when no rows are given.
FOR_YOU_DAYS = 7
#: Seconds a notify command may run before it is abandoned.
NOTIFY_TIMEOUT = 30.0


class WatchError(ValueError):
    """A watch that cannot be made or found; the message is one line for the user."""


class Watch(NamedTuple):
    """A watch with its counts: papers, unread papers, papers new since last opened."""

    name: str
    query: str
    total: int
    unread: int
    new: int
    opened_at: datetime | None = None


def check_name(name: str) -> str:
    """A watch name as stored (spaces tidied, no control characters), or WatchError."""
    cleaned = " ".join(clean_text(name).split())
    if not cleaned:
        raise WatchError("a watch needs a name")
    if len(cleaned) > MAX_NAME:
        raise WatchError(f"a watch name has at most {MAX_NAME} characters")
    return cleaned


def check_query(text: str) -> Query:
    """The parsed query of a watch, or WatchError with what the search would say."""
    query = parse_query(text)
    if query.errors:
        raise WatchError("; ".join(query.errors))
    if query.is_empty:
        raise WatchError("a watch needs words or filters to look for")
    return query


def watches(store: Store) -> list[Watch]:
    """Every watch with its counts, in the order they were made."""
    records = store.watch_records()
    queries = [(parse_query(r.query), r.seen_rowid) for r in records]
    counts = store.watch_counts(queries)
    return [
        Watch(r.name, r.query, c.total, c.unread, c.new, r.opened_at)
        for r, c in zip(records, counts, strict=True)
    ]


def watch_query(store: Store, name: str) -> Query:
    record = store.watch_record(name)
    if record is None:
        raise WatchError(f"no watch named {name!r} (see `paperreader watch list`)")
    return parse_query(record.query)


# For you ---------------------------------------------------------------------------------


class Suggestion(NamedTuple):
    """A paper "for you": how close (0 to 1) and why ("like: <title>"), or no reason."""

    row: Row
    score: float
    reason: str


def _weights(text: str) -> Counter[str]:
    return Counter(w for w in words_of(text) if len(w) >= 3 and w not in STOPWORDS)


def for_you(
    store: Store, rows: Sequence[Row] | None = None, *, today: date | None = None
) -> list[Suggestion]:
    """``rows`` (or the papers of the last ``FOR_YOU_DAYS`` stored days) ranked by how
    close they are to the bookmarked, tagged and noted papers; the closest first, those
    close to none last (in the order given)."""

    def read(planner: object) -> tuple[list[tuple[Row, str]], list[tuple[str, str, str, str]]]:
        from paperreader.core.store.follow import FollowPlanner

        assert isinstance(planner, FollowPlanner)
        if rows is not None:
            import json

            where = "p.id IN (SELECT value FROM json_each(?))"
            params: tuple[object, ...] = (json.dumps([r.id for r in rows]),)
        else:
            newest = store.newest_day() or today or date.today()
            first = newest - timedelta(days=FOR_YOU_DAYS - 1)
            where = "p.listing_day BETWEEN ? AND ?"
            params = (first.isoformat(), newest.isoformat())
        return planner.texts_with_rows(where, params), planner.profile()

    candidates, profile = store.follow(read)
    if rows is not None:  # in the order given
        position = {r.id: i for i, r in enumerate(rows)}
        candidates.sort(key=lambda c: position.get(c[0].id, 0))
    else:
        candidates.sort(key=lambda c: (c[0].listing_day or "", c[0].upvotes), reverse=True)
    kept = {paper_id for paper_id, *_ in profile}
    candidates = [c for c in candidates if c[0].id not in kept]
    if not profile:
        return [Suggestion(row, 0.0, "") for row, _ in candidates]
    vectors = [_weights(text) for _, text in candidates]
    kept_vectors = [_weights(text) for *_, text in profile]
    # Inverse document frequency over the papers at hand and the kept ones.
    documents = len(vectors) + len(kept_vectors)
    frequency: Counter[str] = Counter()
    for vector in (*vectors, *kept_vectors):
        frequency.update(vector.keys())
    idf = {word: math.log(1 + documents / df) for word, df in frequency.items()}

    def normalized(vector: Counter[str]) -> dict[str, float]:
        weighted = {w: (1 + math.log(n)) * idf[w] for w, n in vector.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        return {w: v / norm for w, v in weighted.items()}

    # An index from each word to the kept papers holding it: each candidate meets only
    # the kept papers sharing a word with it.
    postings: dict[str, list[tuple[int, float]]] = {}
    for index, vector in enumerate(kept_vectors):
        for word, value in normalized(vector).items():
            postings.setdefault(word, []).append((index, value))
    ranked: list[Suggestion] = []
    for (row, _), vector in zip(candidates, vectors, strict=True):
        totals: dict[int, float] = {}
        for word, value in normalized(vector).items():
            for index, other in postings.get(word, ()):
                totals[index] = totals.get(index, 0.0) + value * other
        if not totals:
            ranked.append(Suggestion(row, 0.0, ""))
            continue
        best = max(totals, key=totals.__getitem__)
        _, kind, title, _ = profile[best]
        what = "like" if kind in ("bookmark", "note") else f"like {kind}"
        what = "like your note on" if kind == "note" else what
        ranked.append(Suggestion(row, round(totals[best], 4), f"{what}: {title}"))
    order = sorted(range(len(ranked)), key=lambda i: (-ranked[i].score, i))
    return [ranked[i] for i in order]


def _matching(query: Query, planner: FollowPlanner) -> list[int]:
    return planner.matching(query)


# Telling the user ------------------------------------------------------------------------


def news(store: Store, *, since_rowid: dict[str, int] | None = None) -> list[tuple[str, int]]:
    """Each watch with papers stored since it was last announced (``notified_rowid``, or
    ``since_rowid[name]``): (name, how many), for the watches that have any."""
    records = store.watch_records()
    top = store.top_rowid()
    found = []
    for record in records:
        seen = (since_rowid or {}).get(record.name, record.notified_rowid)
        if seen >= top:
            continue
        rowids = store.follow(partial(_matching, parse_query(record.query)))
        count = sum(1 for r in rowids if r > seen)
        if count:
            found.append((record.name, count))
    return found


def summary_line(found: Sequence[tuple[str, int]], what: str = "sync") -> str:
    """``paperreader sync: 3 new papers for robots, 1 for llm``."""
    parts = []
    for number, (name, count) in enumerate(found):
        what_new = f" new {noun(count, 'paper')}" if number == 0 else ""
        parts.append(f"{count}{what_new} for {name}")
    return clean_text(f"paperreader {what}: " + ", ".join(parts))


def run_notify(command: Sequence[str], summary: str) -> str | None:
    """Run ``command`` with ``summary`` (in place of ``%s``, else as its last argument),
    never through a shell; None when it ran, else why it could not (one line)."""
    if not command:
        return None
    import subprocess  # only here: opening a watch does not wait for it

    summary = clean_text(summary)
    if any("%s" in part for part in command):
        argv = [part.replace("%s", summary) for part in command]
    else:
        argv = [*command, summary]
    try:
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=NOTIFY_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return f"notify_command {argv[0]!r} could not run: {clean_text(reason)}"
    if result.returncode != 0:
        return f"notify_command {argv[0]!r} failed (exit code {result.returncode})"
    return None


def announce(store: Store, command: Sequence[str], what: str = "sync") -> tuple[str, str | None]:
    """Tell ``command`` about the watches' new papers (if any) and remember they were
    told; returns (the summary or "", the command's failure or None)."""
    if not command:
        return "", None
    top = store.top_rowid()
    found = news(store)
    if not found:
        return "", None
    line = summary_line(found, what)
    problem = run_notify(command, line)
    store.mark_watches_notified([name for name, _ in found], top, digest=False)
    return line, problem
