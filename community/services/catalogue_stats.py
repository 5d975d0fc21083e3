"""Counts the topic pages show, kept in the rows they describe (issue 18).

A topic page showed its papers per year and its projects most-linked first by aggregating over every
paper of the topic on every request (200 ms and more at 100,000 papers). `catalogue_stats_refresh`
stores both instead, in two statements over the whole catalogue: `Topic.papers_per_year` and
`Project.paper_count`. It runs as a periodic job (celery beat, CATALOGUE_STATS_SECONDS) and after a
generated catalogue is written; between two runs a new paper shows on its topic's page at once, and
in the chart and the counts at the next run.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from community.models import ModerationStatus, Paper, Project, Topic

PUBLISHED = ModerationStatus.PUBLISHED


@dataclass(frozen=True)
class StatsReport:
    topics: int
    projects: int


def catalogue_stats_refresh() -> StatsReport:
    """Store every topic's published papers per year and every project's published papers linking it.
    Safe to run twice (the second run writes the same values)."""
    per_topic: dict[int, list[list[int]]] = defaultdict(list)
    rows = (
        Paper.topics.through.objects.filter(paper__status=PUBLISHED)
        .values_list("topic_id", "paper__year")
        .annotate(n=Count("paper_id"))
        .order_by("topic_id", "paper__year")
    )
    for topic_id, year, n in rows:
        per_topic[topic_id].append([year, n])
    linking = (
        Paper.projects.through.objects.filter(project_id=OuterRef("pk"), paper__status=PUBLISHED)
        .order_by()
        .values("project_id")
        .annotate(n=Count("paper_id"))
        .values("n")
    )
    with transaction.atomic():
        topics = list(Topic.objects.only("pk", "papers_per_year"))
        changed = [t for t in topics if t.papers_per_year != per_topic.get(t.pk, [])]
        for topic in changed:
            topic.papers_per_year = per_topic.get(topic.pk, [])
        Topic.objects.bulk_update(changed, ["papers_per_year"], batch_size=500)
        # Only the rows whose count moved are written (no signal: a count is no edit of the item).
        fresh = Coalesce(Subquery(linking, output_field=IntegerField()), Value(0))
        projects = Project.objects.exclude(paper_count=fresh).update(paper_count=fresh)
    return StatsReport(topics=len(changed), projects=projects)
