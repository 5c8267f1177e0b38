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
) -> set[int]:
    """Replace the review's mentions with what ``linker`` finds in its title and body now,
    with provisional papers for what the catalog lacks (``provisional.py``); learn the
    nicknames the text pairs with identifiers (``learn.py``). Returns the papers that
    learned a nickname (their search entries need it too)."""
    text = f"{review.title}\n{review.body}"
    links = linker.link(text)
    added = provisional_links(session, linker, text, links, hint)
    if any(link.method == "identifier" for link in added):
        # papers made for unknown arXiv ids may have names now (landmarks): read again
        guessed = {link.paper_id for link in added if link.method == "provisional"}
        links = [link for link in linker.link(text) if link.paper_id not in guessed]
    links = merge_links(links + added)
    learned = {pid for pid, _ in learn_nicknames(session, linker, text)}
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
    return learned


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
