"""Cleaning text that comes from the network, and deciding which links are safe.

Everything a stranger can write (titles, abstracts, author names, keywords, links) goes
through here before it is stored or shown. The rules:

* terminal escape sequences (CSI, OSC, DCS, ...) are removed whole, so that neither a
  colour nor a window title nor an OSC 52 clipboard write survives;
* every other C0/C1 control character, bidi override and zero-width character is removed;
* white space is collapsed to single spaces (``clean_text``) or, for multi-paragraph text,
  kept as paragraphs (``clean_paragraphs``).

Markup (``[bold]``) is left as it is: it is the UI's job to show text as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# and two-character escapes. The 8-bit forms (C1 CSI 0x9b, OSC 0x9d, ...) are handled too.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                        # CSI ... final byte
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC, DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                                          # other two-byte escapes
    """,
    re.VERBOSE | re.DOTALL,
)

# C0 controls except tab/newline/CR (handled as white space), DEL, C1 controls,
# bidi embeddings/overrides/isolates, zero-width characters, BOM, line/paragraph separators
# are turned into white space below.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def strip_controls(text: str) -> str:
    """Remove escape sequences and invisible/control characters; keep white space."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _INVISIBLE.sub("", text)


def clean_text(value: object) -> str:
    """Make one line of safe text from any value: '' for anything that is not a string."""
    if not isinstance(value, str):
        return ""
    return _WHITESPACE.sub(" ", strip_controls(value)).strip()


def clean_paragraphs(value: object) -> str:
    """Like ``clean_text`` but keep blank-line paragraph breaks (hard wraps are joined)."""
    if not isinstance(value, str):
        return ""
    text = strip_controls(value).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (_WHITESPACE.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def mark_controls(value: object) -> str:
    """One line of text in which every hidden character shows as U+FFFD (for links).

    A link that carried an escape sequence must not turn into a clean-looking different
    link: marking what was there keeps it visibly broken (and ``safe_url`` refuses it).
    """
    if not isinstance(value, str):
        return ""
    text = _ESCAPE_SEQUENCE.sub("\ufffd", value)
    text = _INVISIBLE.sub("\ufffd", text)
    return _WHITESPACE.sub(" ", text).strip()


def safe_url(value: object) -> str | None:
    """Return the URL if it is an http(s) URL with a host, in printable ASCII only."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > 2048 or not all("!" <= c <= "~" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def display_url(value: object) -> str:
    """A link as text to show, whether or not it is safe to open."""
    return clean_text(value)


_TAG_SEPARATORS = re.compile(r"[,\s]+")
_TAG_CHARACTERS = re.compile(r"[^\w.+-]", re.UNICODE)
MAX_TAG = 40


def parse_tags(text: object) -> tuple[str, ...]:
    """``"RL, to-read  #Vision"`` -> ``("rl", "to-read", "vision")``: lower case, no
    spaces or punctuation but ``. + -``, at most 40 characters, no duplicates, in order."""
    if not isinstance(text, str):
        return ()
    tags: dict[str, None] = {}
    for word in _TAG_SEPARATORS.split(clean_text(text)):
        tag = _TAG_CHARACTERS.sub("", word.lower().lstrip("#"))[:MAX_TAG]
        if tag:
            tags.setdefault(tag, None)
    return tuple(tags)
