"""tickets: rectification tickets (reshaped) and campaigns

The ``ticket`` and ``ticket_comment`` tables of the first schema were never written (no
service existed), so they are dropped and made again in their new shape: a state column of
plain text (five states), the cause, assignee, planned date, escalation and scan links;
the grouped findings move to ``ticket_finding`` (one row per fingerprint).

Revision ID: 0014_tickets
Revises: reports_evidence
Create Date: 2026-12-04 18:15:21.725419
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_tickets"
down_revision: str | None = "reports_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("ticket_comment")
    op.drop_table("ticket")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS ticketstate")

    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("goal", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("standard", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("result_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_state"), ["state"], unique=False)

    op.create_table(
        "campaign_module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("measured", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "module_id", name="uq_campaign_module"),
    )
    with op.batch_alter_table("campaign_module", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_module_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_module_module_id"), ["module_id"], unique=False)

    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("assignee", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_scan_id", sa.Integer(), nullable=True),
        sa.Column("last_scan_id", sa.Integer(), nullable=True),
        sa.Column("close_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opened_scan_id"],
            ["scan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["last_scan_id"],
            ["scan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_module_state", ["module_id", "state"], unique=False)
        batch_op.create_index("ix_ticket_state_due", ["state", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "ticket_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_comment_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "fingerprint", name="uq_ticket_finding"),
    )
    with op.batch_alter_table("ticket_finding", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_finding_module_fingerprint", ["module_id", "fingerprint"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ticket_finding_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    """Back to the first schema's (empty) ticket tables; tickets and campaigns are dropped."""
    op.drop_table("ticket_finding")
    op.drop_table("ticket_comment")
    op.drop_table("ticket")
    op.drop_table("campaign_module")
    op.drop_table("campaign")
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("fingerprints", sa.JSON(), nullable=False),
        sa.Column(
            "state", sa.Enum("open", "answered", "verified", "closed", name="ticketstate"), nullable=False
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_module_state", ["module_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_vendor_id"), ["vendor_id"], unique=False)
    op.create_table(
        "ticket_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_comment_ticket_id"), ["ticket_id"], unique=False)
