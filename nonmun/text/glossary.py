"""The ML glossary: Korean and English terms for the same idea (트랜스포머 ↔ transformer).

Shipped as ``nonmun/data/glossary.tsv`` (one idea per line: the English term, then
its Korean forms separated by ``|``). ``expand`` turns the terms of a query into
clauses of alternatives, so that a Korean query also finds English writing and the
reverse: "지식 증류" becomes (지식 증류) OR (knowledg distil).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from nonmun.text.terms import Unit, units

GLOSSARY = resources.files("nonmun") / "data" / "glossary.tsv"
GLOSSARY_TERMS = resources.files("nonmun") / "data" / "glossary-terms.json"
MAX_PHRASE_TERMS = 5

Clause = list[tuple[str, ...]]  # alternatives; each alternative is terms that must all appear


class Glossary:
    """Phrases (as search terms) grouped by the idea they name."""

    def __init__(self, groups: list[list[tuple[str, ...]]]):
        self.groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for forms in groups:
            for form in forms:
                known = self.groups.setdefault(form, [])
                known += [f for f in forms if f not in known]

    @classmethod
    def from_phrases(cls, groups: list[list[str]]) -> Glossary:
        """A glossary of phrases, each group turned into search terms (Korean through Kiwi)."""
        return cls([as_terms(group) for group in groups])

    @classmethod
    def shipped(cls) -> Glossary:
        return _shipped()

    def terms(self) -> frozenset[str]:
        """Every term of every form (to know a query word without analysing it)."""
        if not hasattr(self, "_terms"):
            self._terms = frozenset(t for form in self.groups for t in form)
        return self._terms

    def expand(self, query: list[Unit]) -> list[Clause]:
        """One clause per query word (the word, or the parts of a Korean compound), or per
        glossary phrase found (longest first), with the phrase's other-language forms."""
        words = [term for term, _ in query]
        clauses: list[Clause] = []
        i = 0
        while i < len(query):
            for size in range(min(MAX_PHRASE_TERMS, len(query) - i), 0, -1):
                span = tuple(words[i : i + size])
                if span in self.groups:
                    clauses.append([span, *(f for f in self.groups[span] if f != span)])
                    i += size
                    break
            else:
                term, parts = query[i]
                clauses.append([(term,), parts] if parts != (term,) else [(term,)])
                i += 1
        return clauses


def as_terms(group: list[str]) -> list[tuple[str, ...]]:
    """A group's phrases as term tuples, without repeats."""
    return list(dict.fromkeys(t for p in group if (t := tuple(u[0] for u in units(p)))))


def phrase_groups() -> list[list[str]]:
    """The shipped glossary's groups of phrases (English first)."""
    groups = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, _, korean = line.partition("\t")
            groups.append([english, *korean.split("|")])
    return groups


@lru_cache(maxsize=1)
def _shipped() -> Glossary:
    """From the precomputed terms (no Korean analyser at start-up), kept equal to
    ``glossary.tsv`` by a test; ``python -m nonmun.text.glossary`` rewrites them."""
    data = json.loads(GLOSSARY_TERMS.read_text(encoding="utf-8"))
    return Glossary([[tuple(form) for form in group] for group in data])


def write_terms() -> None:
    groups = [[list(form) for form in as_terms(g)] for g in phrase_groups()]
    with resources.as_file(GLOSSARY_TERMS) as path:
        path.write_text(json.dumps(groups, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_terms()
