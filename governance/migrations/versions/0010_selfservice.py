"""selfservice: the push log of central repositories, API token expiry

``push_record`` keeps every push into a module's central repository, accepted (written by
post-receive) or refused (written by pre-receive, with each broken rule and its fix);
``api_token.expires_at`` lets a self-service token end by itself.

Revision ID: 0010_selfservice
Revises: 0010_notices
Create Date: 2026-12-04 18:09:54.130903
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010_selfservice'
down_revision: str | None = '0010_notices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOME = sa.Enum('accepted', 'refused', name='pushoutcome')


def upgrade() -> None:
    op.create_table('push_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('pusher', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('outcome', OUTCOME, nullable=False),
    sa.Column('updates', sa.JSON(), nullable=False),
    sa.Column('violations', sa.JSON(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('new_commits', sa.Integer(), nullable=False),
    sa.Column('pushed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('push_record', schema=None) as batch_op:
        batch_op.create_index('ix_push_record_module_at', ['module_id', 'pushed_at'], unique=False)

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('push_record', schema=None) as batch_op:
        batch_op.drop_index('ix_push_record_module_at')

    op.drop_table('push_record')
    OUTCOME.drop(op.get_bind(), checkfirst=True)
