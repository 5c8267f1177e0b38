"""common search terms

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 13:10:00

``search_term`` keeps how many documents hold each common term (SQLite: recounted
from ``search_vocab`` after a reindex or a snapshot import), so that a query looks up
the counts of all its words at once instead of asking FTS5, which counts a term by
reading its whole posting list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_term",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_term")),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO search_term SELECT term, doc FROM search_vocab WHERE doc > 1000")


def downgrade() -> None:
    op.drop_table("search_term")
