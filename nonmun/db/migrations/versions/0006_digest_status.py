"""digests can be drafts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:30:00

A digest assembled in nonmun (``nonmun digest new``) is a draft until it is
published; imported digests are published. ``grouping`` says how a digest's
entries are ordered (by editor or by tag), when it was assembled so.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="published")
        )
        batch.add_column(sa.Column("grouping", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest") as batch:
        batch.drop_column("grouping")
        batch.drop_column("status")
