"""Listings of Daily Papers: a day, an ISO week or a month, and moving between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

#: What a period is: a day, an ISO week or a month.
Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")

#: The first day that has a Daily Papers listing.
FIRST_DAY = date(2023, 5, 4)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A date, week or month that cannot be read; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class Period:
    """A listing period. ``start`` is the day, the Monday of the week, or the 1st of the month."""

    unit: Unit
    start: date

    # Construction ----------------------------------------------------------------------
    @classmethod
    def day(cls, value: date) -> Period:
        return cls("day", value)

    @classmethod
    def week_of(cls, value: date) -> Period:
        return cls("week", value - timedelta(days=value.weekday()))

    @classmethod
    def month_of(cls, value: date) -> Period:
        return cls("month", value.replace(day=1))

    @classmethod
    def of(cls, unit: Unit, value: date) -> Period:
        return {"day": cls.day, "week": cls.week_of, "month": cls.month_of}[unit](value)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2026-08-17``, ``2026-W33`` or ``2026-08``."""
        text = text.strip()
        try:
            if m := _DAY.match(text):
                return cls.day(date(int(m[1]), int(m[2]), int(m[3])))
            if m := _WEEK.match(text):
                return cls("week", date.fromisocalendar(int(m[1]), int(m[2]), 1))
            if m := _MONTH.match(text):
                return cls.month_of(date(int(m[1]), int(m[2]), 1))
        except ValueError as error:
            raise PeriodError(f"{text!r} is not a real date, week or month ({error})") from None
        raise PeriodError(
            f"{text!r} is not a date (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM)"
        )

    @classmethod
    def parse_unit(cls, unit: Unit, text: str) -> Period:
        period = cls.parse(text)
        if period.unit != unit:
            expected = {"day": "YYYY-MM-DD", "week": "YYYY-Www", "month": "YYYY-MM"}[unit]
            raise PeriodError(f"{text!r} is not a {unit}: expected {expected}")
        return period

    @classmethod
    def parse_in_range(cls, text: str, today: date, unit: Unit | None = None) -> Period:
        """Read a period (a ``unit`` if given) that Daily Papers can have: see ``check``."""
        return (cls.parse(text) if unit is None else cls.parse_unit(unit, text)).check(today)

    def in_range(self, today: date) -> bool:
        """Whether any day of it has a listing: between 2023-05-04 and ``today``."""
        return self.start <= today and self.end >= FIRST_DAY

    def check(self, today: date) -> Period:
        """This period, if it overlaps Daily Papers (``FIRST_DAY`` to ``today``); else
        raise PeriodError with the one message for it."""
        if self.start > today or self.end < FIRST_DAY:
            why = "is in the future" if self.start > today else "is before Daily Papers began"
            raise PeriodError(f"{self.key} {why}: listings run from {FIRST_DAY} to today ({today})")
        return self

    # Naming ----------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """The API's and the store's name for it: ``2026-08-17``, ``2026-W33``, ``2026-08``."""
        if self.unit == "day":
            return self.start.isoformat()
        if self.unit == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """For people: ``Mon 2026-08-17``, ``Week 2026-W34 (Aug 17 – Aug 23)``, ``August 2026``."""
        if self.unit == "day":
            return self.start.strftime("%a %Y-%m-%d")
        if self.unit == "week":
            end = self.end
            return f"Week {self.key} ({self.start:%b %d} – {end:%b %d})"
        return self.start.strftime("%B %Y")

    @property
    def end(self) -> date:
        """The last day in the period."""
        if self.unit == "day":
            return self.start
        if self.unit == "week":
            return _add_days(self.start, 6)
        if self.start.month == 12:
            return self.start.replace(day=31)
        return self.start.replace(month=self.start.month + 1) - timedelta(days=1)

    @property
    def api_params(self) -> dict[str, str]:
        return {{"day": "date", "week": "week", "month": "month"}[self.unit]: self.key}

    @property
    def web_url(self) -> str:
        path = {"day": "date", "week": "week", "month": "month"}[self.unit]
        return f"https://huggingface.co/papers/{path}/{self.key}"

    # Moving ----------------------------------------------------------------------------
    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier if negative). Never raises: at the
        ends of the calendar (years 1 and 9999) it stops at the first or last period."""
        if self.unit == "day":
            return Period("day", _add_days(self.start, steps))
        if self.unit == "week":
            moved = _add_days(self.start, 7 * steps)
            return Period.week_of(moved) if moved.weekday() else Period("week", moved)
        months = self.start.year * 12 + self.start.month - 1 + steps
        months = min(max(months, 12), 9999 * 12 + 11)  # 0001-01 to 9999-12
        return Period("month", date(months // 12, months % 12 + 1, 1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def key_contains(self, day: str) -> bool:
        """``contains`` for a day written ``YYYY-MM-DD`` (as rows carry it)."""
        return self.start.isoformat() <= day <= self.end.isoformat()

    def __str__(self) -> str:
        return self.key


def _add_days(day: date, days: int) -> date:
    """``day`` plus ``days``, stopping at the ends of the calendar instead of overflowing."""
    ordinal = min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal())
    return date.fromordinal(ordinal)
