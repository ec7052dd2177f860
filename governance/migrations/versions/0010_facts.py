"""cross_duplication: code of a scanned module also found in another module (per scan, per other module)

Revision ID: 0010_facts
Revises: 0006_rules
Create Date: 2026-12-04 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (SQLModel migrations may refer to its types)
from alembic import op

revision: str = "0010_facts"
down_revision: str | None = "scorecards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cross_duplication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("other_module_id", sa.Integer(), nullable=False),
        sa.Column("other_commit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("blocks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["module.id"]),
        sa.ForeignKeyConstraint(["other_module_id"], ["module.id"]),
        sa.ForeignKeyConstraint(["scan_id"], ["scan.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cross_duplication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cross_duplication_module_id"), ["module_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cross_duplication_other_module_id"), ["other_module_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cross_duplication_scan_id"), ["scan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cross_duplication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cross_duplication_scan_id"))
        batch_op.drop_index(batch_op.f("ix_cross_duplication_other_module_id"))
        batch_op.drop_index(batch_op.f("ix_cross_duplication_module_id"))
    op.drop_table("cross_duplication")
