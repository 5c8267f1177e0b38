"""The plain record every importer yields for one piece of writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nonmun.linking.linker import MentionRecord


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a review comes from: a blog, a newsletter, a folder."""

    name: str
    kind: str
    url: str | None = None
    chosen: bool = False  # named by the user (--source): a source found by address takes it


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One review as found: ``external_id`` is stable across imports of the same source."""

    source: SourceRef
    external_id: str
    title: str
    body: str
    published: date | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    category_path: str | None = None
    language: str | None = None
    # what the page's structure says of the paper reviewed ("Title(2021)", "Title (Authors)")
    paper_title: str | None = None
    paper_year: int | None = None
    paper_authors: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()  # where else the same post lives (cross-posts)
    mentions: tuple[MentionRecord, ...] | None = None  # None: the linker finds them
    rejected: tuple[int, ...] = ()  # with ``mentions``: papers a person rejected for it
