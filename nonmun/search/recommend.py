"""What to read next: papers for a reader who marked a few, each with its reasons.

The seeds' related papers (``related.py``: mentioned together in reviews, similar
title and abstract, shared authors) are added up; a paper related to several seeds
comes first. ``bench/recommend.py`` measures this against arXiv-sanity's baseline
(tf-idf features and one linear SVM per tag) on held-out tagged papers.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun.db.schema import Paper
from nonmun.search.related import Related, related_papers

PER_SEED = 50


def recommend(
    session: Session, seeds: list[int], limit: int = 20, among: frozenset[int] | None = None
) -> list[Related]:
    """Papers for a reader who tagged ``seeds`` (paper ids), best first; ``among``
    restricts the candidates (an evaluation pool, unread papers)."""
    score: dict[int, float] = defaultdict(float)
    why: dict[int, list[str]] = defaultdict(list)
    seed_set = set(seeds)
    papers = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(seeds)))}
    for pid in seeds:
        for found in related_papers(session, papers[pid], PER_SEED, among):
            if found.id in seed_set or (among is not None and found.id not in among):
                continue
            score[found.id] += found.score
            why[found.id].append(f"like {_short(papers[pid].title)}: {found.reasons[0]}")
    best = sorted(score, key=lambda p: -score[p])[:limit]
    titles = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(best)))}
    return [
        Related(pid, titles[pid].title, titles[pid].arxiv_id, titles[pid].year,
                round(score[pid], 3), why[pid][:3])
        for pid in best
    ]  # fmt: skip


def _short(title: str, limit: int = 60) -> str:
    """A title cut at a word, with an ellipsis, when longer than ``limit``."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(":,;") + "…"
