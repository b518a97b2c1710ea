"""The loader given many learners' enrolments on one roadmap (a study group's
page) gives each learner the state it gives them alone."""

from __future__ import annotations

from datetime import date, timedelta

from progress.items.services import item_progress_set_state
from progress.models import Enrolment
from progress.state import load_state, load_states
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment, roadmap_items


def test_many_learners_on_one_roadmap_each_get_their_own_plan(db):
    roadmap = make_roadmap(steps=4, items_per_step=3)
    items = roadmap_items(roadmap)
    enrolments = []
    for n in range(5):
        enrolment = make_enrolment(make_user(), roadmap, hours_per_week=3 + n,
                                   start_date=date.today() - timedelta(weeks=n))
        for item in items[: n * 2]:
            item_progress_set_state(enrolment=enrolment, item=item, state="done")
        enrolments.append(enrolment)
    today = date.today()
    loaded = list(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).select_related("roadmap")
                  .order_by("pk"))
    together = load_states(loaded, today=today, front_items=False)
    for enrolment in loaded:
        alone = load_state(enrolment, today=today, front_items=False)
        mine = together[enrolment.pk]
        assert mine.step_order == alone.step_order and len(mine.step_order) == 5  # 4 steps, roadmap-wide last
        assert mine.schedule.step_weeks == alone.schedule.step_weeks
        assert mine.schedule.finish_date == alone.schedule.finish_date
        assert (mine.progress, mine.pace) == (alone.progress, alone.pace)
