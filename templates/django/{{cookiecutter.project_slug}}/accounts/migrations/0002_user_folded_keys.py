"""Folded keys of the username and the e-mail address (NFKC, then casefold), filled in for the
users already there; the next migration makes them unique. Two migrations, because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations, models

import accounts.models
from config.rules import fold


def fill_folded_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.using(schema_editor.connection.alias).only("username", "email"):
        user.username_key, user.email_key = fold(user.username), fold(user.email)
        user.save(update_fields=["username_key", "email_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.UserManager()),
            ],
        ),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=models.EmailField(
                error_messages={"unique": "A user with that e-mail address already exists."},
                max_length=254,
                unique=True,
                verbose_name="email address",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="email_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(fill_folded_keys, migrations.RunPython.noop, elidable=True),
    ]
