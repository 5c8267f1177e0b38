"""Storing what the linker found as a review's mentions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from nonmun.db.schema import Mention, Paper, Review
from nonmun.linking.linker import Linker


def link_review(session: Session, review: Review, linker: Linker) -> list[Mention]:
    """Replace the review's mentions with what ``linker`` finds in its title and body now."""
    links = linker.link(f"{review.title}\n{review.body}")
    review.mentions = [
        Mention(
            paper=session.get_one(Paper, link.paper_id),
            role=link.role,
            confidence=round(link.confidence, 3),
            evidence=link.evidence[:500],
            method=link.method,
        )
        for link in links
    ]
    return review.mentions
