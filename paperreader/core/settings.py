"""Which UI settings a launch starts with, and which view it opens on: one rule for the
command line (which reads the first screen before the app starts) and the app."""

from __future__ import annotations

from collections.abc import Mapping

from paperreader.core.library import Source
from paperreader.core.periods import KINDS, Period

#: The settings both the config file and the app's own choices set.
UI_KEYS = ("theme", "period_kind", "order")


def configured(
    theme: str | None, default_listing: str | None, default_sort: str | None
) -> dict[str, str | None]:
    """The config file's values, by their saved-setting names."""
    return {"theme": theme, "period_kind": default_listing, "order": default_sort}


def chosen_settings(
    from_config: Mapping[str, str | None], saved: Mapping[str, str], *, restore: bool
) -> dict[str, str | None]:
    """What the user last chose in the app wins, unless the config file has changed that
    setting since (``config.KEY`` remembers what it said then): then the file's value."""
    chosen: dict[str, str | None] = {}
    for key, value in from_config.items():
        last = saved.get(key) if restore else None
        if last is None or (saved.get(f"config.{key}") or None) != (value or None):
            chosen[key] = value
        else:
            chosen[key] = last
    return chosen


def start_source(period: Period | None, kind: str, period_kind: str | None) -> Source:
    """The view a launch opens: the period asked for, else the latest listing of the
    kind chosen (the latest day; the week or the month holding it)."""
    if kind != "listing" or period is not None:
        return Source(kind, period)
    return Source(unit=period_kind if period_kind in KINDS[1:] else "day")
