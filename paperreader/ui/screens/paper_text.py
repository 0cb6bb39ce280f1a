"""The full text of a paper, read in the terminal, and its comments.

The screen loads through the library in thread workers (the stored text at once, else
Hugging Face's, then stored), lays the Markdown out itself (``ui.markdown_lines``: never
markup, never Textual's Markdown widget) and shows it in a Line API view that renders
only the rows on screen, so a paper of megabytes scrolls as fast as a short one. A big
text is laid out in pieces: the first screen shows as soon as its piece is ready.

It is modal: the reader's keys underneath do nothing while it is open. Its own keys come
from the command table (scope ``paper_text``).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from paperreader.core.store import StoreError
from paperreader.ui.bindings import bindings
from paperreader.ui.markdown_lines import (
    Block,
    Doc,
    Links,
    Run,
    layout,
    message_doc,
    parse_blocks,
    split_sections,
)
from paperreader.ui.screens.dialog import LIST_KEYS, MovesInList

if TYPE_CHECKING:
    from paperreader.core.library import Library
    from paperreader.core.paperpage import Answer, Comment

#: Strips kept (a few screens' worth).
_STRIP_CACHE = 400
_FIND = Style(reverse=True)
_FIND_CURRENT = Style(bgcolor="yellow", color="black", bold=True)


#: Seconds opening a text waits for the user's data still being written (the place saved
#: when this paper was last left), before reading where to start.
READ_YOUR_WRITES = 2.0


class TextView(ScrollView, can_focus=True):
    """Laid-out lines (a ``Doc``), rendered one row at a time."""

    DEFAULT_CSS = """
    TextView {
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.doc = Doc()
        self._strips: dict[tuple[int, int], Strip] = {}
        #: Matches of the find: line -> [(start, end)] in characters; the current one.
        self.matches: dict[int, list[tuple[int, int]]] = {}
        self.current_match: tuple[int, int, int] | None = None
        self.on_scrolled: Any = None

    def set_doc(self, doc: Doc, top: int | None = None) -> None:
        self.doc = doc
        self._strips.clear()
        self.matches = {}
        self.current_match = None
        self.virtual_size = Size(self.scrollable_content_region.width, len(doc.lines))
        if top is not None:
            self.scroll_to(y=top, animate=False, immediate=True)
            if top:  # once the new size is laid out, if it was not yet
                self.call_after_refresh(self.scroll_to, y=top, animate=False, immediate=True)
        self.refresh()

    @property
    def top(self) -> int:
        return int(self.scroll_y)

    @property
    def page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.on_scrolled is not None:
            self.on_scrolled()

    def highlight(self) -> None:
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.doc.lines) or width <= 0:
            return Strip.blank(width, base)
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= _STRIP_CACHE:
                self._strips.clear()
            strip = Strip(self.doc.lines[index]).apply_style(base)
            if index in self.matches:
                strip = self._marked(strip, index)
            strip = self._strips[key] = strip.crop_extend(0, width, base)
        return strip

    def _marked(self, strip: Strip, index: int) -> Strip:
        text = self.doc.texts[index]
        cuts: list[int] = []
        styles: list[Style | None] = []
        position = 0
        for start, end in self.matches[index]:
            first, last = cell_len(text[:start]), cell_len(text[:end])
            if first < position:
                continue
            cuts += [first, last]
            current = self.current_match == (index, start, end)
            styles += [None, _FIND_CURRENT if current else _FIND]
            position = last
        pieces = strip.divide([*cuts, strip.cell_length])
        marked = []
        for index, piece in enumerate(pieces):
            style = styles[index] if index < len(styles) else None
            marked.append(piece.apply_style(style) if style is not None else piece)
        return Strip.join(marked)

    def on_resize(self, event: Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.doc.lines))
        self._strips.clear()


class _Chooser(MovesInList, ModalScreen[int | None]):
    """A modal list moved with j/k as well as the arrows."""

    BINDINGS = LIST_KEYS


class ContentsScreen(_Chooser):
    """The headings of the text; ``enter`` goes to one."""

    BINDINGS = bindings("contents")
    DEFAULT_CSS = """
    ContentsScreen { align: center middle; }
    ContentsScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 85%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    ContentsScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    def __init__(self, headings: list[tuple[int, int, str]], current: int) -> None:
        super().__init__()
        self.headings = headings
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Contents", style="bold"))
            options = [
                Option(Text("  " * (level - 1) + title, no_wrap=True, overflow="ellipsis"))
                for level, _, title in self.headings
            ]
            yield OptionList(*options)
            yield Label(Text("enter go · esc cancel", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        before = [i for i, (_, line, _) in enumerate(self.headings) if line <= self.current]
        options.highlighted = before[-1] if before else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.headings[event.option_index][1])


class LinkChooser(_Chooser):
    """The numbered links of the text; ``enter`` (or typing its number) picks one."""

    BINDINGS = bindings("text_links")
    DEFAULT_CSS = """
    LinkChooser { align: center middle; }
    LinkChooser > Vertical {
        width: 90%; max-width: 120; height: auto; max-height: 85%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    LinkChooser OptionList { height: auto; max-height: 25; border: none; }
    """

    def __init__(self, verb: str, links: Links, start: int) -> None:
        super().__init__()
        self.verb = verb
        self.links = links
        self.start = start
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{self.verb} a link of the text", style="bold"))
            options = []
            for number, (url, label) in enumerate(
                zip(self.links.urls, self.links.labels, strict=True), 1
            ):
                prompt = Text(f"[{number}] ", style="bold")
                prompt.append(label[:60], style="italic")
                prompt.append("  ")
                prompt.append(url, style="dim")
                prompt.no_wrap = True
                prompt.overflow = "ellipsis"
                options.append(Option(prompt))
            yield OptionList(*options)
            yield Label(Text("enter choose · type a number · esc cancel", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = max(self.start - 1, 0)
        options.focus()

    def on_key(self, event: Any) -> None:
        character = getattr(event, "character", None) or ""
        if character.isdigit():
            event.stop()
            self.typed = (self.typed + character)[-6:]
            number = int(self.typed)
            if not 1 <= number <= len(self.links.urls):
                self.typed = character
                number = int(character)
            if 1 <= number <= len(self.links.urls):
                self.query_one(OptionList).highlighted = number - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index + 1)


class PaperTextScreen(ModalScreen[None]):
    """One paper's full text (or its comments), with contents, find and links."""

    BINDINGS = bindings("paper_text")
    DEFAULT_CSS = """
    PaperTextScreen { background: $surface; }
    PaperTextScreen #text-title {
        height: auto; max-height: 2; padding: 0 1; background: $panel; text-style: bold;
    }
    PaperTextScreen #text-status {
        height: 1; padding: 0 1; background: $panel; color: $text-muted;
    }
    PaperTextScreen #text-find { dock: bottom; display: none; }
    PaperTextScreen #text-find.-shown { display: block; }
    """

    def __init__(self, library: Library, paper_id: str, title: str = "") -> None:
        super().__init__()
        self.library = library
        self.paper_id = paper_id
        self.paper_title = title
        self.mode = "text"  # or "comments"
        self.state = "loading"  # "text", "missing", "failed"
        self.links = Links()
        self.blocks: list[Block] = []
        self.text_doc: Doc | None = None
        self.text_top = 0
        self.comments_value: tuple[Comment, ...] | None = None
        self.comments_note = ""
        self.origin = ""
        self.text_bytes = 0
        self.problem = ""
        self.position = (0, 0)  # the Markdown line read last time, lines past its first
        self.laid_out_width = 0
        self.complete = False
        self.find_text = ""
        self.find_hits: list[tuple[int, int, int]] = []
        self.find_index = -1
        self._saved = False
        self._dismissed = False  # dismissed: what workers still report is dropped

    # Layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(self.paper_title or self.paper_id), id="text-title", markup=False)
        yield TextView(id="text-view")
        yield Input(placeholder="Find in the text (enter: go, esc: close)", id="text-find")
        yield Static(id="text-status", markup=False)
        yield Footer()

    @property
    def view(self) -> TextView:
        return self.query_one(TextView)

    def on_mount(self) -> None:
        view = self.view
        view.on_scrolled = self._update_status
        view.focus()
        view.set_doc(message_doc([("Loading the full text…", "meta")], self._width()))
        self.load_text(self._width())

    def _width(self) -> int:
        width = self.view.scrollable_content_region.width
        return width if width > 0 else max(self.app.size.width - 3, 20)

    # Loading -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="paper-text")
    def load_text(self, width: int) -> None:
        worker = get_current_worker()
        library = self.library
        writer = getattr(self.app, "writer", None)
        if writer is not None:
            # Read what was written: the place saved on leaving this paper a moment ago
            # may still be on its way to the disk.
            writer.wait(READ_YOUR_WRITES)
        try:
            answer = library.full_text(self.paper_id)
            position = library.reading_position(self.paper_id)
            paper = library.paper(self.paper_id)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        title = paper.title if paper is not None else self.paper_title
        self.app.call_from_thread(self._answered, answer, title, position)
        text = answer.value
        if text is None or worker.is_cancelled:
            return
        links = Links()
        blocks: list[Block] = []
        doc = Doc()
        pieces = split_sections(text)
        for number, (start, piece) in enumerate(pieces):
            if worker.is_cancelled:
                return
            found = parse_blocks(piece, links, start)
            blocks += found
            layout(found, width, doc)
            if number == 0 and len(pieces) > 1:
                self.app.call_from_thread(self._show_text, doc.copy(), links, [], width, False)
        self.app.call_from_thread(self._show_text, doc, links, blocks, width, True)

    def _answered(self, answer: Answer[str], title: str, position: tuple[int, int]) -> None:
        if self._dismissed:
            return
        self.paper_title = title or self.paper_title
        self.query_one("#text-title", Static).update(Text(self.paper_title or self.paper_id))
        self.position = position
        self.origin = answer.origin
        self.problem = answer.problem
        if answer.value is not None:
            self.text_bytes = len(answer.value.encode("utf-8"))
            self.state = "text"
            if answer.problem:
                self.notify(answer.problem, severity="warning", markup=False)
            return
        arxiv = f"https://arxiv.org/abs/{self.paper_id}"
        if answer.missing:
            self.state = "missing"
            lines = [
                ("Hugging Face has no text for this paper (it is not indexed there).", "strong"),
                ("", ""),
                (f"Press o to open it on arXiv ({arxiv}), y to copy that link.", ""),
            ]
        else:
            self.state = "failed"
            lines = [
                ("The full text could not be fetched, and no copy is stored.", "strong"),
                ("", ""),
                (f"Why: {answer.problem}", ""),
                ("", ""),
                (f"Press o to open the paper on arXiv ({arxiv}), y to copy that link.", ""),
            ]
        lines += [("", ""), ("esc: back to the list", "meta")]
        self.view.set_doc(message_doc(lines, self._width()), 0)
        self._update_status()

    def _failed(self, message: str) -> None:
        if self._dismissed:
            return
        self.state = "failed"
        self.problem = message
        self.view.set_doc(message_doc([(message, "strong")], self._width()), 0)
        self._update_status()

    def _show_text(
        self, doc: Doc, links: Links, blocks: list[Block], width: int, final: bool
    ) -> None:
        if self._dismissed:
            return
        self.links = links
        self.laid_out_width = width
        if final:
            self.blocks = blocks
            self.complete = True
        first = self.text_doc is None
        old_top = self.view.top if not first and self.mode == "text" else 0
        self.text_doc = doc
        if self.mode != "text":
            return
        top = old_top
        # Back where the reader left off, once the text holds that place.
        source, offset = self.position
        if (
            (source or offset)
            and (first or old_top == 0)
            and doc.sources
            and doc.sources[-1] >= source
        ):
            top = doc.line_of_source(source) + offset
            self.position = (0, 0)
        self.view.set_doc(doc, top)
        self._refind()
        self._update_status()

    def on_resize(self, event: Resize) -> None:
        width = self._width()
        if self.complete and self.blocks and width != self.laid_out_width:
            doc = self.text_doc
            if doc is not None and doc.sources and self.mode == "text":
                self.position = _position(doc, self.view.top)
            self.complete = False
            self.relayout(width)

    @work(thread=True, exclusive=True, group="paper-layout")
    def relayout(self, width: int) -> None:
        doc = layout(self.blocks, width)
        self.app.call_from_thread(self._relaid, doc, width)

    def _relaid(self, doc: Doc, width: int) -> None:
        if self._dismissed:
            return
        self.text_doc = None  # so that the position is restored
        self._show_text(doc, self.links, self.blocks, width, True)

    # Comments ------------------------------------------------------------------------
    def action_toggle_comments(self) -> None:
        if self.mode == "comments":
            self.mode = "text"
            self._show_mode()
            return
        if self.text_doc is not None and self.view.doc is self.text_doc:
            self.text_top = self.view.top
        self.mode = "comments"
        self._show_mode()
        if self.comments_value is None:
            self.load_comments()

    def _show_mode(self) -> None:
        if self.mode == "text":
            if self.text_doc is not None:
                self.view.set_doc(self.text_doc, self.text_top)
                self._refind()
            else:
                self.view.set_doc(message_doc([("Loading the full text…", "meta")], 40), 0)
        else:
            self.view.set_doc(self._comments_doc(), 0)
        self._update_status()

    @work(thread=True, exclusive=True, group="paper-comments")
    def load_comments(self) -> None:
        try:
            for answer in self.library.comments(self.paper_id):
                self.app.call_from_thread(self._comments_answered, answer)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)

    def _comments_answered(self, answer: Answer[tuple[Comment, ...]]) -> None:
        if self._dismissed:
            return
        if answer.value is not None:
            self.comments_value = answer.value
        self.comments_note = answer.problem
        if self.mode == "comments":
            top = self.view.top if answer.origin == "network" else 0
            self.view.set_doc(self._comments_doc(), top)
            self._update_status()

    def _comments_doc(self) -> Doc:
        from paperreader.core.paperpage import threaded

        width = self._width()
        if self.comments_value is None:
            lines = [("Loading the comments…", "meta")]
            if self.comments_note:
                lines = [(f"No comments to show: {self.comments_note}", "strong")]
            return message_doc(lines, width)
        blocks = [Block("heading", [(f"Comments ({len(self.comments_value)})", "h2", 0)], level=2)]
        if self.comments_note:
            blocks.append(Block("text", [(f"Not refreshed: {self.comments_note}", "meta", 0)]))
        if not self.comments_value:
            blocks.append(Block("text", [("No one has commented on this paper yet.", "meta", 0)]))
        for depth, comment in threaded(self.comments_value):
            indent = "  " * depth + ("↳ " if depth else "")
            rest = " " * len(indent)
            head: list[Run] = [(comment.author, "strong", 0)]
            if comment.handle:
                head.append((f" @{comment.handle}", "meta", 0))
            if comment.created:
                head.append((f" · {comment.created:%Y-%m-%d %H:%M}", "meta", 0))
            if comment.hidden:
                head.append((" · hidden", "unsafe", 0))
            blocks.append(Block("text", head, indent, rest, gap=False))
            body = comment.text if not comment.hidden else "(hidden by the moderators)"
            for paragraph in (body or "(empty)").split("\n"):
                blocks.append(
                    Block("text", [(paragraph, "", 0)], rest + "  ", rest + "  ", gap=False)
                )
            blocks.append(Block("blank"))
        return layout(blocks, width)

    # Moving --------------------------------------------------------------------------
    def action_scroll_down(self) -> None:
        self.view.scroll_to(y=self.view.top + 1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.view.scroll_to(y=max(self.view.top - 1, 0), animate=False, immediate=True)

    def action_scroll_top(self) -> None:
        self.view.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_bottom(self) -> None:
        self.view.scroll_to(y=len(self.view.doc.lines), animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.view.scroll_to(y=self.view.top + self.view.page, animate=False, immediate=True)

    def action_page_up(self) -> None:
        self.view.scroll_to(y=max(self.view.top - self.view.page, 0), animate=False, immediate=True)

    def go_to_line(self, line: int) -> None:
        self.view.scroll_to(y=line, animate=False, immediate=True)

    # Contents ------------------------------------------------------------------------
    def action_contents(self) -> None:
        doc = self.text_doc
        if doc is None or not doc.headings:
            self.notify("No sections to go to.", severity="warning")
            return

        def chosen(line: int | None) -> None:
            if line is not None:
                if self.mode != "text":
                    self.mode = "text"
                    self._show_mode()
                self.go_to_line(line)

        top = self.view.top if self.mode == "text" else self.text_top
        self.app.push_screen(ContentsScreen(doc.headings, top), chosen)

    # Find ----------------------------------------------------------------------------
    def action_find(self) -> None:
        box = self.query_one("#text-find", Input)
        box.add_class("-shown")
        box.value = self.find_text
        box.focus()

    def _close_find(self) -> None:
        box = self.query_one("#text-find", Input)
        box.remove_class("-shown")
        self.view.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.find_text = event.value.strip()
        self._close_find()
        self._refind()
        if self.find_text and not self.find_hits:
            self.notify(f"Not found: {self.find_text}", severity="warning", markup=False)
            return
        top = self.view.top
        self.find_index = next((i for i, hit in enumerate(self.find_hits) if hit[0] >= top), 0) - 1
        self._step_find(1)

    def _refind(self) -> None:
        """The matches of the find in the lines shown."""
        view = self.view
        self.find_hits = []
        self.find_index = -1
        view.matches = {}
        view.current_match = None
        needle = self.find_text.lower()
        if needle:
            for index, text in enumerate(view.doc.texts):
                if needle in text.lower():
                    low = text.lower()
                    start = low.find(needle)
                    while start >= 0:
                        end = start + len(needle)
                        self.find_hits.append((index, start, end))
                        view.matches.setdefault(index, []).append((start, end))
                        start = low.find(needle, end)
        view.highlight()
        self._update_status()

    def _step_find(self, step: int) -> None:
        if not self.find_hits:
            if self.find_text:
                self.notify(f"Not found: {self.find_text}", severity="warning", markup=False)
            else:
                self.action_find()
            return
        self.find_index = (self.find_index + step) % len(self.find_hits)
        hit = self.find_hits[self.find_index]
        self.view.current_match = hit
        self.view.highlight()
        view = self.view
        height = max(view.scrollable_content_region.height, 1)
        if not view.top <= hit[0] < view.top + height:
            self.go_to_line(max(hit[0] - height // 3, 0))
        self._update_status()

    def action_find_next(self) -> None:
        self._step_find(1)

    def action_find_previous(self) -> None:
        self._step_find(-1)

    # Links ---------------------------------------------------------------------------
    def _arxiv(self) -> str:
        return f"https://arxiv.org/abs/{self.paper_id}"

    def _choose_link(self, verb: str, then: Any) -> None:
        if self.state in ("missing", "failed"):
            then(self._arxiv(), "arXiv link")
            return
        if not self.links.urls:
            self.notify("No http(s) links in this text.", severity="warning")
            return
        doc = self.text_doc
        top = self.view.top if self.mode == "text" else self.text_top
        start = 1
        if doc is not None:
            shown = [n for n, line in doc.link_lines.items() if line >= top]
            start = min(shown) if shown else 1

        def chosen(number: int | None) -> None:
            if number is not None and 1 <= number <= len(self.links.urls):
                then(self.links.urls[number - 1], f"link [{number}]")

        self.app.push_screen(LinkChooser(verb, self.links, start), chosen)

    def action_open_link(self) -> None:
        def open_url(url: str, label: str) -> None:
            opener = getattr(self.app, "open_in_browser", None)
            if opener is None:
                self.notify(f"Cannot open links here: {url}", markup=False)
            else:
                opener(url)

        self._choose_link("Open", open_url)

    def action_copy_link(self) -> None:
        def copy(url: str, label: str) -> None:
            copier = getattr(self.app, "copy_text", None)
            if copier is None:
                self.app.copy_to_clipboard(url)
            else:
                copier(url, label)

        self._choose_link("Copy", copy)

    # Leaving -------------------------------------------------------------------------
    def action_back(self) -> None:
        """One layer at a time: the find box, then the comments (back to the text, where
        it was), then the screen."""
        box = self.query_one("#text-find", Input)
        if box.has_class("-shown"):
            self._close_find()
            return
        if self.mode == "comments":
            self.mode = "text"
            self._show_mode()
            return
        self._save_position()
        self._dismissed = True
        self.dismiss(None)

    def _save_position(self) -> None:
        doc = self.text_doc
        if self._saved or doc is None or not doc.sources or self.state != "text":
            return
        top = self.view.top if self.mode == "text" else self.text_top
        line, offset = _position(doc, top)
        self._saved = True
        library = self.library
        paper_id = self.paper_id
        writer = getattr(self.app, "writer", None)
        if writer is None:
            return
        with contextlib.suppress(RuntimeError):  # a closed writer: the app is quitting
            writer.submit(
                [("text_position", paper_id)],
                lambda: library.set_reading_position(paper_id, line, offset),
                failed=lambda error: None,  # a place not kept is no loss of the user's data
            )

    # Status --------------------------------------------------------------------------
    def _update_status(self) -> None:
        view = self.view
        parts: list[str] = []
        if self.mode == "comments":
            count = len(self.comments_value) if self.comments_value is not None else "…"
            parts.append(f"Comments: {count}  (c: back to the text)")
        elif self.state == "text":
            where = "stored copy" if self.origin == "cache" else "from Hugging Face, now stored"
            parts.append(f"{where} · {self.text_bytes / 1024:,.0f} KB")
            total = len(view.doc.lines)
            if total:
                shown = min(view.top + view.scrollable_content_region.height, total)
                parts.append(f"line {shown:,}/{total:,}" + ("" if self.complete else "…"))
        elif self.state == "loading":
            parts.append("Loading…")
        if self.find_text and self.mode == "text":
            if self.find_hits:
                parts.append(
                    f'find "{self.find_text}": {self.find_index + 1}/{len(self.find_hits)}'
                )
            else:
                parts.append(f'find "{self.find_text}": none')
        self.query_one("#text-status", Static).update(Text("  ·  ".join(parts)))


def _position(doc: Doc, top: int) -> tuple[int, int]:
    """The place of laid-out line ``top``: its Markdown line, and lines past the first
    laid out from that line (the place survives a change of width, near enough)."""
    if top <= 0 or not doc.sources:
        return 0, 0
    top = min(top, len(doc.sources) - 1)
    source = doc.sources[top]
    return source, top - doc.line_of_source(source)
