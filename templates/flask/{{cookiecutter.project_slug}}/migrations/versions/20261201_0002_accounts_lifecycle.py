"""Case-insensitive unique usernames and addresses, sign-in records, failed sign-ins.

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

users = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("username", sa.String()),
    sa.column("email", sa.String()),
    sa.column("username_key", sa.String()),
    sa.column("email_key", sa.String()),
)


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("username_key", sa.String(length=150), nullable=True))
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
    connection = op.get_bind()
    for user in connection.execute(sa.select(users.c.id, users.c.username, users.c.email)):
        connection.execute(
            users.update()
            .where(users.c.id == user.id)
            .values(username_key=fold(user.username), email_key=fold(user.email))
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("username_key", existing_type=sa.String(length=150), nullable=False)
        batch_op.alter_column("email_key", existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_constraint("uq_users_username", type_="unique")
        batch_op.drop_constraint("uq_users_email", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_users_username_key"), ["username_key"])
        batch_op.create_unique_constraint(batch_op.f("uq_users_email_key"), ["email_key"])

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
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint("uq_users_email_key", type_="unique")
        batch_op.drop_constraint("uq_users_username_key", type_="unique")
        batch_op.create_unique_constraint("uq_users_email", ["email"])
        batch_op.create_unique_constraint("uq_users_username", ["username"])
        batch_op.drop_column("email_key")
        batch_op.drop_column("username_key")
