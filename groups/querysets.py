"""Reads of groups shared by views, the digest and the admin."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q


class StudyGroupQuerySet(models.QuerySet):
    def of_user(self, user) -> StudyGroupQuerySet:
        return self.filter(memberships__user=user)

    def with_counts(self) -> StudyGroupQuerySet:
        return self.annotate(
            member_count=Count("memberships", distinct=True),
            organiser_count=Count("memberships", filter=Q(memberships__role="organiser"), distinct=True),
        )


class MembershipQuerySet(models.QuerySet):
    def organisers(self) -> MembershipQuerySet:
        return self.filter(role="organiser")

    def of_user(self, user) -> MembershipQuerySet:
        return self.filter(user=user)
