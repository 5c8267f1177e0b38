"""The review page: the whole review, rendered, with the papers it reviews and mentions
(each with the evidence that linked it), its tags, category, source, original
address and its neighbours in its source."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun.db.schema import MIN_CONFIDENCE, Mention, Review
from nonmun.pages.addresses import Addresses
from nonmun.pages.items import (
    Named,
    PaperItem,
    ReviewItem,
    category_named,
    mention_order,
    paper_item,
    review_item,
)
from nonmun.pages.markdown import render


@dataclass(frozen=True)
class ReviewPage:
    review: ReviewItem
    body: str  # as written (Markdown)
    html: str  # rendered and sanitised
    originals: list[str]  # where it was published (cross-posts too)
    category: Named | None
    suggestions: list[PaperItem]  # links under the confidence bar, shown apart
    previous: Named | None
    next: Named | None


ORDER = (Review.published.nulls_first(), Review.id)  # oldest first: a source's order


def load_reviews(session: Session, ids: list[int] | None = None) -> list[Review]:
    """Reviews with everything a page shows of them, oldest first (all, or ``ids``)."""
    query = (
        select(Review)
        .options(selectinload(Review.source), selectinload(Review.authors))
        .options(selectinload(Review.mentions).selectinload(Mention.paper))
        .order_by(*ORDER)
    )
    if ids is not None:
        query = query.where(Review.id.in_(ids))
    return list(session.scalars(query))


def page_of_review(session: Session, review: Review, where: Addresses) -> ReviewPage:
    """The page of one review, its neighbours looked up in its source."""
    same = list(
        session.scalars(
            select(Review.id).where(Review.source_id == review.source_id).order_by(*ORDER)
        )
    )
    at = same.index(review.id)
    before = session.get(Review, same[at - 1]) if at > 0 else None
    after = session.get(Review, same[at + 1]) if at + 1 < len(same) else None
    return review_page(review, where, (before, after))


def review_page(
    review: Review,
    where: Addresses,
    neighbours: tuple[Review | None, Review | None],
    item: ReviewItem | None = None,
) -> ReviewPage:
    """The page of ``review`` (loaded by ``load_reviews``); ``neighbours`` are the
    reviews before and after it in its source; ``item``, how lists show it, if made."""
    before, after = neighbours
    low = [m for m in review.mentions if m.confidence < MIN_CONFIDENCE]
    return ReviewPage(
        review=item or review_item(review, where),
        body=review.body,
        html=render(review.body),
        originals=list(dict.fromkeys(u for u in [review.url, *review.urls] if u)),
        category=category_named(review.category_path),
        suggestions=[paper_item(m.paper, where, m) for m in sorted(low, key=mention_order)],
        previous=Named(before.title, where.reviews[before.id]) if before else None,
        next=Named(after.title, where.reviews[after.id]) if after else None,
    )
