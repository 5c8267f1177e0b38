"""The paper page, the page no blog has: a paper with every review of it, from every
source and author, the digests it appeared in, the papers named alongside it and
related papers, and a feed to follow it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun.catalog.lookup import paper_links, paper_mentions
from nonmun.db.schema import MIN_CONFIDENCE, Digest, DigestReview, Mention, Paper, Review
from nonmun.pages.addresses import Addresses
from nonmun.pages.items import Named, PaperItem, ReviewItem, paper_item, review_item
from nonmun.search.related import RelatedIndex, co_mentioned, related_papers

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


class Surroundings:
    """What a site build reads once for all its paper pages: every paper as a line,
    the digests of every review, and (when a page first needs it) the related-papers
    index over all the papers that reviews name."""

    def __init__(
        self, session: Session, papers: Mapping[int, PaperItem], digests: Mapping[int, list[Digest]]
    ) -> None:
        self.session = session
        self.papers = papers
        self.digests = digests  # by review id

    @cached_property
    def index(self) -> RelatedIndex:
        return RelatedIndex(self.session)


def paper_page(
    session: Session,
    paper: Paper,
    where: Addresses,
    items: Mapping[int, ReviewItem] | None = None,
    linked: Sequence[tuple[str, int]] | None = None,
    around: Surroundings | None = None,
) -> PaperPage:
    """The page of ``paper`` (which has an address in ``where``). A site build, which
    has them already, gives the reviews as lists show them (``items``), which of them
    link to this paper in which role (``linked``) and the ``Surroundings`` of all its
    papers; alone, the page asks the database (and the search index) for them."""
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
        digests=_digests(session, [rid for _, rid in found], where, around),
        co_mentioned=_co_mentioned(session, paper, where, around),
        related=_related(session, paper, where, around) if reviewed else [],
        feed=f"{address}feed.xml",
    )


def _related(
    session: Session, paper: Paper, where: Addresses, around: Surroundings | None
) -> list[Neighbour]:
    """Related papers (the search layer's), for a paper some review reviews: one only
    named in passing shows the papers named alongside it, which costs no search. A
    site build finds them among the papers its reviews name, all at once."""
    if around is None:
        found = related_papers(session, paper, limit=NEIGHBOURS)
    else:
        found = around.index.related(paper.id, limit=NEIGHBOURS)
    return [Neighbour(_item(session, r.id, where, around), r.reasons) for r in found]


def _item(session: Session, pid: int, where: Addresses, around: Surroundings | None) -> PaperItem:
    known = around.papers.get(pid) if around else None
    return known or paper_item(session.get_one(Paper, pid), where)


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


def _digests(
    session: Session, review_ids: list[int], where: Addresses, around: Surroundings | None
) -> list[Named]:
    if around is None:
        query = (
            select(Digest)
            .join(DigestReview, DigestReview.digest_id == Digest.id)
            .where(DigestReview.review_id.in_(review_ids))
            .distinct()
        )
        digests = list(session.scalars(query))
    else:
        digests = list({d.id: d for r in review_ids for d in around.digests.get(r, [])}.values())
    digests.sort(key=lambda d: d.period_start or date.min, reverse=True)
    return [Named(d.title, where.digests.get(d.id)) for d in digests]


def _co_mentioned(
    session: Session, paper: Paper, where: Addresses, around: Surroundings | None
) -> list[Neighbour]:
    counts = around.index.co_mentioned(paper.id) if around else co_mentioned(session, paper.id)
    counts.pop(paper.id, None)
    return [
        Neighbour(_item(session, pid, where, around), [f"{n} review(s)"])
        for pid, n in counts.most_common(NEIGHBOURS)
    ]
