"""Measuring the linker on labeled texts: precision and recall per role.

The labeled file has one JSON object a line: ``{"id", "text", "papers": [{"arxiv",
"title", "role"}]}``. A predicted paper counts when its confidence is at least
``MIN_CONFIDENCE``; papers are compared by arXiv id, or by title when a label
has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nonmun.errors import InputError
from nonmun.files import read_jsonl
from nonmun.text.normalize import title_key

ROLES = ("reviewed", "mentioned")


@dataclass
class Score:
    true_positive: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in ROLES})
    errors: list[str] = field(default_factory=list)


def read_labeled(path: Path) -> list[dict[str, Any]]:
    """The labeled texts of ``path``; a malformed line is an error naming it."""
    items = []
    for number, item in read_jsonl(path):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError("not a labeled text: needs a text", source=str(path), line=number)
        if not isinstance(item.get("papers", []), list):
            raise InputError(
                "not a labeled text: papers must be a list", source=str(path), line=number
            )
        items.append(item)
    return items


def paper_key(paper: dict[str, Any]) -> str:
    return paper.get("arxiv") or "title:" + title_key(paper.get("title") or "")


def score(items: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]) -> Evaluation:
    """Compare (labeled item, predicted papers) pairs role by role."""
    result = Evaluation()
    for item, predicted in items:
        for role in ROLES:
            gold = {paper_key(p) for p in item["papers"] if p.get("role") == role}
            got = {paper_key(p) for p in predicted if p["role"] == role}
            s = result.scores[role]
            s.true_positive += len(gold & got)
            s.predicted += len(got)
            s.expected += len(gold)
            result.errors += [f"{item['id']}: missed {role} {k}" for k in sorted(gold - got)]
            result.errors += [f"{item['id']}: wrong {role} {k}" for k in sorted(got - gold)]
    return result
