"""i18n priority: where a paid review reaches the most readers.

Each locale's score is its views in the last three months times the share of its messages not
yet reviewed (webapp.reviews, as ``i18n stats`` counts them). The views arrive already rounded
for the report (0 below 10), so a score never tells more about the readers than the report does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from webapp.translating.catalog_tools import Stats

MONTHS = 3


@dataclass(frozen=True)
class Priority:
    code: str
    views: int
    unreviewed: float

    @property
    def score(self) -> float:
        return self.views * self.unreviewed


def recent_months(month: str, count: int = MONTHS) -> tuple[str, ...]:
    """``month`` ("YYYY-MM") and the ``count - 1`` months before it."""
    year, number = map(int, month.split("-"))
    index = year * 12 + number - 1
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, index - count, -1))


def unreviewed_share(stats: Stats) -> float:
    return stats.draft / stats.total if stats.total else 0.0


def rank(views: Mapping[str, int], stats: Iterable[Stats]) -> list[Priority]:
    """Every locale of ``stats``, the highest score first (then the larger unreviewed share)."""
    found = [Priority(s.code, views.get(s.code, 0), unreviewed_share(s)) for s in stats]
    return sorted(found, key=lambda p: (-p.score, -p.unreviewed, p.code))
