"""What the linker knows of the catalog: titles by their first words, nicknames, ids.

Built once per command from the hub's papers and aliases and from the curated
table of well-known papers (``nonmun/data/landmarks.jsonl``: nicknames, Korean
ones included, and nicknames shared by several papers). Everything is folded
tokens, so lookups are dictionary hits, not scans.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun.catalog.landmarks import landmarks
from nonmun.catalog.records import is_placeholder_title
from nonmun.db.schema import Paper, PaperAlias, PaperIdentifier
from nonmun.linking.tokens import compact, norms
from nonmun.text.normalize import title_key

KEY_WORDS = 3  # titles are indexed by their first three tokens
MAX_NICKNAME_WORDS = 4


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """A title's folded words, or only the part before its colon (``whole`` false):
    "An Image is Worth 16x16 Words" stands for the ViT paper in many reviews."""

    words: str
    size: int
    paper_id: int
    whole: bool


@dataclass(frozen=True, slots=True)
class Nickname:
    """A nickname of one paper; ``exact_case`` when it is also an ordinary word or name;
    ``support``: how many words of the paper's title or other names the text must also
    use: 2 for a name taken only from a title's head ("PRAISE: …"), 1 for a name that is
    also an everyday word ("Adam", "Transformer", "트랜스포머"), else 0."""

    paper_id: int
    text: str
    exact_case: bool
    ambiguous: bool
    support: int = 0


@dataclass
class CatalogIndex:
    titles: dict[str, list[TitleEntry]] = field(default_factory=lambda: defaultdict(list))
    short_titles: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    nicknames: dict[str, list[Nickname]] = field(default_factory=lambda: defaultdict(list))
    nickname_starts: set[str] = field(default_factory=set)  # keys' first three letters
    by_arxiv: dict[str, int] = field(default_factory=dict)
    by_ident: dict[tuple[str, str], int] = field(default_factory=dict)  # DOIs, OpenReview…
    arxiv_of: dict[int, str | None] = field(default_factory=dict)
    year_of: dict[int, int | None] = field(default_factory=dict)
    surname_of: dict[int, str] = field(default_factory=dict)
    context: dict[int, frozenset[str]] = field(default_factory=dict)  # for shared nicknames
    heads: list[tuple[int, str, str]] = field(default_factory=list)  # "BERT" of "BERT: Pre-…"
    word_count: dict[str, int] = field(
        default_factory=lambda: defaultdict(int)
    )  # titles a word is in
    fields: dict[int, int] = field(default_factory=dict)  # FIELD_ML, FIELD_OTHER (else unknown)
    resources: set[int] = field(default_factory=set)  # datasets, benchmarks, challenges

    def add_paper(
        self,
        pid: int,
        arxiv: str | None,
        title: str,
        year: int | None,
        surname: str,
        categories: str = "",
    ) -> None:
        words = [] if is_placeholder_title(title) else norms(title)
        for word in set(words):
            self.word_count[word] += 1
        if categories:
            self.fields[pid] = _field(categories)
        if _RESOURCE_WORDS.intersection(words) and _RESOURCE.search(title):
            self.resources.add(pid)
        if len(words) >= KEY_WORDS:
            self.add_title(pid, words, whole=True)
            head = norms(title.split(":", 1)[0]) if ":" in title else []
            if KEY_WORDS <= len(head) < len(words):
                self.add_title(pid, head, whole=False)
            elif head and _coined(title.split(":", 1)[0].strip()):
                self.heads.append((pid, title.split(":", 1)[0].strip(), title))
        elif words:
            self.short_titles[" ".join(words)].append(pid)
        if arxiv:
            self.by_arxiv[arxiv] = pid
        self.arxiv_of[pid], self.year_of[pid], self.surname_of[pid] = arxiv, year, surname

    def add_title(self, pid: int, words: list[str], whole: bool) -> None:
        entry = TitleEntry(" ".join(words), len(words), pid, whole)
        self.titles[" ".join(words[:KEY_WORDS])].append(entry)

    def add_heads(self) -> None:
        """Coined names before a title's colon ("BERT", "DeiT III"), unless the curated table
        gives the name to a paper already or it is a field's acronym ("NLP", "CNN")."""
        for pid, head, title in self.heads:
            key = compact(norms(head))
            if key not in self.nicknames and key not in FIELD_ACRONYMS:
                self.add_nickname(pid, head, support=2)
                self.context[pid] = distinctive(title) - set(norms(head))
        taken = {compact(norms(h)) for _, h, _ in self.heads}
        for key in taken & self.nicknames.keys():  # several papers' heads: keep them, flagged
            if len({n.paper_id for n in self.nicknames[key]}) > 1:
                self.nicknames[key] = [replace(n, ambiguous=True) for n in self.nicknames[key]]
        self.heads = []

    def add_nickname(self, pid: int, text: str, ambiguous: bool = False, support: int = 0) -> None:
        """A nickname; one too long to be a name ("Adversarial Examples Are Not Bugs") is
        matched like a short title instead."""
        words = norms(text)
        if len(words) > MAX_NICKNAME_WORDS and not ambiguous:
            self.add_title(pid, words, whole=False)
            return
        if not words or _too_common(text):
            return
        key = compact(words)
        if any(n.paper_id == pid for n in self.nicknames[key]):
            return
        self.nickname_starts.add(key[:3])
        exact = support > 0 or _exact_case(text)
        if not support and exact and text[1:].islower():
            support = 1  # an everyday word or a first name: "Adam", "Transformer", "Gopher"
        self.nicknames[key].append(Nickname(pid, text, exact, ambiguous, support))

    def add_landmark(self, pid: int, mark: dict[str, Any]) -> None:
        """The nicknames of a well-known paper (``landmarks.jsonl``) for paper ``pid``."""
        for alias in mark["aliases"]:
            self.add_nickname(pid, alias)
        for alias in mark["ambiguous_aliases"]:
            self.add_nickname(pid, alias, ambiguous=True)

    @classmethod
    def load(cls, session: Session) -> CatalogIndex:
        """Index every paper of the hub, its stored aliases and the landmark nicknames."""
        index = cls()
        query = select(
            Paper.id, Paper.arxiv_id, Paper.title, Paper.year, Paper.author_key, Paper.categories
        )
        for pid, arxiv, title, year, surname, categories in session.execute(
            query.execution_options(yield_per=20000)
        ):
            index.add_paper(pid, arxiv, title, year, surname, categories)
        for pid, doi in session.execute(select(Paper.id, Paper.doi).where(Paper.doi.is_not(None))):
            index.by_ident[("doi", str(doi))] = pid
        for pid, scheme, value in session.execute(
            select(PaperIdentifier.paper_id, PaperIdentifier.scheme, PaperIdentifier.value)
        ):
            index.by_ident[(scheme, value)] = pid
        for pid, alias in session.execute(select(PaperAlias.paper_id, PaperAlias.alias)):
            index.add_nickname(pid, alias)
        by_title = _by_title(session, [m["title"] for m in landmarks()])
        for mark in landmarks():
            found = index.by_arxiv.get(mark["arxiv"] or "")
            found = found if found is not None else by_title.get(title_key(mark["title"]))
            if found is not None:
                index.add_landmark(found, mark)
        index.add_heads()
        index._everyday_in_hangul()
        index._load_context(session)
        return index

    def _everyday_in_hangul(self) -> None:
        """A one-word Hangul name of a paper whose English name is an everyday word
        ("트랜스포머" beside "Transformer") is an everyday word too."""
        everyday = {n.paper_id for ns in self.nicknames.values() for n in ns if n.support == 1}
        for key, names in self.nicknames.items():
            if any("\uac00" <= c <= "\ud7a3" for c in key) and " " not in names[0].text:
                self.nicknames[key] = [
                    replace(n, support=max(n.support, 1)) if n.paper_id in everyday else n
                    for n in names
                ]

    def _load_context(self, session: Session) -> None:
        """Words that tell apart the papers sharing a nickname, and that support everyday
        words as nicknames: their titles and other names (without the name itself)."""
        shared = {n.paper_id for names in self.nicknames.values() if len(names) > 1 for n in names}
        shared |= {n.paper_id for ns in self.nicknames.values() for n in ns if n.support == 1}
        names: dict[int, list[str]] = defaultdict(list)
        for nicks in self.nicknames.values():
            for n in nicks:
                if n.paper_id in shared and not n.ambiguous:
                    names[n.paper_id].append(n.text)
        for pid, title in session.execute(
            select(Paper.id, Paper.title).where(Paper.id.in_(shared))
        ):
            self.context[pid] = distinctive(" ".join([title, *names[pid]]))


FIELD_ML, FIELD_OTHER = 1, 2
_ML_CATEGORY = re.compile(r"\b(?:cs|eess)\.|stat\.ML|math\.OC|q-bio\.NC")
# titles of datasets, benchmarks and challenges: named as datasets, they are no links
_RESOURCE = re.compile(
    r"\b(?:data\s?sets?|benchmarks?|challenges?|corpus|corpora|environments?|suite|"
    r"leaderboard|database|testbed|common objects in context)\b",
    re.IGNORECASE,
)

_RESOURCE_WORDS = frozenset(
    "dataset datasets data benchmark benchmarks challenge challenges corpus corpora "
    "environment environments suite leaderboard database testbed context".split()
)


@lru_cache(maxsize=4096)
def _field(categories: str) -> int:
    return FIELD_ML if _ML_CATEGORY.search(categories) else FIELD_OTHER


def _by_title(session: Session, titles: list[str]) -> dict[str, int]:
    """Catalog papers by the title keys of ``titles`` (the first paper of each key)."""
    keys = sorted({title_key(t) for t in titles})
    found: dict[str, int] = {}
    for pid, key in session.execute(
        select(Paper.id, Paper.title_key).where(Paper.title_key.in_(keys)).order_by(Paper.id)
    ):
        found.setdefault(key, pid)
    return found


_COMMON = frozenset(
    "with from that this using learning deep neural network networks model models towards "
    "approach method based via for efficient efficiently improving".split()
)


# Acronyms of fields and model families, which many titles start with and no paper owns.
FIELD_ACRONYMS = frozenset(
    "ai ml nlp nlu nlg cv dl rl drl marl cnn cnns rnn rnns gnn gnns mlp mlps svm llm llms vae "
    "vaes nmt asr tts qa vqa mt ir kg sgd gpu gpus tpu api iot 3d 2d nas moe rag ood ssl fl "
    "xai hci ar vr slam mri ct ecg eeg ehr".split()
)


def _coined(head: str) -> bool:
    """A made-up name: inner capitals (DeiT, StyleGAN), capitals (BERT) or digits (T5)."""
    words = head.split()
    if not 1 <= len(words) <= 3 or len(head) > 25 or sum(c.isalpha() for c in head) < 3:
        return False  # "T1", "II": too short to own
    return bool(re.search(r"[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]", head))


def distinctive(text: str) -> frozenset[str]:
    """The words of ``text`` that can tell one paper from another."""
    return frozenset(w for w in norms(text) if len(w) > 3 and w not in _COMMON)


def _too_common(text: str) -> bool:
    """Two-syllable Korean nicknames are everyday words too ("달리" for DALL-E is "unlike")."""
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in text)
    return hangul == len(text.replace(" ", "")) and hangul <= 2


def _exact_case(text: str) -> bool:
    """One-word nicknames of letters must appear with their own capitals: words and names
    ("Transformer", "Adam", "CLIP", "SAM") and coined mixed-case names ("STaR", "ReAct",
    which are "star" and "react" otherwise); names with digits or hyphens ("PG-GAN",
    "wav2vec") need not."""
    return " " not in text and text.isalpha() and not text.islower()
