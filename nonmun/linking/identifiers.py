"""Mentions by identifier: arXiv ids and URLs found in a review's text.

This is the first and surest layer of the linker; titles and nicknames come
on top of it. A paper linked this way gets confidence 1.0 and the matched
text as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun.catalog.identifiers import parse_arxiv_id
from nonmun.db.schema import Mention, Paper, Review

_ARXIV_MENTION = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """An identifier found in text: the versionless arXiv id and the span that matched."""

    arxiv_id: str
    evidence: str
    start: int


def find_arxiv_ids(text: str) -> list[Found]:
    """Every distinct arXiv id mentioned in ``text``, in order of first appearance."""
    found: dict[str, Found] = {}
    for match in _ARXIV_MENTION.finditer(text):
        parsed = parse_arxiv_id(match.group(1))
        if parsed and parsed.id not in found:
            found[parsed.id] = Found(parsed.id, match.group(0), match.start())
    return list(found.values())


def link_review(session: Session, review: Review) -> list[Mention]:
    """Replace the review's identifier mentions with those found in its text now."""
    found = find_arxiv_ids(f"{review.title}\n{review.body}")
    papers = {
        p.arxiv_id: p
        for p in session.scalars(
            select(Paper).where(Paper.arxiv_id.in_([f.arxiv_id for f in found]))
        )
    }
    review.mentions = [
        Mention(
            paper=papers[f.arxiv_id],
            role="mentioned",
            confidence=1.0,
            evidence=f.evidence,
            method="identifier",
        )
        for f in found
        if f.arxiv_id in papers
    ]
    return review.mentions
