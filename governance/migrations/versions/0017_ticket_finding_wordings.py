"""ticket_finding.message_wording: the wording of a ticket's finding, copied from the finding

A ticket copies the findings it asks to fix; with only the English message its page showed a
finding Govern worded itself in English to every reader. The column holds the msgid and values
(as finding.message_wording does, 0016) so the page shows it in the reader's language. Nullable
and added without a default: rows from before are not rewritten and are shown as stored.

Revision ID: 0017_ticket_finding_wordings
Revises: 0016_stored_wordings
Create Date: 2026-12-06 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_ticket_finding_wordings"
down_revision: str | None = "0016_stored_wordings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_wording", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_finding", schema=None) as batch_op:
        batch_op.drop_column("message_wording")
