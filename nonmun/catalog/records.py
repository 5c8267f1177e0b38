"""Plain records of papers, as every catalog source yields them before they are stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Version:
    """One arXiv version: its label ("v2") and the day it was submitted."""

    label: str
    submitted: date | None

    def as_json(self) -> dict[str, Any]:
        return {"version": self.label, "date": _iso(self.submitted)}


@lru_cache(maxsize=65536)
def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """What one source knows about one paper. Empty fields mean "unknown", never "erase"."""

    title: str
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    doi: str | None = None
    other_ids: tuple[tuple[str, str], ...] = ()
    versions: tuple[Version, ...] = ()
    published: date | None = None
    updated: date | None = None
    year: int | None = None
    venue: str | None = None
    journal_ref: str | None = None
    abstract: str | None = None
    categories: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    comments: str | None = None
    aliases: tuple[str, ...] = ()
