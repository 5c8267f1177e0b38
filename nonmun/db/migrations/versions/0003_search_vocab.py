"""search vocabulary

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:50:00

SQLite only: ``search_vocab`` reads FTS5's own term statistics (how many documents
hold a term), so that queries can leave out terms too common to narrow anything.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_vocab")
