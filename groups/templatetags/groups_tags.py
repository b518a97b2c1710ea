"""The "share with <group>" buttons on a retrospective's page. The
retrospectives app does not import this one: its template includes
groups/includes/retro_share.html, which calls this tag."""

from __future__ import annotations

from django import template
from django.db.models import Exists, OuterRef, Q

from groups.models import Membership, SharedRetrospective

register = template.Library()


@register.simple_tag(takes_context=True)
def retrospective_share_groups(context, retro) -> list[Membership]:
    """The learner's groups this submitted retrospective could be shared
    with (groups on its roadmap, or on none), each with `is_shared`: one query."""
    user = context["request"].user
    if retro is None or not retro.is_submitted or not user.is_authenticated:
        return []
    roadmap_id = retro.enrolment.roadmap_id
    return list(
        Membership.objects.filter(user=user)
        .filter(Q(group__roadmap__isnull=True) | Q(group__roadmap_id=roadmap_id))
        .select_related("group")
        .annotate(is_shared=Exists(SharedRetrospective.objects.filter(membership=OuterRef("pk"), retrospective=retro)))
        .order_by("group__name", "pk")
    )
