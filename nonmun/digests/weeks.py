"""Weeks as Korean newsletters name them and as ISO 8601 does.

A week runs from Monday to Sunday. In the Korean convention ("2023년 4월 4주차") a
week belongs to the month that holds its Thursday, and is that month's n-th such
week — the same rule ISO 8601 uses to give a week to a year ("2023-W17"). Both
forms parse and print; they name the same weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from nonmun.errors import InputError

_ISO = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_KOREAN = re.compile(r"^\s*(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d)\s*주\s*차?\s*$")


@dataclass(frozen=True, order=True)
class Week:
    """The week that starts on Monday ``start``."""

    start: date

    @classmethod
    def of(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def thursday(self) -> date:
        return self.start + timedelta(days=3)

    @property
    def iso(self) -> str:
        year, number, _ = self.thursday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def korean(self) -> str:
        """``2023년 4월 4주차``: the month of its Thursday, and which of its weeks."""
        thursday = self.thursday
        return f"{thursday.year}년 {thursday.month}월 {(thursday.day - 1) // 7 + 1}주차"

    @property
    def korean_short(self) -> str:
        """``4월 4주차``, as newsletters title an issue."""
        return self.korean.split(" ", 1)[1]


def parse_week(text: str, year: int | None = None) -> Week:
    """A week given as ``2023-W17`` or ``2023년 4월 4주차`` (``4월 4주차`` in ``year``)."""
    if match := _ISO.match(text):
        number = int(match.group(2))
        try:
            return Week(date.fromisocalendar(int(match.group(1)), number, 1))
        except ValueError:
            raise InputError(f"no week {number} in {match.group(1)}", source=text) from None
    if match := _KOREAN.match(text):
        given, month, nth = match.groups()
        if given is None and year is None:
            raise InputError("give the year too: 2023년 4월 4주차", source=text)
        return _korean(int(given or year or 0), int(month), int(nth), text)
    raise InputError("a week looks like 2023-W17 or 2023년 4월 4주차", source=text)


def _korean(year: int, month: int, nth: int, text: str) -> Week:
    if not 1 <= month <= 12 or nth < 1:
        raise InputError("no such week", source=text)
    first = date(year, month, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    thursday = first_thursday + timedelta(weeks=nth - 1)
    if thursday.month != month:
        raise InputError(f"{month}월 has fewer than {nth} weeks", source=text)
    return Week.of(thursday)
