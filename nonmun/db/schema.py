"""The schema: the domain of DESIGN.md as SQLAlchemy tables.

Paper, Person, Source, Review, Mention and Digest, plus the small tables that
join them. Migrations in ``nonmun/db/migrations`` create exactly this; a test
checks that the two never drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSONType, list[Any]: JSONType}


def _now() -> Any:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class Paper(Base):
    """One work, whatever its versions and wherever it was published."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    arxiv_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    doi: Mapped[str | None] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(String(255), index=True)
    authors: Mapped[list[Any]] = mapped_column(default=list)
    author_key: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    published: Mapped[date | None] = mapped_column(Date)
    updated: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(Text)
    journal_ref: Mapped[str | None] = mapped_column(Text)
    abstract: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[str] = mapped_column(Text, default="")
    versions: Mapped[list[Any]] = mapped_column(default=list)
    links: Mapped[list[Any]] = mapped_column(default=list)
    comments: Mapped[str | None] = mapped_column(Text)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()

    identifiers: Mapped[list[PaperIdentifier]] = relationship(
        back_populates="paper", cascade="all, delete-orphan"
    )
    aliases: Mapped[list[PaperAlias]] = relationship(
        back_populates="paper", cascade="all, delete-orphan"
    )


class PaperIdentifier(Base):
    """An identifier beyond the arXiv id and the DOI (OpenReview, ACL, a second DOI…)."""

    __tablename__ = "paper_identifier"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(255))

    paper: Mapped[Paper] = relationship(back_populates="identifiers")


class PaperAlias(Base):
    """A nickname of a paper ("ViT", "트랜스포머"); ``key`` is its normalised form."""

    __tablename__ = "paper_alias"
    __table_args__ = (UniqueConstraint("paper_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)
    origin: Mapped[str] = mapped_column(String(40), default="manual")

    paper: Mapped[Paper] = relationship(back_populates="aliases")


class Person(Base):
    """Someone who writes reviews or edits digests (not a paper's author)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now()


class Source(Base):
    """Where writing comes from: a blog, a feed, a folder, hand-written entries."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now()


class ReviewAuthor(Base):
    __tablename__ = "review_author"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Review(Base):
    """A piece of writing about papers: a post, a note, a newsletter article."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    urls: Mapped[list[Any]] = mapped_column(default=list)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    category_path: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()

    source: Mapped[Source] = relationship()
    authors: Mapped[list[Person]] = relationship(
        secondary="review_author", order_by="ReviewAuthor.position"
    )
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )


MIN_CONFIDENCE = 0.5  # a mention below this is a guess: shown as a suggestion, not counted


class Mention(Base):
    """Review → Paper, with a role, a confidence and the evidence that matched."""

    __tablename__ = "mention"
    __table_args__ = (
        UniqueConstraint("review_id", "paper_id"),
        CheckConstraint("role IN ('reviewed', 'mentioned')", name="role"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(40), default="")

    review: Mapped[Review] = relationship(back_populates="mentions")
    paper: Mapped[Paper] = relationship()


class LinkDecision(Base):
    """A person's word on a review's link to a paper: confirmed (with its role), rejected,
    or added. The linker's links are stored with these applied, and re-linking never
    overrides them (``nonmun.linking.decisions``)."""

    __tablename__ = "link_decision"
    __table_args__ = (
        CheckConstraint("decision IN ('confirm', 'reject', 'add')", name="decision"),
        CheckConstraint("role IS NULL OR role IN ('reviewed', 'mentioned')", name="role"),
    )

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True
    )
    paper_id: Mapped[int] = mapped_column(
        ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    decision: Mapped[str] = mapped_column(String(8))
    role: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime] = _now()


class DigestReview(Base):
    __tablename__ = "digest_review"

    digest_id: Mapped[int] = mapped_column(
        ForeignKey("digest.id", ondelete="CASCADE"), primary_key=True
    )
    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class DigestEditor(Base):
    __tablename__ = "digest_editor"

    digest_id: Mapped[int] = mapped_column(
        ForeignKey("digest.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Digest(Base):
    """An ordered collection of reviews for a period: a weekly issue."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    intro: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="published", server_default="published")
    grouping: Mapped[str | None] = mapped_column(String(16))  # entries ordered by editor or tag
    created_at: Mapped[datetime] = _now()

    reviews: Mapped[list[Review]] = relationship(
        secondary="digest_review", order_by="DigestReview.position"
    )
    editors: Mapped[list[Person]] = relationship(secondary="digest_editor")


class SearchDoc(Base):
    """A paper or a review as search terms (``nonmun/search``): title and body terms, and
    what filters need. SQLite indexes it with FTS5 (``search_fts``), PostgreSQL with a
    GIN index over its tsvector; both are made by the migrations, not by these models."""

    __tablename__ = "search_doc"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "paper" or "review"
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)


class SearchTerm(Base):
    """How many documents hold a common search term (SQLite; ``nonmun/search/index.py``).

    Only terms in more than ``COMMON_FLOOR`` documents are kept, recounted from FTS5's
    own statistics after a reindex or a snapshot import: a query reads the counts of
    all its words in one lookup to choose which to require (``search/query.py``)."""

    __tablename__ = "search_term"

    term: Mapped[str] = mapped_column(Text, primary_key=True)
    docs: Mapped[int] = mapped_column(Integer)


class LinkerTitle(Base):
    """A paper's title as the linker matches it (``nonmun/linking/titles.py``): its folded
    words, found by ``hash`` (CRC-32 of its first three words, all of a shorter title's).
    ``whole`` is false for the part before a title's colon. Kept by the catalog's
    writers' announcements, so no foreign key: a deleted paper's rows go with its event."""

    __tablename__ = "linker_title"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(Integer, index=True)
    hash: Mapped[int] = mapped_column(Integer, index=True)
    words: Mapped[str] = mapped_column(Text)
    whole: Mapped[bool] = mapped_column(Boolean)


class LinkerName(Base):
    """A coined name before a title's colon ("BERT", "DeiT III"): a nickname candidate."""

    __tablename__ = "linker_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(40))


class LinkerWord(Base):
    """In how many catalog titles a folded word is: how common a name's words are."""

    __tablename__ = "linker_word"

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    titles: Mapped[int] = mapped_column(Integer)


class ImportCheckpoint(Base):
    """How far an import of one file got, so that a rerun resumes after a kill."""

    __tablename__ = "import_checkpoint"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = _now()


def length_of(column: Any) -> int:
    """The most characters a ``String(n)`` column holds: PostgreSQL enforces it and SQLite
    does not, so values are fitted to it before they are stored, on both."""
    return int(column.type.length)


def table_of(model: type[Base]) -> Table:
    """The Core ``Table`` of a mapped class, for bulk statements."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


paper_table = table_of(Paper)
identifier_table = table_of(PaperIdentifier)
alias_table = table_of(PaperAlias)
checkpoint_table = table_of(ImportCheckpoint)
search_table = table_of(SearchDoc)
search_term_table = table_of(SearchTerm)
linker_title_table = table_of(LinkerTitle)
linker_name_table = table_of(LinkerName)
linker_word_table = table_of(LinkerWord)


def include_name(name: str | None, kind: str, parent: object) -> bool:
    """For comparing the database with the models: the FTS5 table and its shadow tables,
    and PostgreSQL's GIN index over the tsvector, are made by hand in migration 0002."""
    if kind == "table":
        return not (name or "").startswith(("search_fts", "search_vocab"))
    return not (kind == "index" and name == "ix_search_doc_tsv")
