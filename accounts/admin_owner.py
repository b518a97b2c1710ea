"""Admins of rows a learner owns: the owner is fixed once the row exists.

Moving an enrolment to another account would hand its private notes,
study log and retrospectives to someone else; moving an email address,
an authenticator or a GitHub link would hand over the sign-in itself.
Staff may look, fix a field, or delete; never re-own.
"""

from __future__ import annotations

from django.http import HttpRequest


class OwnerReadOnlyOnChange:
    """Mixed in before admin.ModelAdmin. `owner_fields` are the foreign keys
    that say whose row it is (the user, or the enrolment that belongs to one):
    editable only on an add form, where they must be chosen at all."""

    owner_fields: tuple[str, ...] = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return readonly + tuple(name for name in self.owner_fields if name not in readonly)
