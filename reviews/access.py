"""Loading a learner's review cards: 404 on anything not theirs (as
progress/access.py does for the rest of a learner's objects)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from reviews.models import ReviewCard


def get_card_for_user(user, pk: int) -> ReviewCard:
    card = get_object_or_404(
        ReviewCard.objects.select_related("enrolment__roadmap", "item").filter(item__retired_at__isnull=True),
        pk=pk, enrolment__user=user,
    )
    card.enrolment.user = user  # the signed-in learner: no query to load them again
    return card
