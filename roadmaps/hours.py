"""How many hours an item weighs: its estimate, or the default for its kind.

One rule for the roadmap page's step and roadmap totals and for every
learner's plan and progress (progress.schedule, progress.summaries), so what
a roadmap advertises is what the plan adds up.
"""

from __future__ import annotations

from decimal import Decimal

# Hours assumed for an item the editor gave no estimate.
DEFAULT_HOURS: dict[str, Decimal] = {
    "topic": Decimal(1),
    "resource": Decimal(1),
    "checkpoint": Decimal(1),
    "project": Decimal(4),
}
FALLBACK_HOURS = Decimal(1)


def item_hours(kind: str, estimated_hours: Decimal | None) -> Decimal:
    """The weight of an item: its estimate, or the default for its kind."""
    if estimated_hours:
        return Decimal(estimated_hours)
    return DEFAULT_HOURS.get(kind, FALLBACK_HOURS)
