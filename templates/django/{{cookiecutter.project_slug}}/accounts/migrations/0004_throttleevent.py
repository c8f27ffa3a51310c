"""The events sign-in throttling and the reset-mail limit count (accounts.models.ThrottleEvent)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_folded_keys_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="ThrottleEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("username", "failed sign-in as a username"),
                            ("address", "failed sign-in from an address"),
                            ("reset-mail", "password-reset mail to an address"),
                        ],
                        max_length=16,
                    ),
                ),
                ("key", models.CharField(max_length=320)),
                ("created_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["kind", "key", "created_at"], name="throttle_kind_key_idx")
                ],
            },
        ),
    ]
