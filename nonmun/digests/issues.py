"""Assembling a digest: a week's reviews and notes gathered into a draft, edited,
then published (only published digests are part of the site).

A digest nonmun assembles belongs to the source ``DIGEST_SOURCE`` (kind
``nonmun``), so that imported digests and assembled ones never clash; its entries
are the week's reviews by date, or grouped by editor (a review's first author) or
by tag, and its editors are the week's writers unless given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from nonmun.catalog.identifiers import row_id
from nonmun.db.schema import Digest, DigestEditor, DigestReview, Review, Source
from nonmun.digests.weeks import Week
from nonmun.errors import InputError, NotFoundError
from nonmun.ingest.store import get_person

DIGEST_SOURCE = ("digests", "nonmun")  # (name, kind) of the source assembled digests belong to
GROUPINGS = ("date", "editor", "tag")


@dataclass(frozen=True)
class DraftSummary:
    id: int
    title: str
    entries: int


def new_digest(session: Session, week: Week, title: str, by: str = "date") -> DraftSummary:
    """A draft digest of ``week``'s reviews (by date, editor or tag); an error when the
    week has none, or when that week's digest exists already."""
    if by not in GROUPINGS:
        raise InputError(f"--by must be one of {', '.join(GROUPINGS)}", source=by)
    source = _source(session)
    external = f"week:{week.iso}"
    if session.scalar(select(Digest.id).where(Digest.source_id == source.id,
                                              Digest.external_id == external)):  # fmt: skip
        raise InputError("that week has a digest already (digest list)", source=week.iso)
    reviews = list(
        session.scalars(
            select(Review)
            .where(Review.published >= week.start, Review.published <= week.end)
            .options(selectinload(Review.authors))
            .order_by(Review.published, Review.id)
        )
    )
    if not reviews:
        raise InputError(f"no reviews dated {week.start} to {week.end}", source=week.iso)
    ordered = sorted(reviews, key=_grouping(by))
    digest = Digest(
        source_id=source.id,
        external_id=external,
        title=title,
        label=week.korean_short,
        period_start=week.start,
        period_end=week.end,
        intro="",
        status="draft",
        grouping=None if by == "date" else by,
    )
    session.add(digest)
    session.flush()
    for position, review in enumerate(ordered):
        session.add(DigestReview(digest_id=digest.id, review_id=review.id, position=position))
    writers = {p.id: p for r in ordered for p in r.authors}
    for person in writers.values():
        session.add(DigestEditor(digest_id=digest.id, person_id=person.id))
    session.flush()
    return DraftSummary(digest.id, digest.title, len(ordered))


def _grouping(by: str):  # type: ignore[no-untyped-def]
    def key(review: Review) -> tuple[str, object, int]:
        if by == "editor":
            group = review.authors[0].name if review.authors else "~"
        elif by == "tag":
            group = review.tags[0] if review.tags else "~"
        else:
            group = ""
        return (group, review.published, review.id)

    return key


def find_digest(session: Session, text: str) -> Digest:
    """A digest by ``#id`` or id."""
    number = text.strip().removeprefix("#")
    if not (number.isascii() and number.isdigit()):
        raise InputError("a digest is named by its #id (digest list)", source=text)
    digest = session.get(Digest, row_id(number, text))
    if digest is None:
        raise NotFoundError("no such digest in this hub", source=text)
    return digest


def edit_digest(
    session: Session,
    digest: Digest,
    *,
    title: str | None = None,
    intro: str | None = None,
    editors: Sequence[str] | None = None,
) -> Digest:
    """Change a digest's title, introduction (Markdown) or editors."""
    if title is not None:
        if not title.strip():
            raise InputError("a digest needs a title", source="--title")
        digest.title = title.strip()
    if intro is not None:
        digest.intro = intro
    if editors is not None:
        session.execute(delete(DigestEditor).where(DigestEditor.digest_id == digest.id))
        for name in dict.fromkeys(n.strip() for n in editors if n.strip()):
            session.add(DigestEditor(digest_id=digest.id, person_id=get_person(session, name).id))
    session.flush()
    session.expire(digest)
    return digest


def publish_digest(session: Session, digest: Digest) -> Digest:
    """Make a draft part of the site."""
    digest.status = "published"
    session.flush()
    return digest


def list_digests(session: Session) -> list[Digest]:
    return list(
        session.scalars(
            select(Digest)
            .options(selectinload(Digest.reviews))
            .order_by(Digest.period_start.desc().nulls_last(), Digest.id)
        )
    )


def _source(session: Session) -> Source:
    name, kind = DIGEST_SOURCE
    source = session.scalar(select(Source).where(Source.name == name, Source.kind == kind))
    if source is None:
        source = Source(name=name, kind=kind)
        session.add(source)
        session.flush()
    return source
