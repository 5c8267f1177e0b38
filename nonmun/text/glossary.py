"""The ML glossary: Korean and English terms for the same idea (트랜스포머 ↔ transformer).

Shipped as ``nonmun/data/glossary.tsv`` (one idea per line: the English term, then
its Korean forms separated by ``|``). ``expand`` turns the terms of a query into
clauses of alternatives, so that a Korean query also finds English writing and the
reverse: "지식 증류" becomes (지식 증류) OR (knowledg distil).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from nonmun.text.terms import Unit, units

GLOSSARY = resources.files("nonmun") / "data" / "glossary.tsv"
MAX_PHRASE_TERMS = 5

Clause = list[tuple[str, ...]]  # alternatives; each alternative is terms that must all appear


class Glossary:
    """Phrases (as search terms) grouped by the idea they name."""

    def __init__(self, groups: list[list[str]]):
        self.groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in groups:
            forms = list(dict.fromkeys(t for p in group if (t := tuple(u[0] for u in units(p)))))
            for form in forms:
                known = self.groups.setdefault(form, [])
                known += [f for f in forms if f not in known]

    @classmethod
    def shipped(cls) -> Glossary:
        return _shipped()

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


@lru_cache(maxsize=1)
def _shipped() -> Glossary:
    groups = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, _, korean = line.partition("\t")
            groups.append([english, *korean.split("|")])
    return Glossary(groups)
