"""Reads of retrospectives shared by views, the dashboard cards and the command."""

from __future__ import annotations

from django.db import models


class RetrospectiveQuerySet(models.QuerySet):
    def for_user(self, user) -> RetrospectiveQuerySet:
        return self.filter(enrolment__user=user)

    def in_current_cycle(self) -> RetrospectiveQuerySet:
        """Periods counted from the enrolment's present start date (not those
        of a cycle the learner has since restarted)."""
        return self.filter(cycle_start=models.F("enrolment__start_date"))

    def earlier_cycles(self) -> RetrospectiveQuerySet:
        return self.exclude(cycle_start=models.F("enrolment__start_date"))

    def settled(self) -> RetrospectiveQuerySet:
        """Written or skipped."""
        return self.exclude(status="draft")


class RetrospectiveAnswerQuerySet(models.QuerySet):
    def for_user(self, user) -> RetrospectiveAnswerQuerySet:
        return self.filter(retrospective__enrolment__user=user)

    def search(self, text: str) -> RetrospectiveAnswerQuerySet:
        """Answers containing `text` (case-insensitive), newest period first."""
        return (
            self.filter(text__icontains=text.strip())
            .select_related("retrospective__enrolment__roadmap")
            .order_by("-retrospective__period_end", "retrospective__pk", "position")
        )
