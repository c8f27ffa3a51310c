"""The account lifecycle: case-folded unique keys, sessions by user, sign-in throttling.

- ``users.username_key`` and ``users.email_key``: the NFKC + casefold() form of the username
  and the address, unique (they replace the unique constraints on the values as typed);
- ``sessions.user_id``: the user logged in on a session, so all of a user's sessions can end;
- ``throttle_events``: failed sign-ins and password-reset mails, counted in the database.

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
        batch.add_column(sa.Column("username_key", sa.String(length=150), nullable=True))
        batch.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("username", sa.String()),
        sa.column("email", sa.String()),
        sa.column("username_key", sa.String()),
        sa.column("email_key", sa.String()),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(users.c.id, users.c.username, users.c.email)).all():
        connection.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(username_key=fold(row.username), email_key=fold(row.email))
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username_key", existing_type=sa.String(length=150), nullable=False)
        batch.alter_column("email_key", existing_type=sa.String(length=254), nullable=False)
        batch.drop_constraint("uq_users_username", type_="unique")
        batch.drop_constraint("uq_users_email", type_="unique")
        batch.create_unique_constraint(batch.f("uq_users_username_key"), ["username_key"])
        batch.create_unique_constraint(batch.f("uq_users_email_key"), ["email_key"])

    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_sessions_user_id"), ["user_id"])
        batch.create_foreign_key(
            batch.f("fk_sessions_user_id_users"), "users", ["user_id"], ["id"], ondelete="CASCADE"
        )

    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    op.create_index("ix_throttle_events_kind_key", "throttle_events", ["kind", "key", "created_at"])
    op.create_index(op.f("ix_throttle_events_created_at"), "throttle_events", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_throttle_events_created_at"), table_name="throttle_events")
    op.drop_index("ix_throttle_events_kind_key", table_name="throttle_events")
    op.drop_table("throttle_events")

    with op.batch_alter_table("sessions") as batch:
        batch.drop_constraint(batch.f("fk_sessions_user_id_users"), type_="foreignkey")
        batch.drop_index(batch.f("ix_sessions_user_id"))
        batch.drop_column("user_id")

    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(batch.f("uq_users_email_key"), type_="unique")
        batch.drop_constraint(batch.f("uq_users_username_key"), type_="unique")
        batch.create_unique_constraint(batch.f("uq_users_email"), ["email"])
        batch.create_unique_constraint(batch.f("uq_users_username"), ["username"])
        batch.drop_column("email_key")
        batch.drop_column("username_key")
