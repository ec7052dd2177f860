"""scan: the baseline scan and the count of fixed findings as columns (were keys of metrics)

Revision ID: 0009_perf
Revises: 0005_verdicts
Create Date: 2026-12-01 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (SQLModel migrations may refer to its types)
from alembic import op

revision: str = '0009_perf'
down_revision: str | None = '0005_verdicts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline_scan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fixed_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key('fk_scan_baseline_scan_id_scan', 'scan', ['baseline_scan_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint('fk_scan_baseline_scan_id_scan', type_='foreignkey')
        batch_op.drop_column('fixed_count')
        batch_op.drop_column('baseline_scan_id')
