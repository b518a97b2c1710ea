"""The dashboard's one-tap buttons name their item in the reader's own
quotation marks ("Done: “Closures”", "Hecho: «Closures»"), escaped once."""

from __future__ import annotations

import pytest

from roadmaps.models import Item
from tests.progress_helpers import make_enrolment, roadmap_items

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "quoted"), [("en", "“A &amp; &lt;B&gt;”"), ("es", "«A &amp; &lt;B&gt;»")])
def test_the_buttons_quote_the_item_the_readers_way(learner_client, learner, roadmap, language, quoted):
    make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    Item.objects.filter(pk=item.pk).update(title="A & <B>")
    from roadmaps.services import roadmap_touch
    roadmap_touch(roadmap=roadmap)
    page = learner_client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<span class="visually-hidden">: {quoted}</span>' in page
    assert page.count(quoted) >= 3  # Start, Done and Skip
    assert "&amp;amp;" not in page and "<B>" not in page
