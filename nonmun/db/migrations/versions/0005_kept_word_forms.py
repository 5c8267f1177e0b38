"""field words keep their own stems

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:00:00

The tokeniser no longer stems "transformer" to "transform", "adapter" to "adapt",
"normalization" to "normal" or "tokenizer" to "token" (``nonmun.text.terms.KEPT_FORMS``),
so documents indexed under those stems are indexed again, with today's tokeniser.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.orm import Session

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_STEMS = ("transform", "adapt", "normal", "token")


def upgrade() -> None:
    from nonmun.search.index import reindex_holding

    reindex_holding(Session(bind=op.get_bind()), OLD_STEMS)


def downgrade() -> None:
    pass  # the documents keep the newer stems; `nonmun reindex` rebuilds them either way
