"""The digest page: a weekly issue — its label and period, editors, introduction, and
every review or note in it, in its order, whole, each linked to its papers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun.db.schema import Digest, Mention, Review, Source
from nonmun.pages.addresses import Addresses
from nonmun.pages.items import Named, ReviewItem, person_named, review_item, source_named
from nonmun.pages.markdown import render


@dataclass(frozen=True)
class DigestEntry:
    review: ReviewItem
    html: str


@dataclass(frozen=True)
class DigestPage:
    title: str
    url: str
    label: str | None  # "4월 4주차"
    start: date | None
    end: date | None
    source: Named
    editors: list[Named]
    intro: str  # rendered
    original: str | None
    entries: list[DigestEntry]


def load_digests(session: Session) -> list[Digest]:
    """Every published digest with its reviews (and what their pages show), newest first."""
    query = (
        select(Digest)
        .where(Digest.status == "published")
        .options(selectinload(Digest.editors))
        .options(
            selectinload(Digest.reviews).selectinload(Review.mentions).selectinload(Mention.paper),
            selectinload(Digest.reviews).selectinload(Review.source),
            selectinload(Digest.reviews).selectinload(Review.authors),
        )
        .order_by(Digest.period_start.desc().nulls_last(), Digest.id)
    )
    return list(session.scalars(query))


def digest_page(session: Session, digest: Digest, where: Addresses) -> DigestPage:
    source = session.get_one(Source, digest.source_id)
    intro = digest.intro if digest.intro.strip() != digest.title.strip() else ""
    return DigestPage(
        title=digest.title,
        url=where.digests[digest.id],
        label=digest.label,
        start=digest.period_start,
        end=digest.period_end,
        source=source_named(source, where),
        editors=[person_named(p, where) for p in digest.editors],
        intro=render(intro),
        original=digest.url,
        entries=[DigestEntry(review_item(r, where), render(r.body)) for r in digest.reviews],
    )
