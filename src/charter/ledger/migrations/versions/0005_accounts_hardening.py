"""Accounts hardened (issue 17 §5): the sign-in throttle as one row per key, changed by
compare-and-set (in place of a row per failure); API tokens with an expiry and their last
use; invitations by login that reveal nothing about the account.

Existing API tokens expire 90 days after this migration.

Revision ID: 0005
Revises: 0004
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("since", sa.DateTime, nullable=False),
        sa.Column("last", sa.DateTime, nullable=False),
        sa.Column("next_allowed", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.drop_table("login_failures")
    op.create_table(
        "invitations",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("login", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("stakeholder", sa.String(100), nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
    )
    expires = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=90)
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column(
                "expires",
                sa.DateTime,
                nullable=False,
                server_default=sa.literal(expires.isoformat(sep=" ")),
            )
        )
        batch.add_column(sa.Column("last_used", sa.DateTime, nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("last_used")
        batch.drop_column("expires")
    op.drop_table("invitations")
    op.drop_table("sign_in_throttle")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_failures_key_hash_at", "login_failures", ["key_hash", "at"])
    op.create_index("ix_login_failures_at", "login_failures", ["at"])
