"""Reading the catalog: one paper by any identifier, filtered lists, JSON views."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from nonmun.catalog.identifiers import PaperRef, parse_paper_ref
from nonmun.db.schema import Mention, Paper, PaperAlias, PaperIdentifier, Review, Source
from nonmun.errors import InputError, NotFoundError
from nonmun.text.normalize import fold, title_key


def find_paper(session: Session, text: str) -> Paper:
    """The paper named by ``text``: an arXiv id or URL, a DOI, ``#id``, ``scheme:value``,
    or else a nickname or whole title that names exactly one paper ("ViT")."""
    try:
        ref = parse_paper_ref(text)
    except InputError:
        return _by_name(session, text)
    paper = session.scalars(_by_ref(ref).options(selectinload(Paper.aliases))).first()
    if paper is None:
        hint = f"; `nonmun papers add {ref.arxiv}` fetches it from arXiv" if ref.arxiv else ""
        raise NotFoundError(f"no such paper in this hub{hint}", source=text.strip())
    return paper


def _by_name(session: Session, text: str) -> Paper:
    """The one paper with this nickname or title; else an error that says what to try."""
    name = " ".join(text.split())
    by_alias = select(PaperAlias.paper_id).where(PaperAlias.key == fold(name))
    query = (
        select(Paper)
        .where(or_(Paper.id.in_(by_alias), Paper.title_key == title_key(name)))
        .options(selectinload(Paper.aliases))
    )
    found = list(session.scalars(query.limit(6)))
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{p.arxiv_id or '#' + str(p.id)} {p.title[:50]}" for p in found[:5])
        raise InputError(f"names several papers ({listed}); give one's id", source=repr(name))
    raise InputError(
        f"not an id, nickname or title of a paper here; try `nonmun search {shlex.quote(name)}`",
        source=repr(name),
    )


def _by_ref(ref: PaperRef) -> Select[Paper]:
    query = select(Paper)
    if ref.arxiv:
        return query.where(Paper.arxiv_id == ref.arxiv.id)
    if ref.doi:
        other = select(PaperIdentifier.paper_id).where(
            PaperIdentifier.scheme == "doi", PaperIdentifier.value == ref.doi
        )
        return query.where(or_(Paper.doi == ref.doi, Paper.id.in_(other)))
    if ref.paper_id is not None:
        return query.where(Paper.id == ref.paper_id)
    other = select(PaperIdentifier.paper_id).where(
        PaperIdentifier.scheme == ref.scheme, PaperIdentifier.value == ref.value
    )
    return query.where(Paper.id.in_(other))


@dataclass(frozen=True)
class PaperFilter:
    """Filters of ``nonmun papers list``; ``None`` means no filter."""

    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    author: str | None = None
    alias: str | None = None
    limit: int = 50
    offset: int = 0
    reviewed: bool = False  # only papers some review reviews (not only mentions)
    source: str | None = None  # only papers reviewed or mentioned by this source


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """``"2019"``, ``"2019:2021"``, ``"2019:"`` or ``":2021"`` as a (from, to) pair."""
    if not text:
        return None, None
    low, sep, high = text.strip().partition(":")
    if not all(re.fullmatch(r"\d{1,4}", part) for part in (low, high) if part) or text == ":":
        raise InputError("years must look like 2019, 2019:2021, 2019: or :2021", source=text)
    start = int(low) if low else None
    end = int(high) if high else None if sep else start
    return start, end


def list_papers(session: Session, flt: PaperFilter) -> list[Paper]:
    """Papers matching ``flt``, newest first."""
    query = _matching(select(Paper), flt)
    query = query.order_by(Paper.published.desc().nulls_last(), Paper.id.desc())
    query = query.options(selectinload(Paper.aliases))
    return list(session.scalars(query.limit(flt.limit).offset(flt.offset)))


def count_matching(session: Session, flt: PaperFilter) -> int:
    """How many papers match ``flt`` in all (for "1–50 of 91")."""
    return session.scalar(_matching(select(func.count()).select_from(Paper), flt)) or 0


def _matching(query: Select[Any], flt: PaperFilter) -> Select[Any]:
    if flt.year_from is not None:
        query = query.where(Paper.year >= flt.year_from)
    if flt.year_to is not None:
        query = query.where(Paper.year <= flt.year_to)
    if flt.category:
        query = query.where(in_category(flt.category))
    if flt.author:
        authors = func.lower(cast(Paper.authors, Text))
        query = query.where(authors.like(f"%{escape_like(flt.author.lower())}%", escape="\\"))
    if flt.alias:
        keyed = select(PaperAlias.paper_id).where(PaperAlias.key == fold(flt.alias))
        query = query.where(Paper.id.in_(keyed))
    if flt.reviewed or flt.source:
        linked = select(Mention.paper_id).where(Mention.confidence >= 0.5)
        if flt.reviewed:
            linked = linked.where(Mention.role == "reviewed")
        if flt.source:
            from nonmun.sources import source_named

            of_source = select(Review.id).join(Source).where(source_named(flt.source))
            linked = linked.where(Mention.review_id.in_(of_source))
        query = query.where(Paper.id.in_(linked))
    return query


def in_category(prefix: str) -> Any:
    """Papers with a category that starts with ``prefix`` (``cs.C`` takes cs.CV and cs.CL,
    ``cs.LG`` cs.LG): the one category filter of every command."""
    padded = " " + Paper.categories
    return padded.like(f"% {escape_like(prefix.strip())}%", escape="\\")


def escape_like(text: str) -> str:
    """``text`` matched literally inside a LIKE pattern (with ``escape="\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def count_papers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Paper)) or 0


def paper_mentions(session: Session, paper: Paper) -> list[Mention]:
    """Every review of ``paper``: reviewed first, then by date."""
    query = (
        select(Mention)
        .join(Review)
        .where(Mention.paper_id == paper.id)
        .options(selectinload(Mention.review).selectinload(Review.source))
        .options(selectinload(Mention.review).selectinload(Review.authors))
        .order_by(Mention.role.desc(), Review.published.desc().nulls_last(), Review.id)
    )
    return list(session.scalars(query))


def paper_dict(paper: Paper) -> dict[str, Any]:
    """A JSON-ready view of ``paper``."""
    return {
        "id": paper.id,
        "arxiv": paper.arxiv_id,
        "doi": paper.doi,
        "title": paper.title,
        "authors": paper.authors,
        "year": paper.year,
        "published": paper.published.isoformat() if paper.published else None,
        "updated": paper.updated.isoformat() if paper.updated else None,
        "venue": paper.venue,
        "journal_ref": paper.journal_ref,
        "categories": paper.categories.split(),
        "abstract": paper.abstract,
        "versions": paper.versions,
        "links": paper_links(paper),
        "aliases": sorted(a.alias for a in paper.aliases),
        "provisional": paper.provisional,
    }


def paper_links(paper: Paper) -> list[dict[str, str]]:
    """Stored links plus those every arXiv paper and DOI has."""
    links = []
    if paper.arxiv_id:
        links.append({"rel": "abs", "url": f"https://arxiv.org/abs/{paper.arxiv_id}"})
        links.append({"rel": "pdf", "url": f"https://arxiv.org/pdf/{paper.arxiv_id}"})
    if paper.doi:
        links.append({"rel": "doi", "url": f"https://doi.org/{paper.doi}"})
    seen = {link["url"] for link in links}
    return links + [link for link in paper.links if link.get("url") not in seen]
