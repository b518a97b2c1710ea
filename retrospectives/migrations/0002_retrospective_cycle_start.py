"""Retrospectives belong to a cycle: the enrolment's start date when their
period was counted, so that restarting an enrolment begins fresh periods."""

from django.db import migrations, models


def fill_cycle_start(apps, schema_editor):
    Retrospective = apps.get_model("retrospectives", "Retrospective")
    for retro in Retrospective.objects.select_related("enrolment").only("pk", "enrolment__start_date"):
        Retrospective.objects.filter(pk=retro.pk).update(cycle_start=retro.enrolment.start_date)


class Migration(migrations.Migration):
    dependencies = [
        ("retrospectives", "0001_initial"),
        ("progress", "0002_roadmaplearnerstats"),
    ]

    operations = [
        migrations.AddField(
            model_name="retrospective", name="cycle_start", field=models.DateField(null=True)
        ),
        migrations.RunPython(fill_cycle_start, migrations.RunPython.noop),
        migrations.AlterField(model_name="retrospective", name="cycle_start", field=models.DateField()),
        migrations.RemoveConstraint(model_name="retrospective", name="retrospective_one_per_period"),
        migrations.AddConstraint(
            model_name="retrospective",
            constraint=models.UniqueConstraint(
                fields=("enrolment", "cycle_start", "period_index"), name="retrospective_one_per_period"
            ),
        ),
        migrations.AlterModelOptions(
            name="retrospective", options={"ordering": ["enrolment", "-cycle_start", "-period_index"]}
        ),
    ]
