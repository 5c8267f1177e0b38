"""The one function that stores reviews: dedupes by source and external id, never duplicates.

Importing the same record twice leaves the hub unchanged; a record whose
content changed updates its review in place (keeping its id and mentions'
history). Every stored review is linked to the papers it names and indexed for
search in the same transaction (``nonmun.db.events``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from nonmun.db import events
from nonmun.db.schema import Digest, DigestReview, Person, Review, Source, length_of
from nonmun.ingest.pages import DigestRecord, PageImport
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker
from nonmun.linking.mentions import link_review, restore_mentions
from nonmun.linking.provisional import hint_from
from nonmun.text.language import detect_language
from nonmun.text.normalize import clean, clean_value, fold


@dataclass
class StoreSummary:
    """Counts of what storing did, and the ids of the reviews touched."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    review_ids: list[int] = field(default_factory=list)

    def add(self, other: StoreSummary) -> None:
        """Count ``other`` in too."""
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.review_ids += other.review_ids


MAX_TAG = 200  # characters of one tag (tags are a JSON list: no column limits them)


def fit_id(ident: str) -> str:
    """An external id that fits its column: a longer one becomes its stable hash."""
    if len(ident) <= length_of(Review.external_id):
        return ident
    return "sha256:" + hashlib.sha256(ident.encode()).hexdigest()


def clean_record(record: ReviewRecord) -> ReviewRecord:
    """The record with every text field ``clean`` (no NUL or escapes; NFC), fitted to
    its columns."""
    changes = {
        f.name: clean_value(getattr(record, f.name))
        for f in fields(record)
        if isinstance(getattr(record, f.name), str | tuple)
    }
    name, kind = clean(record.source.name), clean(record.source.kind)
    changes["source"] = replace(
        record.source, name=name[: length_of(Source.name)], kind=kind[: length_of(Source.kind)]
    )
    changes["external_id"] = fit_id(changes["external_id"])
    changes["authors"] = tuple(a[: length_of(Person.name)] for a in changes["authors"])
    changes["tags"] = tuple(t[:MAX_TAG] for t in changes["tags"])
    if record.language is not None:
        changes["language"] = clean(record.language)[: length_of(Review.language)]
    return replace(record, **changes)


def store_reviews(
    session: Session,
    records: Iterable[ReviewRecord],
    linker: Linker | None = None,
    progress: Callable[[int], None] | None = None,
) -> StoreSummary:
    """Insert or update each record's review, its source, authors and mentions.

    ``linker`` defaults to one over the hub's whole catalog, built on first need;
    ``progress`` hears how many records are done, every few.
    """
    summary = StoreSummary()
    for done, raw in enumerate(records):
        if progress is not None and done % 25 == 0:
            progress(done)
        record = clean_record(raw)
        source = get_source(session, record.source)
        digest = content_hash(record)
        review = session.scalar(
            select(Review).where(
                Review.source_id == source.id, Review.external_id == record.external_id
            )
        )
        restoring = record.mentions is not None
        twin = _cross_post(session, record, source) if review is None and not restoring else None
        if twin is not None:
            if record.url and record.url not in twin.urls:
                twin.urls = [*twin.urls, record.url]
                summary.updated += 1
            else:
                summary.unchanged += 1
            review = twin
        elif review is not None and review.content_hash == digest and _same_links(review, record):
            summary.unchanged += 1
        else:
            if review is None:
                review = Review(source=source, external_id=record.external_id)
                session.add(review)
                summary.imported += 1
            else:
                summary.updated += 1
            _fill(session, review, record, digest)
            session.flush()
            if record.mentions is not None:
                restore_mentions(session, review, record.mentions, record.rejected)
            else:
                linker = linker or Linker(CatalogIndex.load(session))
                hint = hint_from(
                    record.title, record.paper_title, record.paper_year, record.paper_authors
                )
                learned = link_review(session, review, linker, hint)
                events.papers_changed(session.connection(), learned)
            events.reviews_written(session, [review])
        summary.review_ids.append(review.id)
    return summary


def _cross_post(session: Session, record: ReviewRecord, source: Source) -> Review | None:
    """The same post already stored from another site: same title, same text."""
    if not record.url or len(record.body) < 40:
        return None
    query = select(Review).where(Review.title == record.title, Review.source_id != source.id)
    key = _text_key(record.body)
    return next((r for r in session.scalars(query) if _text_key(r.body) == key), None)


def _text_key(body: str) -> str:
    return " ".join(fold(body).split())[:5000]


def _fill(session: Session, review: Review, record: ReviewRecord, digest: str) -> None:
    review.title = record.title
    review.body = record.body
    review.language = record.language or detect_language(f"{record.title}\n{record.body}")
    review.published = record.published
    review.url = record.url
    first = [record.url] if record.url else []
    review.urls = list(dict.fromkeys([*first, *record.urls, *(review.urls or [])]))
    review.tags = list(record.tags)
    review.category_path = record.category_path
    review.content_hash = digest
    review.authors = [get_person(session, name) for name in dict.fromkeys(record.authors)]


def _same_links(review: Review, record: ReviewRecord) -> bool:
    """For restored records: the stored mentions and URLs are the record's."""
    if record.mentions is None:
        return True
    stored = {(m.paper_id, m.role, m.confidence, m.evidence, m.method) for m in review.mentions}
    given = {(m.paper_id, m.role, m.confidence, m.evidence, m.method) for m in record.mentions}
    return stored == given and set(review.urls) == {*record.urls, *filter(None, [record.url])}


def content_hash(record: ReviewRecord) -> str:
    """A fingerprint of everything a record says, to tell "unchanged" from "updated"."""
    parts = [
        record.title, record.body, str(record.published), record.url or "",
        "|".join(record.authors), "|".join(record.tags), record.category_path or "",
    ]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def get_source(session: Session, ref: SourceRef) -> Source:
    """The source ``ref`` names: by kind and address when it has one (a folder, a feed,
    a site: importing it again finds it whatever it is called now, and a name chosen
    with ``--source`` renames it), else by name."""
    by_name = select(Source).where(Source.kind == ref.kind, Source.name == ref.name)
    source = None
    if ref.url:
        by_url = select(Source).where(Source.kind == ref.kind, Source.url == ref.url)
        source = session.scalars(by_url.order_by(Source.id)).first()
        if source is not None and ref.chosen and source.name != ref.name:
            if session.scalar(by_name) is None:
                source.name = ref.name
            session.flush()
    if source is None:
        source = session.scalar(by_name)
    if source is None:
        source = Source(name=ref.name, kind=ref.kind, url=ref.url)
        session.add(source)
        session.flush()
    return source


def get_person(session: Session, name: str) -> Person:
    """The person of this name. A hub keeps one person per name: someone who writes on
    two blogs is one author, whose reviews gather on one page; two namesakes are not
    told apart (rare within the one community a hub serves)."""
    person = session.scalar(select(Person).where(Person.name == name))
    if person is None:
        person = Person(name=name)
        session.add(person)
        session.flush()
    return person


def store_page(session: Session, page: PageImport, linker: Linker | None = None) -> StoreSummary:
    """Store a parsed page: its reviews, and its digest (editors, order) when it is one."""
    summary = store_reviews(session, page.reviews, linker)
    if page.digest is None or not page.reviews:
        return summary
    first = session.get_one(Review, summary.review_ids[0])
    store_digest(session, first.source, page.digest, summary.review_ids)
    return summary


def store_digest(
    session: Session, source: Source, record: DigestRecord, review_ids: list[int]
) -> Digest:
    """Insert or update a digest of ``source``: its fields, editors and reviews in order."""
    ident = record.external_id or content_hash_of(source.name, record.title, record.label or "")
    ident = fit_id(ident)
    digest = session.scalar(
        select(Digest).where(Digest.source_id == source.id, Digest.external_id == ident)
    )
    if digest is None:
        digest = Digest(source_id=source.id, external_id=ident)
        session.add(digest)
    digest.title, digest.intro = clean(record.title), clean(record.intro)
    digest.label = clean(record.label)[: length_of(Digest.label)] if record.label else None
    digest.period_start = record.published
    digest.period_end = record.period_end or record.published
    digest.url = record.url
    editors = dict.fromkeys(clean(name)[: length_of(Person.name)] for name in record.editors)
    digest.editors = [get_person(session, name) for name in editors]
    session.flush()
    session.execute(delete(DigestReview).where(DigestReview.digest_id == digest.id))
    session.add_all(
        DigestReview(digest_id=digest.id, review_id=rid, position=n)
        for n, rid in enumerate(dict.fromkeys(review_ids))
    )
    return digest


def content_hash_of(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
