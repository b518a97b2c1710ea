"""Two submits of one retrospective at once: one row, no text lost."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection

from progress.schedule import local_today
from retrospectives import periods, services
from retrospectives.models import Retrospective, RetrospectiveAnswer, RetrospectiveRevision
from tests.factories import make_roadmap, make_user
from tests.progress_helpers import make_enrolment

QUESTION = services.Question(0, "What went well?", None)


def _save(enrolment, period, text):
    services.retrospective_save(
        enrolment=enrolment, period=period, answers=[services.AnswerInput(QUESTION, text)], submit=True, facts={"n": 1}
    )


def test_it_keeps_one_row_and_both_texts_when_two_submits_race(transactional_db):
    learner = make_user()
    enrolment = make_enrolment(learner, make_roadmap(), start_date=local_today("UTC") - timedelta(weeks=2))
    period = periods.period(start=enrolment.start_date, interval_weeks=2, index=0)
    texts = ["From the first tab", "From the second tab"]
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        errors = []

        def worker(text):
            try:
                barrier.wait()
                _save(enrolment, period, text)
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(text,)) for text in texts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    else:  # SQLite serialises writers: the second submit arrives after the first
        for text in texts:
            _save(enrolment, period, text)
    assert Retrospective.objects.count() == 1
    assert Retrospective.objects.get().status == "submitted"
    final = RetrospectiveAnswer.objects.get().text
    earlier = RetrospectiveRevision.objects.get().answers[0]["text"]
    assert sorted([final, earlier]) == sorted(texts)  # the later one is current, the other kept in history
