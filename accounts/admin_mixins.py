"""Admin pieces shared by the apps that show learners' rows to staff."""

from __future__ import annotations

from accounts.services import data_version_bump


class LearnerRowsAdminMixin:
    """For a ModelAdmin over rows a learner owns: a staff save or delete is
    not the learner's own POST, so it moves the learner's data version here
    (`User.data_version`), and their cached dashboard shows the change.

    `learner_lookup` is the path from the row to the learner's id."""

    learner_lookup = "enrolment__user_id"

    def _learner_ids(self, queryset) -> set[int]:
        return set(queryset.values_list(self.learner_lookup, flat=True))

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        for user_id in self._learner_ids(self.model.objects.filter(pk=obj.pk)):
            data_version_bump(user_id=user_id)

    def delete_model(self, request, obj) -> None:
        user_ids = self._learner_ids(self.model.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        for user_id in user_ids:
            data_version_bump(user_id=user_id)

    def delete_queryset(self, request, queryset) -> None:
        user_ids = self._learner_ids(queryset)
        super().delete_queryset(request, queryset)
        for user_id in user_ids:
            data_version_bump(user_id=user_id)
