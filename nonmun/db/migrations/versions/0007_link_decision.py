"""people's decisions on links

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00

``link_decision`` keeps what a person said of a review's link to a paper (confirm,
reject, add, with a role); the stored mentions have them applied, and re-linking
keeps them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_decision",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "decision IN ('confirm', 'reject', 'add')", name=op.f("ck_link_decision_decision")
        ),
        sa.CheckConstraint(
            "role IS NULL OR role IN ('reviewed', 'mentioned')", name=op.f("ck_link_decision_role")
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["paper.id"],
            name=op.f("fk_link_decision_paper_id_paper"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_link_decision_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "paper_id", name=op.f("pk_link_decision")),
    )
    op.create_index(op.f("ix_link_decision_paper_id"), "link_decision", ["paper_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_link_decision_paper_id"), table_name="link_decision")
    op.drop_table("link_decision")
