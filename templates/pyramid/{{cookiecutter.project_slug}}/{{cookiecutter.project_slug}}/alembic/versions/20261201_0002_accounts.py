"""Case-insensitive usernames and e-mail addresses, sign-in records and throttling events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from {{ cookiecutter.project_slug }}.rules import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("username_key", sa.String(length=450), nullable=True))
        batch.add_column(sa.Column("email_key", sa.String(length=762), nullable=True))
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("email", sa.String),
        sa.column("username_key", sa.String),
        sa.column("email_key", sa.String),
    )
    connection = op.get_bind()
    # Two accounts that differ only in case make this fail: rename one of them first.
    for row in connection.execute(sa.select(users.c.id, users.c.username, users.c.email)):
        connection.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(username_key=fold(row.username), email_key=fold(row.email))
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username_key", existing_type=sa.String(length=450), nullable=False)
        batch.alter_column("email_key", existing_type=sa.String(length=762), nullable=False)
        batch.drop_constraint("uq_users_username", type_="unique")
        batch.drop_constraint("uq_users_email", type_="unique")
        batch.create_unique_constraint(op.f("uq_users_username_key"), ["username_key"])
        batch.create_unique_constraint(op.f("uq_users_email_key"), ["email_key"])

    op.create_table(
        "logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_logins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_logins_token_hash")),
    )
    op.create_index(op.f("ix_logins_created_at"), "logins", ["created_at"])
    op.create_index(op.f("ix_logins_user_id"), "logins", ["user_id"])

    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    op.create_index(op.f("ix_throttle_events_created_at"), "throttle_events", ["created_at"])
    op.create_index("ix_throttle_events_kind_key", "throttle_events", ["kind", "key", "created_at"])


def downgrade():
    op.drop_index("ix_throttle_events_kind_key", table_name="throttle_events")
    op.drop_index(op.f("ix_throttle_events_created_at"), table_name="throttle_events")
    op.drop_table("throttle_events")
    op.drop_index(op.f("ix_logins_user_id"), table_name="logins")
    op.drop_index(op.f("ix_logins_created_at"), table_name="logins")
    op.drop_table("logins")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_email_key", type_="unique")
        batch.drop_constraint("uq_users_username_key", type_="unique")
        batch.create_unique_constraint("uq_users_username", ["username"])
        batch.create_unique_constraint("uq_users_email", ["email"])
        batch.drop_column("email_key")
        batch.drop_column("username_key")
