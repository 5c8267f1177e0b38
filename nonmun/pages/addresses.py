"""Every page's address: stable, readable, never a row number.

A paper is at ``papers/2010.01412/`` (its arXiv id), ``papers/doi/10.1145/…/`` (its
DOI), ``papers/<scheme>/<value>/`` (another identifier) or ``papers/<title-slug>/``;
a review at ``reviews/<source>/<date>-<title-slug>/``; a tag, an author, a source,
a category and a month each have theirs. Addresses are computed from what the hub
holds, with collisions settled in an order that does not depend on row ids, so
that a hub rebuilt from its export gives every page the same address. They are
relative to the site's root and end in ``/`` (the page is ``…/index.html``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from nonmun.db.schema import (
    MIN_CONFIDENCE,
    Digest,
    Mention,
    Paper,
    PaperIdentifier,
    Person,
    Review,
    Source,
)
from nonmun.text.normalize import dated_slug, slug

_UNSAFE = re.compile(r"[^a-z0-9._/-]+")


def _safe(value: str) -> str:
    """An identifier as a path (lowercase; anything but letters, digits, ``._/-`` → ``-``)."""
    parts = [p.strip(".") for p in _UNSAFE.sub("-", value.casefold()).split("/")]
    return "/".join(p for p in parts if p) or "-"


def _unique(wanted: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Each key's wanted name, with ``-2``, ``-3``… for the later ones of a clash."""
    taken: set[str] = set()
    found = {}
    for key, name in wanted:
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}-{n}"
        taken.add(candidate)
        found[key] = candidate
    return found


@dataclass
class Addresses:
    """The addresses of a hub's pages (``load`` them from a session)."""

    papers: dict[int, str] = field(default_factory=dict)  # only papers that have a page
    reviews: dict[int, str] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)
    digests: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls, session: Session, *, all_papers: bool = False, also: Iterable[int] = ()
    ) -> Addresses:
        """Addresses for everything; papers only when reviewed or mentioned (or
        ``all_papers``, or named in ``also``)."""
        found = cls()
        found.sources = _unique(
            (s.id, slug(s.name))
            for s in session.scalars(select(Source).order_by(Source.name, Source.kind))
        )
        found.reviews = _dated_in_sources(
            session.execute(
                select(Review.id, Review.source_id, Review.published, Review.title).order_by(
                    Review.source_id, Review.published, Review.external_id
                )
            ),
            found.sources,
            "reviews",
        )
        found.digests = _dated_in_sources(
            session.execute(
                select(Digest.id, Digest.source_id, Digest.period_start, Digest.title).order_by(
                    Digest.source_id, Digest.period_start, Digest.external_id
                )
            ),
            found.sources,
            "digests",
        )
        people = session.execute(select(Person.id, Person.name).order_by(Person.name))
        found.people = {
            pid: f"authors/{name}/"
            for pid, name in _unique((pid, slug(name)) for pid, name in people).items()
        }
        found.papers = _paper_addresses(session, all_papers, list(also))
        return found

    def paper(self, paper_id: int) -> str | None:
        """The paper's page, or ``None`` when it has none (link to arXiv or its DOI then)."""
        return self.papers.get(paper_id)


def _dated_in_sources(rows: Any, sources: dict[int, str], kind: str) -> dict[int, str]:
    wanted = (
        (rid, f"{kind}/{sources[sid]}/{dated_slug(day, title)}") for rid, sid, day, title in rows
    )
    return {rid: f"{name}/" for rid, name in _unique(wanted).items()}


def _paper_addresses(session: Session, all_papers: bool, also: list[int]) -> dict[int, str]:
    query = select(Paper.id, Paper.arxiv_id, Paper.doi, Paper.title, Paper.year)
    if not all_papers:
        linked = select(Mention.paper_id).where(Mention.confidence >= MIN_CONFIDENCE)
        query = query.where(or_(Paper.id.in_(linked), Paper.id.in_(also)))
    rows = list(session.execute(query))
    others: dict[int, tuple[str, str]] = {}
    ids = [r.id for r in rows if not r.arxiv_id and not r.doi]
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        listed = select(PaperIdentifier.paper_id, PaperIdentifier.scheme, PaperIdentifier.value)
        for pid, scheme, value in session.execute(
            listed.where(PaperIdentifier.paper_id.in_(chunk)).order_by(
                PaperIdentifier.scheme, PaperIdentifier.value
            )
        ):
            others.setdefault(pid, (scheme, value))
    fixed = {}
    by_title: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if row.arxiv_id:
            fixed[row.id] = f"papers/{_safe(row.arxiv_id)}"
        elif row.doi:
            fixed[row.id] = f"papers/doi/{_safe(row.doi)}"
        elif row.id in others:
            scheme, value = others[row.id]
            fixed[row.id] = f"papers/{_safe(scheme)}/{_safe(value)}"
        else:
            by_title[slug(row.title)].append(row)
    wanted = list(fixed.items())
    for name, same in sorted(by_title.items()):
        same.sort(key=lambda r: (r.year or 0, r.title, r.id))
        for row in same:
            year = f"-{row.year}" if len(same) > 1 and row.year else ""
            wanted.append((row.id, f"papers/{name}{year}"))
    return {pid: f"{name}/" for pid, name in _unique(wanted).items()}


def tag_address(tag: str) -> str:
    return f"tags/{slug(tag)}/"


def category_address(path: str) -> str:
    """``머신러닝&딥러닝/논문리뷰`` → ``categories/머신러닝-딥러닝/논문리뷰/``."""
    parts = [slug(p) for p in path.split("/") if p.strip()]
    return "categories/" + "".join(f"{p}/" for p in parts)


def month_address(day: date) -> str:
    return f"archive/{day.year}/{day.month:02d}/"


def year_address(year: int) -> str:
    return f"archive/{year}/"
