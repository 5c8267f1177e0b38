"""Measuring the linker on labeled texts: precision and recall per role.

The labeled file has one JSON object a line: ``{"id", "text", "papers": [{"arxiv",
"title", "role"}]}``. A predicted paper counts when its confidence is at least
``MIN_CONFIDENCE``; papers are compared by arXiv id, or by title when a label
has none. A label marked ``"unsure": true`` (the labeler's strong guess) is neither
expected nor wrong when predicted.
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


def matches(label: dict[str, Any], arxiv: str | None, title: str) -> bool:
    """Whether a labeled paper is the paper with this arXiv id and title."""
    if label.get("arxiv"):
        return bool(label["arxiv"] == arxiv)
    return title_key(label.get("title") or "") == title_key(title)


def label_of(labels: list[dict[str, Any]], paper: dict[str, Any]) -> dict[str, Any] | None:
    """The label that names a predicted paper, if one does."""
    return next((x for x in labels if matches(x, paper.get("arxiv"), paper["title"])), None)


def score(items: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]) -> Evaluation:
    """Compare (labeled item, predicted papers) pairs role by role."""
    result = Evaluation()
    for item, predicted in items:
        labels = item["papers"]
        sure = [x for x in labels if not x.get("unsure")]
        for role in ROLES:
            gold = {paper_key(x) for x in sure if x.get("role") == role}
            got = set()
            for paper in predicted:
                label = label_of(labels, paper)
                if paper["role"] == role and not (label and label.get("unsure")):
                    got.add(paper_key(label or paper))
            s = result.scores[role]
            s.true_positive += len(gold & got)
            s.predicted += len(got)
            s.expected += len(gold)
            result.errors += [f"{item['id']}: missed {role} {k}" for k in sorted(gold - got)]
            result.errors += [f"{item['id']}: wrong {role} {k}" for k in sorted(got - gold)]
    return result
