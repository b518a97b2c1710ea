"""Review history in "download my data" and the CSV/JSON exports; deleting
the account removes it."""

from __future__ import annotations

import csv
import io
import json

from django.urls import reverse

from progress.items.services import item_progress_save_details, item_progress_set_state
from reviews.models import ReviewCard, ReviewLog
from roadmaps.models import ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items


def _reviewed(learner):
    enrolment = make_enrolment(learner, make_roadmap(steps=1, items_per_step=2))
    enrolment.user = learner
    topic = next(item for item in roadmap_items(enrolment.roadmap) if item.kind == ItemKind.TOPIC)
    item_progress_save_details(enrolment=enrolment, item=topic, confidence=2)
    item_progress_set_state(enrolment=enrolment, item=topic, state="done")
    return enrolment, topic


def test_download_my_data_has_every_card_and_answer(learner_client, learner, other_learner):
    _reviewed(learner)
    _reviewed(other_learner)
    data = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)
    [card] = data["reviews"]
    assert card["item"] == "Item 0.0" and card["answers"][0]["rating"] == "hard"
    assert card["answers"][0]["source"] == "done"


def test_the_exports_carry_the_review_columns(learner_client, learner):
    enrolment, topic = _reviewed(learner)
    rows = list(csv.DictReader(io.StringIO(
        learner_client.get(reverse("progress:export_one", args=[enrolment.pk, "csv"])).content.decode()
    )))
    reviewed = next(row for row in rows if row["item"] == topic.title)
    other = next(row for row in rows if row["item"] != topic.title)
    card = ReviewCard.objects.get()
    assert (reviewed["reviews"], reviewed["next_review_on"], reviewed["review_wanted"]) == (
        "1", card.due_on.isoformat(), "True"
    )
    assert other["reviews"] == "" and other["next_review_on"] == ""
    [exported] = json.loads(
        learner_client.get(reverse("progress:export_one", args=[enrolment.pk, "json"])).content
    )["enrolments"]
    assert next(item for item in exported["items"] if item["item"] == topic.title)["reviews"] == 1


def test_deleting_the_account_removes_the_review_history(learner):
    _reviewed(learner)
    learner.delete()
    assert not ReviewCard.objects.exists() and not ReviewLog.objects.exists()
