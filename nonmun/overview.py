"""What a hub holds, at a glance: counts, sources, and each reviewed paper with its reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from nonmun.db.schema import Digest, Mention, Paper, Person, Review, Source


@dataclass
class PaperReviews:
    """A paper and the reviews that review or mention it."""

    paper: Paper
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Overview:
    counts: dict[str, int]
    sources: list[tuple[Source, int]]
    papers: list[PaperReviews]

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "sources": [{"name": s.name, "kind": s.kind, "reviews": n} for s, n in self.sources],
            "papers": [
                {
                    "arxiv": pr.paper.arxiv_id,
                    "title": pr.paper.title,
                    "reviews": [
                        {
                            "title": m.review.title,
                            "source": m.review.source.name,
                            "role": m.role,
                            "confidence": m.confidence,
                        }
                        for m in pr.mentions
                    ],
                }
                for pr in self.papers
            ],
        }


def overview(session: Session, limit: int = 20) -> Overview:
    """Counts of every noun, reviews per source, and the ``limit`` papers with the most
    reviews (two queries whatever the hub's size: the papers, then their mentions)."""
    counts = {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in [
            ("papers", Paper),
            ("reviews", Review),
            ("mentions", Mention),
            ("sources", Source),
            ("people", Person),
            ("digests", Digest),
        ]
    }
    counts["provisional papers"] = (
        session.scalar(select(func.count()).select_from(Paper).where(Paper.provisional)) or 0
    )
    per_source = session.execute(
        select(Source, func.count(Review.id))
        .outerjoin(Review, Review.source_id == Source.id)
        .group_by(Source.id)
        .order_by(Source.name)
    ).all()
    linked = func.count(Mention.id).label("n")
    top = session.execute(
        select(Mention.paper_id, linked)
        .group_by(Mention.paper_id)
        .order_by(linked.desc(), Mention.paper_id)
        .limit(limit)
    ).all()
    counts["papers with reviews"] = (
        session.scalar(select(func.count(func.distinct(Mention.paper_id)))) or 0
    )
    ids = [pid for pid, _ in top]
    mentions = session.scalars(
        select(Mention)
        .where(Mention.paper_id.in_(ids))
        .options(
            selectinload(Mention.paper), selectinload(Mention.review).selectinload(Review.source)
        )
        .order_by(Mention.paper_id, Mention.role.desc(), Mention.review_id)
    )
    papers: dict[int, PaperReviews] = {}
    for mention in mentions:
        papers.setdefault(mention.paper_id, PaperReviews(mention.paper)).mentions.append(mention)
    ordered = sorted(papers.values(), key=lambda pr: (-len(pr.mentions), pr.paper.title.lower()))
    return Overview(counts, [(s, n) for s, n in per_source], ordered)
