"""Days, ISO weeks and months: reading, naming and moving between them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperreader.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "unit", "start"),
    [
        ("2026-08-17", "day", date(2026, 8, 17)),
        ("  2026-08-17\n", "day", date(2026, 8, 17)),
        ("2026-W34", "week", date(2026, 8, 17)),
        ("2026-w34", "week", date(2026, 8, 17)),
        ("2026-08", "month", date(2026, 8, 1)),
        ("2024-02-29", "day", date(2024, 2, 29)),
    ],
)
def test_parse(text: str, unit: str, start: date) -> None:
    period = Period.parse(text)
    assert period.unit == unit
    assert period.start == start


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026-13", "month must be in 1..12"),
        ("2026-02-30", "day is out of range"),
        ("2025-02-29", "day is out of range"),
        ("2026-W54", "week"),
        ("2025-W53", "week"),
        ("2026-W00", "week"),
        ("2026-00", "month must be in 1..12"),
        ("2026-13-01", "month must be in 1..12"),
    ],
)
def test_impossible_dates_raise_a_helpful_error(text: str, hint: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    message = str(caught.value)
    assert repr(text) in message
    assert "not a real date, week or month" in message
    assert hint.lower() in message.lower()
    assert "\n" not in message


@pytest.mark.parametrize(
    "text", ["hello", "", "2026", "2026-8-17", "17-08-2026", "2026/08/17", "2026-W5", "W34"]
)
def test_unreadable_text_names_the_expected_forms(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    message = str(caught.value)
    for form in ("YYYY-MM-DD", "YYYY-Www", "YYYY-MM"):
        assert form in message


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


# ISO weeks across year ends ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "monday"),
    [
        ("2024-W01", date(2024, 1, 1)),
        ("2025-W01", date(2024, 12, 30)),
        ("2026-W01", date(2025, 12, 29)),
        ("2026-W53", date(2026, 12, 28)),
        ("2027-W01", date(2027, 1, 4)),
        ("2020-W53", date(2020, 12, 28)),
    ],
)
def test_iso_weeks(key: str, monday: date) -> None:
    year, week = key.split("-W")
    assert date.fromisocalendar(int(year), int(week), 1) == monday  # the test's own premise
    period = Period.parse(key)
    assert period.start == monday
    assert period.key == key
    assert period.end == monday + timedelta(days=6)


def test_week_of_a_day_in_the_previous_iso_year() -> None:
    # 2027-01-03 is a Sunday in ISO week 2026-W53; 2024-12-31 is in 2025-W01.
    assert Period.week_of(date(2027, 1, 3)).key == "2026-W53"
    assert Period.week_of(date(2024, 12, 31)).key == "2025-W01"
    assert Period.week_of(date(2024, 12, 31)).start == date(2024, 12, 30)


def test_week_shift_across_year_ends() -> None:
    w53 = Period.parse("2026-W53")
    assert w53.shift(1).key == "2027-W01"
    assert w53.shift(-52).key == "2026-W01"
    assert w53.shift(-53).key == "2025-W52"  # 2025 has only 52 weeks
    assert Period.parse("2025-W01").shift(-1).key == "2024-W52"
    assert Period.parse("2024-W52").shift(1).key == "2025-W01"


# Shifting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "steps", "expected"),
    [
        ("2026-12-31", 1, "2027-01-01"),
        ("2027-01-01", -1, "2026-12-31"),
        ("2026-08-31", 1, "2026-09-01"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-02-29", 1, "2024-03-01"),
        ("2024-03-01", -1, "2024-02-29"),
        ("2025-02-28", 1, "2025-03-01"),
        ("2026-12", 1, "2027-01"),
        ("2027-01", -1, "2026-12"),
        ("2026-08", 12, "2027-08"),
        ("2026-08", -20, "2024-12"),
        ("2026-08", 0, "2026-08"),
    ],
)
def test_shift(text: str, steps: int, expected: str) -> None:
    period = Period.parse(text)
    moved = period.shift(steps)
    assert moved.key == expected
    assert moved.unit == period.unit
    assert moved.shift(-steps) == period


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2024-02", date(2024, 2, 29)),
        ("2025-02", date(2025, 2, 28)),
        ("2026-12", date(2026, 12, 31)),
        ("2026-04", date(2026, 4, 30)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_end(text: str, end: date) -> None:
    assert Period.parse(text).end == end


def test_contains() -> None:
    month = Period.parse("2024-02")
    assert month.contains(date(2024, 2, 1))
    assert month.contains(date(2024, 2, 29))
    assert not month.contains(date(2024, 3, 1))
    assert not month.contains(date(2024, 1, 31))


# Names -------------------------------------------------------------------------------------


def test_day_names() -> None:
    day = Period.parse("2026-08-17")
    assert day.key == "2026-08-17"
    assert str(day) == "2026-08-17"
    assert day.label == "Mon 2026-08-17"
    assert day.api_params == {"date": "2026-08-17"}
    assert day.web_url == "https://huggingface.co/papers/date/2026-08-17"


def test_week_names() -> None:
    week = Period.parse("2026-W34")
    assert week.key == "2026-W34"
    assert week.label.startswith("Week 2026-W34 (")
    assert "Aug 17" in week.label and "Aug 23" in week.label
    assert week.api_params == {"week": "2026-W34"}
    assert week.web_url == "https://huggingface.co/papers/week/2026-W34"


def test_month_names() -> None:
    month = Period.parse("2026-08")
    assert month.key == "2026-08"
    assert month.label == "August 2026"
    assert month.api_params == {"month": "2026-08"}
    assert month.web_url == "https://huggingface.co/papers/month/2026-08"


def test_of_and_constructors() -> None:
    day = date(2026, 8, 20)  # a Thursday
    assert Period.of("day", day) == Period("day", day)
    assert Period.of("week", day) == Period("week", date(2026, 8, 17))
    assert Period.of("month", day) == Period("month", date(2026, 8, 1))


def test_parse_unit() -> None:
    assert Period.parse_unit("week", "2026-W34").start == date(2026, 8, 17)
    with pytest.raises(PeriodError, match=r"'2026-08' is not a day: expected YYYY-MM-DD"):
        Period.parse_unit("day", "2026-08")
    with pytest.raises(PeriodError, match=r"is not a week: expected YYYY-Www"):
        Period.parse_unit("week", "2026-08-17")
    with pytest.raises(PeriodError, match=r"is not a month: expected YYYY-MM"):
        Period.parse_unit("month", "2026-W34")
    with pytest.raises(PeriodError, match="not a real date"):
        Period.parse_unit("day", "2026-02-30")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)))
def test_key_parses_back_for_any_day(day: date) -> None:
    for unit in ("day", "week", "month"):
        period = Period.of(unit, day)  # type: ignore[arg-type]
        assert period.contains(day)
        assert Period.parse(period.key) == period
        assert period.shift(1).start == period.end + timedelta(days=1)


# The ends of the calendar and of Daily Papers (issue 15, point 5) ---------------------
EDGES = ["9999-12-31", "0001-01-01", "9999-12", "0001-01", "9999-W52", "0001-W01"]


@pytest.mark.parametrize("text", EDGES)
@pytest.mark.parametrize("steps", [1, -1, 10**6, -(10**6)])
def test_shift_never_overflows_at_the_ends_of_the_calendar(text: str, steps: int) -> None:
    period = Period.parse(text)
    moved = period.shift(steps)  # was an OverflowError at 9999-12-31 + 1, 0001-01-01 - 1...
    assert moved.unit == period.unit
    assert Period.parse(moved.key) == moved  # a real period, named the way it is read
    assert moved.start <= moved.end
    assert moved.label  # naming it does not overflow either
    if (steps > 0 and text.startswith("9999")) or (steps < 0 and text.startswith("0001")):
        assert moved == period  # it stops at the last (first) period


def test_the_last_week_and_month_end_on_the_last_day() -> None:
    assert Period.parse("9999-W52").end == date.max
    assert Period.parse("9999-12").end == date.max
    assert Period.parse("0001-W01").key == "0001-W01"
    assert Period.parse("0001-01").key == "0001-01"


TODAY = date(2026, 8, 18)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("9999-12-31", "is in the future"),
        ("2026-08-19", "is in the future"),
        ("2026-W35", "is in the future"),
        ("2026-09", "is in the future"),
        ("0001-01-01", "is before Daily Papers began"),
        ("2023-05-03", "is before Daily Papers began"),
        ("2023-W17", "is before Daily Papers began"),
        ("2023-04", "is before Daily Papers began"),
    ],
)
def test_periods_outside_daily_papers_are_refused_with_one_message(text: str, why: str) -> None:
    with pytest.raises(PeriodError) as raised:
        Period.parse_in_range(text, TODAY)
    assert str(raised.value) == (
        f"{Period.parse(text).key} {why}: listings run from 2023-05-04 to today (2026-08-18)"
    )


@pytest.mark.parametrize("text", ["2023-05-04", "2023-W18", "2023-05", "2026-08-18", "2026-W34"])
def test_periods_touching_daily_papers_are_accepted(text: str) -> None:
    assert Period.parse_in_range(text, TODAY) == Period.parse(text)


def test_parse_in_range_checks_the_unit_too() -> None:
    with pytest.raises(PeriodError, match="is not a week"):
        Period.parse_in_range("2026-08-17", TODAY, "week")


def test_the_jump_dialog_refuses_what_the_command_line_refuses() -> None:
    from paperreader.ui.screens.jump import parse_jump

    for text in ("9999-12-31", "0001-01", "2030-W01"):
        with pytest.raises(PeriodError) as raised:
            parse_jump(text, TODAY)
        with pytest.raises(PeriodError) as same:
            Period.parse_in_range(text, TODAY)
        assert str(raised.value) == str(same.value)
    assert parse_jump("today", TODAY) == Period.day(TODAY)
