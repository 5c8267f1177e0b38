"""How one page shows the things of another: a paper, a review, a person, a source in a
list or a link. Every page kind is built from these, so a review looks the same on
the home page, a paper page and a tag page, and ``to_json`` turns any page into the
JSON the command line and the web app answer with.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nonmun.db.schema import MIN_CONFIDENCE, Mention, Paper, Person, Review, Source
from nonmun.pages.addresses import Addresses, category_address, tag_address
from nonmun.pages.markdown import excerpt


@dataclass(frozen=True)
class Named:
    """A name and where its page is (``url`` relative to the site's root; None: no page)."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class PaperItem:
    """A paper as a line of another page, with the role it plays there."""

    ref: str  # what commands take: its arXiv id, DOI or #id
    title: str
    url: str | None  # its page in the site, if it has one
    external: str | None  # arXiv or DOI, for a paper without a page
    arxiv: str | None
    year: int | None
    authors: list[str]
    role: str | None = None
    confidence: float | None = None
    evidence: str = ""
    method: str = ""
    suggestion: bool = False


@dataclass(frozen=True)
class ReviewItem:
    """A review in a list: what it is, who wrote it where, what it reviews, how it starts."""

    id: int
    ref: str
    title: str
    url: str
    date: date | None
    language: str | None
    source: Named
    authors: list[Named]
    papers: list[PaperItem]
    excerpt: str
    more: bool
    tags: list[Named] = field(default_factory=list)


def external_link(paper: Paper) -> str | None:
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{paper.arxiv_id}"
    return f"https://doi.org/{paper.doi}" if paper.doi else None


def paper_item(paper: Paper, where: Addresses, mention: Mention | None = None) -> PaperItem:
    return PaperItem(
        ref=paper.arxiv_id or paper.doi or f"#{paper.id}",
        title=paper.title,
        url=where.paper(paper.id),
        external=external_link(paper),
        arxiv=paper.arxiv_id,
        year=paper.year,
        authors=list(paper.authors),
        role=mention.role if mention else None,
        confidence=round(mention.confidence, 2) if mention else None,
        evidence=mention.evidence if mention else "",
        method=mention.method if mention else "",
        suggestion=bool(mention and mention.confidence < MIN_CONFIDENCE),
    )


def mention_order(m: Mention) -> tuple[bool, float, int]:
    """Reviewed papers first, then the surest."""
    return (m.role != "reviewed", -m.confidence, m.paper_id)


def review_item(
    review: Review, where: Addresses, summary: tuple[str, bool] | None = None
) -> ReviewItem:
    """``review`` as lists show it (its source, authors and mentions' papers loaded);
    ``summary`` is its excerpt when already known."""
    text, more = summary or excerpt(review.body, review.language)
    counted = [m for m in review.mentions if m.confidence >= MIN_CONFIDENCE]
    return ReviewItem(
        id=review.id,
        ref=f"#{review.id}",
        title=review.title,
        url=where.reviews[review.id],
        date=review.published,
        language=review.language,
        source=source_named(review.source, where),
        authors=[person_named(p, where) for p in review.authors],
        papers=[paper_item(m.paper, where, m) for m in sorted(counted, key=mention_order)],
        excerpt=text,
        more=more,
        tags=[Named(t, tag_address(t)) for t in review.tags],
    )


def source_named(source: Source, where: Addresses) -> Named:
    return Named(source.name, f"sources/{where.sources[source.id]}/")


def person_named(person: Person, where: Addresses) -> Named:
    return Named(person.name, where.people.get(person.id))


def category_named(path: str | None) -> Named | None:
    return Named(path, category_address(path)) if path else None


def to_json(value: Any) -> Any:
    """Any page (dataclasses, lists, dates) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value
