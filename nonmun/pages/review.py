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
    html: str  # the body, rendered and sanitised
    originals: list[str]  # where it was published (cross-posts too)
    category: Named | None
    suggestions: list[PaperItem]  # links under the confidence bar, shown apart
    previous: Named | None
    next: Named | None


def load_reviews(session: Session, ids: list[int] | None = None) -> list[Review]:
    """Reviews with everything a page shows of them, oldest first (all, or ``ids``)."""
    query = (
        select(Review)
        .options(selectinload(Review.source), selectinload(Review.authors))
        .options(selectinload(Review.mentions).selectinload(Mention.paper))
        .order_by(Review.published.nulls_first(), Review.id)
    )
    if ids is not None:
        query = query.where(Review.id.in_(ids))
    return list(session.scalars(query))


def review_page(
    review: Review, where: Addresses, neighbours: tuple[Review | None, Review | None]
) -> ReviewPage:
    """The page of ``review`` (loaded by ``load_reviews``); ``neighbours`` are the
    reviews before and after it in its source."""
    before, after = neighbours
    low = [m for m in review.mentions if m.confidence < MIN_CONFIDENCE]
    return ReviewPage(
        review=review_item(review, where),
        html=render(review.body),
        originals=list(dict.fromkeys(u for u in [review.url, *review.urls] if u)),
        category=category_named(review.category_path),
        suggestions=[paper_item(m.paper, where, m) for m in sorted(low, key=mention_order)],
        previous=Named(before.title, where.reviews[before.id]) if before else None,
        next=Named(after.title, where.reviews[after.id]) if after else None,
    )
