"""Keeping the search index current: papers and reviews as rows of ``search_doc``.

A paper is indexed under its title and nicknames (its aliases and the shipped
table of well-known papers), with its abstract, authors, venue and categories
as body; a review under its title, with its body, tags, authors and source. The
database's own full-text engine indexes the rows (SQLite FTS5 through triggers,
PostgreSQL through a GIN index: migration 0002). The index listens to the
writers' announcements (``nonmun.db.events``) and updates itself in their
transaction, so it is never behind; ``reindex`` rebuilds it whole.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from nonmun.catalog.landmarks import landmarks
from nonmun.db import events
from nonmun.db.bulk import bulk_insert
from nonmun.db.schema import (
    Paper,
    Review,
    alias_table,
    paper_table,
    search_table,
    search_term_table,
)
from nonmun.text.normalize import fold
from nonmun.text.terms import name_terms, terms

BATCH = 2000
DOC_COLUMNS = ["kind", "ref_id", "title", "body", "language", "year"]
TSVECTOR = (  # PostgreSQL: the expression of migration 0002's GIN index
    "(setweight(to_tsvector('simple', search_doc.title), 'A') || "
    "setweight(to_tsvector('simple', search_doc.body), 'B'))"
)


_PAPER_COLUMNS = [
    paper_table.c[k]
    for k in ("id", "arxiv_id", "title", "authors", "abstract", "venue", "categories", "year")
]


@events.papers_written.connect
def index_papers(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """(Re)index papers given as rows of the paper table (id, arxiv_id, title, authors,
    abstract, venue, categories, year); their aliases are read from the database."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    aliases: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        query = select(alias_table.c.paper_id, alias_table.c.alias)
        for pid, alias in conn.execute(query.where(alias_table.c.paper_id.in_(chunk))):
            aliases[pid].append(alias)
    docs = [_paper_doc(row, aliases[row["id"]]) for row in rows]
    _replace(conn, "paper", ids, docs)


def _paper_doc(row: dict[str, Any], aliases: list[str]) -> dict[str, Any]:
    nicknames = [*aliases, *_landmark_names().get(row.get("arxiv_id") or "", ())]
    authors = row["authors"] if isinstance(row["authors"], list) else json.loads(row["authors"])
    body = [row.get("abstract") or "", " ".join(authors), row.get("venue") or ""]
    body.append(row.get("categories") or "")
    return {
        "kind": "paper",
        "ref_id": row["id"],
        "title": " ".join([*terms(row["title"]), *name_terms(" ".join(nicknames))]),
        "body": " ".join(terms(" ".join(body))),
        "language": None,
        "year": row.get("year"),
    }


@events.reviews_written.connect
def index_reviews(session: Session, reviews: Iterable[Review]) -> None:
    """(Re)index stored reviews (flushed, with their source and authors loaded)."""
    reviews = list(reviews)
    docs = [
        {
            "kind": "review",
            "ref_id": r.id,
            "title": " ".join(terms(r.title)),
            "body": " ".join(terms(_review_text(r))),
            "language": r.language,
            "year": r.published.year if r.published else None,
        }
        for r in reviews
    ]
    _replace(session.connection(), "review", [r.id for r in reviews], docs)
    _recount_if_grown(session.connection())


def _review_text(review: Review) -> str:
    people = " ".join(p.name for p in review.authors)
    return "\n".join([review.body, " ".join(review.tags), people, review.source.name])


def unindex(conn: Connection, kind: str, ids: Sequence[int]) -> None:
    """Drop documents of deleted papers or reviews."""
    _replace(conn, kind, ids, [])


def _replace(conn: Connection, kind: str, ids: Sequence[int], docs: list[dict[str, Any]]) -> None:
    for start in range(0, len(ids), BATCH):
        chunk = list(ids[start : start + BATCH])
        doc = search_table.c
        conn.execute(delete(search_table).where(doc.kind == kind, doc.ref_id.in_(chunk)))
    if docs:
        bulk_insert(conn, search_table, DOC_COLUMNS, docs)


@events.papers_changed.connect
def reindex_papers(conn: Connection, ids: Iterable[int]) -> None:
    """Index these papers again from the database (after a nickname was added, say)."""
    wanted = sorted(set(ids))
    if wanted:
        query = select(*_PAPER_COLUMNS).where(paper_table.c.id.in_(wanted))
        index_papers(conn, [dict(r) for r in conn.execute(query).mappings()])


def reindex_reviews(session: Session, ids: Iterable[int]) -> None:
    """Index these reviews again from the database."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        index_reviews(session, session.scalars(select(Review).where(Review.id.in_(chunk))))


def reindex_holding(session: Session, old_terms: Sequence[str]) -> int:
    """Index again every document holding one of ``old_terms`` (after the tokeniser
    changed how some words are stemmed); returns how many were."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        tsq = func.to_tsquery("simple", " | ".join(old_terms))
        where = literal_column(TSVECTOR).op("@@")(tsq)
    else:
        fts: Select[Any] = select(literal_column("rowid")).select_from(text("search_fts"))
        match = " OR ".join(f'"{t}"' for t in old_terms)
        where = search_table.c.id.in_(fts.where(text("search_fts MATCH :m")).params(m=match))
    found = conn.execute(select(search_table.c.kind, search_table.c.ref_id).where(where))
    holding: dict[str, list[int]] = defaultdict(list)
    for kind, ref_id in found:
        holding[kind].append(ref_id)
    reindex_papers(conn, holding["paper"])
    reindex_reviews(session, holding["review"])
    count_common_terms(conn)
    return sum(len(ids) for ids in holding.values())


def reindex(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index; returns the number of documents."""
    conn = session.connection()
    conn.execute(delete(search_table))
    total = (session.scalar(select(func.count()).select_from(Paper)) or 0) + (
        session.scalar(select(func.count()).select_from(Review)) or 0
    )
    done = 0
    last = 0
    while True:
        query = select(*_PAPER_COLUMNS).where(paper_table.c.id > last).order_by(paper_table.c.id)
        rows = [dict(r) for r in conn.execute(query.limit(BATCH)).mappings()]
        if not rows:
            break
        index_papers(conn, rows)
        last, done = rows[-1]["id"], done + len(rows)
        if progress:
            progress(done, total)
    reviews = session.scalars(select(Review).order_by(Review.id)).all()
    for start in range(0, len(reviews), BATCH):
        index_reviews(session, reviews[start : start + BATCH])
        done += len(reviews[start : start + BATCH])
        if progress:
            progress(done, total)
    _optimize(conn)
    count_common_terms(conn)
    return done


@events.papers_deleted.connect
def _unindex_papers(conn: Connection, ids: Sequence[int]) -> None:
    unindex(conn, "paper", ids)


@events.reviews_deleted.connect
def _unindex_reviews(conn: Connection, ids: Sequence[int]) -> None:
    unindex(conn, "review", ids)


def _optimize(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


COMMON_FLOOR = 1000  # terms in more documents than this are counted in search_term…
COMMON_SHARE = 0.05  # …or in more than half of this share of a small hub's documents
COUNTED = ""  # search_term's row that holds how many documents there were at the count
REGROWTH = 1.1  # reviews recount when the documents grew by a tenth since


@events.catalog_loaded.connect
def count_common_terms(conn: Connection) -> None:
    """Recount the common terms: one pass over the index's statistics (SQLite: FTS5's
    vocabulary, about a second for 800k documents; PostgreSQL: ``ts_stat``). Between
    recounts the counts are a hint that may lag by ``REGROWTH``."""
    total = conn.scalar(select(func.count()).select_from(search_table)) or 0
    floor = min(COMMON_FLOOR, int(COMMON_SHARE * total / 2))
    conn.execute(delete(search_term_table))
    if conn.dialect.name == "sqlite":
        counted = "SELECT term, doc FROM search_vocab WHERE doc > :floor"
    else:
        vectors = f"SELECT {TSVECTOR} FROM search_doc"
        counted = f"SELECT word, ndoc FROM ts_stat($${vectors}$$) WHERE ndoc > :floor"
    conn.execute(text(f"INSERT INTO search_term {counted}"), {"floor": floor})
    conn.execute(insert(search_term_table).values(term=COUNTED, docs=total))


def _recount_if_grown(conn: Connection) -> None:
    """Count the common terms again when the index grew by ``REGROWTH`` since the last
    count (a hub filled by imported reviews has no catalog load to count them)."""
    counted = conn.scalar(
        select(search_term_table.c.docs).where(search_term_table.c.term == COUNTED)
    )
    total = conn.scalar(select(func.count()).select_from(search_table)) or 0
    if total and (counted is None or total >= REGROWTH * max(counted, 1)):
        count_common_terms(conn)


@lru_cache(maxsize=1)
def nickname_arxiv_ids() -> dict[str, tuple[str, ...]]:
    """arXiv ids of the well-known papers by folded nickname ("vit" → 2010.11929)."""
    found: dict[str, list[str]] = defaultdict(list)
    for arxiv, names in _landmark_names().items():
        for name in names:
            found[fold(name)].append(arxiv)
    return {key: tuple(ids) for key, ids in found.items()}


@lru_cache(maxsize=1)
def _landmark_names() -> dict[str, tuple[str, ...]]:
    """Nicknames of well-known papers by arXiv id, from the shipped table."""
    return {
        m["arxiv"]: tuple(m["aliases"] + m["ambiguous_aliases"]) for m in landmarks() if m["arxiv"]
    }
