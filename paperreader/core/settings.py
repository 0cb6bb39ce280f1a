"""Which UI settings a launch starts with, and which view it opens on: one rule for the
command line (which reads the first screen before the app starts) and the app."""

from __future__ import annotations

from collections.abc import Mapping

from paperreader.core.library import Source
from paperreader.core.periods import UNITS, Period

#: The settings both the config file and the app's own choices set, by their names here,
#: and the name each is saved under in the user database (``ui.NAME``, and
#: ``ui.config.NAME``). The listing's unit (day, week or month) is saved as
#: ``period_kind``, its name before: users' databases have it, so it stays.
SAVED_AS = {"theme": "theme", "unit": "period_kind", "order": "order"}


def saved_name(key: str) -> str:
    """The name a UI setting is saved under (see ``SAVED_AS``; others keep their own)."""
    return SAVED_AS.get(key, key)


def configured(
    theme: str | None, default_listing: str | None, default_sort: str | None
) -> dict[str, str | None]:
    """The config file's values, by the settings' names (``SAVED_AS``)."""
    return {"theme": theme, "unit": default_listing, "order": default_sort}


def chosen_settings(
    from_config: Mapping[str, str | None], saved: Mapping[str, str], *, restore: bool
) -> dict[str, str | None]:
    """What the user last chose in the app wins, unless the config file has changed that
    setting since (``config.KEY`` remembers what it said then): then the file's value."""
    chosen: dict[str, str | None] = {}
    for key, value in from_config.items():
        name = saved_name(key)
        last = saved.get(name) if restore else None
        if last is None or (saved.get(f"config.{name}") or None) != (value or None):
            chosen[key] = value
        else:
            chosen[key] = last
    return chosen


def start_source(period: Period | None, kind: str, unit: str | None, key: str = "") -> Source:
    """The view a launch opens: the period asked for, else the latest listing of the
    unit chosen (the latest day; the week or the month holding it); a view of another
    kind (the archive; a watch, ``key`` its name) as it is."""
    if kind != "listing" or period is not None:
        return Source(kind, period, key=key)
    return Source(unit=unit if unit in UNITS[1:] else "day")
