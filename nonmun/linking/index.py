"""What the linker knows of the catalog: titles by their first words, nicknames, ids.

Nicknames are held in memory: the hub's aliases, the curated table of well-known
papers (``nonmun/data/landmarks.jsonl``: nicknames, Korean ones included, and
nicknames shared by several papers) and the coined names before titles' colons.
Titles are not: the index holds the hashes of their first words
(``titles.py``) and reads the few entries a text may name when it reads the
text, and a paper's year, author and arXiv id when a text names it. Everything is
folded tokens, so lookups are set and dictionary hits, not scans.

Reads go through the session the index was loaded with while its transaction is
open (so they see what that transaction wrote), else through a connection of their
own; papers this process adds to the catalog later are added with ``add_paper``.

The curated table's papers that are not on arXiv and not in the hub (AlexNet, GloVe:
no snapshot or API brings them) are known all the same, under negative ids
(``known``), so a review that names one links it; storing the link stores the paper
(``provisional.known_links``), and the next index loaded finds it in the hub. Those on
arXiv that the hub's catalog lacks are not: importing their records brings them.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from nonmun.catalog.landmarks import landmarks
from nonmun.db.bulk import select_in
from nonmun.db.schema import Paper, PaperAlias, PaperIdentifier
from nonmun.linking import titles as stored
from nonmun.linking.titles import KEY_WORDS, TitleEntry, key_hash, key_of, title_rows
from nonmun.linking.tokens import compact, norms
from nonmun.text.normalize import surname_key, title_key

__all__ = ["KEY_WORDS", "CatalogIndex", "Nickname", "PaperFacts", "TitleEntry"]

MAX_NICKNAME_WORDS = 4
CACHE_SIZE = 100_000  # title keys and papers remembered between texts
_FACTS = "SELECT id, title, arxiv_id, year, author_key, categories FROM paper WHERE id IN_VALUES"


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


@dataclass(frozen=True, slots=True)
class PaperFacts:
    """What the linker weighs of a paper it found: ``field`` is FIELD_ML or FIELD_OTHER
    (None: no categories); ``resource``: its title is a dataset's, a benchmark's…"""

    title: str
    arxiv: str | None
    year: int | None
    surname: str
    field: int | None
    resource: bool


def paper_facts(
    title: str, arxiv: str | None, year: int | None, surname: str, categories: str
) -> PaperFacts:
    """The facts of one paper from its catalog columns."""
    words = stored.title_words(title)
    resource = bool(_RESOURCE_WORDS.intersection(words) and _RESOURCE.search(title))
    field = _field(categories) if categories else None
    return PaperFacts(title, arxiv, year, surname or "", field, resource)


class CatalogIndex:
    """The catalog as the linker reads it (see the module's docstring)."""

    def __init__(self, engine: Engine | None = None, session: Session | None = None) -> None:
        self.nicknames: dict[str, list[Nickname]] = defaultdict(list)
        self.nickname_starts: set[str] = set()  # every beginning of every key
        self.hashes: set[int] = set()  # of every title's key
        self.generation = 0  # of the hub's titles when loaded (``titles.generation``)
        self._engine, self._session = engine, session
        self._held = threading.local()
        self._titles: dict[str, list[TitleEntry]] = {}
        self._facts: dict[int, PaperFacts] = {}
        self._words: dict[str, int] = {}
        self._context: dict[int, frozenset[str]] = {}
        self._added: dict[str, list[TitleEntry]] = defaultdict(list)  # by add_paper
        self._added_facts: dict[int, PaperFacts] = {}
        self._heads: dict[int, str] = {}  # papers named by their title's coined head
        self._names_of: dict[int, list[Nickname]] = {}
        self._contextual: set[int] = set()
        self.known: dict[int, dict[str, Any]] = {}  # negative id: a landmark the hub lacks

    @classmethod
    def load(cls, session: Session) -> CatalogIndex:
        """Index the hub's title keys, its stored aliases, the landmark nicknames and the
        coined names before titles' colons."""
        bind = session.get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        index = cls(engine.execution_options(nonmun_write=False), session)
        conn = session.connection()
        index.generation = stored.generation(conn)
        index.hashes = stored.stored_hashes(conn)
        for pid, alias in session.execute(select(PaperAlias.paper_id, PaperAlias.alias)):
            index.add_nickname(pid, alias)
        marks = landmarks()
        by_arxiv = index.papers_by_arxiv(m["arxiv"] for m in marks if m["arxiv"])
        by_title = _by_title(session, [m["title"] for m in marks])
        heads = list(stored.stored_names(conn))
        for mark in marks:
            found = by_arxiv.get(mark["arxiv"] or "")
            found = found if found is not None else by_title.get(title_key(mark["title"]))
            if found is not None:
                index.add_landmark(found, mark)
            elif not mark["arxiv"]:
                heads += index.add_known(mark)
        index.add_heads(heads)
        index._everyday_in_hangul()
        index._settle_context()
        index.facts(index._names_of)  # nicknames' papers: read once, not per text
        return index

    # --- reading the hub ---------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for the index's reads; those inside share it (a text's lookups)."""
        held = getattr(self._held, "conn", None)
        if held is not None:
            yield held
        elif self._session is not None and self._session.in_transaction():
            yield self._session.connection()
        elif self._engine is None:
            raise RuntimeError("this index was made without a hub to read")
        else:
            with self._engine.connect() as conn:
                self._held.conn = conn
                try:
                    yield conn
                finally:
                    self._held.conn = None

    def current(self) -> bool:
        """Whether the hub's titles are as they were at load (a long-lived process, such
        as the web app, loads the index again when they are not)."""
        with self.reading() as conn:
            return stored.generation(conn) == self.generation

    def titles(self, keys: Iterable[str]) -> dict[str, list[TitleEntry]]:
        """The title entries found by each of ``keys`` (see ``titles.key_of``)."""
        keys = set(keys)
        missing = [k for k in keys if k not in self._titles and key_hash(k) in self.hashes]
        if missing:
            with self.reading() as conn:
                found = stored.entries_by_key(conn, missing)
            _bounded(self._titles).update({k: found.get(k, []) for k in missing})
        result = {}
        for key in keys:
            entries = self._titles.get(key, [])
            if key in self._added:
                seen = {(e.paper_id, e.words) for e in entries}
                added = self._added[key]
                entries = entries + [e for e in added if (e.paper_id, e.words) not in seen]
            if entries:
                result[key] = entries
        return result

    def facts(self, pids: Iterable[int]) -> dict[int, PaperFacts]:
        """The facts of papers ``pids`` (unknown ids are left out)."""
        pids = set(pids)
        missing = [p for p in pids if p not in self._facts and p not in self._added_facts]
        if missing:
            with self.reading() as conn:
                rows = select_in(conn, _FACTS, missing)
                got = {row[0]: paper_facts(*row[1:]) for row in rows}
            _bounded(self._facts).update(got)
        return {
            pid: f
            for pid in pids
            if (f := self._added_facts.get(pid) or self._facts.get(pid)) is not None
        }

    def fact(self, pid: int) -> PaperFacts | None:
        """The facts of one paper."""
        return self.facts([pid]).get(pid)

    def arxiv_id(self, pid: int) -> str | None:
        """The arXiv id of paper ``pid``, if it has one."""
        found = self.fact(pid)
        return found.arxiv if found else None

    def papers_by_arxiv(self, ids: Iterable[str]) -> dict[str, int]:
        """The papers of these arXiv ids, by id (ids the catalog lacks are left out)."""
        wanted = sorted(set(ids))
        found: dict[str, int] = {}
        if wanted:
            with self.reading() as conn:
                sql = "SELECT arxiv_id, id FROM paper WHERE arxiv_id IN_VALUES"
                found |= {arxiv: pid for arxiv, pid in select_in(conn, sql, wanted)}
        added = self._added_facts.items()
        return found | {f.arxiv: pid for pid, f in added if f.arxiv and f.arxiv in wanted}

    def paper_by_ident(self, scheme: str, value: str) -> int | None:
        """The paper of a DOI, an OpenReview id or another identifier."""
        i = PaperIdentifier
        with self.reading() as conn:
            if scheme == "doi":
                found = conn.scalar(select(Paper.id).where(Paper.doi == value))
                if found is not None:
                    return int(found)
            query = select(i.paper_id).where(i.scheme == scheme, i.value == value)
            found = conn.scalar(query)
        return None if found is None else int(found)

    def word_counts(self, words: Iterable[str]) -> dict[str, int]:
        """In how many catalog titles each of ``words`` is."""
        words = set(words)
        missing = [w for w in words if w not in self._words]
        if missing:
            with self.reading() as conn:
                found = stored.word_counts(conn, missing)
            _bounded(self._words).update({w: found.get(w, 0) for w in missing})
        return {w: self._words[w] for w in words}

    def context(self, pid: int) -> frozenset[str]:
        """Words that tell apart the papers sharing a nickname, and that support everyday
        words as nicknames: their titles and other names (a title's coined head: its
        title's other words). Other papers need none."""
        if pid not in self._context:
            found = self.fact(pid)
            title = found.title if found else ""
            if pid in self._contextual:
                names = [n.text for n in self._names_of.get(pid, ()) if not n.ambiguous]
                words = distinctive(" ".join([title, *names]))
            elif pid in self._heads:
                words = distinctive(title) - set(norms(self._heads[pid]))
            else:
                words = frozenset()
            _bounded(self._context)[pid] = words
        return self._context[pid]

    # --- adding to it ------------------------------------------------------------------

    def add_paper(
        self,
        pid: int,
        arxiv: str | None,
        title: str,
        year: int | None,
        surname: str,
        categories: str = "",
    ) -> None:
        """A paper stored after the index was loaded (a provisional one, say)."""
        for entry in title_rows(pid, title).entries:
            key = key_of(entry.words.split(" "))
            self._added[key].append(entry)
            self.hashes.add(key_hash(key))
        self._added_facts[pid] = paper_facts(title, arxiv, year, surname, categories)

    def add_known(self, mark: dict[str, Any]) -> list[tuple[int, str]]:
        """A landmark not on arXiv that the hub lacks, known under the next negative id;
        returns its title's coined head, if it has one, for ``add_heads``."""
        pid = -1 - len(self.known)
        self.known[pid] = mark
        authors = mark.get("authors") or ()
        surname = surname_key(authors[0]) if authors else ""
        self.add_paper(pid, None, mark["title"], mark.get("year"), surname)
        self.add_landmark(pid, mark)
        name = title_rows(pid, mark["title"]).name
        return [(pid, name)] if name else []

    def add_heads(self, heads: Iterable[tuple[int, str]]) -> None:
        """Coined names before a title's colon ("BERT", "DeiT III"), unless the curated table
        gives the name to a paper already or it is a field's acronym ("NLP", "CNN")."""
        heads, curated = list(heads), set(self.nicknames)
        for pid, head in heads:
            key = compact(norms(head))
            if key not in curated and key not in FIELD_ACRONYMS:
                self.add_nickname(pid, head, support=2)
                self._heads[pid] = head
        taken = {compact(norms(h)) for _, h in heads}
        for key in taken & self.nicknames.keys():  # several papers' heads: keep them, flagged
            if len({n.paper_id for n in self.nicknames[key]}) > 1:
                self.nicknames[key] = [replace(n, ambiguous=True) for n in self.nicknames[key]]

    def add_nickname(self, pid: int, text: str, ambiguous: bool = False, support: int = 0) -> None:
        """A nickname; one too long to be a name ("Adversarial Examples Are Not Bugs") is
        matched like a short title instead."""
        words = norms(text)
        if len(words) > MAX_NICKNAME_WORDS and not ambiguous:
            key = key_of(words)
            self._added[key].append(TitleEntry(" ".join(words), len(words), pid, False))
            self.hashes.add(key_hash(key))
            return
        if not words or _too_common(text) or _meant_by_symbols(text, words):
            return
        key = compact(words)
        if any(n.paper_id == pid for n in self.nicknames[key]):
            if ambiguous:  # the curated table's word stands over a stored alias ("GAN")
                self.nicknames[key] = [
                    replace(n, ambiguous=True) if n.paper_id == pid else n
                    for n in self.nicknames[key]
                ]
            return
        self.nickname_starts.update(key[:end] for end in range(1, len(key) + 1))
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

    def _settle_context(self) -> None:
        """Which papers ``context`` is for: those sharing a nickname or known by an
        everyday word, with their names as loaded."""
        names: dict[int, list[Nickname]] = defaultdict(list)
        for nicks in self.nicknames.values():
            for n in nicks:
                names[n.paper_id].append(n)
        self._names_of = names
        shared = {n.paper_id for ns in self.nicknames.values() if len(ns) > 1 for n in ns}
        everyday = {n.paper_id for ns in self.nicknames.values() for n in ns if n.support == 1}
        self._contextual = shared | everyday
        self._context.clear()

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


def _bounded(cache: dict[Any, Any]) -> dict[Any, Any]:
    """``cache``, emptied first when it holds ``CACHE_SIZE`` entries."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    return cache


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
    # venues: "EMNLP: Educator-role Moral…" is a title, "EMNLP" in a text is the venue
    + "neurips nips icml iclr cvpr iccv eccv acl emnlp naacl coling aaai ijcai kdd www "
    "sigir icra iros interspeech icassp".split()
)


def distinctive(text: str) -> frozenset[str]:
    """The words of ``text`` that can tell one paper from another."""
    return frozenset(w for w in norms(text) if len(w) > 3 and w not in _COMMON)


def _meant_by_symbols(text: str, words: list[str]) -> bool:
    """A name that folding turns into a plain word ("Baseline++", "FAVOR+": "baseline",
    "favor"): what tells it apart is lost."""
    bare = text.rstrip("+#*")
    return bare != text and bare.isalpha() and words == [bare.lower()]


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
