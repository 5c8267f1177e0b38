"""What the linker reports: a paper a text names (``Link``), the places it names it
before the decision (``Occurrence``), and a mention already settled (``MentionRecord``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """A mention already settled (restored from an archive), not to be found again."""

    paper_id: int
    role: str
    confidence: float
    evidence: str = ""
    method: str = ""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a text names a paper, before the decision: how it matched, the role
    and confidence the placement rules give it, and facts about the name
    (``features.py`` turns a paper's occurrences into a decision's features)."""

    paper_id: int
    start: int
    end: int
    method: str  # identifier | title | title-head | short-title | nickname
    role: str
    confidence: float
    facts: frozenset[str] = frozenset()
    size: int = 0  # words matched


@dataclass(frozen=True, slots=True)
class Link:
    """One paper a text names: role, confidence, the matched span and how it matched."""

    paper_id: int
    role: str
    confidence: float
    evidence: str
    method: str
    start: int


def stored_method(method: str) -> str:
    """How a link says it was found: title heads and two-word titles are titles."""
    return "title" if method in ("title-head", "short-title") else method
