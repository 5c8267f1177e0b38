"""One search over papers and reviews, in Korean, English or both.

The query goes through the same tokeniser as the documents (``text/terms.py``), the
glossary adds the other language's terms (``text/glossary.py``), and the database's
full-text engine finds and scores the candidates: FTS5's BM25 on SQLite (title
terms weigh more than body terms), ``ts_rank_cd`` over the same weighted terms on
PostgreSQL. Every word must match; when that finds too little, any word may.
The best candidates are then ordered as readers expect: relevance first, papers
that have reviews above those without (and the more reviews, the higher), recent
work as the tie-breaker. An exact identifier (an arXiv id or URL, a DOI) goes
straight to its paper.

Queries are data, never syntax: FTS operators, quotes, ``*``, ``-``, ``:`` or
control characters in a query are read as words or dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from nonmun.catalog.identifiers import normalize_doi, parse_arxiv_id
from nonmun.catalog.lookup import escape_like, in_category
from nonmun.db.bulk import in_list, list_param
from nonmun.db.schema import (
    MIN_CONFIDENCE,
    Mention,
    Paper,
    PaperAlias,
    Person,
    Review,
    ReviewAuthor,
    Source,
    search_table,
    search_term_table,
)
from nonmun.errors import InputError, NotFoundError
from nonmun.search.index import COMMON_SHARE, TSVECTOR, nickname_arxiv_ids
from nonmun.sources import source_named
from nonmun.text.glossary import Clause, Glossary
from nonmun.text.normalize import fold
from nonmun.text.terms import PARTICLES, Unit, latin_term, normal, units

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 24
CANDIDATES = 100
REVIEWED = 0.15  # a paper with a review ranks above one without; more reviews, more so
THROUGH_REVIEW = 0.9  # a paper found through its review, relative to the review
SCORED = 2000  # on SQLite, the newest matches that are scored (BM25 costs ~1 µs a match)
# a term in more than COMMON_SHARE of the documents narrows little…
RARE_SHARE = 0.01  # …and the fallback searches terms at most this frequent,
FEW_DOCS = 5000  # but in a small hub every term is cheap: neither rule applies below this
TITLE_WEIGHT = 8.0
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_fts = table("search_fts", column("rowid"))


@dataclass
class SearchFilter:
    """What a search may be narrowed to; ``None`` means any."""

    year_from: int | None = None
    year_to: int | None = None
    author: str | None = None
    tag: str | None = None
    category: str | None = None
    source: str | None = None
    language: str | None = None
    reviewed_only: bool = False
    kind: str | None = None  # "paper" or "review"
    limit: int = 10
    papers: frozenset[int] | None = None  # only these papers (an evaluation pool)

    def is_open(self) -> bool:
        """Nothing narrowed: every field but ``limit`` at its default."""
        return all(getattr(self, f.name) == f.default for f in fields(self) if f.name != "limit")


@dataclass
class Hit:
    """One result: a paper or a review, with a snippet where the query words stand."""

    kind: str
    id: int
    title: str
    score: float
    year: int | None = None
    snippet: str = ""
    arxiv: str | None = None
    reviews: int = 0
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def search(session: Session, query: str, where: SearchFilter | None = None) -> list[Hit]:
    """The best papers and reviews for ``query``, best first."""
    where = where or SearchFilter()
    clean = _CONTROL.sub(" ", query)[:MAX_QUERY_CHARS].strip()
    exact = _by_identifier(session, clean)
    if exact is not None:
        return [exact]
    words = query_units(session, clean)[:MAX_QUERY_WORDS]
    if not words:
        raise InputError("nothing to search for: the query has only stop words or symbols")
    clauses = Glossary.shipped().expand(words)
    plan = _plan(session, clauses)
    named = _named(session, clean)
    found = _tier(session, plan.required, where, "AND", named, plan.broad)
    if len(found) < where.limit and plan.rare:  # then some of the rare words
        seen = {(c.kind, c.ref) for c in found}
        more = _tier(session, plan.rare, where, "OR", named, tier=-2.0)
        found += [c for c in more if (c.kind, c.ref) not in seen]
    if not found:
        _require_index(session)
    qterms = {t for clause in clauses for alt in clause for t in alt}
    return _hits(session, found[: where.limit], qterms)


def query_units(session: Session, phrase: str) -> list[Unit]:
    """The query's words as search terms; Korean words that the index or the glossary
    already knows, with or without a particle or ending ("트랜스포머는" → 트랜스포머),
    or as two known parts ("강화학습" → 강화 + 학습), without the Korean analyser.

    Loading Kiwi costs a command about two seconds and 300 MB; a query's words are
    almost always nouns the index holds, so they are looked up in its vocabulary
    (FTS5's, on SQLite) and Kiwi is loaded only for a word found in neither.
    """
    phrase = normal(phrase)
    if not _HANGUL_WORD.search(phrase) or session.get_bind().dialect.name != "sqlite":
        return units(phrase)
    words = phrase.split()
    if not all(_HANGUL_WORD.fullmatch(w) or not _HANGUL_WORD.search(w) for w in words):
        return units(phrase)  # "transformer를": mixed words go to the analyser
    options = {w: _stem_candidates(w) for w in words if _HANGUL_WORD.fullmatch(w)}
    known = _known_terms(session, {c for cands in options.values() for c in _pieces(cands)})
    found: list[Unit] = []
    for word in words:
        if word not in options:
            found += units(word)
        elif word not in FUNCTION_WORDS:
            # a word the index does not hold matches nothing, however it is analysed
            unit = _known_unit(options[word], known)
            found.append(unit or (options[word][-1], (options[word][-1],)))
    return found


def _known_unit(candidates: list[str], known: set[str]) -> Unit | None:
    for stem in candidates:
        if stem in known:
            return (stem, (stem,))
    for stem in candidates:
        for cut in range(len(stem) - 1, 0, -1):
            if stem[:cut] in known and stem[cut:] in known:
                return (stem, (stem[:cut], stem[cut:]))
    return None


def _pieces(candidates: list[str]) -> set[str]:
    """The candidates and every split of each into two parts."""
    found = set(candidates)
    for stem in candidates:
        found |= {piece for cut in range(1, len(stem)) for piece in (stem[:cut], stem[cut:])}
    return found


def _known_terms(session: Session, terms: set[str]) -> set[str]:
    """Which of ``terms`` the index holds (FTS5's vocabulary) or the glossary names."""
    query = text("SELECT term FROM search_vocab WHERE term IN :terms").bindparams(
        bindparam("terms", expanding=True)
    )
    held = set(session.connection().execute(query, {"terms": sorted(terms)}).scalars())
    return held | (terms & Glossary.shipped().terms())


def _stem_candidates(word: str) -> list[str]:
    """The word and the word without each particle or ending it may end in, longest first."""
    found = [word]
    for ending in (*PARTICLES, *ENDINGS):
        if len(word) > len(ending) + 1 and word.endswith(ending):
            found.append(word[: -len(ending)])
    return sorted(set(found), key=len, reverse=True)


# words that carry no topic (the analyser drops them as verbs, adverbs or determiners)
FUNCTION_WORDS = frozenset(
    "위한 위해 대한 대해 통한 통해 관한 관해 따른 따라 같은 같이 있는 없는 있다 없다 하는 "
    "되는 및 또는 그리고 등 등의 이런 그런 어떤 모든 각 더 잘 왜 어떻게 무엇 뭐".split()
)
# endings of verbs and adjectives made from nouns (학습하는, 정규화된): their noun is the term
ENDINGS = tuple(
    "하는 하기 하고 하여 해서 했다 한다 합니다 하면 한 된 되는 되어 됐다 시키는 "
    "적인 적으로 적".split()
)


def _tier(
    session: Session,
    clauses: list[Clause],
    where: SearchFilter,
    joiner: str,
    named: set[tuple[str, int]],
    broad: bool = False,
    tier: float = 0.0,
) -> list[Candidate]:
    """One tier of results, ranked: the matches, the papers the query names, and the
    papers that the matching reviews review."""
    found = candidates(session, clauses, where, joiner, broad)
    reviews = found
    if not where.is_open():  # the reviews that speak of papers, whatever the filter
        reviews = candidates(session, clauses, SearchFilter(kind="review"), joiner, broad)
    more = _admitted(session, _missing(session, named, found) + _reviewed(session, reviews), where)
    return _rank(_best_of(found, more), named, tier)


def _admitted(session: Session, found: list[Candidate], where: SearchFilter) -> list[Candidate]:
    """The candidates that pass ``where`` (a paper found through its review must be of
    the years, category… asked for, as if it had matched itself)."""
    if where.is_open() or not found:
        return found
    doc = search_table.c
    pairs = {(c.kind, c.ref) for c in found}
    admitted = set()
    for kind in ("paper", "review"):
        refs = [ref for k, ref in pairs if k == kind]
        if refs:
            query = select(doc.ref_id).where(doc.kind == kind, doc.ref_id.in_(refs))
            admitted |= {(kind, ref) for ref in session.scalars(_filtered(query, where))}
    return [c for c in found if (c.kind, c.ref) in admitted]


@dataclass
class _Plan:
    """Which clauses a search requires, which it may fall back on, and whether the
    required ones match so many documents that only a sample is scored."""

    required: list[Clause]
    rare: list[Clause]  # one word each
    broad: bool = False


def _plan(session: Session, clauses: list[Clause]) -> _Plan:
    """The clauses every result must match, without words so common that they narrow
    nothing (unless all are); and, for when too few documents match them all, the
    single words rare enough to search on their own ("self-attention machine
    translation" still finds a paper that says only "attention").

    Like Lucene's common-terms query: a term in more than 5 % of the documents adds
    little to BM25 and costs a long posting list. SQLite only (FTS5 keeps document
    counts per term); PostgreSQL requires every clause and falls back on every word.
    """
    words = sorted({t for clause in clauses for alternative in clause for t in alternative})
    several = len(clauses) > 1 or any(len(alternative) > 1 for alternative in clauses[0])
    if session.get_bind().dialect.name != "sqlite":
        return _Plan(clauses, [[(t,)] for t in words] if several else [])
    docs = term_docs(session, words)
    spread = [sum(min(docs[t] for t in alt) for alt in clause) for clause in clauses]
    total = (
        session.scalar(select(func.max(search_table.c.id))) if max(docs.values()) > FEW_DOCS else 0
    )
    common = max(COMMON_SHARE * (total or 0), FEW_DOCS)
    rare_enough = max(RARE_SHARE * (total or 0), FEW_DOCS)
    required = [c for c, n in zip(clauses, spread, strict=True) if n <= common] or clauses
    rare: list[Clause] = [[(t,)] for t in words if docs[t] <= rare_enough] if several else []
    most = min(n for c, n in zip(clauses, spread, strict=True) if c in required)
    return _Plan(required, rare, broad=most > SCORED)


def term_docs(session: Session, words: list[str]) -> dict[str, int]:
    """How many documents hold each word, as far as ``search_term`` knows: a word it
    does not hold is in at most ``index.COMMON_FLOOR`` documents, few enough to count as 0."""
    conn = session.connection()
    query = _common_terms_query(conn.dialect.name)
    found: dict[str, int] = dict(conn.execute(query, {"words": list_param(conn, words)}).all())
    return {word: int(found.get(word, 0)) for word in words}


@cache
def _common_terms_query(dialect: str) -> Executable:
    terms_ = search_term_table.c
    return select(terms_.term, terms_.docs).where(in_list(dialect, terms_.term, "words"))


def _require_index(session: Session) -> None:
    """A hub made before search existed has papers but no index yet: say what to run."""
    indexed = session.scalar(select(search_table.c.id).limit(1))
    if indexed is None and session.scalar(select(Paper.id).limit(1)) is not None:
        raise NotFoundError("the search index is empty; run `nonmun reindex` once")


def _by_identifier(session: Session, text_: str) -> Hit | None:
    if " " in text_:
        return None
    arxiv = parse_arxiv_id(text_)
    doi = normalize_doi(text_) if arxiv is None else None
    if arxiv is None and doi is None:
        return None
    column_, value = (Paper.arxiv_id, arxiv.id) if arxiv else (Paper.doi, doi)
    pid = session.scalar(select(Paper.id).where(column_ == value))
    if pid is None:
        return None
    reviews = session.scalar(select(func.count()).where(Mention.paper_id == pid)) or 0
    return _hits(session, [Candidate("paper", pid, 1e9, None, reviews)], set())[0]


class Candidate(NamedTuple):
    """A document found for a query, with what ranking needs beyond relevance."""

    kind: str
    ref: int
    relevance: float
    year: int | None
    reviews: int  # how many reviews mention the paper (0 for a review)
    via: int | None = None  # the review through which a paper was found
    reviewed: tuple[int, ...] = ()  # the papers a review reviews


def candidates(
    session: Session,
    clauses: list[Clause],
    where: SearchFilter,
    joiner: str,
    broad: bool = False,
    exhaustive: bool = False,
) -> list[Candidate]:
    """The documents that match all clauses (``joiner`` "AND") or any (``"OR"``), most
    relevant first; at most ``CANDIDATES``. On SQLite only the newest ``SCORED``
    matches are scored, unless ``exhaustive`` (for callers that chose rare words and
    can wait); a ``broad`` query (more matches than that) also scores its title
    matches the same way, so an older paper named in its title still comes up."""
    if session.get_bind().dialect.name != "sqlite":
        return _looked_up(session, dict(_postgres_ranked(session, clauses, where, joiner)))
    match = _fts5(clauses, joiner)
    ranked: dict[int, float] = {}
    for form in [match, f"{{title}} : ({match})"] if broad else [match]:
        for doc_id, relevance in _sqlite_ranked(session, form, where, exhaustive):
            ranked[doc_id] = max(relevance, ranked.get(doc_id, relevance))
    return _looked_up(session, ranked)


def _sqlite_ranked(
    session: Session, match: str, where: SearchFilter, exhaustive: bool = False
) -> list[tuple[int, float]]:
    """(document id, BM25) of the best of the newest ``SCORED`` matches (of all of
    them, if ``exhaustive``) that pass the filters. FTS5 yields matches newest first
    and scores only those the LIMIT keeps, so the cost is bounded however common the
    words; without filters it never touches search_doc."""
    if where.is_open() and not exhaustive:
        query = _unfiltered_ranked()
    else:
        joined = _matching().join_from(_fts, search_table, _fts.c.rowid == search_table.c.id)
        found = _filtered(joined, where)
        query = _best(found) if exhaustive else _best_of_newest(found)
    rows: list[Any] = list(session.connection().execute(query, {"match": match}))
    return [(int(i), float(r)) for i, r in rows]


def _matching() -> Select[Any]:
    score = -func.bm25(literal_column("search_fts"), TITLE_WEIGHT, 1.0)
    return select(_fts.c.rowid.label("id"), score.label("relevance")).where(
        text("search_fts MATCH :match")
    )


def _best_of_newest(found: Select[Any]) -> Select[Any]:
    newest = found.order_by(_fts.c.rowid.desc()).limit(SCORED).subquery()
    return _best(select(newest.c.id, newest.c.relevance))


def _best(found: Select[Any]) -> Select[Any]:
    return found.order_by(literal_column("relevance").desc()).limit(CANDIDATES)


@cache
def _unfiltered_ranked() -> Select[Any]:
    """Built once: building a statement costs about as much as running this one."""
    return _best_of_newest(_matching())


def _postgres_ranked(
    session: Session, clauses: list[Clause], where: SearchFilter, joiner: str
) -> list[tuple[int, float]]:
    """(document id, ts_rank_cd) of the best matches over the weighted tsvector."""
    vector: Any = literal_column(TSVECTOR)
    tsq = func.to_tsquery("simple", _tsquery(clauses, "&" if joiner == "AND" else "|"))
    relevance = func.ts_rank_cd(vector, tsq, 1)  # divided by 1 + log(length)
    query = select(search_table.c.id, relevance).where(vector.op("@@")(tsq))
    query = _filtered(query, where).order_by(relevance.desc()).limit(CANDIDATES)
    rows: list[Any] = list(session.execute(query))
    return [(int(i), float(r)) for i, r in rows]


def _looked_up(
    session: Session, ranked: Mapping[int, float], kind: str | None = None
) -> list[Candidate]:
    """The ranked documents — by document id, or by paper or review id if ``kind`` —
    with their kind, reference, year, review count and reviewed papers, in one
    query, most relevant first."""
    if not ranked:
        return []
    conn = session.connection()
    query = _lookup_query(conn.dialect.name, kind)
    rows = conn.execute(query, {"ids": list_param(conn, ranked)}).all()
    found = []
    for i, k, ref, year, n, papers in rows:
        score = ranked[i if kind is None else ref]
        pids = tuple(int(p) for p in papers.split(",")) if papers else ()
        found.append(Candidate(str(k), int(ref), score, year, int(n), reviewed=pids))
    return sorted(found, key=lambda c: -c.relevance)


@cache
def _lookup_query(dialect: str, kind: str | None) -> Select[Any]:
    doc = search_table.c
    reviews: Any = select(func.count()).where(Mention.paper_id == doc.ref_id).scalar_subquery()
    reviewed: Any = (
        select(func.aggregate_strings(cast(Mention.paper_id, String), ","))
        .where(
            Mention.review_id == doc.ref_id,
            Mention.role == "reviewed",
            Mention.confidence >= MIN_CONFIDENCE,
        )
        .scalar_subquery()
    )
    is_paper = doc.kind == "paper"  # each subquery runs only for its kind
    reviews, reviewed = case((is_paper, reviews), else_=0), case((is_paper, None), else_=reviewed)
    query = select(doc.id, doc.kind, doc.ref_id, doc.year, reviews, reviewed)
    if kind is None:
        return query.where(in_list(dialect, doc.id, "ids", Integer))
    return query.where(doc.kind == kind, in_list(dialect, doc.ref_id, "ids", Integer))


def _fts5(clauses: list[Clause], joiner: str) -> str:
    def phrase(alt: tuple[str, ...]) -> str:
        quoted = " ".join('"' + t.replace('"', '""') + '"' for t in alt)
        return f"({quoted})" if len(alt) > 1 else quoted

    return f" {joiner} ".join("(" + " OR ".join(phrase(a) for a in c) + ")" for c in clauses)


def _tsquery(clauses: list[Clause], joiner: str) -> str:
    def phrase(alt: tuple[str, ...]) -> str:
        return "(" + " & ".join("'" + t.replace("'", "''") + "'" for t in alt) + ")"

    return f" {joiner} ".join("(" + " | ".join(phrase(a) for a in c) + ")" for c in clauses)


def _filtered(query: Select[Any], where: SearchFilter) -> Select[Any]:
    doc = search_table.c
    if where.kind:
        query = query.where(doc.kind == where.kind)
    if where.papers is not None:
        query = query.where(doc.kind == "paper", doc.ref_id.in_(where.papers))
    if where.year_from is not None:
        query = query.where(doc.year >= where.year_from)
    if where.year_to is not None:
        query = query.where(doc.year <= where.year_to)
    if where.language:
        query = query.where(doc.language == where.language)
    paper_only = [where.category, where.reviewed_only]
    review_only = [where.tag, where.source]
    if any(paper_only) and not any(review_only):
        query = query.where(doc.kind == "paper")
    if any(review_only) and not any(paper_only):
        query = query.where(doc.kind == "review")
    if where.reviewed_only:
        query = query.where(exists().where(Mention.paper_id == doc.ref_id))
    if where.category:
        query = query.where(exists().where(Paper.id == doc.ref_id, in_category(where.category)))
    if where.author:
        query = query.where(_by_author(where.author))
    if where.source:
        query = query.where(
            exists().where(
                Review.id == doc.ref_id, Review.source_id == Source.id, source_named(where.source)
            )
        )
    if where.tag:
        reviews = select(Review.id, Review.tags).subquery()
        tag_match = reviews.c.tags.cast(Text).contains(f'"{where.tag}"')
        query = query.where(exists().where(reviews.c.id == doc.ref_id, tag_match))
    return query


def _by_author(name: str) -> Any:
    """Papers by an author (a substring of the author list) or reviews by a person."""
    doc = search_table.c
    pattern = f"%{escape_like(name)}%"
    papers = exists().where(
        Paper.id == doc.ref_id, Paper.authors.cast(Text).ilike(pattern, escape="\\")
    )
    reviews = exists().where(
        ReviewAuthor.review_id == doc.ref_id,
        ReviewAuthor.person_id == Person.id,
        Person.name.ilike(pattern, escape="\\"),
    )
    return ((doc.kind == "paper") & papers) | ((doc.kind == "review") & reviews)


def _named(session: Session, query: str) -> set[tuple[str, int]]:
    """The papers that the whole query names as a nickname ("ViT", "트랜스포머"), and
    the reviews of those papers, as (kind, id)."""
    key = fold(" ".join(query.split()))
    pids = set(session.scalars(select(PaperAlias.paper_id).where(PaperAlias.key == key)))
    arxiv = nickname_arxiv_ids().get(key, ())
    if arxiv:
        pids |= set(session.scalars(select(Paper.id).where(Paper.arxiv_id.in_(arxiv))))
    if not pids:
        return set()
    reviews = session.scalars(
        select(Mention.review_id).where(
            Mention.paper_id.in_(pids),
            Mention.role == "reviewed",
            Mention.confidence >= MIN_CONFIDENCE,
        )
    )
    return {("paper", p) for p in pids} | {("review", r) for r in reviews}


def _missing(
    session: Session, named: set[tuple[str, int]], found: list[Candidate]
) -> list[Candidate]:
    """The named papers and their reviews that a broad query's sample (or the words of
    a review) left out: papers rank as the best match, reviews as ``THROUGH_REVIEW`` of
    it."""
    absent = named - {(c.kind, c.ref) for c in found}
    if not absent:
        return []
    best = max((c.relevance for c in found), default=1.0)
    papers = {ref: best for kind, ref in absent if kind == "paper"}
    reviews = {ref: best * THROUGH_REVIEW for kind, ref in absent if kind == "review"}
    return _looked_up(session, papers, "paper") + _looked_up(session, reviews, "review")


def _reviewed(session: Session, found: list[Candidate]) -> list[Candidate]:
    """The papers that the found reviews review, each as relevant as its best review
    (times ``THROUGH_REVIEW``): a Korean query finds the English paper through its
    Korean review."""
    best: dict[int, Candidate] = {}  # paper → its most relevant review
    for review in found:
        for pid in review.reviewed:
            if pid not in best or review.relevance > best[pid].relevance:
                best[pid] = review
    scores = {pid: THROUGH_REVIEW * review.relevance for pid, review in best.items()}
    return [c._replace(via=best[c.ref].ref) for c in _looked_up(session, scores, "paper")]


def _best_of(*groups: list[Candidate]) -> list[Candidate]:
    """The candidates of all groups, each document once, at its highest relevance."""
    best: dict[tuple[str, int], Candidate] = {}
    for c in (c for group in groups for c in group):
        if (c.kind, c.ref) not in best or c.relevance > best[(c.kind, c.ref)].relevance:
            best[(c.kind, c.ref)] = c
    return list(best.values())


def _rank(
    found: list[Candidate], named: set[tuple[str, int]], tier: float = 0.0
) -> list[Candidate]:
    """Relevance (scaled to the best), a paper the query names by nickname, reviews,
    then recency; ``tier`` keeps documents with only some of the words below the rest."""
    best = max((c.relevance for c in found), default=1.0) or 1.0
    scored = []
    for c in found:
        bonus = 0.5 if (c.kind, c.ref) in named else 0.0
        if c.kind == "paper":
            bonus += min(REVIEWED + 0.1 * math.log2(c.reviews), 0.5) if c.reviews else 0.0
            bonus += 0.01 * max(0, (c.year or 1990) - 1990) / 40
        scored.append(c._replace(relevance=c.relevance / best + bonus + tier))
    return sorted(scored, key=lambda c: -c.relevance)


def _hits(session: Session, ranked: list[Candidate], qterms: set[str]) -> list[Hit]:
    """The results, in order: papers in one query, reviews in two (their authors)."""
    conn = session.connection()
    pids = [c.ref for c in ranked if c.kind == "paper"]
    rids = [c.ref for c in ranked if c.kind == "review"]
    shown = _shown(conn.dialect.name)
    papers = {r.id: r for r in conn.execute(shown.papers, {"ids": list_param(conn, pids)})}
    vias = [c.via for c in ranked if c.via is not None]
    reviews, people = _reviews_of(conn, rids + vias) if rids or vias else ({}, {})
    hits = []
    for c in ranked:
        score = round(c.relevance, 4)
        if c.kind == "paper":
            p = papers[c.ref]
            hits.append(Hit(
                "paper", c.ref, p.title, score, p.year, _paper_snippet(p, c, reviews, qterms),
                p.arxiv_id, c.reviews, authors=list(p.authors)[:5],
            ))  # fmt: skip
        else:
            r = reviews[c.ref]
            hits.append(Hit(
                "review", c.ref, r.title, score, r.published.year if r.published else None,
                snippet(r.body or r.title, qterms), None, 0, r.name, r.url, people[c.ref],
            ))  # fmt: skip
    return hits


def _paper_snippet(paper: Any, found: Candidate, reviews: dict[int, Any], qterms: set[str]) -> str:
    """From the abstract, or from the review the paper was found through."""
    own = snippet(paper.abstract or paper.title, qterms)
    if "**" in own or found.via is None:
        return own
    review = reviews[found.via]
    return f"{review.name}: {snippet(review.body or review.title, qterms)}"


def _reviews_of(conn: Connection, rids: list[int]) -> tuple[dict[int, Any], dict[int, list[str]]]:
    """What a hit shows of reviews (title, date, body, URL, source), and their authors."""
    shown, ids = _shown(conn.dialect.name), {"ids": list_param(conn, rids)}
    reviews = {row.id: row for row in conn.execute(shown.reviews, ids)}
    people: dict[int, list[str]] = {rid: [] for rid in rids}
    for rid, name in conn.execute(shown.people, ids):
        people[rid].append(name)
    return reviews, people


class _Shown(NamedTuple):
    papers: Executable
    reviews: Executable
    people: Executable


@cache
def _shown(dialect: str) -> _Shown:
    """The statements that load what hits show, built once per dialect."""
    paper_columns = (Paper.id, Paper.title, Paper.year, Paper.abstract, Paper.arxiv_id)
    review_columns = (Review.id, Review.title, Review.published, Review.body, Review.url)
    return _Shown(
        select(*paper_columns, Paper.authors).where(in_list(dialect, Paper.id, "ids", Integer)),
        select(*review_columns, Source.name)
        .join(Source, Source.id == Review.source_id)
        .where(in_list(dialect, Review.id, "ids", Integer)),
        select(ReviewAuthor.review_id, Person.name)
        .join(Person, Person.id == ReviewAuthor.person_id)
        .where(in_list(dialect, ReviewAuthor.review_id, "ids", Integer))
        .order_by(ReviewAuthor.review_id, ReviewAuthor.position),
    )


SNIPPET_SCAN = 20_000  # characters of a long body looked at for a snippet


def snippet(body: str, qterms: set[str], width: int = 200) -> str:
    """A window of ``body`` around the first query word, the words marked **like this**."""
    body = body[:SNIPPET_SCAN]
    likely = _likely_words(frozenset(qterms))

    def hits(start: int = 0, end: int = len(body)) -> Iterator[re.Match[str]]:
        return (m for m in likely.finditer(body, start, end) if _is_hit(m.group(), qterms))

    first = next(hits(), None) if qterms else None
    if first is None:
        return " ".join(body[:width].split())
    start = max(0, first.start() - width // 3)
    end = min(len(body), start + width)
    out, at = [], start
    for m in hits(start, end):
        out += [body[at : m.start()], f"**{m.group()}**"]
        at = m.end()
    out.append(body[at:end])
    text_ = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + text_ + ("…" if end < len(body) else "")


_HANGUL = "\uac00-\ud7a3"
_LATIN = "0-9A-Za-z\u00c0-\u024f"


@lru_cache(maxsize=256)
def _likely_words(qterms: frozenset[str]) -> re.Pattern[str]:
    """Whole words that may be query words: Korean words starting with a Korean term,
    Latin words starting with a stem less its last letter (Snowball changes only the
    end: "studies" → "studi"). ``_is_hit`` decides; this only spares it most words."""
    korean = {t for t in qterms if re.match(f"[{_HANGUL}]", t)}
    latin = sorted(re.escape(t[: max(1, len(t) - 1)]) for t in qterms - korean if t)
    korean = {re.escape(t) for t in korean}
    parts = [f"(?<![{_HANGUL}])(?:{'|'.join(sorted(korean))})[{_HANGUL}]*"] if korean else []
    parts += [f"(?<![{_LATIN}])(?:{'|'.join(latin)})[{_LATIN}]*"] if latin else []
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)


def _is_hit(word: str, qterms: set[str]) -> bool:
    if re.match(f"[{_HANGUL}]", word):
        return any(word.startswith(t) for t in qterms)
    return latin_term(word) in qterms or fold(word) in qterms
