"""Ordered inlines: positions editors type, keys made from titles.

Editors order rows by typing numbers. Saving a formset that swaps two
positions (1 ↔ 2) is valid, but saving the rows one by one would collide
with the database's "unique position" constraints midway. `save_ordered_formset`
first moves every changed row to a temporary position above all others in
one UPDATE, then saves the rows at their new positions. Validation of
positions and keys is done across the whole formset for the same reason:
each row alone may collide with another row's *stored* value.

Blank positions get the next free number; blank keys are made from the title,
unique within the roadmap.
"""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

KEY_HELP = gettext_lazy("Stable name for YAML files. Empty: made from the title.")
POSITION_HELP = gettext_lazy("Order on the page. Empty: at the end.")


def has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def unique_key(text: str, taken: set[str], *, fallback: str = "entry", max_length: int = 80) -> str:
    """A slug made from `text` that is not in `taken` ("intro", "intro-2"…)."""
    base = slugify(text)[:max_length].strip("-") or fallback
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


def key_source(obj: models.Model) -> str:
    return getattr(obj, "title", "") or getattr(obj, "name", "")


class OrderedFormMixin:
    """Position and key may be left blank; both are checked by the formset
    (or by the form's own `clean`) instead of row by row against the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            field = self.fields["position"]
            field.required = False
            field.help_text = POSITION_HELP
            field.widget.attrs.setdefault("class", "vSmallIntegerField")
            if self.instance._state.adding:
                # Show an empty box, not the model default 0, on new rows.
                field.initial = None
                self.initial.pop("position", None)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields["key"].help_text = KEY_HELP

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"position", "key"}


class OrderedInlineForm(OrderedFormMixin, forms.ModelForm):
    pass


class OrderedInlineFormSet(BaseInlineFormSet):
    """Inline formset for rows with a position (and maybe a key) in a roadmap."""

    def prepare_instance(self, obj: models.Model) -> None:
        """Hook: set fields the inline fixes (kind, roadmap…) on every row."""

    def position_group(self, obj: models.Model) -> tuple:
        """Rows with the same group share a numbering (e.g. guidance by kind)."""
        return ()

    def is_active(self, obj: models.Model) -> bool:
        """Inactive (retired) rows are outside the unique-position constraints."""
        return True

    def save_order(self, obj: models.Model):
        """Sort key for saving rows, for constraints other than positions."""
        return 0

    def roadmap_id(self) -> int | None:
        return getattr(self.instance, "roadmap_id", None) or self.instance.pk

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        # A table row's boxes have no <label> of their own (the column header
        # names them for sighted users): give each an accessible name.
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                label = str(field.label or form.fields[name].label or name.replace("_", " ")).capitalize()
                if index is None:
                    aria_label = gettext("%(field)s, new row") % {"field": label}
                else:
                    aria_label = gettext("%(field)s, row %(number)d") % {"field": label, "number": index + 1}
                field.widget.attrs.setdefault("aria-label", aria_label)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self.prepare_instance(form.instance)
        return form

    def kept_forms(self) -> list[forms.ModelForm]:
        """Forms whose row will exist after saving."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [
            form
            for form in self.forms
            if form not in deleted
            and hasattr(form, "cleaned_data")
            and (form in self.initial_forms or form.has_changed())
        ]

    def clean(self) -> None:
        super().clean()
        kept = self.kept_forms()
        slots: dict[tuple, str] = {}
        for form in kept:
            obj = form.instance
            if obj.position is None or not self.is_active(obj) or "position" in form.errors:
                continue
            slot = (*self.position_group(obj), obj.position)
            if slot in slots:
                form.add_error("position", gettext("Position %(position)s is also given to “%(holder)s”.") % {
                    "position": obj.position, "holder": slots[slot],
                })
            else:
                slots[slot] = str(obj)
        if has_field(self.model, "key"):
            self._clean_keys(kept)

    def _clean_keys(self, kept: list[forms.ModelForm]) -> None:
        roadmap_id = self.roadmap_id()
        own_pks = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        # Rows holding a key, named only when a clash needs it (naming reads the row's step).
        taken: dict[str, models.Model] = {}
        if roadmap_id:
            others = self.model._default_manager.filter(roadmap_id=roadmap_id).exclude(pk__in=own_pks)
            taken = {row.key: row for row in others.select_related(*_step_relation(self.model))}
        for form in kept:
            key = form.cleaned_data.get("key")
            if not key:
                continue
            if key in taken:
                holder = holder_name(taken[key])
                form.add_error("key", key_taken_message(key, holder))
            else:
                taken[key] = form.instance

    def save(self, commit: bool = True):
        if not commit:
            return super().save(commit=False)
        return save_ordered_formset(self)


def _step_relation(model) -> tuple[str, ...]:
    return ("step",) if has_field(model, "step") else ()


def holder_name(row: models.Model) -> str:
    """How an error names the row that holds a key: “Bowline” (topic in step “Knots”)."""
    if hasattr(row, "get_kind_display") and getattr(row, "kind", ""):
        kind = row.get_kind_display().lower()
        if row.step_id:
            return gettext("“%(title)s” (%(kind)s in step “%(step)s”)") % {"title": row, "kind": kind, "step": row.step}
        return gettext("“%(title)s” (roadmap-wide %(kind)s)") % {"title": row, "kind": kind}
    return f"“{row}”"


def key_taken_message(key: str, holder: str) -> str:
    return gettext("The key “%(key)s” is already used in this roadmap. It belongs to %(holder)s.") % {
        "key": key, "holder": holder,
    }


def next_positions(objects: list, group_of, is_new) -> None:
    """Give objects without a position the next free number in their group."""
    highest: dict[tuple, int] = defaultdict(int)
    for obj in objects:
        if obj.position is not None:
            group = group_of(obj)
            highest[group] = max(highest[group], obj.position)
    for obj in objects:
        if obj.position is None and is_new(obj):
            group = group_of(obj)
            highest[group] += 1
            obj.position = highest[group]


def fill_blank_keys(model, roadmap_id: int, objects: list) -> None:
    if not has_field(model, "key"):
        return
    taken = set(model._default_manager.filter(roadmap_id=roadmap_id).values_list("key", flat=True))
    taken |= {obj.key for obj in objects if obj.key}
    for obj in objects:
        if not obj.key:
            obj.key = unique_key(key_source(obj), taken, fallback=getattr(obj, "kind", "") or model._meta.model_name)
            taken.add(obj.key)


def save_ordered_formset(formset: OrderedInlineFormSet) -> list[models.Model]:
    """Save an ordered inline formset without tripping unique-position constraints."""
    model = formset.model
    with transaction.atomic():
        instances = super(OrderedInlineFormSet, formset).save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()

        changed_pks = [obj.pk for obj, _ in formset.changed_objects]
        if changed_pks:
            siblings = model._default_manager.filter(**{formset.fk.name: formset.instance})
            stored_max = siblings.aggregate(top=Max("position"))["top"] or 0
            typed_max = max((obj.position or 0 for obj in instances), default=0)
            offset = max(stored_max, typed_max) + 1
            model._default_manager.filter(pk__in=changed_pks).update(position=F("position") + offset)

        # Every row of the group, with the positions it will have, to find the next free numbers.
        everyone = [form.instance for form in formset.kept_forms()]
        # New rows, and rows whose position was cleared (moved to another step: "put it at the end").
        next_positions(everyone, formset.position_group, lambda obj: obj._state.adding or obj.position is None)
        roadmap_id = getattr(formset.instance, "roadmap_id", None) or formset.instance.pk
        fill_blank_keys(model, roadmap_id, instances)

        for obj in sorted(instances, key=formset.save_order):
            obj.save()
        formset.save_m2m()
    return instances


def validate_position_and_key(form: forms.ModelForm, *, roadmap_id: int | None, siblings) -> None:
    """For a stand-alone change form (a step page): position and key must be
    free among `siblings` (the other rows of the roadmap)."""
    if roadmap_id is None:
        return
    others = siblings.exclude(pk=form.instance.pk)
    position = form.cleaned_data.get("position")
    if position is not None:
        holder = others.filter(position=position).first()
        if holder:
            form.add_error(
                "position",
                ValidationError(
                    gettext(
                        "Position %(position)s belongs to “%(holder)s”. To swap them, edit both on the roadmap page."
                    ) % {"position": position, "holder": holder},
                ),
            )
    key = form.cleaned_data.get("key")
    holder = others.filter(key=key).first() if key else None
    if holder:
        form.add_error("key", key_taken_message(key, holder_name(holder)))
