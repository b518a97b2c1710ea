from django.db import migrations, models


class Migration(migrations.Migration):
    """User.data_version is gone from the code (it keyed the per-learner
    dashboard cache, which is removed). The previous release, still serving
    while this one rolls out, SELECTs and UPDATEs the column, and the rows
    this release INSERTs must satisfy its NOT NULL: so the column first gets
    a database default (db_default=0), then leaves Django's state only.

    The column itself stays in the database. A later release, once no server
    runs the previous one, drops it with a plain RunSQL
    ('ALTER TABLE accounts_user DROP COLUMN data_version').
    """

    dependencies = [
        ("accounts", "0003_user_data_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="data_version",
            field=models.PositiveBigIntegerField(default=0, db_default=0, editable=False),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="user", name="data_version"),
            ],
            database_operations=[],
        ),
    ]
