import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="digestsent",
            name="day",
            # No digest was sent before this field existed: the default fills no real row.
            field=models.DateField(
                default=datetime.date(2000, 1, 1),
                help_text="The learner's date it fell due: the digest's figures are as of then.",
            ),
            preserve_default=False,
        ),
    ]
