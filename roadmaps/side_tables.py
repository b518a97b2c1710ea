"""A roadmap's small tables (pace plans, guidance, metrics, retrospective
prompts, tags) read in one round trip.

Each of them holds a handful of rows per roadmap, yet read one query each
they were most of the queries of a roadmap page read after an editor's save
(the page's cache is cold then). Here every table is one arm of a single
UNION ALL, each row packed as a JSON object (`JSONObject`: JSON_OBJECT on
SQLite, JSONB_BUILD_OBJECT on PostgreSQL), and turned back into ordinary
model instances with every concrete field loaded, so nothing is deferred
and reading any field later costs no query.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import JSONObject

from roadmaps.models import Guidance, MetricDefinition, PacePlan, RetrospectivePrompt, Roadmap, Tag

# Field types whose JSON form `_value` turns back into what the ORM would
# give. Anything else (dates, times) fails loudly rather than arriving as a string.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _arm(queryset: models.QuerySet, table: str) -> models.QuerySet:
    columns = {field.attname: F(field.attname) for field in queryset.model._meta.concrete_fields}
    return queryset.order_by().values(table=Value(table, output_field=CharField()), row=JSONObject(**columns))


def _value(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        # A JSON number (20 on SQLite, 20.0 on PostgreSQL): back to the
        # column's own scale, as the ORM returns it.
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.BooleanField):
        return bool(value)  # SQLite's JSON has 0 and 1
    if isinstance(field, PLAIN_FIELDS):
        return value
    raise TypeError(f"{field.model.__name__}.{field.name}: {type(field).__name__} is not read from JSON here")


def _instance(model: type[models.Model], row: dict, db: str) -> models.Model:
    fields = model._meta.concrete_fields
    return model.from_db(db, None, [_value(field, row[field.attname]) for field in fields])


def load_side_tables(roadmap: Roadmap) -> dict[type[models.Model], list]:
    """model → its rows for the roadmap, each list in the order the page shows
    them (by position, then pk; guidance by kind first; tags by name). The
    prompts are the roadmap's own and the global default set: the caller
    chooses with `effective_prompts`."""
    arms = {
        PacePlan: PacePlan.objects.filter(roadmap=roadmap),
        Guidance: Guidance.objects.filter(roadmap=roadmap),
        MetricDefinition: MetricDefinition.objects.filter(roadmap=roadmap),
        RetrospectivePrompt: RetrospectivePrompt.objects.candidates_for([roadmap.pk]),
        Tag: Tag.objects.filter(roadmaps=roadmap),
    }
    models_by_table = {model._meta.db_table: model for model in arms}
    first, *rest = (_arm(queryset, model._meta.db_table) for model, queryset in arms.items())
    union = first.union(*rest, all=True)
    found: dict[type[models.Model], list] = defaultdict(list)
    for result in union:
        model = models_by_table[result["table"]]
        found[model].append(_instance(model, result["row"], union.db))
    found[Guidance].sort(key=lambda row: (row.kind, row.position, row.pk))
    found[Tag].sort(key=lambda tag: (tag.name, tag.pk))
    for model in (PacePlan, MetricDefinition, RetrospectivePrompt):
        found[model].sort(key=lambda row: (row.position, row.pk))
    return {model: found[model] for model in arms}
