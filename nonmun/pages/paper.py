"""The paper page, the page no blog has: a paper with every review of it, from every
source and author, the digests it appeared in, the papers named alongside it and
related papers, and a feed to follow it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun.catalog.lookup import paper_links, paper_mentions
from nonmun.db.schema import MIN_CONFIDENCE, Digest, DigestReview, Mention, Paper, Review
from nonmun.pages.addresses import Addresses
from nonmun.pages.items import Named, PaperItem, ReviewItem, paper_item, review_item
from nonmun.search.related import co_mentioned, related_papers

NEIGHBOURS = 12  # papers named alongside it, and related papers, at most


@dataclass(frozen=True)
class RoleReview:
    role: str  # what the review does with this paper: reviewed or mentioned
    review: ReviewItem


@dataclass(frozen=True)
class Neighbour:
    paper: PaperItem
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PaperPage:
    paper: PaperItem
    venue: str | None
    abstract: str | None
    aliases: list[str]
    categories: list[str]
    identifiers: list[Named]  # "OpenReview: abc" → its page there, when known
    links: list[Named]  # arXiv abs and PDF, DOI, code…
    provisional: bool
    reviews: list[RoleReview]  # newest first
    digests: list[Named]
    co_mentioned: list[Neighbour]
    related: list[Neighbour]
    feed: str


def paper_page(
    session: Session,
    paper: Paper,
    where: Addresses,
    items: Mapping[int, ReviewItem] | None = None,
    linked: Sequence[tuple[str, int]] | None = None,
) -> PaperPage:
    """The page of ``paper`` (which has an address in ``where``). A site build, which
    has them already, gives the reviews as lists show them (``items``) and which of
    them link to this paper in which role (``linked``)."""
    address = where.papers[paper.id]
    if linked is None or items is None:
        mentions = [m for m in paper_mentions(session, paper) if not _suggestion(m)]
        linked = [(m.role, m.review_id) for m in mentions]
        reviews = _with_papers(session, [rid for _, rid in linked])
        items = {rid: review_item(review, where) for rid, review in reviews.items()}
    found = sorted(linked, key=lambda pair: _date_key(items[pair[1]]), reverse=True)
    reviewed = any(role == "reviewed" for role, _ in found)
    return PaperPage(
        paper=paper_item(paper, where),
        venue=paper.venue or paper.journal_ref,
        abstract=paper.abstract,
        aliases=sorted(a.alias for a in paper.aliases),
        categories=paper.categories.split(),
        identifiers=[Named(f"{i.scheme}: {i.value}") for i in paper.identifiers],
        links=[Named(link.get("rel") or "link", link["url"]) for link in paper_links(paper)],
        provisional=paper.provisional,
        reviews=[RoleReview(role, items[rid]) for role, rid in found],
        digests=_digests(session, [rid for _, rid in found], where),
        co_mentioned=_co_mentioned(session, paper, where),
        related=_related(session, paper, where) if reviewed else [],
        feed=f"{address}feed.xml",
    )


def _related(session: Session, paper: Paper, where: Addresses) -> list[Neighbour]:
    """Related papers (the search layer's), for a paper some review reviews: one only
    named in passing shows the papers named alongside it, which costs no search."""
    return [
        Neighbour(paper_item(session.get_one(Paper, r.id), where), r.reasons)
        for r in related_papers(session, paper, limit=NEIGHBOURS)
    ]


def _date_key(item: ReviewItem) -> tuple[bool, int]:
    return (item.date is not None, item.date.toordinal() if item.date else 0)


def _suggestion(mention: Mention) -> bool:
    return mention.confidence < MIN_CONFIDENCE


def _with_papers(session: Session, ids: list[int]) -> dict[int, Review]:
    query = (
        select(Review)
        .where(Review.id.in_(ids))
        .options(selectinload(Review.source), selectinload(Review.authors))
        .options(selectinload(Review.mentions).selectinload(Mention.paper))
    )
    return {r.id: r for r in session.scalars(query)}


def _digests(session: Session, review_ids: list[int], where: Addresses) -> list[Named]:
    query = (
        select(Digest)
        .join(DigestReview, DigestReview.digest_id == Digest.id)
        .where(DigestReview.review_id.in_(review_ids))
        .distinct()
        .order_by(Digest.period_start.desc())
    )
    return [Named(d.title, where.digests.get(d.id)) for d in session.scalars(query)]


def _co_mentioned(session: Session, paper: Paper, where: Addresses) -> list[Neighbour]:
    counts = co_mentioned(session, paper.id)
    counts.pop(paper.id, None)
    found = []
    for pid, n in counts.most_common(NEIGHBOURS):
        other = session.get_one(Paper, pid)
        found.append(Neighbour(paper_item(other, where), [f"{n} review(s)"]))
    return found
