"""Mentions by identifier: arXiv ids and URLs found in a review's text.

The first and surest layer of the linker (``linker.py``); titles and
nicknames come on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nonmun.catalog.identifiers import parse_arxiv_id

_ARXIV_MENTION = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """An identifier found in text: the versionless arXiv id and the span that matched."""

    arxiv_id: str
    evidence: str
    start: int


def iter_arxiv_ids(text: str) -> Iterator[Found]:
    """Every arXiv id mentioned in ``text``, each time it is."""
    for match in _ARXIV_MENTION.finditer(text):
        parsed = parse_arxiv_id(match.group(1))
        if parsed:
            yield Found(parsed.id, match.group(0), match.start())


def find_arxiv_ids(text: str) -> list[Found]:
    """Every distinct arXiv id mentioned in ``text``, in order of first appearance."""
    found: dict[str, Found] = {}
    for hit in iter_arxiv_ids(text):
        found.setdefault(hit.arxiv_id, hit)
    return list(found.values())
