"""Reviews as people ask for them: lists with filters, one review by id or URL, and
deleting reviews (how a review is shown: ``nonmun.pages``).

The CLI's ``reviews list`` and ``reviews show`` (and, later, the site and the web
app) show what these return; nothing about a review's shape is written twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Text, cast, delete, func, select
from sqlalchemy.orm import Session, selectinload

from nonmun.catalog.identifiers import row_id
from nonmun.catalog.lookup import escape_like
from nonmun.db import events
from nonmun.db.schema import Mention, Person, Review, ReviewAuthor, Source
from nonmun.errors import InputError, NotFoundError
from nonmun.sources import source_named


@dataclass(frozen=True)
class ReviewFilter:
    """Which reviews to list; ``None`` means any."""

    source: str | None = None  # #id, name or the start of a name
    author: str | None = None  # part of a writer's name
    tag: str | None = None  # one of its tags, exactly
    since: date | None = None
    until: date | None = None
    limit: int = 50
    offset: int = 0


def parse_day(text: str | None, option: str) -> date | None:
    """A date given by a user (``2023-04-26``); anything else names the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("a date must look like 2023-04-26", source=f"{option} {text}") from None


def _filtered(query: Select[Any], flt: ReviewFilter) -> Select[Any]:
    if flt.source:
        query = query.where(Review.source_id.in_(select(Source.id).where(source_named(flt.source))))
    if flt.author:
        pattern = f"%{escape_like(flt.author.casefold())}%"
        people = select(ReviewAuthor.review_id).join(Person, Person.id == ReviewAuthor.person_id)
        query = query.where(
            Review.id.in_(people.where(func.lower(Person.name).like(pattern, escape="\\")))
        )
    if flt.tag:
        query = query.where(cast(Review.tags, Text).contains(f'"{flt.tag.strip()}"'))
    if flt.since:
        query = query.where(Review.published >= flt.since)
    if flt.until:
        query = query.where(Review.published <= flt.until)
    return query


def list_reviews(session: Session, flt: ReviewFilter) -> tuple[list[Review], int]:
    """The reviews ``flt`` asks for, newest first, and how many there are in all."""
    total = session.scalar(_filtered(select(func.count()).select_from(Review), flt)) or 0
    query = (
        _filtered(select(Review), flt)
        .options(selectinload(Review.source), selectinload(Review.authors))
        .options(selectinload(Review.mentions).selectinload(Mention.paper))
        .order_by(Review.published.desc().nulls_last(), Review.id.desc())
    )
    found = list(session.scalars(query.limit(flt.limit).offset(flt.offset)))
    if flt.tag:  # the JSON text match above may be loose: keep exact tags only
        found = [r for r in found if flt.tag.strip() in r.tags]
    return found, total


def find_review(session: Session, text: str) -> Review:
    """The review named by ``text``: its id (``#12`` or ``12``) or one of its URLs."""
    ref = text.strip()
    number = ref.removeprefix("#")
    if number.isascii() and number.isdigit():
        review = session.get(Review, row_id(number, ref))
    else:
        review = session.scalars(select(Review).where(Review.url == ref)).first()
        if review is None:  # a cross-posted copy's address
            listed = select(Review).where(cast(Review.urls, Text).contains(ref))
            review = next((r for r in session.scalars(listed) if ref in r.urls), None)
    if review is None:
        raise NotFoundError("no such review in this hub", source=ref)
    return review


def delete_reviews(session: Session, reviews: Iterable[Review]) -> int:
    """Delete reviews with their mentions, authorship and digest entries, and take them
    out of the search index; returns how many."""
    ids = sorted({r.id for r in reviews})
    events.reviews_deleted(session.connection(), ids)
    session.execute(delete(Review).where(Review.id.in_(ids)))
    return len(ids)
