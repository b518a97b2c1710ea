"""The weekly digest's reviews: what is due now and in the coming week, per
roadmap with reviews on, in one query whatever the number of cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from notifications import digest
from progress.items.services import item_progress_set_state
from progress.models import Enrolment
from reviews.models import ReviewCard
from roadmaps.models import ItemKind
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items

NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday: Lea's digest day
TODAY = date(2026, 3, 9)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://waymark.example.com"


def enrolment_with_cards(user, title: str, due_days: list[int]) -> Enrolment:
    """A roadmap whose first topics are done, their reviews due `due_days`
    days from TODAY (negative: overdue). Each topic is 2 h: 12 minutes."""
    roadmap = make_roadmap(steps=len(due_days), items_per_step=1, title=title)
    enrolment = make_enrolment(user, roadmap, start_date=TODAY - timedelta(weeks=2))
    topics = [item for item in roadmap_items(roadmap) if item.kind == ItemKind.TOPIC]
    for topic, days in zip(topics, due_days, strict=True):
        item_progress_set_state(enrolment=enrolment, item=topic, state="done")
        ReviewCard.objects.filter(enrolment=enrolment, item=topic).update(due_on=TODAY + timedelta(days=days))
    return enrolment


def reviews_part(text: str) -> list[str] | None:
    """The lines of the text part's reviews section, None without one."""
    lines = text.splitlines()
    if "REVIEWS" not in lines:
        return None
    part = lines[lines.index("REVIEWS") + 1:]
    return part[:next(n for n, line in enumerate(part) if line.startswith("Answer them"))]


def test_it_lists_the_reviews_due_now_and_in_the_coming_week(db):
    user = make_user("lea@example.com", display_name="Lea")
    enrolment_with_cards(user, "Rust in 12 weeks", [-3, 0, 2, 6, 7, 30])
    assert digest.digests_enqueue(now=NOW) == 1
    [message] = mail.outbox
    text, html = message.body, message.alternatives[0][0]
    # Overdue and today: 2 × 12 min; the 11th and the 15th: 2 more; the 16th
    # and later are not in the coming week.
    assert reviews_part(text) == [
        "Rust in 12 weeks: 2 due now (about 24 min), then 2 in the coming week (about 24 min)."]
    assert "https://waymark.example.com/dashboard/#reviews" in text
    assert "<h2>Reviews</h2>" in html and "<strong>Rust in 12 weeks</strong>: 2 due now" in html


def test_it_leaves_out_roadmaps_with_reviews_off_and_cards_not_wanted(db):
    user = make_user("lea@example.com", display_name="Lea")
    off = enrolment_with_cards(user, "Reviews off", [0])
    Enrolment.objects.filter(pk=off.pk).update(reviews_on=False)
    opted_out = enrolment_with_cards(user, "Not wanted", [1])
    ReviewCard.objects.filter(enrolment=opted_out).update(opted_out_at=NOW)
    enrolment_with_cards(user, "Only later", [3])
    digest.digests_enqueue(now=NOW)
    assert reviews_part(mail.outbox[0].body) == ["Only later: 1 in the coming week (about 12 min)."]


def test_no_reviews_section_when_nothing_is_due_this_week(db):
    user = make_user("lea@example.com", display_name="Lea")
    enrolment_with_cards(user, "Rust in 12 weeks", [20])
    digest.digests_enqueue(now=NOW)
    text = mail.outbox[0].body
    assert reviews_part(text) is None and "LAST WEEK" in text and "Reviews" not in mail.outbox[0].alternatives[0][0]


def test_its_queries_do_not_grow_with_the_cards(db, django_assert_max_num_queries):
    user = make_user("lea@example.com", display_name="Lea")
    enrolment_with_cards(user, "Rust in 12 weeks", [0])
    many = make_roadmap(steps=30, items_per_step=10, title="Many topics")
    enrolment = make_enrolment(user, many, start_date=TODAY - timedelta(weeks=2))
    items = roadmap_items(many)
    ReviewCard.objects.create(enrolment=enrolment, item=items[0], due=NOW, due_on=TODAY)
    with django_assert_max_num_queries(30) as one:
        digest.digest_context(user=user, today=TODAY)
    ReviewCard.objects.bulk_create(
        ReviewCard(enrolment=enrolment, item=item, due=NOW, due_on=TODAY + timedelta(days=n % 7))
        for n, item in enumerate(items[1:])
    )
    assert ReviewCard.objects.count() == 301
    with django_assert_max_num_queries(len(one.captured_queries)):
        context = digest.digest_context(user=user, today=TODAY)
    [section] = [section for section in context["sections"] if section.name == "reviews"]
    assert [(row["roadmap"].title, row["due"] + row["later"]) for row in section.context["roadmaps"]] == [
        ("Rust in 12 weeks", 1), ("Many topics", 300)]
