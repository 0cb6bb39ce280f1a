"""The detail pane: everything about one paper, scrollable by keyboard.

All text from the network is added to ``rich.text.Text`` objects as plain text, never as
markup, so a title like ``[bold]x[/]`` shows literally. Links are clickable (OSC 8) only
when they are safe http(s) links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from paperreader.core.models import Paper
from paperreader.core.text import strip_controls
from paperreader.core.wording import plural
from paperreader.ui.bindings import bindings
from paperreader.ui.widgets.keys_panel import KEYS_PANEL_BINDINGS, ClosesKeysPanel

if TYPE_CHECKING:
    from paperreader.core.paperpage import Comment, PaperDetails

#: How much of a note the pane shows (the editor has all of it).
NOTE_SHOWN = 20_000
#: Linked repositories shown per kind, and comments previewed.
REPOS_SHOWN = 5
COMMENTS_SHOWN = 3


class DetailPane(ClosesKeysPanel, VerticalScroll, can_focus=True):
    BINDINGS = [*bindings("detail"), *KEYS_PANEL_BINDINGS]

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 2 0 1;
        border-left: blank;
        &:focus { border-left: thick $accent; }
        background: $surface;
        scrollbar-size-vertical: 1;
        & > Static { width: 1fr; }
    }
    """

    class LinkClicked(Message):
        """A link in the pane was clicked (only safe links carry one)."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def on_click(self, event: Click) -> None:
        link = event.style.link if event.style else None
        if link:
            event.stop()
            self.post_message(self.LinkClicked(link))

    @property
    def body(self) -> Static:
        """What the pane shows, mounted with the first paper or message: the first frame
        does not wait for it (the pane is blank until then)."""
        found = self.query("#detail-body")
        if found:
            return found.first(Static)
        body = Static(id="detail-body")
        self.mount(body)
        return body

    def show(
        self,
        paper: Paper | None,
        *,
        read: bool = False,
        bookmarked: bool = False,
        note: str = "",
        tags: tuple[str, ...] = (),
        keep_scroll: bool = False,
        details: PaperDetails | None = None,
        comments: Sequence[Comment] | None = None,
        full_text_stored: bool = False,
        reason: str = "",
    ) -> None:
        body = self.body
        if paper is None:
            body.update(Text("No paper selected.", style="dim"))
        else:
            body.update(
                render_paper(
                    paper,
                    read=read,
                    bookmarked=bookmarked,
                    note=note,
                    tags=tags,
                    details=details,
                    comments=comments,
                    full_text_stored=full_text_stored,
                    reason=reason,
                )
            )
        if not keep_scroll:
            self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.body.update(Text(message, style="dim"))


#: The width of the fields' labels ("Organization", "Submitted by").
LABEL_WIDTH = 12


def _fields() -> Table:
    """Label and value side by side; a long value wraps under itself (a hanging indent),
    never back under its label."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=LABEL_WIDTH, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    return table


def _field(table: Table, label: str, value: str | Text | None, style: str = "bold dim") -> None:
    if value:
        table.add_row(Text(label, style=style), value if isinstance(value, Text) else Text(value))


def _named(name: str | None, handle: str | None) -> str:
    """A display name with its Hugging Face handle: ``Jan Chorowski (@janchorowski)``."""
    if handle and name and handle != name:
        return f"{name} (@{handle})"
    return name or (f"@{handle}" if handle else "")


def render_paper(
    paper: Paper,
    *,
    read: bool,
    bookmarked: bool,
    note: str = "",
    tags: tuple[str, ...] = (),
    details: PaperDetails | None = None,
    comments: Sequence[Comment] | None = None,
    full_text_stored: bool = False,
    reason: str = "",
) -> Group:
    """The detail of a paper; ``details`` (linked repositories), ``comments`` and
    ``full_text_stored`` are shown when known (None: not known, nothing said);
    ``reason``: why the view lists it ("for you": the kept paper it is like)."""
    text = Text()
    text.append(paper.title, style="bold")
    text.append("\n")
    state = ["read" if read else "unread"]
    if bookmarked:
        state.append("★ bookmarked")
    text.append(" · ".join(state), style="italic dim")
    if tags:
        text.append("  ")
        for tag in tags:
            text.append(f"#{tag}", style="bold magenta")
            text.append(" ")
    text.append("\n\n")
    if note:
        text.append("Your note\n", style="bold underline")
        # A long note shows its beginning: laying out megabytes froze the app for seconds.
        text.append(strip_controls(note[:NOTE_SHOWN]).rstrip())
        if len(note) > NOTE_SHOWN:
            more = len(note) - NOTE_SHOWN
            text.append(f"\n… ({more:,} more characters)", style="dim")
        text.append("\n\n")
    text.rstrip()

    fields = _fields()
    if reason:
        _field(fields, "For you", Text(strip_controls(reason), style="italic"))
    _field(fields, "Authors", ", ".join(paper.authors))
    if paper.withdrawn:
        withdrawn = f"on {paper.withdrawn:%a %Y-%m-%d}: the authors withdrew this paper"
        _field(fields, "Withdrawn", withdrawn, style="bold red")
    _field(fields, "Organization", _named(paper.organization, paper.organization_handle))
    _field(fields, "Submitted by", _named(paper.submitter, paper.submitter_handle))
    _field(fields, "Listed", paper.listing_day.strftime("%a %Y-%m-%d") if paper.listing_day else "")
    _field(fields, "arXiv date", paper.published.isoformat() if paper.published else "")
    numbers = [f"▲ {plural(paper.upvotes, 'upvote')}"]
    if paper.comments is not None:
        numbers.append(plural(paper.comments, "comment"))
    if paper.github_stars is not None:
        numbers.append(f"★ {plural(paper.github_stars, 'GitHub star')}")
    _field(fields, "Votes", " · ".join(numbers))
    if full_text_stored:
        _field(fields, "Full text", "stored: f reads it (offline too)")

    rest = Text()
    if paper.ai_summary:
        rest.append("\nAI summary\n", style="bold underline")
        rest.append(paper.ai_summary)
    keywords = _fields()
    if paper.ai_keywords:
        _field(keywords, "Keywords", Text(", ".join(paper.ai_keywords), style="italic"))

    links = Text()
    links.append("\nAbstract\n", style="bold underline")
    links.append(paper.summary or "(no abstract)")
    if details is not None:
        _linked(links, details)
    if comments is not None:
        _comments(links, comments)
    links.append("\n\nLinks\n", style="bold underline")
    for link in paper.links:
        links.append(link.label, style="bold dim")
        links.append("\n  ")
        if link.safe:
            links.append(link.url, style=Style(link=link.url, underline=True, color="cyan"))
        else:
            links.append(link.url, style="strike dim")
            links.append("  (unsafe link: not opened or copied)", style="red")
        links.append("\n")
    parts: list[Text | Table] = [text, Text(""), fields]
    if rest:
        parts.append(rest)
    if paper.ai_keywords:
        parts += [Text(""), keywords]
    parts.append(links)
    return Group(*parts)


def _url(text: Text, url: str) -> None:
    text.append(url, style=Style(link=url, underline=True, color="cyan"))


def _linked(text: Text, details: PaperDetails) -> None:
    """Linked models, datasets and Spaces: the most liked first, with the totals."""
    from paperreader.core.paperpage import REPO_KINDS

    text.append("\n\nLinked on Hugging Face\n", style="bold underline")
    text.append(details.summary(), style="dim")
    for kind in REPO_KINDS:
        repos = details.repos(kind)
        for repo in repos[:REPOS_SHOWN]:
            text.append(f"\n{kind:<8}", style="bold dim")
            text.append(f"♥ {repo.likes:<6,} ", style="magenta")
            _url(text, repo.url)  # built from a checked owner/name: always safe
            if repo.tag:
                text.append(f" · {repo.tag}", style="dim")
        more = details.total(kind) - min(len(repos), REPOS_SHOWN)
        if more > 0 and repos:
            text.append(f"\n{'':<8}… and {more:,} more", style="dim")


def _comments(text: Text, comments: Sequence[Comment]) -> None:
    """How many comments, and the first few lines of the oldest (plain text)."""
    text.append(f"\n\nComments ({len(comments)})\n", style="bold underline")
    if not comments:
        text.append("No one has commented yet.", style="dim")
        return
    for comment in comments[:COMMENTS_SHOWN]:
        when = f" · {comment.created:%Y-%m-%d}" if comment.created else ""
        text.append(comment.author, style="bold")
        text.append(when + ": ", style="dim")
        first = "(hidden)" if comment.hidden else " ".join(comment.text.split())
        text.append(first[:160] + ("…" if len(first) > 160 else ""))
        text.append("\n")
    if len(comments) > COMMENTS_SHOWN:
        text.append(f"… f then c shows all {len(comments)}", style="dim")
