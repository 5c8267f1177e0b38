"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 04:53:01.499531
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_checkpoint",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_import_checkpoint")),
    )
    op.create_table(
        "paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arxiv_id", sa.String(length=40), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.String(length=255), nullable=False),
        sa.Column(
            "authors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("author_key", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("updated", sa.Date(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("journal_ref", sa.Text(), nullable=True),
        sa.Column("abstract", sa.Text(), nullable=True),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column(
            "versions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "links",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper")),
        sa.UniqueConstraint("arxiv_id", name=op.f("uq_paper_arxiv_id")),
        sa.UniqueConstraint("doi", name=op.f("uq_paper_doi")),
    )
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_title_key"), ["title_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_year"), ["year"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("name", name=op.f("uq_person_name")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("kind", "name", name=op.f("uq_source_kind_name")),
    )
    op.create_table(
        "digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_digest_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_digest_source_id_external_id")
        ),
    )
    op.create_table(
        "paper_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["paper.id"],
            name=op.f("fk_paper_alias_paper_id_paper"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_alias")),
        sa.UniqueConstraint("paper_id", "key", name=op.f("uq_paper_alias_paper_id_key")),
    )
    with op.batch_alter_table("paper_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_alias_key"), ["key"], unique=False)

    op.create_table(
        "paper_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["paper.id"],
            name=op.f("fk_paper_identifier_paper_id_paper"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_identifier")),
        sa.UniqueConstraint("scheme", "value", name=op.f("uq_paper_identifier_scheme_value")),
    )
    with op.batch_alter_table("paper_identifier", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_paper_identifier_paper_id"), ["paper_id"], unique=False
        )

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column(
            "urls",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("category_path", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_review_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_review_source_id_external_id")
        ),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_published"), ["published"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_source_id"), ["source_id"], unique=False)

    op.create_table(
        "digest_editor",
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["digest.id"],
            name=op.f("fk_digest_editor_digest_id_digest"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_digest_editor_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest_id", "person_id", name=op.f("pk_digest_editor")),
    )
    with op.batch_alter_table("digest_editor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_editor_person_id"), ["person_id"], unique=False)

    op.create_table(
        "digest_review",
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["digest.id"],
            name=op.f("fk_digest_review_digest_id_digest"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_digest_review_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest_id", "review_id", name=op.f("pk_digest_review")),
    )
    with op.batch_alter_table("digest_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_review_review_id"), ["review_id"], unique=False)

    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.CheckConstraint("role IN ('reviewed', 'mentioned')", name=op.f("ck_mention_role")),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_mention_confidence")
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["paper.id"], name=op.f("fk_mention_paper_id_paper"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_mention_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention")),
        sa.UniqueConstraint("review_id", "paper_id", name=op.f("uq_mention_review_id_paper_id")),
    )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "review_author",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_review_author_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_review_author_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "person_id", name=op.f("pk_review_author")),
    )
    with op.batch_alter_table("review_author", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_author_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_author_person_id"))

    op.drop_table("review_author")
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_paper_id"))

    op.drop_table("mention")
    with op.batch_alter_table("digest_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_review_review_id"))

    op.drop_table("digest_review")
    with op.batch_alter_table("digest_editor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_editor_person_id"))

    op.drop_table("digest_editor")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_source_id"))
        batch_op.drop_index(batch_op.f("ix_review_published"))

    op.drop_table("review")
    with op.batch_alter_table("paper_identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_identifier_paper_id"))

    op.drop_table("paper_identifier")
    with op.batch_alter_table("paper_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_alias_key"))

    op.drop_table("paper_alias")
    op.drop_table("digest")
    op.drop_table("source")
    op.drop_table("person")
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_year"))
        batch_op.drop_index(batch_op.f("ix_paper_title_key"))

    op.drop_table("paper")
    op.drop_table("import_checkpoint")
