"""Build tests/data/search-queries.jsonl: labeled queries over the demo hub (run by a developer).

    .venv/bin/nonmun demo /tmp/hub && .venv/bin/python scripts/build_search_queries.py /tmp/hub

Generated: for each paper of the demo catalog, a partial-title query (its first six
words, lower case), one query per nickname (its aliases, Korean ones included) and
an author query (the first author's surname), each relevant to the paper and to the
reviews that review it (as the demo hub links them). Written by hand: the topic
queries of tests/data/search-topics.jsonl, in Korean, English and both, with the
papers a reader would want for each.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Text, select

from nonmun.config import Settings
from nonmun.db.engine import open_hub
from nonmun.db.schema import Mention, Paper, PaperAlias, Review

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "search-queries.jsonl"
TOPICS = OUT.with_name("search-topics.jsonl")  # written by hand


def main() -> None:
    hub = open_hub(Settings(hub=Path(sys.argv[1])), create=False)
    lines = []
    with hub.session() as session:
        reviewed: dict[int, list[str]] = defaultdict(list)
        query = (
            select(Mention.paper_id, Review.title)
            .join(Review)
            .where(Mention.role == "reviewed", Mention.confidence >= 0.5)
        )
        for pid, title in session.execute(query):
            reviewed[pid].append(f"review:{title}")
        for paper in session.scalars(select(Paper).order_by(Paper.arxiv_id)):
            ref = [f"arxiv:{paper.arxiv_id}", *reviewed[paper.id]]
            words = re.findall(r"\w[\w-]*", paper.title)
            partial = " ".join(words[:6]).lower()
            lines.append({"query": partial, "relevant": ref, "type": "title", "lang": "en"})
            aliases = session.scalars(
                select(PaperAlias.alias).where(PaperAlias.paper_id == paper.id)
            )
            for alias in sorted(set(aliases)):
                if len(alias) >= 3 and alias.lower() not in paper.title.lower():
                    lang = "ko" if re.search(r"[가-힣]", alias) else "en"
                    lines.append(
                        {"query": alias, "relevant": ref, "type": "nickname", "lang": lang}
                    )
            if paper.authors:
                surname = paper.authors[0].split()[-1]
                by = select(Paper.arxiv_id).where(Paper.authors.cast(Text).like(f"%{surname}%"))
                same = [f"arxiv:{p}" for p in session.scalars(by)]
                lines.append({"query": surname, "relevant": same, "type": "author", "lang": "en"})
    lines += [json.loads(line) for line in TOPICS.read_text(encoding="utf-8").splitlines()]
    OUT.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )
    print(f"{len(lines)} queries -> {OUT}")


if __name__ == "__main__":
    main()
