"""Writes a moderator makes to a leaderboard (issue 14): which way one of its metrics ranks.

The metric table (community.metrics) decides by a metric's name; where it is wrong for a leaderboard
(or does not know the metric), a moderator sets the direction for the column, which stores it on each
of the column's results (Result.higher_is_better; None hands the choice back to the table) and records
the field as the moderator's (community.services.field_edits), so a later import leaves it alone.
"""

from django.db import transaction

from community.models import Dataset, Result, Task
from community.services.field_edits import field_edits_record


def leaderboard_direction_set(
    *, task: Task, dataset: Dataset, metric: str, higher_is_better: bool | None, moderator
) -> int:
    """Rank `metric` of `task` on `dataset` with `higher_is_better` (None: by the metric table).
    Returns how many results it set."""
    with transaction.atomic():
        results = list(Result.objects.filter(task=task, dataset=dataset, metric=metric).only("pk"))
        Result.objects.filter(pk__in=[r.pk for r in results]).update(higher_is_better=higher_is_better)
        for result in results:
            field_edits_record(item=result, fields=["higher_is_better"], user=moderator)
    return len(results)
