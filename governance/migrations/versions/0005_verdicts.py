"""verdicts: gate conditions on scans, standards without a gate, waivers with a workflow

Revision ID: 0005_verdicts
Revises: 0004_pipeline
Create Date: 2026-12-01 21:53:45.297162
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005_verdicts'
down_revision: str | None = '0004_pipeline'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KIND = sa.Enum('false_positive', 'accepted_risk', name='waiverkind')
STATE = sa.Enum('requested', 'approved', 'rejected', 'revoked', name='waiverstate')


def upgrade() -> None:
    bind = op.get_bind()
    KIND.create(bind, checkfirst=True)
    STATE.create(bind, checkfirst=True)
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate', sa.JSON(), nullable=False, server_default='{}'))

    # A standard is no gate: its row keeps how many of its rules failed instead.
    with op.batch_alter_table('standard_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_rules', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_column('gate_passed')

    # Waivers written before the workflow were approved ones.
    with op.batch_alter_table('waiver', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', KIND, nullable=False, server_default='accepted_risk'))
        batch_op.add_column(sa.Column('state', STATE, nullable=False, server_default='approved'))
        batch_op.add_column(sa.Column('finding', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(
            sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('decision_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('approver', existing_type=sa.VARCHAR(length=200), nullable=True)
        batch_op.create_index('ix_waiver_module_state', ['module_id', 'state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('waiver', schema=None) as batch_op:
        batch_op.drop_index('ix_waiver_module_state')
        batch_op.alter_column('approver', existing_type=sa.VARCHAR(length=200), nullable=False)
        for column in ('decided_at', 'decision_reason', 'requested_by', 'finding', 'state', 'kind'):
            batch_op.drop_column(column)
    with op.batch_alter_table('standard_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate_passed', sa.BOOLEAN(), nullable=False, server_default=sa.true()))
        batch_op.drop_column('failed_rules')
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_column('gate')
    bind = op.get_bind()
    STATE.drop(bind, checkfirst=True)
    KIND.drop(bind, checkfirst=True)
