from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("progress", "0005_milestone_renumber_positions")]

    operations = [
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.UniqueConstraint(fields=("enrolment", "position"), name="milestone_one_per_position"),
        ),
    ]
