"""The digest (``paperreader digest``): per day the top papers, per watch its new papers,
with links to the Hugging Face page, arXiv and the code; as Markdown, HTML (one
self-contained page, every text escaped, plain enough for a mail client) or JSON.

A digest covers listing days from ``since``; ``since=None`` ("last") continues from the
previous digest: the days after the last one it covered, and any paper stored since it
(a day's listing grows during the day). What the previous digest covered is kept in the
user's settings (``digest.last_day``, ``digest.last_rowid``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from paperreader.core.models import Paper
from paperreader.core.query import Query, parse_query
from paperreader.core.store import Store
from paperreader.core.store.follow import FollowPlanner
from paperreader.core.text import clean_text, safe_url

FORMATS = ("markdown", "html", "json")
#: The top papers of each day.
PER_DAY = 10
#: The papers of a watch listed at most (the count says how many there were).
PER_WATCH = 50
#: Days a first ``--since last`` covers (no digest before it).
FIRST_DAYS = 7
_LAST_DAY = "digest.last_day"
_LAST_ROWID = "digest.last_rowid"


@dataclass
class Digest:
    since: date | None  # the first listing day covered (None: nothing stored)
    until: date | None  # the newest listing day covered
    continued: bool  # from the previous digest (``--since last``)
    top_rowid: int
    days: list[tuple[str, int, list[Paper]]] = field(default_factory=list)  # day, count, top
    watches: list[tuple[str, str, int, list[Paper]]] = field(default_factory=list)

    @property
    def watch_news(self) -> list[tuple[str, int]]:
        return [(name, count) for name, _, count, _ in self.watches if count]


def build_digest(
    store: Store, since: date | None, *, per_day: int = PER_DAY, today: date | None = None
) -> Digest:
    """The digest from ``since`` (None: from the previous digest) to the newest stored day."""
    top = store.top_rowid()
    newest = store.newest_day()
    continued = since is None
    where = "p.listing_day >= ?"
    params: list[object] = []
    if since is None:
        last_day = store.setting(_LAST_DAY)
        last_rowid = int(store.setting(_LAST_ROWID) or 0)
        if last_day is None:
            since = (newest or today or date.today()) - timedelta(days=FIRST_DAYS - 1)
            params = [since.isoformat()]
        else:
            since = date.fromisoformat(last_day) + timedelta(days=1)
            where, params = "(p.listing_day > ?", [last_day]
            if last_rowid <= top:  # else the cache was made again: days only
                where += " OR p.rowid > ?"
                params.append(last_rowid)
            where += ")"
    else:
        params = [since.isoformat()]
    found = store.follow(
        lambda planner: planner._read(
            "SELECT p.rowid, p.id, p.listing_day FROM papers p "
            f"WHERE {where} AND p.listing_day IS NOT NULL "
            "ORDER BY p.listing_day DESC, p.upvotes DESC, p.id",
            params,
        )
    )
    digest = Digest(since, newest if found else None, continued, top)
    by_day: dict[str, list[str]] = {}
    ids = {}
    for rowid, paper_id, day in found:
        by_day.setdefault(day, []).append(paper_id)
        ids[rowid] = paper_id
    for day, day_ids in by_day.items():
        papers = [p for p in map(store.paper, day_ids[:per_day]) if p is not None]
        digest.days.append((day, len(day_ids), papers))
    order = {rowid: index for index, rowid in enumerate(ids)}
    for record in store.watch_records():
        matching = store.follow(partial(_matching, parse_query(record.query)))
        mine = sorted((r for r in matching if r in order), key=order.__getitem__)
        papers = [p for p in (store.paper(ids[r]) for r in mine[:PER_WATCH]) if p is not None]
        digest.watches.append((record.name, record.query, len(mine), papers))
    return digest


def _matching(query: Query, planner: FollowPlanner) -> list[int]:
    return planner.matching(query)


def remember(store: Store, digest: Digest) -> None:
    """The digest was delivered: ``--since last`` goes on from here."""
    if digest.until is not None:
        store.set_setting(_LAST_DAY, digest.until.isoformat())
    store.set_setting(_LAST_ROWID, str(digest.top_rowid))
    news = [name for name, _ in digest.watch_news]
    if news:
        store.mark_watches_notified(news, digest.top_rowid, digest=True)


def render(digest: Digest, fmt: str, *, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "json":
        return json.dumps(_json(digest, moment), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return _html(digest, moment)
    if fmt == "markdown":
        return _markdown(digest)
    raise ValueError(f"unknown digest format {fmt!r}")


def _links(paper: Paper) -> list[tuple[str, str]]:
    links = [("Hugging Face", paper.hf_url), ("arXiv", paper.arxiv_url)]
    code = safe_url(paper.github_repo) if paper.github_repo else None
    if code:
        links.append(("code", code))
    return links


def _span(digest: Digest) -> str:
    if digest.since is None or digest.until is None:
        return "nothing new" if digest.continued else "nothing stored"
    if digest.since >= digest.until:
        return digest.until.isoformat()
    return f"{digest.since.isoformat()} to {digest.until.isoformat()}"


def _paper_json(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "listing_day": paper.listing_day.isoformat() if paper.listing_day else None,
        "upvotes": paper.upvotes,
        "github_stars": paper.github_stars,
        "links": {
            "hf": paper.hf_url,
            "arxiv": paper.arxiv_url,
            "code": safe_url(paper.github_repo) if paper.github_repo else None,
        },
    }


def _json(digest: Digest, moment: str) -> dict[str, Any]:
    return {
        "format": "paperreader-digest",
        "generated_at": moment,
        "since": digest.since.isoformat() if digest.since else None,
        "until": digest.until.isoformat() if digest.until else None,
        "continued": digest.continued,
        "watches": [
            {"name": name, "query": query, "new": count, "papers": list(map(_paper_json, papers))}
            for name, query, count, papers in digest.watches
        ],
        "days": [
            {"day": day, "papers_listed": count, "top": list(map(_paper_json, papers))}
            for day, count, papers in digest.days
        ],
    }


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+!|~"})


def _md(text: str) -> str:
    """Text from the network in Markdown: one line, every markup character escaped."""
    return clean_text(text).translate(_MARKDOWN_SPECIAL)


def _md_paper(paper: Paper) -> str:
    links = " · ".join(f"[{label}]({url.replace(')', '%29')})" for label, url in _links(paper))
    return f"- **{_md(paper.title)}** (▲ {paper.upvotes}) · {links}"


def _day_label(day: str) -> str:
    try:
        return f"{date.fromisoformat(day):%a} {day}"
    except ValueError:
        return day


def _markdown(digest: Digest) -> str:
    lines = [f"# paperreader digest: {_span(digest)}", ""]
    if digest.watches:
        lines += ["## Watches", ""]
        for name, query, count, papers in digest.watches:
            noun = "paper" if count == 1 else "papers"
            lines.append(f"### {_md(name)}: {count} new {noun} (`{_md(query)}`)")
            lines.append("")
            lines += [_md_paper(p) for p in papers] or ["Nothing new."]
            if count > len(papers):
                lines.append(f"- … and {count - len(papers)} more")
            lines.append("")
    lines += ["## Day by day", ""]
    for day, count, papers in digest.days:
        lines += [f"### {_day_label(day)}: the top {len(papers)} of {count}", ""]
        lines += [_md_paper(p) for p in papers]
        lines.append("")
    if not digest.days:
        lines += ["No papers in this period.", ""]
    return "\n".join(lines)


def _h(text: object) -> str:
    return html.escape(clean_text(str(text)), quote=True)


def _html_papers(papers: Sequence[Paper]) -> str:
    items = []
    for paper in papers:
        links = " · ".join(
            f'<a href="{html.escape(url, quote=True)}" style="color:#0b57d0">{_h(label)}</a>'
            for label, url in _links(paper)
        )
        authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        items.append(
            '<li style="margin:0 0 10px 0">'
            f"<strong>{_h(paper.title)}</strong> "
            f'<span style="color:#666">▲ {paper.upvotes}</span><br>'
            + (f'<span style="color:#444">{_h(authors)}</span><br>' if authors else "")
            + f"{links}</li>"
        )
    return '<ul style="padding-left:20px">' + "".join(items) + "</ul>"


def _html(digest: Digest, moment: str) -> str:
    body = [f'<h1 style="font-size:22px">paperreader digest: {_h(_span(digest))}</h1>']
    if digest.watches:
        body.append('<h2 style="font-size:18px">Watches</h2>')
        for name, query, count, papers in digest.watches:
            noun = "paper" if count == 1 else "papers"
            body.append(
                f'<h3 style="font-size:16px">{_h(name)}: {count} new {noun} '
                f'<code style="color:#666">{_h(query)}</code></h3>'
            )
            body.append(_html_papers(papers) if papers else "<p>Nothing new.</p>")
            if count > len(papers):
                body.append(f"<p>… and {count - len(papers)} more</p>")
    body.append('<h2 style="font-size:18px">Day by day</h2>')
    for day, count, papers in digest.days:
        body.append(
            f'<h3 style="font-size:16px">{_h(_day_label(day))}: '
            f"the top {len(papers)} of {count}</h3>"
        )
        body.append(_html_papers(papers))
    if not digest.days:
        body.append("<p>No papers in this period.</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>paperreader digest: {_h(_span(digest))}</title></head>\n"
        '<body style="font-family:Helvetica,Arial,sans-serif;max-width:720px;'
        'margin:0 auto;padding:16px;color:#222;line-height:1.4">\n'
        + "\n".join(body)
        + f'\n<p style="color:#888;font-size:12px">Made by paperreader at {_h(moment)}.</p>'
        + "\n</body></html>\n"
    )
