"""Measuring search on labeled queries: nDCG@10 and Recall@10.

A query file has one JSON object per line: ``{"query": str, "relevant": [ref, …]}``
and optionally ``"type"`` (title, nickname, topic, author…) and ``"lang"``. A ref
names a paper (``arxiv:ID``, ``doi:DOI``, ``title:Exact Title``) or a review
(``review:Exact Title``); every ref is equally relevant.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun import files
from nonmun.db.schema import Paper, Review
from nonmun.errors import InputError
from nonmun.search.query import Hit, SearchFilter, search

K = 10


@dataclass
class SearchScores:
    """Mean nDCG@10 and Recall@10 over the judged queries, per query type and per
    language; the misses; and how many queries had no relevant document in the hub
    (unjudged: left out of the means, so a smaller hub is not scored as a worse search)."""

    ndcg: float = 0.0
    recall: float = 0.0
    count: int = 0
    unjudged: int = 0
    by_type: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    by_lang: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def evaluate_search(session: Session, path: Path) -> SearchScores:
    """Run every labeled query of ``path`` against the hub and score the first ten hits."""
    rows = [(n, _checked(d, path, n)) for n, d in files.read_jsonl(path)]
    per_type: dict[str, list[tuple[float, float]]] = defaultdict(list)
    per_lang: dict[str, list[tuple[float, float]]] = defaultdict(list)
    scores = SearchScores()
    for _, row in rows:
        relevant = {_resolve(session, ref) for ref in row["relevant"]} - {None}
        if not relevant:
            scores.unjudged += 1
            continue
        try:
            hits = search(session, row["query"], SearchFilter(limit=K))
        except InputError:
            hits = []
        got = [_key(h) for h in hits]
        ndcg, recall = _ndcg(got, relevant), _recall(got, relevant)
        per_type[row.get("type", "other")].append((ndcg, recall))
        per_lang[row.get("lang", "other")].append((ndcg, recall))
        if recall < 1.0:
            scores.misses.append(f"{row['query']!r}: recall {recall:.2f}, nDCG {ndcg:.2f}")
    every = [s for group in per_type.values() for s in group]
    scores.count = len(every)
    scores.ndcg = sum(s[0] for s in every) / max(len(every), 1)
    scores.recall = sum(s[1] for s in every) / max(len(every), 1)
    scores.by_type = _means(per_type)
    scores.by_lang = _means(per_lang)
    return scores


def _means(groups: dict[str, list[tuple[float, float]]]) -> dict[str, tuple[float, float, int]]:
    return {
        name: (sum(s[0] for s in g) / len(g), sum(s[1] for s in g) / len(g), len(g))
        for name, g in sorted(groups.items())
    }


def _checked(data: Any, path: Path, line: int) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        raise InputError('each line needs "query" and "relevant"', source=str(path), line=line)
    if not isinstance(data.get("relevant"), list) or not data["relevant"]:
        raise InputError('"relevant" must be a non-empty list', source=str(path), line=line)
    return data


def _resolve(session: Session, ref: str) -> tuple[str, int] | None:
    scheme, _, value = ref.partition(":")
    column = {"arxiv": Paper.arxiv_id, "doi": Paper.doi, "title": Paper.title}.get(scheme)
    if column is not None:
        pid = session.scalar(select(Paper.id).where(column == value).limit(1))
        return ("paper", pid) if pid is not None else None
    if scheme == "review":
        rid = session.scalar(select(Review.id).where(Review.title == value).limit(1))
        return ("review", rid) if rid is not None else None
    return None


def _key(hit: Hit) -> tuple[str, int]:
    return (hit.kind, hit.id)


def _ndcg(got: list[tuple[str, int]], relevant: set[Any]) -> float:
    if not relevant:
        return 0.0
    dcg = sum(1 / math.log2(i + 2) for i, key in enumerate(got[:K]) if key in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), K)))
    return dcg / ideal


def _recall(got: list[tuple[str, int]], relevant: set[Any]) -> float:
    return len(set(got[:K]) & relevant) / len(relevant) if relevant else 0.0
