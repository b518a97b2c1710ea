"""The pure helpers of the fault demonstrations (scripts/_demo.py): how
recovery is measured from the samples, and the guard that keeps the demos
off the machine's shared PostgreSQL and Redis. No cluster is started here."""

import importlib.util
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("waymark_demo_helpers", BASE_DIR / "scripts" / "_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _samples(demo, *pairs, signed_in=True):
    return [demo.Sample(at=at, ok=ok, outcome="200" if ok else "500", signed_in=signed_in) for at, ok in pairs]


def test_it_measures_recovery_from_the_first_run_of_successes_after_the_service_is_back(demo):
    samples = _samples(demo, (1.0, True), (10.5, False), (11.0, True), (11.5, False), (12.0, True), (12.5, True),
                       (13.0, True), (14.0, True))  # fmt: skip
    assert demo.recovery_seconds(samples, back_at=10.0, run=3) == pytest.approx(2.0)


def test_it_ignores_successes_before_the_service_came_back(demo):
    samples = _samples(demo, (8.0, True), (9.0, True), (9.5, True), (10.2, True))
    assert demo.recovery_seconds(samples, back_at=10.0, run=2) is None


def test_it_orders_samples_by_time_whatever_order_the_threads_appended_them(demo):
    samples = _samples(demo, (12.0, True), (10.4, False), (11.0, True), (10.8, True))
    assert demo.recovery_seconds(samples, back_at=10.0, run=3) == pytest.approx(0.8)


def test_it_reports_no_recovery_when_errors_keep_coming(demo):
    samples = _samples(demo, (10.1, True), (10.2, False), (10.3, True), (10.4, False))
    assert demo.recovery_seconds(samples, back_at=10.0, run=2) is None


def test_it_counts_requests_and_errors_before_during_and_after_the_outage(demo):
    samples = _samples(demo, (1.0, True), (2.0, True), (5.5, False), (6.0, False), (7.0, True), (15.5, False),
                       (16.0, True), (16.5, True), (17.0, True), (18.0, False))  # fmt: skip
    phase = demo.summarize(samples, down_at=5.0, back_at=15.0, run=3)
    assert (phase.before, phase.before_errors) == (2, 0)
    assert (phase.during, phase.during_errors) == (3, 2)
    assert (phase.after, phase.after_errors) == (5, 2)
    assert phase.recovery == pytest.approx(1.0)
    assert phase.errors_after_recovery == 1  # the one at 18.0; the one at 15.5 came before recovery
    assert phase.outage_seconds == pytest.approx(10.0)


def test_it_counts_signed_in_errors_during_the_outage_apart(demo):
    samples = _samples(demo, (6.0, False), (7.0, True)) + _samples(demo, (6.5, False), signed_in=False)
    phase = demo.summarize(samples, down_at=5.0, back_at=15.0, run=3)
    assert (phase.during_errors, phase.signed_in_during, phase.signed_in_during_errors) == (2, 2, 1)


def test_without_recovery_every_error_after_the_outage_counts(demo):
    phase = demo.summarize(_samples(demo, (16.0, False), (17.0, True)), down_at=5.0, back_at=15.0, run=3)
    assert phase.recovery is None
    assert phase.errors_after_recovery == 1


@pytest.mark.parametrize("port", [5432, 6379])
def test_it_refuses_the_machines_shared_postgresql_and_redis_ports(demo, port):
    with pytest.raises(SystemExit, match=str(port)):
        demo.demo_port(port, "the demo's service")


@pytest.mark.parametrize("port", [0, 80, 70000])
def test_it_refuses_ports_outside_the_unprivileged_range(demo, port):
    with pytest.raises(SystemExit):
        demo.demo_port(port, "the demo's service")


def test_it_accepts_a_port_of_its_own(demo):
    assert demo.demo_port(5440, "PostgreSQL") == 5440


def test_it_only_ever_touches_clusters_it_named_itself(demo):
    assert demo.is_demo_cluster("waymark_demo_1234")
    assert not demo.is_demo_cluster("main")
    assert not demo.is_demo_cluster("waymark")


def test_the_verdict_names_every_criterion_and_the_ones_that_failed(demo):
    ok, line = demo.verdict([("no errors after recovery", True), ("recovered within 5 s", False)])
    assert not ok
    assert line.startswith("FAIL")
    assert "recovered within 5 s" in line.split("failed:")[1]
    ok, line = demo.verdict([("no errors after recovery", True)])
    assert ok and line.startswith("PASS") and "no errors after recovery" in line


def test_a_phase_that_recovers_late_or_fails_afterwards_does_not_pass(demo):
    clean = _samples(demo, (1.0, True), (15.2, True), (15.4, True), (16.0, True))
    late = _samples(demo, (1.0, True), (15.2, False), (21.0, True), (21.5, True), (22.0, True))
    for samples, expected in ((clean, True), (late, False)):
        phase = demo.summarize(samples, down_at=5.0, back_at=15.0, run=3)
        assert all(passed for _, passed in demo.recovery_criteria(phase, limit=5)) is expected


def test_it_reports_the_slowest_answer_of_the_phase_failed_or_not(demo):
    samples = [demo.Sample(at=6.0, ok=False, outcome="timeout", signed_in=True, seconds=10.0),
               demo.Sample(at=16.0, ok=True, outcome="200", signed_in=False, seconds=0.3)]  # fmt: skip
    assert demo.summarize(samples, down_at=5.0, back_at=15.0, run=1).slowest == pytest.approx(10.0)
