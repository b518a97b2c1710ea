"""Reads of learner state shared by views, the dashboard, exports and the admin."""

from __future__ import annotations

from django.db import models


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user) -> EnrolmentQuerySet:
        return self.filter(user=user)

    def current(self) -> EnrolmentQuerySet:
        """Enrolments the learner is still following (active or paused)."""
        return self.filter(status__in=["active", "paused"])

    def active(self) -> EnrolmentQuerySet:
        return self.filter(status="active")



class ItemProgressQuerySet(models.QuerySet):
    def for_user(self, user) -> ItemProgressQuerySet:
        return self.filter(enrolment__user=user)

    def on_roadmap(self) -> ItemProgressQuerySet:
        """Rows whose item is still on the roadmap (not retired by an editor)."""
        return self.filter(item__retired_at__isnull=True)

    def revisit_for(self, user) -> ItemProgressQuerySet:
        """Items the learner finished with low confidence (≤ 2) on roadmaps they
        still follow: the dashboard's "revisit" list, most recent first."""
        return (
            self.filter(
                enrolment__user=user,
                enrolment__status__in=["active", "paused"],
                state="done",
                confidence__lte=2,
                item__retired_at__isnull=True,
            )
            .select_related("item", "item__step", "enrolment__roadmap")
            .order_by("-state_changed_at", "pk")
        )


class StudyEntryQuerySet(models.QuerySet):
    def for_user(self, user) -> StudyEntryQuerySet:
        return self.filter(user=user)

    def between(self, first, last) -> StudyEntryQuerySet:
        """Entries dated first..last inclusive (dates in the learner's time zone)."""
        return self.filter(date__gte=first, date__lte=last)


class MetricEntryQuerySet(models.QuerySet):
    def for_user(self, user) -> MetricEntryQuerySet:
        return self.filter(enrolment__user=user)

