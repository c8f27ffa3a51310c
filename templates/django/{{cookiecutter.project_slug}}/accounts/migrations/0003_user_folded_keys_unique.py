"""The database refuses a second username or e-mail address that differs only in case."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_folded_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.TextField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_key",
            field=models.TextField(editable=False, unique=True),
        ),
    ]
