"""Related papers for a paper, each with its reasons.

Four kinds of evidence, added up: papers that reviews mention together with it
(what readers connect), papers whose title and abstract share its distinctive
words (the full-text index, BM25 or ts_rank), papers whose reviews read like its
reviews, and papers that share an author.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nonmun.db.schema import MIN_CONFIDENCE, Mention, Paper, search_table
from nonmun.search.bm25 import Collection as TextCollection
from nonmun.search.bm25 import Vocabulary
from nonmun.search.index import COMMON_SHARE
from nonmun.search.query import (
    CANDIDATES,
    FEW_DOCS,
    Candidate,
    SearchFilter,
    candidates,
    term_docs,
)
from nonmun.text.glossary import Clause
from nonmun.text.terms import terms

CO_MENTION_WEIGHT = 1.0
TEXT_WEIGHT = 0.8
AUTHOR_WEIGHT = 0.6
REVIEW_WEIGHT = 0.8
TEXT_TERMS = 12
MAX_AUTHORS = 8
Doc = tuple[int, str, str]  # key, title terms, body terms


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
    similar = _similar_text(session, paper, among)
    evidence = Evidence(
        co_mentioned=co_mentioned(session, paper.id),
        similar=similar,
        shared_words=_shared_words(session, paper, list(similar)),
        alike=_similar_reviews(session, paper, among),
        authors=_shared_authors(session, paper),
    )
    ranked = evidence.ranked(paper.id, limit, among)
    papers = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(ranked)))}
    return [
        Related(pid, papers[pid].title, papers[pid].arxiv_id, papers[pid].year, score, why)
        for pid, (score, why) in ranked.items()
    ]


@dataclass
class Evidence:
    """What relates other papers to one paper, by kind, and how it adds up."""

    co_mentioned: Counter[int]  # reviews that name both
    similar: dict[int, float]  # title and abstract alike, scaled to the best
    shared_words: dict[int, list[str]]  # the telling words each similar one holds
    alike: dict[int, float]  # the BM25 of their best review like its reviews
    authors: dict[int, list[str]]  # the author names they share

    def ranked(
        self, pid: int, limit: int, among: Collection[int] | None = None
    ) -> dict[int, tuple[float, list[str]]]:
        """The ``limit`` best other papers (of ``among``), each with its score and
        reasons, best first."""
        score: dict[int, float] = defaultdict(float)
        why: dict[int, list[str]] = defaultdict(list)
        for other, count in self.co_mentioned.items():
            score[other] += CO_MENTION_WEIGHT * min(count, 3)
            why[other].append(f"mentioned with it in {count} review(s)")
        for other, similarity in self.similar.items():
            score[other] += TEXT_WEIGHT * similarity
            words = self.shared_words.get(other, [])
            why[other].append(
                f"similar title and abstract: {len(words)} of its telling words "
                f"({', '.join(words[:4])}{'…' if len(words) > 4 else ''})"
            )
        top = max(self.alike.values(), default=0.0) or 1.0
        for other, similarity in self.alike.items():
            score[other] += REVIEW_WEIGHT * similarity / top
            why[other].append(f"its reviews read alike (BM25 {similarity:.1f})")
        for other, names in self.authors.items():
            score[other] += AUTHOR_WEIGHT * len(names)
            why[other].append("shares author " + ", ".join(names))
        score.pop(pid, None)
        kept = [p for p in score if among is None or p in among]
        best = sorted(kept, key=lambda p: -score[p])[:limit]
        return {p: (round(score[p], 3), why[p]) for p in best}


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
    ``COMMON_SHARE`` of the documents of a big hub are left out, so the index has few
    matches to score (a small hub has few to score anyway)."""
    counts = Counter(w for w in words if len(w) > 3 or (len(w) > 1 and not w.isascii()))
    if not counts:
        return []
    docs = term_docs(session, list(counts))
    total = session.scalar(select(func.max(search_table.c.id))) or 1
    weight = {
        w: n * math.log((total + 1) / (docs[w] + 1))
        for w, n in counts.items()
        if docs[w] <= (COMMON_SHARE * total if total > FEW_DOCS else total)
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


class RelatedIndex:
    """Related papers for many papers at once (a site build), among the papers that
    reviews name: the evidence and weights of ``related_papers``, with the mentions,
    authors and texts read once and the texts alike scored in memory
    (``search.bm25``), where a full-text query per paper would cost tens of
    milliseconds each on a big hub."""

    def __init__(self, session: Session) -> None:
        named = select(Mention.review_id, Mention.paper_id, Mention.role).where(
            Mention.confidence >= MIN_CONFIDENCE
        )
        self._named_in: dict[int, set[int]] = defaultdict(set)  # review → papers it names
        self._naming: dict[int, set[int]] = defaultdict(set)  # paper → reviews naming it
        self._reviewed_in: dict[int, list[int]] = defaultdict(list)  # review → papers it reviews
        self._reviewing: dict[int, list[int]] = defaultdict(list)  # paper → reviews reviewing it
        for rid, pid, role in session.execute(named):
            self._named_in[rid].add(pid)
            self._naming[pid].add(rid)
            if role == "reviewed":
                self._reviewed_in[rid].append(pid)
                self._reviewing[pid].append(rid)
        pool = named.with_only_columns(Mention.paper_id)
        self._facts = {
            pid: (title, arxiv, year, authors or [])
            for pid, title, arxiv, year, authors in session.execute(
                select(Paper.id, Paper.title, Paper.arxiv_id, Paper.year, Paper.authors).where(
                    Paper.id.in_(pool)
                )
            )
        }
        self._by_author: dict[str, list[int]] = defaultdict(list)
        for pid, (*_, authors) in self._facts.items():
            for name in dict.fromkeys(authors):
                self._by_author[name].append(pid)
        self._session, self._pool = session, pool

    @cached_property
    def _texts(self) -> tuple[TextCollection, TextCollection, NDArray[np.bool_]]:
        """The papers' and the reviews' texts, indexed (read when first asked for), and
        which of their terms may tell a text apart by their shape."""
        doc = search_table.c
        query = select(doc.kind, doc.ref_id, doc.title, doc.body).where(
            (doc.kind == "review") | ((doc.kind == "paper") & doc.ref_id.in_(self._pool))
        )
        papers: list[Doc] = []
        reviews: list[Doc] = []
        for kind, ref, title, body in self._session.execute(query.order_by(doc.id)):
            (papers if kind == "paper" else reviews).append((ref, title, body))
        vocabulary = Vocabulary()
        found = TextCollection(vocabulary, papers), TextCollection(vocabulary, reviews)
        return *found, vocabulary.telling_shape()

    def co_mentioned(self, pid: int) -> Counter[int]:
        """As ``co_mentioned``: the papers named in the reviews of ``pid`` (itself too),
        with how many of them name each."""
        return Counter(p for rid in self._naming.get(pid, ()) for p in self._named_in[rid])

    def related(self, pid: int, limit: int = 10) -> list[Related]:
        """The papers most related to paper ``pid``, best first."""
        if pid not in self._facts:
            return []
        similar, shared = self._similar_text(pid)
        evidence = Evidence(
            self.co_mentioned(pid), similar, shared, self._similar_reviews(pid), self._authors(pid)
        )
        found = []
        for other, (score, why) in evidence.ranked(pid, limit).items():
            title, arxiv, year, _ = self._facts[other]
            found.append(Related(other, title, arxiv, year, score, why))
        return found

    def _similar_text(self, pid: int) -> tuple[dict[int, float], dict[int, list[str]]]:
        """Papers alike in title and abstract, scaled to the best, and the telling words
        of ``pid`` that each holds."""
        texts, _, shape = self._texts
        query = texts.telling(*texts.terms_of([pid]), shape)
        found = [hit for hit in texts.search(query, CANDIDATES) if hit[0] != pid][:50]
        best = found[0][1] if found else 1.0
        words = [texts.vocabulary.terms[t] for t in query]
        shared = {k: [w for i, w in enumerate(words) if held >> i & 1] for k, _, held in found}
        return {k: s / best for k, s, _ in found}, shared

    def _similar_reviews(self, pid: int) -> dict[int, float]:
        """Papers reviewed by reviews like the reviews of ``pid``, with the BM25 of their
        best such review."""
        _, texts, shape = self._texts
        query = texts.telling(*texts.terms_of(self._reviewing.get(pid, [])), shape)
        found: dict[int, float] = {}
        for rid, score, _ in texts.search(query, CANDIDATES):
            for other in self._reviewed_in.get(rid, ()):
                if other != pid:
                    found[other] = max(found.get(other, 0.0), score)
        return found

    def _authors(self, pid: int) -> dict[int, list[str]]:
        shared: dict[int, list[str]] = defaultdict(list)
        for name in self._facts[pid][3][:MAX_AUTHORS]:
            for other in self._by_author.get(name, ()):
                if other != pid:
                    shared[other].append(name)
        return shared
