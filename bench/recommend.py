"""Benchmark: "what to read next" against arXiv-sanity's baseline, on held-out tagged papers.

Uses the hub that bench/search.py builds (the full shared catalog and the ml-papers
notes). The pool is every paper an ml-papers note reviews (its text: title and
abstract, where the catalog has one); a paper carries the hashtags of the notes
that review it. For each tag with at least
10 papers, 30 % of its papers (seeded shuffle) are held out and the rest (at most 15)
are the reader's tagged papers. Both methods rank the rest of the pool:

- baseline (arXiv-sanity-lite): tf-idf of title + abstract (unigrams and bigrams),
  one linear SVM per tag, the tagged papers positive and every other pool paper
  negative (as arXiv-sanity trains on a user's tags);
- nonmun: ``nonmun.search.recommend.recommend`` (related papers of the seeds:
  co-mentions in reviews, full-text similarity, shared authors).

Prints precision@10, recall@20 and mean average precision over the tags, for both.

    .venv/bin/python bench/search.py && .venv/bin/python bench/recommend.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

MIN_PAPERS = 10
MAX_SEEDS = 15
HELD_OUT = 0.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-bench-search"))
    args = parser.parse_args()

    from sqlalchemy import select

    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.db.schema import Mention, Paper, Review, Source
    from nonmun.search.recommend import recommend

    hub = open_hub(Settings(hub=args.hub), create=False)
    with hub.session() as session:
        rows = session.execute(
            select(Paper.id, Paper.title, Paper.abstract, Review.tags)
            .join(Mention, Mention.paper_id == Paper.id)
            .join(Review, Review.id == Mention.review_id)
            .join(Source, Source.id == Review.source_id)
            .where(Source.kind == "markdown-dir", Mention.role == "reviewed")
            .where(Mention.confidence >= 0.5)
        ).all()
        text: dict[int, str] = {}
        tagged: dict[str, set[int]] = defaultdict(set)
        for pid, title, abstract, tags in rows:
            text[pid] = f"{title}. {abstract or ''}"
            for tag in tags:
                tagged[tag].add(pid)
        pool = sorted(text)
        tasks = []
        rng = random.Random(0)
        for tag, papers in sorted(tagged.items()):
            if len(papers) < MIN_PAPERS:
                continue
            ordered = sorted(papers)
            rng.shuffle(ordered)
            cut = max(2, int(len(ordered) * HELD_OUT))
            tasks.append((tag, ordered[cut:][:MAX_SEEDS], set(ordered[:cut])))
        print(f"pool: {len(pool):,} papers; tags with ≥ {MIN_PAPERS} papers: {len(tasks)}")

        start = time.perf_counter()
        base = [_score(_baseline(text, pool, seeds), held) for _, seeds, held in tasks]
        base_s = time.perf_counter() - start
        start = time.perf_counter()
        ours = []
        for _, seeds, held in tasks:
            among = frozenset(pool) - set(seeds)
            ranked = [r.id for r in recommend(session, seeds, limit=len(pool), among=among)]
            ours.append(_score(ranked, held))
        ours_s = time.perf_counter() - start

    print(f"{'':<28}{'P@10':>8}{'R@20':>8}{'MAP':>8}{'seconds':>9}")
    for name, scores, secs in (
        ("baseline tf-idf + SVM", base, base_s),
        ("nonmun recommend", ours, ours_s),
    ):
        means = [statistics.mean(s[i] for s in scores) for i in range(3)]
        print(f"{name:<28}{means[0]:>8.3f}{means[1]:>8.3f}{means[2]:>8.3f}{secs:>9.1f}")


def _baseline(text: dict[int, str], pool: list[int], seeds: list[int]) -> list[int]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectors = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(
        [text[p] for p in pool]
    )
    labels = [1 if p in set(seeds) else 0 for p in pool]
    model = LinearSVC(class_weight="balanced", C=0.1).fit(vectors, labels)
    scores = model.decision_function(vectors)
    ranked = sorted(range(len(pool)), key=lambda i: -scores[i])
    return [pool[i] for i in ranked if pool[i] not in set(seeds)]


def _score(ranked: list[int], held: set[int]) -> tuple[float, float, float]:
    p10 = len(set(ranked[:10]) & held) / 10
    r20 = len(set(ranked[:20]) & held) / len(held)
    hits, ap = 0, 0.0
    for i, pid in enumerate(ranked, 1):
        if pid in held:
            hits += 1
            ap += hits / i
    return p10, r20, ap / len(held)


if __name__ == "__main__":
    main()
