"""The paper list: a Line API widget that renders only the rows on screen.

It holds compact ``Row`` tuples (never a widget per paper), so opening, scrolling and
jumping cost the same for 20 papers or 100,000. Read and bookmark state are sets shared
with the app; the list only reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperreader.core.rows import Row
from paperreader.ui.bindings import bindings
from paperreader.ui.widgets.keys_panel import KEYS_PANEL_BINDINGS, ClosesKeysPanel

_META_WIDTH = 22  # the right-hand column (organization or first author, and the day)
_META_MAX_WIDTH = 34  # at most, in a wide list
_META_MIN_WIDTH = 76  # below this width the right-hand column is dropped
_STRIP_CACHE = 512  # rendered rows kept (a dozen screens)


class PaperList(ClosesKeysPanel, ScrollView, can_focus=True):
    """A cursor over rows of papers."""

    BINDINGS = [*bindings("list"), *KEYS_PANEL_BINDINGS]

    #: What the number column shows: the sort key's value.
    VALUES = ("upvotes", "stars", "newest")

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-mark",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--bookmark",
        "paper-list--upvotes",
        "paper-list--meta",
    }

    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        /* The focused pane has an accent bar on its left edge. */
        border-left: blank;
        &:focus { border-left: thick $accent; }
        /* The cursor stays visible without the focus too (every theme: the mark in the
           first column shows it where the theme's blurred cursor has no colour). */
        & > .paper-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .paper-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .paper-list--cursor-mark { color: $accent; text-style: bold; }
        & > .paper-list--unread { color: $foreground; text-style: bold; }
        & > .paper-list--read { color: $text-muted; }
        & > .paper-list--bookmark { color: $warning; }
        & > .paper-list--upvotes { color: $accent; }
        & > .paper-list--meta { color: $text-muted; }
    }
    """

    # repaint=False: moving the cursor redraws its two lines (watch_cursor), not the list.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class _RowMessage(Message):
        def __init__(self, paper_list: PaperList, index: int, row: Row) -> None:
            super().__init__()
            self.paper_list, self.index, self.row = paper_list, index, row

    class Highlighted(_RowMessage):
        """The cursor moved onto ``row``."""

    class Selected(_RowMessage):
        """``row`` was chosen (enter, or a double click)."""

    def __init__(
        self,
        read_ids: set[str],
        bookmark_ids: set[str],
        noted_ids: set[str] | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: Sequence[Row] = ()
        self.read_ids = read_ids
        self.bookmark_ids = bookmark_ids
        #: Papers with a note or tags (one marker for both).
        self.noted_ids = noted_ids if noted_ids is not None else set()
        #: Rendered rows, by what they show: a scroll by one line re-renders every line,
        #: but all rows but one were on screen already (and Textual's own caches hang off
        #: the strip objects, so handing back the same strip saves its work too).
        self._strips: dict[tuple[int, bool, bool, bool, bool, int], Strip] = {}
        self._value = "upvotes"

    # What the rows show --------------------------------------------------------------
    @property
    def value(self) -> str:
        """The number column: ``"upvotes"`` (▲), ``"stars"`` (☆ GitHub stars) or
        ``"newest"`` (the listing day); the app sets it to the sort order."""
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        if value not in self.VALUES:
            raise ValueError(f"value must be one of {self.VALUES}, not {value!r}")
        if value != self._value:
            self._value = value
            self._strips.clear()
            self.refresh()

    # Data ----------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row], keep: str | None = None) -> None:
        """Show ``rows``; keep the cursor on the paper ``keep`` if it is still there."""
        self.rows = rows
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        index = 0
        if keep is not None:
            index = next((i for i, row in enumerate(rows) if row.id == keep), 0)
        self.cursor = index
        self.refresh()

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # Cursor --------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh_line(old)  # virtual line numbers: the ScrollView maps them
        self.refresh_line(new)
        row = self.current
        if row is not None:
            self.post_message(self.Highlighted(self, new, row))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self._scroll_cursor_into_view()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def _find_unread(self, step: int) -> int | None:
        index = self.cursor + step
        rows, read = self.rows, self.read_ids
        while 0 <= index < len(rows):
            if rows[index].id not in read:
                return index
            index += step
        return None

    def action_next_unread(self) -> None:
        """Down to the next unread paper of the view (the whole view, not the screen)."""
        found = self._find_unread(1)
        if found is None:
            self.notify("No unread paper below this one in this view.", timeout=3)
        else:
            self.cursor = found

    def action_previous_unread(self) -> None:
        found = self._find_unread(-1)
        if found is None:
            self.notify("No unread paper above this one in this view.", timeout=3)
        else:
            self.cursor = found

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event: Click) -> None:
        index = event.y + int(self.scroll_y)
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index

    # Rendering -----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if index >= len(self.rows) or width <= 0:
            return Strip.blank(width, self._base)
        row = self.rows[index]
        key = (
            index,
            index == self.cursor,
            row.id in self.read_ids,
            row.id in self.bookmark_ids,
            row.id in self.noted_ids,
            width,
        )
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= _STRIP_CACHE:
                self._strips.clear()
            strip = self._strips[key] = self._render_row(index, row, width)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles: dict[str, Style] = {}
        if strips := getattr(self, "_strips", None):  # (None: still in __init__)
            strips.clear()

    def _style(self, name: str) -> Style:
        """The widget's own style (``""``) or a component's over it, worked out once per
        style change, not once per row."""
        styles: dict[str, Style] | None = getattr(self, "_styles", None)
        if styles is None:
            styles = self._styles = {}
        style = styles.get(name)
        if style is None:
            if not name:
                style = self.rich_style
            elif name == "paper-list--cursor":
                style = self.get_component_rich_style(name)
            else:
                style = self._style("") + self.get_component_rich_style(name)
            styles[name] = style
        return style

    @property
    def _base(self) -> Style:
        return self._style("")

    def _render_row(self, index: int, row: Row, width: int) -> Strip:
        style_of = self._style
        base = style_of("")
        unread = row.id not in self.read_ids
        style = style_of("paper-list--unread" if unread else "paper-list--read")
        mark_style = style_of("paper-list--bookmark")
        upvote_style = style_of("paper-list--upvotes")
        meta_style = style_of("paper-list--meta")
        behind = Style()
        if index == self.cursor:  # the cursor's background across the whole row
            cursor = style_of("paper-list--cursor")
            behind = Style(bgcolor=cursor.bgcolor)
            base, style = base + cursor, style + cursor
            mark_style, upvote_style, meta_style = (
                mark_style + behind,
                upvote_style + behind,
                meta_style + behind,
            )

        upvotes = _value_cell(row, self._value)
        on_cursor = index == self.cursor
        segments = [
            Segment("▌", style_of("paper-list--cursor-mark") + behind)
            if on_cursor
            else Segment(" ", base),
            Segment("●" if unread else " ", upvote_style if unread else base),
            Segment(" ★" if row.id in self.bookmark_ids else "  ", mark_style),
            Segment("✎" if row.id in self.noted_ids else " ", mark_style),
            Segment(upvotes, upvote_style),
        ]
        used = 5 + len(upvotes) + 1  # markers, upvotes, the space before the title
        meta = ""
        meta_width = max(_META_WIDTH, min(_META_MAX_WIDTH, width // 4))
        if width >= _META_MIN_WIDTH:
            day = row.listing_day if self._value != "newest" else None  # (shown already)
            meta = _meta(row.organization or row.authors, day, meta_width)
        title_width = max(0, width - used - (meta_width + 1 if meta else 0))
        if row.withdrawn:  # flagged where the eye reads first, as the website does
            flag = "⊘ withdrawn · "
            segments.append(Segment(" " + flag[:title_width], meta_style))
            rest = max(0, title_width - len(flag))
            segments.append(Segment(_fit(row.title, rest), style))
            title_width = min(len(flag), title_width) + rest
        else:
            segments.append(Segment(" " + _fit(row.title, title_width), style))
        if meta:
            segments.append(Segment(" " + _fit(meta, meta_width, right=True), meta_style))
        # Every piece has a known width (``_fit`` pads or cuts to the cell), so the strip
        # is given its length rather than measuring it again character by character.
        length = used + title_width + (meta_width + 1 if meta else 0)
        if length == width:
            return Strip(segments, width)
        return Strip(segments).adjust_cell_length(width, base)


def _value_cell(row: Row, value: str) -> str:
    """The number column (7 cells; 8 for 10,000 upvotes and more)."""
    if value == "stars":
        return f" ☆{_compact(row.github_stars)} "
    if value == "newest":
        return f" {row.listing_day[5:10] if row.listing_day else '  –  '} "
    return f" ▲{row.upvotes:>4} " if row.upvotes < 10_000 else " ▲9999+ "


def _compact(count: int | None) -> str:
    """A count in 4 cells: ``  66``, `` 12k``, ``1.2M``; ``   –`` for none."""
    if count is None:
        return "   –"
    if count < 10_000:
        return f"{count:>4}"
    if count < 1_000_000:
        return f"{count // 1000:>3}k"
    if count < 10_000_000:
        return f"{count / 1_000_000:.1f}M"[:3].rstrip(".").rjust(3) + "M"
    return f"{min(count // 1_000_000, 999):>3}M"


def _meta(who: str, day: str | None, width: int) -> str:
    """The right-hand column: who, then the day (``MM-DD``). The day is kept whole and
    the name is cut, never the other way round."""
    if not day:
        return who
    suffix = f" · {day[5:]}"
    if not who:
        return day
    room = width - len(suffix)
    if room < 4:
        return day[5:]
    return _fit(who, room).rstrip() + suffix if cell_len(who) > room else who + suffix


def _fit(text: str, width: int, *, right: bool = False) -> str:
    """Pad or truncate (with an ellipsis) to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if text.isascii() and text.isprintable():  # one cell per character: no measuring
        if len(text) > width:
            return text[: width - 1] + "…"
        return text.rjust(width) if right else text.ljust(width)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)
