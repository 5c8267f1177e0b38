"""Related papers for a paper, each with its reasons.

Three kinds of evidence, added up: papers that reviews mention together with it
(what readers connect), papers whose title and abstract share its distinctive
words (the full-text index, BM25 or ts_rank), and papers that share an author.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nonmun.db.schema import Mention, Paper
from nonmun.linking.linker import MIN_CONFIDENCE
from nonmun.search.query import SearchFilter, candidates
from nonmun.text.glossary import Clause
from nonmun.text.terms import terms

CO_MENTION_WEIGHT = 1.0
TEXT_WEIGHT = 0.8
AUTHOR_WEIGHT = 0.6
TEXT_TERMS = 12
MAX_AUTHORS = 8


@dataclass
class Related:
    """A related paper, how strongly, and why."""

    id: int
    title: str
    arxiv: str | None
    year: int | None
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def related_papers(session: Session, paper: Paper, limit: int = 10) -> list[Related]:
    """The papers most related to ``paper``, best first."""
    score: dict[int, float] = defaultdict(float)
    why: dict[int, list[str]] = defaultdict(list)
    for pid, count in _co_mentioned(session, paper.id).items():
        score[pid] += CO_MENTION_WEIGHT * min(count, 3)
        why[pid].append(f"mentioned with it in {count} review(s)")
    for pid, similarity in _similar_text(session, paper).items():
        score[pid] += TEXT_WEIGHT * similarity
        why[pid].append(f"similar title and abstract ({similarity:.2f})")
    for pid, names in _shared_authors(session, paper).items():
        score[pid] += AUTHOR_WEIGHT * len(names)
        why[pid].append("shares author " + ", ".join(names))
    score.pop(paper.id, None)
    best = sorted(score, key=lambda pid: -score[pid])[:limit]
    papers = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(best)))}
    return [
        Related(pid, papers[pid].title, papers[pid].arxiv_id, papers[pid].year,
                round(score[pid], 3), why[pid])
        for pid in best
    ]  # fmt: skip


def _co_mentioned(session: Session, pid: int) -> Counter[int]:
    reviews = select(Mention.review_id).where(
        Mention.paper_id == pid, Mention.confidence >= MIN_CONFIDENCE
    )
    query = (
        select(Mention.paper_id, func.count(func.distinct(Mention.review_id)))
        .where(Mention.review_id.in_(reviews), Mention.confidence >= MIN_CONFIDENCE)
        .group_by(Mention.paper_id)
    )
    rows: list[Any] = list(session.execute(query))
    return Counter({int(p): int(n) for p, n in rows})


def _similar_text(session: Session, paper: Paper) -> dict[int, float]:
    """Papers matching any of the paper's most telling words, scaled to the best."""
    words = terms(paper.title) + terms(paper.abstract or "")
    telling = [w for w, _ in Counter(w for w in words if len(w) > 3).most_common(TEXT_TERMS)]
    if not telling:
        return {}
    clauses: list[Clause] = [[(w,)] for w in telling]
    hits = candidates(session, clauses, SearchFilter(kind="paper"), "OR")
    found = [(ref, s) for _, ref, s in hits if ref != paper.id]
    best = max((s for _, s in found), default=0.0) or 1.0
    return {ref: s / best for ref, s in found[:50]}


def _shared_authors(session: Session, paper: Paper) -> dict[int, list[str]]:
    """Papers with the same author names (found through the index, then checked)."""
    shared: dict[int, list[str]] = defaultdict(list)
    for name in paper.authors[:MAX_AUTHORS]:
        clauses: list[Clause] = [[(w,)] for w in terms(name)]
        if not clauses:
            continue
        found = candidates(session, clauses, SearchFilter(kind="paper"), "AND")
        ids = [ref for _, ref, _ in found if ref != paper.id]
        for other in session.scalars(select(Paper).where(Paper.id.in_(ids))):
            if name in other.authors:
                shared[other.id].append(name)
    return shared
