"""'Skip the optional items' (issue 13): a third plan repair, and the step
summaries keep the optional items in progress and their hours.

The new columns start at zero; the enrolments that have an optional item in
progress (or any item that might be one: not core, or under a topic) get
their summaries' version stamp cleared, so the loader recomputes them from
the raw rows until their next write rebuilds them (progress.summaries)."""

import django.db.models.expressions
from decimal import Decimal
from django.db import migrations, models


def distrust_summaries_with_optional_items_in_progress(apps, schema_editor):
    Enrolment = apps.get_model("progress", "Enrolment")
    ItemProgress = apps.get_model("progress", "ItemProgress")
    touched = (
        ItemProgress.objects.filter(state="in_progress")
        .filter(~models.Q(item__status="core") | models.Q(item__parent__isnull=False))
        .values("enrolment_id")
    )
    Enrolment.objects.filter(pk__in=touched).update(summarised_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0009_enrolment_study_week_and_reviews'),
        ('roadmaps', '0004_item_structure'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='planrepair',
            name='plan_repair_kind_valid',
        ),
        migrations.AddField(
            model_name='enrolmentstep',
            name='optional_open_count',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='enrolmentstep',
            name='optional_open_hours',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=10),
        ),
        migrations.RunPython(distrust_summaries_with_optional_items_in_progress, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='planrepair',
            name='kind',
            field=models.CharField(choices=[('move_date', 'Moved the finish date'), ('raise_pace', 'Raised the pace to keep the date'), ('skip_optional', 'Skipped the optional items in progress')], max_length=16),
        ),
        migrations.AddConstraint(
            model_name='enrolmentstep',
            constraint=models.CheckConstraint(condition=models.Q(('optional_open_count__lte', models.F('in_progress_count')), ('optional_open_hours__gte', 0), ('optional_open_hours__lte', django.db.models.expressions.CombinedExpression(models.F('total_hours'), '-', models.F('done_hours')))), name='enrolment_step_optional_open_consistent'),
        ),
        migrations.AddConstraint(
            model_name='planrepair',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['move_date', 'raise_pace', 'skip_optional'])), name='plan_repair_kind_valid'),
        ),
    ]
