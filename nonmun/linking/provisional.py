"""Provisional papers: papers a review names that the catalog lacks, and resolving them.

A review names a paper the catalog does not hold in two ways worth trusting:
an arXiv id (certain, though the title is unknown until fetched), and the
structure of its page: a list entry "Title(2021)", "논문 리뷰: Title" with its
byline, a digest's "Title (Authors)" under the paper's link, a post titled
"[Paper Review] Title". Such a paper is stored with what the page says (title,
year, authors) and marked provisional. A prose mention of a title the catalog
lacks is not: a page's structure, not a guess, makes a paper.

``resolve`` completes provisional papers from the arXiv API, by id or else by a
title search whose answer must have the same title (and agree on year and
authors where the page gave them); a paper that turns out to be in the catalog
already is folded into it, mentions and all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from nonmun.catalog.arxiv_api import ArxivClient
from nonmun.catalog.identifiers import parse_arxiv_id
from nonmun.catalog.landmarks import landmarks
from nonmun.catalog.merge import (
    CONTENT,
    MAX_YEAR_GAP,
    CatalogWriter,
    Row,
    authors_agree,
    merge_rows,
    record_row,
)
from nonmun.catalog.records import PaperRecord, looks_like_paper_title, placeholder_title
from nonmun.db import events
from nonmun.db.schema import (
    MIN_CONFIDENCE,
    LinkDecision,
    Mention,
    Paper,
    PaperAlias,
    PaperIdentifier,
    paper_table,
)
from nonmun.linking.linker import Link, Linker, title_after_mark
from nonmun.text.normalize import title_key

PROVISIONAL_CONFIDENCE = 0.7  # the page says this is the paper; who it is stays open
SEARCH_RESULTS = 5


@dataclass(frozen=True, slots=True)
class PaperHint:
    """What a page's structure says of the paper a review is about."""

    title: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()


def provisional_links(
    session: Session, linker: Linker, text: str, links: list[Link], hint: PaperHint | None
) -> list[Link]:
    """Links to provisional papers for what ``links`` missed: unknown arXiv ids, and the
    paper the page says it reviews when no catalog paper was found as reviewed."""
    found: list[Link] = []
    reviewed = any(link.role == "reviewed" for link in links)
    for arxiv, role, evidence in linker.missing_ids(text):
        own = role == "reviewed" and not reviewed and _titled(hint)
        record = landmark_record(arxiv) or (
            _record(hint, arxiv)
            if own and hint
            else PaperRecord(placeholder_title(arxiv), arxiv_id=arxiv)
        )
        pid = _stored(session, linker, record)
        found.append(Link(pid, role, 1.0, evidence, "identifier", text.find(evidence)))
        reviewed = reviewed or role == "reviewed"
    if not reviewed and hint is not None and _titled(hint):
        pid = _stored(session, linker, _record(hint, None))
        found.append(
            Link(pid, "reviewed", PROVISIONAL_CONFIDENCE, str(hint.title), "provisional", 0)
        )
    return found


def known_links(session: Session, linker: Linker, links: list[Link]) -> list[Link]:
    """``links`` with the papers the linker knows from the curated table but the hub
    lacks (negative ids: ``CatalogIndex.known``) stored now, as the table has them.
    A suggestion (under ``MIN_CONFIDENCE``) to such a paper is left out: a guess does
    not add a paper to the catalog (nor leave one behind when the guess goes)."""
    stored = []
    for link in links:
        if link.paper_id < 0:
            if link.confidence < MIN_CONFIDENCE:
                continue
            mark = linker.index.known[link.paper_id]
            record = PaperRecord(
                mark["title"],
                tuple(mark.get("authors") or ()),
                year=mark.get("year"),
                venue=mark.get("venue"),
                aliases=tuple(mark["aliases"]),
            )
            writer = CatalogWriter(session.connection())
            row = record_row(record)
            pid = writer.find(row)
            if pid is None:
                ((_, pid),) = writer.write_rows([row])
            link = replace(link, paper_id=pid)
        stored.append(link)
    return stored


def hint_from(
    title: str, paper_title: str | None, year: int | None, authors: tuple[str, ...]
) -> PaperHint | None:
    """The hint of a review: the paper title its page gives, or its own title after a
    review mark ("[논문 리뷰] Title")."""
    named = paper_title or title_after_mark(title)
    if not named and not authors:
        return None
    names = tuple(re.sub(r"\s*et al\.?$", "", a).strip() for a in authors)
    return PaperHint(named, year, tuple(n for n in names if n))


def _titled(hint: PaperHint | None) -> bool:
    """The hint names a paper by a title (not a sentence of the note)."""
    return hint is not None and bool(hint.title) and looks_like_paper_title(str(hint.title))


def landmark_record(arxiv: str) -> PaperRecord | None:
    """A well-known paper's record from the shipped landmarks (no network needed)."""
    found = _landmarks_by_arxiv().get(arxiv)
    if found is None:
        return None
    return PaperRecord(
        found["title"],
        tuple(found.get("authors") or ()),
        arxiv_id=arxiv,
        year=found.get("year"),
        venue=found.get("venue"),
    )  # its nicknames come with the landmarks themselves


@lru_cache(maxsize=1)
def _landmarks_by_arxiv() -> dict[str, dict[str, Any]]:
    return {m["arxiv"]: m for m in landmarks() if m.get("arxiv") and m.get("title")}


def _record(hint: PaperHint, arxiv: str | None) -> PaperRecord:
    return PaperRecord(str(hint.title), hint.authors, arxiv_id=arxiv, year=hint.year)


def _stored(session: Session, linker: Linker, record: PaperRecord) -> int:
    """The paper ``record`` names: one already stored (nothing changed), or a new
    provisional one, added to the linker's index so later reviews find it."""
    row = record_row(record) | {"provisional": True}
    writer = CatalogWriter(session.connection())
    pid = writer.find(row)
    if pid is None:
        ((_, pid),) = writer.write_rows([row])
        linker.index.add_paper(pid, row["arxiv_id"], row["title"], row["year"], row["author_key"])
        mark = _landmarks_by_arxiv().get(row["arxiv_id"] or "")
        if mark is not None:
            linker.index.add_landmark(pid, mark)
    return pid


# --- resolving ------------------------------------------------------------------------


@dataclass
class ResolveSummary:
    """Which provisional papers were completed, folded into a paper, or not found."""

    completed: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def resolve(
    session: Session,
    client: ArxivClient,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ResolveSummary:
    """Complete provisional papers from the arXiv API (by id, else by title)."""
    papers = list(
        session.scalars(select(Paper).where(Paper.provisional).order_by(Paper.id).limit(limit))
    )
    summary = ResolveSummary()
    by_id = [p for p in papers if p.arxiv_id]
    fetched = client.fetch(a for p in by_id if (a := parse_arxiv_id(p.arxiv_id or "")))
    for n, paper in enumerate(papers, 1):
        record = fetched.get(paper.arxiv_id or "") if paper.arxiv_id else _search(client, paper)
        if record is None:
            why = "not on arXiv" if paper.arxiv_id else "no arXiv paper with this title"
            summary.unresolved.append(f"{_name(paper)}: {why}")
        else:
            _complete(session, paper, record, summary)
        if progress:
            progress(n, len(papers))
    return summary


def _search(client: ArxivClient, paper: Paper) -> PaperRecord | None:
    """The arXiv paper with this title (and agreeing year and authors), if the API has it."""
    words = " ".join(re.findall(r"\w+", paper.title))
    for record in client.query(search_query=f'ti:"{words}"', max_results=SEARCH_RESULTS):
        if title_key(record.title) != paper.title_key:
            continue
        if paper.year and record.year and abs(paper.year - record.year) > MAX_YEAR_GAP:
            continue
        if paper.authors and record.authors and not authors_agree(paper.authors, record.authors):
            continue
        return record
    return None


def _complete(session: Session, paper: Paper, record: PaperRecord, summary: ResolveSummary) -> None:
    """Fill ``paper`` from ``record``; or fold it into the paper that already has its id."""
    new, name = record_row(record), _name(paper)
    writer = CatalogWriter(session.connection())
    other = writer.find(new, by_title=False)
    if other is not None and other != paper.id:
        _fold(session, paper.id, other)
        summary.folded.append(f"{name} → {record.arxiv_id or record.doi}")
        return
    old: Row = dict(
        session.execute(select(paper_table).where(paper_table.c.id == paper.id)).mappings().one()
    )
    merged = merge_rows(old, new)
    merged |= {"title": new["title"], "title_key": new["title_key"], "provisional": False}
    if new["authors"]:  # the page's byline was only a hint
        merged["authors"], merged["author_key"] = new["authors"], new["author_key"]
    session.execute(
        update(paper_table)
        .where(paper_table.c.id == paper.id)
        .values({k: merged[k] for k in CONTENT})
    )
    writer.store_extras([new], [merged])
    events.papers_written(session.connection(), [merged])
    session.expire(paper)
    summary.completed.append(f"{name} → {record.arxiv_id}")


def _fold(session: Session, source: int, target: int) -> None:
    """Move the mentions, aliases, identifiers and link decisions of paper ``source`` to
    ``target``; delete it."""
    for mention in session.scalars(select(Mention).where(Mention.paper_id == source)):
        twin = session.scalar(
            select(Mention).where(
                Mention.review_id == mention.review_id, Mention.paper_id == target
            )
        )
        if twin is None:
            mention.paper_id = target
            continue
        if mention.role == "reviewed" or mention.confidence > twin.confidence:
            twin.role = "reviewed" if "reviewed" in (mention.role, twin.role) else twin.role
            twin.confidence = max(twin.confidence, mention.confidence)
        session.delete(mention)
    session.flush()
    shared = select(PaperAlias.key).where(PaperAlias.paper_id == target)
    session.execute(
        delete(PaperAlias).where(PaperAlias.paper_id == source, PaperAlias.key.in_(shared))
    )
    decided = select(LinkDecision.review_id).where(LinkDecision.paper_id == target)
    session.execute(
        delete(LinkDecision).where(
            LinkDecision.paper_id == source, LinkDecision.review_id.in_(decided)
        )
    )  # a person's word on the paper it joins wins over one on the provisional paper
    for model in (PaperAlias, PaperIdentifier, LinkDecision):
        session.execute(update(model).where(model.paper_id == source).values(paper_id=target))
    session.execute(delete(Paper).where(Paper.id == source))
    events.papers_deleted(session.connection(), [source])


def _name(paper: Paper) -> str:
    return paper.arxiv_id or f'"{paper.title}"'
