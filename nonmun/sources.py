"""Sources (a blog, a feed, a folder): listing them, finding one by name or id, renaming
and removing them. The CLI's ``nonmun sources`` and every ``--source`` filter use these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from nonmun.db import events
from nonmun.db.schema import Digest, Review, Source
from nonmun.errors import InputError, NotFoundError


@dataclass(frozen=True)
class SourceInfo:
    """A source and how many reviews and digests it holds."""

    id: int
    name: str
    kind: str
    url: str | None
    reviews: int
    digests: int

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "name", "kind", "url", "reviews", "digests")}


def source_named(text: str) -> Any:
    """The SQL condition "this source": by ``#id``, by exact name, else by a name that
    starts with ``text`` (case folded): ``--source duemoo`` finds "duemoo's paper reviews"."""
    ref = text.strip()
    number = ref.removeprefix("#")
    if number.isascii() and number.isdigit() and len(number) < 19:
        return Source.id == int(number)
    folded = ref.casefold()
    return or_(Source.name == ref, func.lower(Source.name).startswith(folded, autoescape=True))


def list_sources(session: Session) -> list[SourceInfo]:
    """Every source with its counts, by name."""
    reviews = (
        select(Review.source_id, func.count().label("n")).group_by(Review.source_id).subquery()
    )
    digests = (
        select(Digest.source_id, func.count().label("n")).group_by(Digest.source_id).subquery()
    )
    query = (
        select(Source, func.coalesce(reviews.c.n, 0), func.coalesce(digests.c.n, 0))
        .outerjoin(reviews, reviews.c.source_id == Source.id)
        .outerjoin(digests, digests.c.source_id == Source.id)
        .order_by(Source.name, Source.id)
    )
    return [
        SourceInfo(s.id, s.name, s.kind, s.url, int(r), int(d))
        for s, r, d in session.execute(query)
    ]


def find_source(session: Session, text: str) -> Source:
    """The one source ``text`` names; none or several is an error that says which."""
    found = list(session.scalars(select(Source).where(source_named(text)).order_by(Source.id)))
    exact = [s for s in found if s.name == text.strip()]
    if len(exact) == 1 or len(found) == 1:
        return exact[0] if exact else found[0]
    if not found:
        raise NotFoundError("no such source; `nonmun sources list` shows them", source=text)
    names = ", ".join(f"#{s.id} {s.name}" for s in found[:4])
    raise InputError(f"names several sources ({names}); give its #id", source=text)


def rename_source(session: Session, text: str, name: str) -> Source:
    """Give a source a new name (its reviews keep their addresses)."""
    source = find_source(session, text)
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InputError("a source's name is 1 to 200 characters", source=name)
    clash = session.scalar(
        select(Source).where(
            Source.kind == source.kind, Source.name == name, Source.id != source.id
        )
    )
    if clash is not None:
        raise InputError(f"another {source.kind} source is named so (#{clash.id})", source=name)
    source.name = name
    return source


def remove_source(session: Session, text: str) -> tuple[str, int]:
    """Delete a source with its reviews (their links and search entries) and digests."""
    source = find_source(session, text)
    ids = list(session.scalars(select(Review.id).where(Review.source_id == source.id)))
    events.reviews_deleted(session.connection(), ids)
    session.execute(delete(Review).where(Review.source_id == source.id))
    done = len(ids)
    for digest in session.scalars(select(Digest).where(Digest.source_id == source.id)):
        session.delete(digest)
    name = source.name
    session.delete(source)
    session.flush()
    return name, done
