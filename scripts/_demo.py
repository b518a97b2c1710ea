"""Pure helpers of the fault demonstrations (pg_restart_recovery.py,
restart_under_load.py, scale_demo.py): what a sample is, how an outage phase
is counted and recovery measured, the port guard, the verdict line. No
processes here, so tests/test_demo_helpers.py can check them alone."""

from __future__ import annotations

from dataclasses import dataclass

# The machine's own PostgreSQL and Redis: other people's work runs on them,
# so a demonstration that stops services must never be pointed at them.
SHARED_PORTS = {5432: "the machine's PostgreSQL", 6379: "the machine's Redis"}
CLUSTER_PREFIX = "waymark_demo_"
SLOW_PATH = "/__restart_demo_slow"  # served by _demo_slow_app.py in front of the app


@dataclass(frozen=True)
class Sample:
    at: float  # time.monotonic() when the answer (or the failure) arrived
    ok: bool
    outcome: str  # "200", "500", "302 to sign-in", "timeout", "refused" …
    signed_in: bool
    seconds: float = 0.0  # how long the answer (or the failure) took


@dataclass(frozen=True)
class Phase:
    before: int
    before_errors: int
    during: int
    during_errors: int
    signed_in_during: int
    signed_in_during_errors: int
    after: int
    after_errors: int
    errors_after_recovery: int
    recovery: float | None  # seconds from "service back" to the first run of successes
    outage_seconds: float
    slowest: float  # the longest wait for an answer in the phase, failed or not
    error_outcomes: dict[str, int]  # every failed answer of the phase, by kind


def demo_port(port: int, what: str) -> int:
    """The port, if a demonstration may run its own service there."""
    if port in SHARED_PORTS:
        raise SystemExit(f"Refusing port {port} for {what}: that is {SHARED_PORTS[port]}, shared with others.")
    if not 1024 <= port <= 65535:
        raise SystemExit(f"Refusing port {port} for {what}: choose an unprivileged port (1024-65535).")
    return port


def is_demo_cluster(name: str) -> bool:
    """Only clusters a demonstration created (and named) are ever stopped or dropped."""
    return name.startswith(CLUSTER_PREFIX) and name[len(CLUSTER_PREFIX) :].isdigit()


def recovery_seconds(samples: list[Sample], back_at: float, run: int) -> float | None:
    """Seconds from back_at to the first of `run` consecutive successful
    answers that all arrived after it; None when that never happened."""
    streak_started, streak = None, 0
    for sample in sorted((s for s in samples if s.at >= back_at), key=lambda s: s.at):
        if not sample.ok:
            streak_started, streak = None, 0
            continue
        if streak == 0:
            streak_started = sample.at
        streak += 1
        if streak >= run:
            return streak_started - back_at
    return None


def summarize(samples: list[Sample], *, down_at: float, back_at: float, run: int) -> Phase:
    before = [s for s in samples if s.at < down_at]
    during = [s for s in samples if down_at <= s.at < back_at]
    after = [s for s in samples if s.at >= back_at]
    recovery = recovery_seconds(samples, back_at, run)
    recovered_at = back_at + recovery if recovery is not None else back_at
    outcomes: dict[str, int] = {}
    for sample in samples:
        if not sample.ok:
            outcomes[sample.outcome] = outcomes.get(sample.outcome, 0) + 1
    signed_in_during = [s for s in during if s.signed_in]
    return Phase(
        before=len(before),
        before_errors=_errors(before),
        during=len(during),
        during_errors=_errors(during),
        signed_in_during=len(signed_in_during),
        signed_in_during_errors=_errors(signed_in_during),
        after=len(after),
        after_errors=_errors(after),
        errors_after_recovery=_errors(s for s in after if s.at >= recovered_at),
        recovery=recovery,
        outage_seconds=back_at - down_at,
        slowest=max((s.seconds for s in samples), default=0.0),
        error_outcomes=dict(sorted(outcomes.items())),
    )


def _errors(samples) -> int:
    return sum(1 for s in samples if not s.ok)


def phase_report(name: str, phase: Phase, *, run: int) -> str:
    recovery = "never" if phase.recovery is None else f"{phase.recovery:.1f} s"
    return "\n".join(
        [
            f"phase: {name}",
            f"  before: {phase.before} requests, {phase.before_errors} errors",
            f"  during ({phase.outage_seconds:.1f} s): {phase.during} requests, {phase.during_errors} errors"
            f" (signed-in pages: {phase.signed_in_during_errors} errors of {phase.signed_in_during})",
            f"  after:  {phase.after} requests, {phase.after_errors} errors"
            f" ({phase.errors_after_recovery} after recovery)",
            f"  recovery: {recovery} after the service was back ({run} consecutive successes)",
            f"  failed answers by kind: {phase.error_outcomes or 'none'}; slowest answer {phase.slowest:.1f} s",
        ]
    )


def verdict(criteria: list[tuple[str, bool]]) -> tuple[bool, str]:
    ok = all(passed for _, passed in criteria)
    names = "; ".join(name for name, _ in criteria)
    if ok:
        return True, f"PASS ({names})"
    failed = "; ".join(name for name, passed in criteria if not passed)
    return False, f"FAIL ({names}) — failed: {failed}"


def recovery_criteria(phase: Phase, limit: float) -> list[tuple[str, bool]]:
    """What every outage phase must show: a clean start, recovery in time, a clean end."""
    return [
        ("no errors before the outage", phase.before > 0 and phase.before_errors == 0),
        (f"recovered within {limit:g} s", phase.recovery is not None and phase.recovery <= limit),
        ("no errors after recovery", phase.after > 0 and phase.errors_after_recovery == 0),
    ]
