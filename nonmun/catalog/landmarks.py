"""The shipped table of well-known papers (``data/landmarks.jsonl``): each with its
arXiv id, title, authors, year and the nicknames people call it by ("ViT", "트랜스포머").

The linker finds papers by these nicknames, the search index lists them among a
paper's names, and provisional papers named by arXiv id are completed from it
without the network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from nonmun.catalog.records import PaperRecord

LANDMARKS = resources.files("nonmun") / "data" / "landmarks.jsonl"


@lru_cache(maxsize=1)
def landmarks() -> list[dict[str, Any]]:
    """The shipped table of well-known papers and their nicknames."""
    with LANDMARKS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def off_arxiv_records() -> list[PaperRecord]:
    """The table's papers that are not on arXiv (AlexNet, GloVe, GPT-2, …) as catalog
    records, for a hub that should know them before a review names them."""
    return [
        PaperRecord(
            title=m["title"],
            authors=tuple(m["authors"]),
            year=m["year"],
            venue=m.get("venue"),
            aliases=tuple(m["aliases"]),
        )
        for m in landmarks()
        if not m["arxiv"]
    ]
