"""Renumber personal milestones whose enrolment has repeated positions
(concurrent "add" requests made them), so that 0006 can make positions
unique. Each such enrolment's milestones become 1..n in their old order
(position, then creation); enrolments without duplicates are untouched.

A separate migration from the constraint: on PostgreSQL, rows updated in
the same transaction as an ALTER TABLE can fail with "pending trigger
events"."""

from django.db import migrations
from django.db.models import Count


def renumber(apps, schema_editor):
    Milestone = apps.get_model("progress", "Milestone")
    duplicated = (
        Milestone.objects.order_by().values("enrolment_id", "position").annotate(n=Count("pk")).filter(n__gt=1)
        .values_list("enrolment_id", flat=True).distinct()
    )
    for enrolment_id in set(duplicated):
        rows = list(Milestone.objects.filter(enrolment_id=enrolment_id).order_by("position", "pk"))
        for number, row in enumerate(rows, start=1):
            row.position = number
        Milestone.objects.bulk_update(rows, ["position"])


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_enrolment_step_summaries")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
