"""Signed checkpoints of each company's chain, and cached states without pickle: the old
`snapshots` (pickles, trusted blindly) are dropped, being only a cache; `cached_states` holds
plain data bound to the chain and signed. `charter init` signs the head of each company
stored before checkpoints existed.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("snapshots")
    op.create_table(
        "cached_states",
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state_version", sa.String(40), primary_key=True),
        sa.Column("event_hash", sa.String(64), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )
    op.create_table(
        "checkpoints",
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.String(40), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkpoints")
    op.drop_table("cached_states")
    op.create_table(
        "snapshots",
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("state_version", sa.String(40), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
