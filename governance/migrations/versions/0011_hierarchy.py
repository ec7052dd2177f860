"""requirement.parent_key: requirements form a hierarchy within their module

Revision ID: 0011_hierarchy
Revises: 0010_facts
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (SQLModel migrations may refer to its types)
from alembic import op

revision: str = "0011_hierarchy"
down_revision: str | None = "0010_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requirement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parent_key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_requirement_parent_key"), ["parent_key"], unique=False)
        batch_op.create_foreign_key(
            "fk_requirement_parent_key_requirement", "requirement", ["parent_key"], ["key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("requirement", schema=None) as batch_op:
        batch_op.drop_constraint("fk_requirement_parent_key_requirement", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_requirement_parent_key"))
        batch_op.drop_column("parent_key")
