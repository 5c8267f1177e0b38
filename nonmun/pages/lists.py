"""Pages that list: lists of reviews cut into pages (the home page, a tag's…), and
index pages of names with counts (tags, authors, sources, categories, months)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list: its items, its number, and the pages around it."""

    title: str
    url: str  # this page's address
    items: list[T]
    number: int  # 1-based
    count: int  # pages in all
    previous: str | None
    next: str | None


def paginate(title: str, base: str, items: Sequence[T], size: int) -> list[ListPage[T]]:
    """``items`` cut into pages of ``size``: ``base``, then ``base`` + ``page/2/``…"""
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]

    def address(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    return [
        ListPage(
            title=title,
            url=address(n),
            items=chunk,
            number=n,
            count=len(chunks),
            previous=address(n - 1) if n > 1 else None,
            next=address(n + 1) if n < len(chunks) else None,
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


@dataclass(frozen=True)
class Entry:
    """A line of an index page: a name with its page, how many reviews it has, and how
    deep it sits (for a tree of categories)."""

    name: str
    url: str | None
    count: int
    depth: int = 0


@dataclass(frozen=True)
class IndexPage:
    """A page that lists names (tags, authors, sources, categories, months)."""

    title: str
    url: str
    entries: list[Entry]
