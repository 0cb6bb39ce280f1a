"""Words for counts and cut text: one place, so no message says "1 papers".

Pure functions; the app, the dialogs and the CLI word their messages with them.
"""

from __future__ import annotations

#: Nouns whose plural is not the noun with an "s".
_IRREGULAR = {"entry": "entries", "match": "matches", "copy": "copies"}


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The noun for ``count`` things: ``paper`` for 1 (and -1), ``papers`` otherwise."""
    if abs(count) == 1:
        return singular
    return plural or _IRREGULAR.get(singular) or f"{singular}s"


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` with its noun and thousands separators: ``1 paper``, ``1,204 papers``."""
    return f"{count:,} {noun(count, singular, plural)}"


def count_label(count: int, singular: str, *, zero: str | None = None) -> str:
    """Like ``plural``, with a word for none: ``count_label(0, "paper", zero="no papers")``."""
    if count == 0 and zero is not None:
        return zero
    return plural(count, singular)


def shorten(text: str, width: int, *, ellipsis: str = "…") -> str:
    """``text`` in at most ``width`` characters: cut at the last word boundary that fits,
    marked with an ellipsis (mid-word only when a single word is longer than the room)."""
    text = " ".join(text.split())
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[:width]
    room = width - len(ellipsis)
    cut = text[: room + 1]
    space = cut.rfind(" ")
    if space >= room // 2:  # a word boundary not too far back
        return text[:space].rstrip(" ,;:—-") + ellipsis
    return text[:room] + ellipsis
