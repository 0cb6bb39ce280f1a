"""A paper's Markdown as terminal lines: parsed with markdown-it-py, laid out here.

Two steps, both free of Textual widgets so that they can run in a thread worker:

1. ``parse_blocks`` reads the Markdown into blocks (headings, paragraphs, list items,
   quotes, code, maths, tables, rules), each a list of styled runs of plain text. Links
   get numbers here, in reading order: only http(s) links get one (and can be opened or
   copied); other links show their text and say they are unsafe. Nothing in the text is
   ever markup: runs are plain strings, styles come from a fixed table.
2. ``layout`` wraps the blocks to a width: a list of lines of ``Segment``s, with each
   line's plain text (for find), the source line it came from (for the reading position),
   the headings (for the table of contents) and where each link first shows.

Maths (``$...$``, ``$$...$$``; the dollarmath plugin keeps ``_`` and ``*`` inside it from
becoming emphasis) shows as Unicode text: ``\\alpha_t \\leq \\frac{1}{2}`` as ``αₜ ≤ 1/2``
(``core.tex``, imported with the first full text); find searches what is shown. Images
show as their caption and a numbered link. Big documents are parsed in pieces cut at
headings (``split_sections``), so the first screen needs only the first piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from paperreader.core.text import safe_url, strip_controls

#: Styles by name; runs carry a name (or a tuple of names), never markup.
STYLES: dict[str, Style] = {
    "": Style(),
    "em": Style(italic=True),
    "strong": Style(bold=True),
    "code": Style(color="cyan"),
    "link": Style(underline=True, color="bright_blue"),
    "linknum": Style(color="bright_blue", bold=True),
    "unsafe": Style(color="red", dim=True),
    "math": Style(color="magenta"),
    "h1": Style(bold=True, underline=True, color="bright_yellow"),
    "h2": Style(bold=True, color="bright_yellow"),
    "h3": Style(bold=True),
    "h4": Style(bold=True, italic=True),
    "quote": Style(dim=True, italic=True),
    "marker": Style(color="bright_black"),
    "figure": Style(italic=True, color="green"),
    "header": Style(bold=True),
    "rule": Style(color="bright_black"),
    "meta": Style(dim=True),
    "strike": Style(strike=True),
}

Run = tuple[str, str, int]  # text, style name, link number (0: none)


@dataclass
class Block:
    kind: str  # "heading", "text", "code", "table", "rule", "blank"
    runs: list[Run] = field(default_factory=list)
    prefix: str = ""  # before the first line (a bullet)
    indent: str = ""  # before the other lines
    level: int = 0  # of a heading
    source: int = 0  # the line of the Markdown it starts on
    rows: list[list[list[Run]]] = field(default_factory=list)  # a table: rows of cells
    header_rows: int = 0
    lines: list[str] = field(default_factory=list)  # code
    style: str = ""  # of code lines
    gap: bool = True  # a blank line after it


@dataclass
class Doc:
    """Laid-out lines and what they tell (find, contents, links, positions)."""

    lines: list[list[Segment]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # level, line, title
    link_lines: dict[int, int] = field(default_factory=dict)  # link number -> line

    def extend(self, other: Doc) -> None:
        offset = len(self.lines)
        self.lines += other.lines
        self.texts += other.texts
        self.sources += other.sources
        self.headings += [(lv, line + offset, t) for lv, line, t in other.headings]
        for number, line in other.link_lines.items():
            self.link_lines.setdefault(number, line + offset)

    def copy(self) -> Doc:
        return Doc(
            list(self.lines),
            list(self.texts),
            list(self.sources),
            list(self.headings),
            dict(self.link_lines),
        )

    def line_of_source(self, source: int) -> int:
        """The first line laid out from Markdown line ``source`` or after."""
        import bisect

        return min(bisect.bisect_left(self.sources, source), max(len(self.lines) - 1, 0))


# Parsing -------------------------------------------------------------------------------

_parser: Any = None


def _markdown() -> Any:
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin

        # No HTML: a tag in a paper is text (shown as written), never anything else.
        _parser = (
            MarkdownIt("commonmark", {"html": False, "typographer": False})
            .enable("table")
            .enable("strikethrough")
            .use(dollarmath_plugin, allow_space=True, double_inline=True)
        )
    return _parser


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HEADING = re.compile(r"^#{1,6}\s")


def split_sections(text: str, first: int = 24_000, size: int = 200_000) -> list[tuple[int, str]]:
    """The Markdown cut at heading lines (outside code fences) into pieces of about
    ``first`` characters, then ``size``: (line number of the piece's start, piece)."""
    pieces: list[tuple[int, str]] = []
    lines = text.split("\n")
    start = 0
    length = 0
    fence: str | None = None
    want = first
    for number, line in enumerate(lines):
        match = _FENCE.match(line)
        if match:
            if fence is None:
                fence = match.group(1)
            elif match.group(1) == fence:
                fence = None
        elif fence is None and length >= want and _HEADING.match(line):
            pieces.append((start, "\n".join(lines[start:number])))
            start, length, want = number, 0, size
        length += len(line) + 1
    pieces.append((start, "\n".join(lines[start:])))
    return pieces


class Links:
    """Numbers for safe links, in reading order (shared by the pieces of a document)."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.labels: list[str] = []

    def number(self, url: str, label: str) -> int:
        """The link's number (from 1), or 0 if it is not a safe http(s) link."""
        safe = safe_url(url)
        if safe is None:
            return 0
        self.urls.append(safe)
        self.labels.append(" ".join(label.split())[:80] or safe)
        return len(self.urls)


def parse_blocks(text: str, links: Links, first_line: int = 0) -> list[Block]:
    """The blocks of a piece of Markdown (see the module's docstring)."""
    tokens = _markdown().parse(strip_controls(text).replace("\t", "    "))
    from paperreader.core.tex import tex_lines, tex_to_text  # not before the first frame

    return _Walker(links, first_line, tex_to_text, tex_lines).walk(tokens)


class _Walker:
    def __init__(
        self,
        links: Links,
        first_line: int,
        inline_maths: Callable[[str], str],
        display_maths: Callable[[str], list[str]],
    ) -> None:
        self.links = links
        self.inline_maths = inline_maths
        self.display_maths = display_maths
        self.offset = first_line
        self.blocks: list[Block] = []
        # Containers: ("quote", "│ ") or ("item", bullet, indent, used)
        self.containers: list[list[Any]] = []
        self.lists: list[list[int]] = []  # [ordered?, next number]
        self.tight: list[bool] = []

    def _prefixes(self) -> tuple[str, str]:
        first = rest = ""
        for container in self.containers:
            if container[0] == "quote":
                first += "│ "
                rest += "│ "
            else:
                _, bullet, indent, used = container
                first += indent if used else bullet
                rest += indent
                container[3] = True
        return first, rest

    def _source(self, token: Any) -> int:
        return self.offset + (token.map[0] if token.map else 0)

    def _add(self, block: Block) -> None:
        if self.tight and self.tight[-1] and block.kind == "text":
            block.gap = False
        self.blocks.append(block)

    def walk(self, tokens: Sequence[Any]) -> list[Block]:
        index = 0
        table: Block | None = None
        row: list[list[Run]] = []
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                inline = tokens[index + 1]
                level = int(token.tag[1])
                prefix, indent = self._prefixes()
                runs = self._inline(inline, f"h{min(level, 4)}")
                self._add(Block("heading", runs, prefix, indent, level, self._source(token)))
                index += 3
                continue
            if kind == "paragraph_open":
                inline = tokens[index + 1]
                prefix, indent = self._prefixes()
                quoted = any(c[0] == "quote" for c in self.containers)
                runs = self._inline(inline, "quote" if quoted else "")
                block = Block("text", runs, prefix, indent, source=self._source(token))
                if token.hidden:
                    block.gap = False
                self._add(block)
                index += 3
                continue
            if kind in ("fence", "code_block", "math_block", "math_block_label"):
                prefix, indent = self._prefixes()
                content = (
                    token.content.strip("\n")
                    if kind.startswith("math")
                    else token.content.rstrip("\n")
                )
                if kind.startswith("math"):
                    lines = self.display_maths(content) or [""]
                    style = "math"
                else:
                    lines = content.split("\n")
                    style = "code"
                self._add(
                    Block(
                        "code",
                        prefix=prefix,
                        indent=indent,
                        source=self._source(token),
                        lines=lines,
                        style=style,
                    )
                )
            elif kind == "hr":
                self._add(Block("rule", source=self._source(token)))
            elif kind == "blockquote_open":
                self.containers.append(["quote"])
            elif kind == "blockquote_close":
                self.containers.pop()
                if not self.containers:
                    self.blocks.append(Block("blank"))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = token.attrGet("start")
                number = int(start) if isinstance(start, int | str) and str(start).isdigit() else 1
                self.lists.append([kind == "ordered_list_open", number])
                self.tight.append(_is_tight(tokens, index))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.tight.pop()
                if self.blocks and not self.lists:
                    self.blocks[-1].gap = True
            elif kind == "list_item_open":
                ordered, number = self.lists[-1] if self.lists else [False, 1]
                depth = len(self.lists)
                if ordered:
                    bullet = f"{number}. "
                    self.lists[-1][1] = number + 1
                else:
                    bullet = ("• ", "◦ ", "▪ ")[(depth - 1) % 3]
                self.containers.append(["item", bullet, " " * len(bullet), False])
            elif kind == "list_item_close":
                item = self.containers.pop()
                if not item[3]:  # an empty item: its bullet alone
                    self.containers.append(item)
                    prefix, indent = self._prefixes()
                    self.containers.pop()
                    self._add(Block("text", [], prefix, indent, source=self._source(token)))
            elif kind == "table_open":
                table = Block("table", source=self._source(token))
                table.prefix, table.indent = self._prefixes()
            elif kind == "thead_close" and table is not None:
                table.header_rows = len(table.rows)
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close" and table is not None:
                table.rows.append(row)
            elif kind in ("th_open", "td_open"):
                inline = tokens[index + 1]
                row.append(self._inline(inline, "header" if kind == "th_open" else ""))
                index += 3
                continue
            elif kind == "table_close" and table is not None:
                self._add(table)
                table = None
            index += 1
        return self.blocks

    def _inline(self, token: Any, base: str) -> list[Run]:
        runs: list[Run] = []
        styles: list[str] = [base] if base else []
        link: list[tuple[str, int, int]] = []  # url, number, where its text starts
        for child in token.children or ():
            kind = child.type
            style = styles[-1] if styles else ""
            if kind == "text":
                runs.append((child.content, style, 0))
            elif kind in ("softbreak", "hardbreak"):
                runs.append(("\n" if kind == "hardbreak" else " ", style, 0))
            elif kind == "code_inline":
                runs.append((child.content, "code", 0))
            elif kind in ("math_inline", "math_inline_double"):
                runs.append((self.inline_maths(child.content), "math", 0))
            elif kind in ("em_open", "strong_open", "s_open"):
                name = {"em_open": "em", "strong_open": "strong", "s_open": "strike"}[kind]
                styles.append(name if not style or style == "quote" else style)
            elif kind in ("em_close", "strong_close", "s_close"):
                if styles and len(styles) > (1 if base else 0):
                    styles.pop()
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                link.append((href, 0, len(runs)))
                styles.append("link" if safe_url(href) else style)
            elif kind == "link_close":
                if link:
                    href, _, start = link.pop()
                    if len(styles) > (1 if base else 0):
                        styles.pop()
                    label = "".join(r[0] for r in runs[start:])
                    number = self.links.number(href, label)
                    if number:
                        runs.append((f"[{number}]", "linknum", number))
                    else:
                        runs.append((" [unsafe link]", "unsafe", 0))
            elif kind == "image":
                src = str(child.attrGet("src") or "")
                alt = child.content or "".join(c.content for c in child.children or ())
                runs.append(("[image] ", "figure", 0))
                runs.append((alt or "(no caption)", "figure", 0))
                number = self.links.number(src, f"Image: {alt}")
                if number:
                    runs.append((f" [{number}]", "linknum", number))
                else:
                    runs.append((" [unsafe link]", "unsafe", 0))
            else:
                content = getattr(child, "content", "")
                if content:
                    runs.append((content, style, 0))
        return runs


def _is_tight(tokens: Sequence[Any], index: int) -> bool:
    """Whether the list opening at ``index`` is tight (its paragraphs are hidden)."""
    depth = 0
    for token in tokens[index + 1 :]:
        if token.type.endswith("_list_open"):
            depth += 1
        elif token.type.endswith("_list_close"):
            if depth == 0:
                return True
            depth -= 1
        elif token.type == "paragraph_open" and depth == 0:
            return bool(token.hidden)
    return True


# Layout --------------------------------------------------------------------------------

_PIECES = re.compile(r"\S+|\s+")


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _cut(text: str, width: int) -> tuple[str, str]:
    """The longest head of ``text`` that fits ``width`` cells, and the rest."""
    if text.isascii():
        return text[:width], text[width:]
    used = 0
    for index, char in enumerate(text):
        size = cell_len(char)
        if used + size > width:
            return text[:index], text[index:]
        used += size
    return text, ""


class _Lines:
    """Collects the lines of one layout."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def add(self, parts: list[tuple[str, str]], source: int, numbers: Sequence[int] = ()) -> None:
        segments: list[Segment] = []
        text = ""
        for piece, style in parts:
            if not piece:
                continue
            text += piece
            if segments and segments[-1].style is STYLES[style]:
                segments[-1] = Segment(segments[-1].text + piece, STYLES[style])
            else:
                segments.append(Segment(piece, STYLES[style]))
        line = len(self.doc.lines)
        self.doc.lines.append(segments)
        self.doc.texts.append(text)
        self.doc.sources.append(source)
        for number in numbers:
            self.doc.link_lines.setdefault(number, line)

    def blank(self, source: int) -> None:
        if self.doc.lines and self.doc.texts[-1] == "" and not self.doc.lines[-1]:
            return
        self.add([], source)


def _wrap(
    runs: Sequence[Run], width: int, prefix: str, indent: str, prefix_style: str = "marker"
) -> Iterator[tuple[list[tuple[str, str]], list[int]]]:
    """Greedy word wrap of styled runs: lines of (text, style) parts, and link numbers."""
    first = True
    room = max(width - _width(prefix), 8)
    line: list[tuple[str, str]] = [(prefix, prefix_style)]
    numbers: list[int] = []
    used = 0

    def flush() -> tuple[list[tuple[str, str]], list[int]]:
        nonlocal line, numbers, used, first, room
        done = (line, numbers)
        first = False
        room = max(width - _width(indent), 8)
        line, numbers, used = [(indent, prefix_style)], [], 0
        return done

    for text, style, number in runs:
        if number:
            numbers.append(number)
        for piece in _PIECES.findall(text):
            if piece.isspace():
                if "\n" in piece and style != "code":
                    yield flush()
                    continue
                if used and used < room:
                    line.append((" ", style if style not in ("link", "linknum") else ""))
                    used += 1
                continue
            size = _width(piece)
            if used and used + size > room:
                if line and line[-1][0] == " ":
                    line.pop()
                yield flush()
            while size > room:  # a word longer than the line: cut it
                head, piece = _cut(piece, room - used)
                if not head:
                    yield flush()
                    continue
                line.append((head, style))
                yield flush()
                size = _width(piece)
            line.append((piece, style))
            used += size
    if used or first:
        yield line, numbers


def layout(blocks: Sequence[Block], width: int, doc: Doc | None = None) -> Doc:
    """Lay the blocks out ``width`` cells wide (appended to ``doc`` if given)."""
    doc = doc if doc is not None else Doc()
    out = _Lines(doc)
    width = max(width, 20)
    for block in blocks:
        kind = block.kind
        source = block.source
        if kind == "blank":
            out.blank(source)
        elif kind == "heading":
            if doc.lines:
                out.blank(source)
            title = "".join(r[0] for r in block.runs).strip()
            doc.headings.append((block.level, len(doc.lines), title))
            hashes = "#" * block.level + " "
            for parts, numbers in _wrap(block.runs, width, block.prefix + hashes, block.indent):
                out.add(parts, source, numbers)
        elif kind == "text":
            for parts, numbers in _wrap(block.runs, width, block.prefix, block.indent):
                out.add(parts, source, numbers)
        elif kind == "code":
            _code(out, block, width)
        elif kind == "rule":
            out.add([("─" * min(width, 60), "rule")], source)
        elif kind == "table":
            _table(out, block, width)
        if block.gap and kind != "blank":
            out.blank(source)
    return doc


def _code(out: _Lines, block: Block, width: int) -> None:
    prefix = block.prefix + "  "
    indent = block.indent + "  "
    room = max(width - _width(indent), 8)
    for number, line in enumerate(block.lines):
        lead = prefix if number == 0 else indent
        while True:
            head, line = _cut(line, room)
            out.add([(lead, "marker"), (head, block.style)], block.source + number)
            if not line:
                break
            lead = indent[:-2] + "↪ " if len(indent) >= 2 else indent


def _table(out: _Lines, block: Block, width: int) -> None:
    rows = [[("".join(run[0] for run in cell).strip(), cell) for cell in row] for row in block.rows]
    if not rows:
        return
    columns = max(len(row) for row in rows)
    natural = [0] * columns
    for row in rows:
        for index, (text, _) in enumerate(row):
            natural[index] = max(natural[index], min(_width(text), 60))
    room = max(width - _width(block.indent) - 3 * (columns - 1), columns * 3)
    sizes = list(natural)
    while sum(sizes) > room:
        widest = max(range(columns), key=lambda i: sizes[i])
        if sizes[widest] <= 3:
            break
        sizes[widest] -= 1
    for number, row in enumerate(rows):
        parts: list[tuple[str, str]] = [(block.prefix if number == 0 else block.indent, "marker")]
        links: list[int] = []
        for index in range(columns):
            text, cell = row[index] if index < len(row) else ("", [])
            links += [run[2] for run in cell if run[2]]
            size = sizes[index]
            if _width(text) > size:
                text = _cut(text, size - 1)[0] + "…"
            text += " " * (size - _width(text))
            style = "header" if number < block.header_rows else ""
            if index:
                parts.append((" │ ", "marker"))
            parts.append((text, style))
        out.add(parts, block.source, links)
        if number + 1 == block.header_rows:
            rule = "─┼─".join("─" * size for size in sizes)
            out.add([(block.indent, "marker"), (rule, "marker")], block.source)


def message_doc(lines: Sequence[tuple[str, str]], width: int) -> Doc:
    """A few lines of plain text (a message, not Markdown) laid out."""
    doc = Doc()
    blocks = [Block("text", [(text, style, 0)]) for text, style in lines]
    return layout(blocks, width, doc)
