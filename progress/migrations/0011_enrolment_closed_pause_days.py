"""The finished pauses' days kept on the enrolment (`closed_pause_days`)
instead of summed in a subquery on every learner page.

The column arrives with db_default 0, so the previous release, which does
not know it, still inserts enrolments; then it is filled from the pause
rows. The rule is written out here rather than imported, so that this
migration keeps meaning what it meant: the finished pauses that began on or
after the start date, each `ended_on - started_on` days. Pauses the previous
release closes after this ran are counted by `manage.py rebuild_summaries`
once the new release serves."""

from collections import defaultdict

from django.db import migrations, models


def count_closed_pause_days(apps, schema_editor):
    Enrolment = apps.get_model("progress", "Enrolment")
    EnrolmentPause = apps.get_model("progress", "EnrolmentPause")
    finished = EnrolmentPause.objects.filter(
        ended_on__isnull=False, started_on__gte=models.F("enrolment__start_date")
    ).values_list("enrolment_id", "started_on", "ended_on")
    days: dict[int, int] = defaultdict(int)
    for enrolment_id, started_on, ended_on in finished.iterator(chunk_size=2000):
        days[enrolment_id] += (ended_on - started_on).days
    by_figure: dict[int, list[int]] = defaultdict(list)
    for enrolment_id, figure in days.items():
        if figure:
            by_figure[figure].append(enrolment_id)
    for figure, enrolment_ids in by_figure.items():
        for start in range(0, len(enrolment_ids), 500):
            Enrolment.objects.filter(pk__in=enrolment_ids[start:start + 500]).update(closed_pause_days=figure)


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0010_repair_skip_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="closed_pause_days",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(count_closed_pause_days, migrations.RunPython.noop, elidable=True),
    ]
