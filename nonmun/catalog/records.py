"""Plain records of papers, as every catalog source yields them before they are stored."""

from __future__ import annotations

import re
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


_PLACEHOLDER = re.compile(r"arXiv:\S+")


def placeholder_title(arxiv: str) -> str:
    """The title of a paper known only by its arXiv id, until it is resolved."""
    return f"arXiv:{arxiv}"


def is_placeholder_title(title: str) -> bool:
    """A stand-in title ("arXiv:1903.08689"): never a title to match or a nickname's source."""
    return bool(_PLACEHOLDER.fullmatch(title.strip()))


def looks_like_paper_title(text: str) -> bool:
    """Two or more words, mostly Latin letters (a Korean post title names no paper); no URL."""
    if "://" in text or "www." in text or re.search(r"[가-힣][.!?]", text):
        return False  # an address, or a Korean sentence
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    letters = sum(c.isalpha() for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return len(words) >= 2 and letters > 0 and latin / letters > 0.8 and len(text) <= 300
