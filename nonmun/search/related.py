"""Related papers for a paper, each with its reasons.

Four kinds of evidence, added up: papers that reviews mention together with it
(what readers connect), papers whose title and abstract share its distinctive
words (the full-text index, BM25 or ts_rank), papers whose reviews read like its
reviews, and papers that share an author.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nonmun.db.schema import MIN_CONFIDENCE, Mention, Paper, search_table
from nonmun.search.query import COMMON_SHARE, Candidate, SearchFilter, candidates, term_docs
from nonmun.text.glossary import Clause
from nonmun.text.terms import terms

CO_MENTION_WEIGHT = 1.0
TEXT_WEIGHT = 0.8
AUTHOR_WEIGHT = 0.6
REVIEW_WEIGHT = 0.8
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


def related_papers(
    session: Session, paper: Paper, limit: int = 10, among: frozenset[int] | None = None
) -> list[Related]:
    """The papers most related to ``paper``, best first (only ``among``, if given)."""
    score: dict[int, float] = defaultdict(float)
    why: dict[int, list[str]] = defaultdict(list)
    for pid, count in co_mentioned(session, paper.id).items():
        score[pid] += CO_MENTION_WEIGHT * min(count, 3)
        why[pid].append(f"mentioned with it in {count} review(s)")
    similar = _similar_text(session, paper, among)
    shared = _shared_words(session, paper, list(similar))
    for pid, similarity in similar.items():
        score[pid] += TEXT_WEIGHT * similarity
        words = shared.get(pid, [])
        why[pid].append(
            f"similar title and abstract: {len(words)} of its telling words "
            f"({', '.join(words[:4])}{'…' if len(words) > 4 else ''})"
        )
    alike = _similar_reviews(session, paper, among)
    top = max(alike.values(), default=0.0) or 1.0
    for pid, similarity in alike.items():
        score[pid] += REVIEW_WEIGHT * similarity / top
        why[pid].append(f"its reviews read alike (BM25 {similarity:.1f})")
    for pid, names in _shared_authors(session, paper).items():
        score[pid] += AUTHOR_WEIGHT * len(names)
        why[pid].append("shares author " + ", ".join(names))
    score.pop(paper.id, None)
    if among is not None:
        score = defaultdict(float, {p: s for p, s in score.items() if p in among})
    best = sorted(score, key=lambda pid: -score[pid])[:limit]
    papers = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(best)))}
    return [
        Related(pid, papers[pid].title, papers[pid].arxiv_id, papers[pid].year,
                round(score[pid], 3), why[pid])
        for pid in best
    ]  # fmt: skip


def co_mentioned(session: Session, pid: int) -> Counter[int]:
    """The papers reviewed or mentioned in the reviews of paper ``pid`` (itself too),
    with how many reviews name each."""
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


def _similar_text(
    session: Session, paper: Paper, among: frozenset[int] | None = None
) -> dict[int, float]:
    """Papers matching any of the paper's most telling words, scaled to the best."""
    words = terms(paper.title) + terms(paper.abstract or "")
    hits = _alike(session, words, SearchFilter(kind="paper", papers=among))
    found = [(c.ref, c.relevance) for c in hits if c.ref != paper.id]
    best = max((s for _, s in found), default=0.0) or 1.0
    return {ref: s / best for ref, s in found[:50]}


def _shared_words(session: Session, paper: Paper, others: list[int]) -> dict[int, list[str]]:
    """The telling words of ``paper`` that each of ``others`` holds (what "similar"
    means, in the words themselves rather than a score scaled to 1), in one query."""
    telling = _telling(session, terms(paper.title) + terms(paper.abstract or ""))
    docs = session.execute(
        select(search_table.c.ref_id, search_table.c.title, search_table.c.body).where(
            search_table.c.kind == "paper", search_table.c.ref_id.in_(others)
        )
    )
    found = {}
    for pid, title, body in docs:
        held = set(f"{title} {body}".split())
        found[pid] = [w for w in telling if w in held]
    return found


def _similar_reviews(
    session: Session, paper: Paper, among: frozenset[int] | None = None
) -> dict[int, float]:
    """Papers whose reviews share the telling words of this paper's reviews, with the
    BM25 relevance of their best review (not scaled)."""
    own = select(Mention.review_id).where(
        Mention.paper_id == paper.id,
        Mention.role == "reviewed",
        Mention.confidence >= MIN_CONFIDENCE,
    )
    docs = session.execute(
        select(search_table.c.title, search_table.c.body).where(
            search_table.c.kind == "review", search_table.c.ref_id.in_(own)
        )
    ).all()
    words = " ".join(f"{t} {b}" for t, b in docs).split()
    hits = _alike(session, words, SearchFilter(kind="review"))
    by_review = {c.ref: c.relevance for c in hits}
    reviewed = session.execute(
        select(Mention.review_id, Mention.paper_id).where(
            Mention.review_id.in_(list(by_review)),
            Mention.role == "reviewed",
            Mention.confidence >= MIN_CONFIDENCE,
            Mention.paper_id != paper.id,
        )
    ).all()
    found: dict[int, float] = {}
    for rid, pid in reviewed:
        if among is None or pid in among:
            found[pid] = max(found.get(pid, 0.0), by_review[rid])
    return found


def _alike(session: Session, words: list[str], where: SearchFilter) -> list[Candidate]:
    """The documents that best match any of the telling words of a text (all scored)."""
    clauses: list[Clause] = [[(w,)] for w in _telling(session, words)]
    return candidates(session, clauses, where, "OR", exhaustive=True) if clauses else []


def _telling(session: Session, words: list[str]) -> list[str]:
    """The ``TEXT_TERMS`` words that best tell a text apart (tf-idf, like Lucene's
    more-like-this): frequent in it, rare in the hub; words in more than
    ``COMMON_SHARE`` of the documents are left out, so the index has few matches to score."""
    counts = Counter(w for w in words if len(w) > 3 or (len(w) > 1 and not w.isascii()))
    if not counts:
        return []
    docs = term_docs(session, list(counts))
    total = session.scalar(select(func.max(search_table.c.id))) or 1
    weight = {
        w: n * math.log((total + 1) / (docs[w] + 1))
        for w, n in counts.items()
        if docs[w] <= COMMON_SHARE * total
    }
    return sorted(weight, key=lambda w: (-weight[w], w))[:TEXT_TERMS]


def _shared_authors(session: Session, paper: Paper) -> dict[int, list[str]]:
    """Papers with the same author names (found through the index, then checked)."""
    shared: dict[int, list[str]] = defaultdict(list)
    for name in paper.authors[:MAX_AUTHORS]:
        clauses: list[Clause] = [[(w,)] for w in terms(name)]
        if not clauses:
            continue
        found = candidates(session, clauses, SearchFilter(kind="paper"), "AND", exhaustive=True)
        ids = [c.ref for c in found if c.ref != paper.id]
        for other in session.scalars(select(Paper).where(Paper.id.in_(ids))):
            if name in other.authors:
                shared[other.id].append(name)
    return shared
