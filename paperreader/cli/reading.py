"""`list`, `read` and `show`: listings and papers for scripts, by the app's load policy."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from paperreader.cli.common import (
    CLIError,
    _close,
    _library,
)
from paperreader.core.library import Library, Source
from paperreader.core.periods import Period
from paperreader.core.store import Row

if TYPE_CHECKING:
    pass


def _paper_id(text: str) -> str:
    from paperreader.core.models import normalize_id

    paper_id = normalize_id(text)
    if paper_id is None:
        shown = "".join(c for c in text if c.isprintable())[:40]
        raise CLIError(f"{shown!r} is not an arXiv id (expected e.g. 2608.09888)")
    return paper_id


def _page_library(offline: bool) -> Library:
    """A library with the configured size limit of stored full texts."""
    from paperreader.core.config import load_config

    library = _library(offline)
    library.full_text_limit = load_config().full_text_cache_mb * 1024 * 1024
    return library


def _read(text: str, *, offline: bool) -> int:
    paper_id = _paper_id(text)
    library = _page_library(offline)
    try:
        answer = library.full_text(paper_id, network=not offline)
    finally:
        _close(library)
    if answer.value is None:
        if offline and not answer.missing:
            raise CLIError(
                f"no stored full text for {paper_id} (run without --offline to fetch it; "
                f"or read it on arXiv: https://arxiv.org/abs/{paper_id})"
            )
        raise CLIError(answer.problem)
    if answer.problem:
        print(f"paperreader: {answer.problem}; printing the stored copy", file=sys.stderr)
    sys.stdout.write(answer.value if answer.value.endswith("\n") else answer.value + "\n")
    return 0


def _show(text: str, *, offline: bool, as_json: bool) -> int:
    from paperreader.core.paperpage import threaded

    paper_id = _paper_id(text)
    library = _page_library(offline)
    try:
        details = _final(library.paper_details(paper_id, network=not offline))
        comments = _final(library.comments(paper_id, network=not offline))
        paper = library.paper(paper_id) or (details.value.paper if details.value else None)
        stored = library.store.has_full_text(paper_id)
        state = library.export_entries([paper_id]) if paper is not None else []
    finally:
        _close(library)
    if paper is None:
        why = "; ".join(p for p in {details.problem, comments.problem} if p)
        raise CLIError(f"nothing known about {paper_id}" + (f" ({why})" if why else ""))
    problems = [
        f"{what}: {answer.problem}"
        for what, answer in (("linked repositories", details), ("comments", comments))
        if answer.problem
    ]
    for problem in problems:
        print(f"paperreader: {problem}", file=sys.stderr)
    repos = details.value
    thread = threaded(comments.value or ())
    if as_json:
        from paperreader.core.export import export

        data = json.loads(export(state, "json"))[0] if state else paper.to_dict()
        data["links"] = [
            {"label": link.label, "url": link.url, "safe": link.safe} for link in paper.links
        ]
        data["linked"] = repos.to_dict() if repos is not None else None
        data["comments_list"] = (
            [{**c.to_dict(), "depth": depth} for depth, c in thread]
            if comments.value is not None
            else None
        )
        data["full_text_stored"] = stored
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    _print_paper(paper, repos, thread, comments.value is not None, stored)
    return 0


def _final(answers: Any) -> Any:
    last = None
    for last in answers:  # noqa: B007
        pass
    return last


def _print_paper(
    paper: Any, repos: Any, thread: list[Any], have_comments: bool, stored: bool
) -> None:
    from paperreader.core.paperpage import REPO_KINDS

    lines = [paper.title, ""]
    fields = [
        ("id", paper.id),
        ("authors", ", ".join(paper.authors)),
        ("listed", paper.listing_day.isoformat() if paper.listing_day else ""),
        ("published", paper.published.isoformat() if paper.published else ""),
        ("upvotes", str(paper.upvotes)),
        ("comments", "" if paper.comments is None else str(paper.comments)),
        ("organization", paper.organization or ""),
        ("full text", "stored" if stored else "not stored (paperreader read ID fetches it)"),
    ]
    lines += [f"{name:<13}{value}" for name, value in fields if value]
    lines += ["", "Abstract", paper.summary or "(none)", "", "Links"]
    lines += [
        f"  {link.label:<13}{link.url}" + ("" if link.safe else "  (unsafe)")
        for link in paper.links
    ]
    lines.append("")
    if repos is None:
        lines.append("Linked repositories: unknown (not stored)")
    else:
        lines.append(f"Linked repositories: {repos.summary()}")
        for kind in REPO_KINDS:
            for repo in repos.repos(kind):
                tag = f" · {repo.tag}" if repo.tag else ""
                lines.append(f"  {kind:<8} ♥ {repo.likes:<6,} {repo.url}{tag}")
    lines.append("")
    if not have_comments:
        lines.append("Comments: unknown (not stored)")
    else:
        lines.append(f"Comments: {len(thread)}")
        for depth, comment in thread:
            indent = "  " * (depth + 1)
            when = comment.created.strftime("%Y-%m-%d %H:%M") if comment.created else ""
            who = comment.author + (f" (@{comment.handle})" if comment.handle else "")
            lines.append(f"{indent}{who} · {when}" + (" · hidden" if comment.hidden else ""))
            for line in (comment.text or "").splitlines():
                lines.append(f"{indent}  {line}")
    print("\n".join(lines))


def _list(period: Period | None, *, offline: bool, shape: str, watch: str | None = None) -> int:
    library = _library(offline)
    try:
        # The load policy the app uses: the store's answer, then the network's.
        source = Source("watch", key=watch) if watch is not None else Source(period=period)
        loaded = library.load_final(source)
        if watch is not None and loaded.origin == "none":
            raise CLIError(loaded.problem)
        if loaded.origin in ("none", "sample"):
            # (The app shows the bundled sample then; a script gets no made-up listing.)
            raise CLIError(f"nothing stored for that listing, and {loaded.problem}")
        if loaded.problem and loaded.origin == "cache":
            print(f"paperreader: {loaded.problem}; showing the stored copy", file=sys.stderr)
        elif loaded.problem:
            print(f"paperreader: {loaded.problem}", file=sys.stderr)
        return _print_rows(library, loaded.rows, shape)
    finally:
        _close(library)


def _print_rows(library: Library, rows: Sequence[Row], shape: str) -> int:
    """Rows as lines (``● ★ ▲ 12  id  title``), a JSON array or JSON lines."""
    if shape == "lines":
        read, marks = library.store.read_ids(), library.store.bookmark_ids()
        for row in rows:
            flags = ("●" if row.id not in read else " ") + ("★" if row.id in marks else " ")
            gone = "  [withdrawn]" if row.withdrawn else ""
            print(f"{flags} ▲{row.upvotes:>4}  {row.id:<11} {row.title}{gone}")
        return 0
    from paperreader.core.export import export

    items = json.loads(export(library.export_entries([row.id for row in rows]), "json"))
    if shape == "json":
        print(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        for item in items:
            print(json.dumps(item, ensure_ascii=False))
    return 0
