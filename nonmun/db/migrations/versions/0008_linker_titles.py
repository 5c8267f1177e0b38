"""the linker's titles kept in the hub

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:30:00

``linker_title`` (titles' folded words by a hash of their first three), ``linker_name``
(coined names before titles' colons) and ``linker_word`` (in how many titles a word
is) let a command's linker start without reading every title
(``nonmun.linking.titles``); they are filled here from the hub's papers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linker_title",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("whole", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linker_title")),
    )
    op.create_index(op.f("ix_linker_title_hash"), "linker_title", ["hash"])
    op.create_index(op.f("ix_linker_title_paper_id"), "linker_title", ["paper_id"])
    op.create_table(
        "linker_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linker_name")),
    )
    op.create_index(op.f("ix_linker_name_paper_id"), "linker_name", ["paper_id"])
    op.create_table(
        "linker_word",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("titles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_linker_word")),
    )
    from nonmun.linking.titles import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("linker_word")
    op.drop_index(op.f("ix_linker_name_paper_id"), table_name="linker_name")
    op.drop_table("linker_name")
    op.drop_index(op.f("ix_linker_title_paper_id"), table_name="linker_title")
    op.drop_index(op.f("ix_linker_title_hash"), table_name="linker_title")
    op.drop_table("linker_title")
