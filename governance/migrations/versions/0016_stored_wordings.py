"""finding.message_wording, module.last_sync_wording: the wording of text Govern wrote itself

Beside the English text (kept for the API, exports and the CLI) each row may hold the msgid and
values it was written from, so the portal shows it in the reader's language. Both columns are
nullable and added without a default: rows from before (a findings table may hold millions)
are not rewritten and are shown as stored.

Revision ID: 0016_stored_wordings
Revises: 0015_ticket_titles
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_stored_wordings"
down_revision: str | None = "0015_ticket_titles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_wording", sa.JSON(), nullable=True))
    with op.batch_alter_table("module", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_sync_wording", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("module", schema=None) as batch_op:
        batch_op.drop_column("last_sync_wording")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_column("message_wording")
