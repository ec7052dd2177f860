"""rules: mask secret values already stored in finding messages

Scans recorded before masking hold bandit's quoted literal in the message of its
hard-coded-password findings; this rewrites those messages once with the same masking
function every face now uses, so no stored row shows a secret. No schema change.

Revision ID: 0006_rules
Revises: 0008_evidence
Create Date: 2026-12-01 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from scanners.secretmask import SECRET_RULES, mask_message

revision: str = "0006_rules"
down_revision: str | None = "0008_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FINDING = sa.table(
    "finding", sa.column("id", sa.Integer), sa.column("rule", sa.String), sa.column("message", sa.String)
)
# The secret rules' globs (one definition, in scanners.secretmask) as SQL LIKE patterns.
_SECRET_RULES = sa.or_(*(_FINDING.c.rule.like(pattern.replace("*", "%")) for pattern in SECRET_RULES))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_FINDING.c.id, _FINDING.c.rule, _FINDING.c.message).where(_SECRET_RULES)
    ).all()
    for row_id, rule, message in rows:
        masked = mask_message(rule, message)
        if masked != message:
            bind.execute(sa.update(_FINDING).where(_FINDING.c.id == row_id).values(message=masked))


def downgrade() -> None:
    """Masked values cannot be restored (that is the point); nothing to undo."""
