"""Storing what the linker found as a review's mentions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from nonmun.db.schema import Mention, Paper, Review
from nonmun.ingest.records import MentionRecord
from nonmun.linking.learn import learn_nicknames
from nonmun.linking.linker import Linker, merge_links
from nonmun.linking.provisional import PaperHint, provisional_links


def link_review(
    session: Session, review: Review, linker: Linker, hint: PaperHint | None = None
) -> list[Mention]:
    """Replace the review's mentions with what ``linker`` finds in its title and body now,
    with provisional papers for what the catalog lacks (``provisional.py``); learn the
    nicknames the text pairs with identifiers (``learn.py``)."""
    text = f"{review.title}\n{review.body}"
    links = linker.link(text)
    links = merge_links(links + provisional_links(session, linker, text, links, hint))
    learn_nicknames(session, linker, text)
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


def restore_mentions(session: Session, review: Review, mentions: tuple[MentionRecord, ...]) -> None:
    """Replace the review's mentions with ones settled elsewhere (an archive, an editor)."""
    review.mentions = [
        Mention(
            paper=session.get_one(Paper, m.paper_id),
            role=m.role,
            confidence=m.confidence,
            evidence=m.evidence,
            method=m.method,
        )
        for m in mentions
    ]
