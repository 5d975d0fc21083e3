"""Reads of knowledge-base guides."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Prefetch, QuerySet, Value

from community.models import (
    ChangeRecord,
    Channel,
    EditSuggestion,
    Guide,
    Organization,
    Paper,
    Project,
    ReviewStatus,
    Venue,
)

from ._common import published_topics


def guide_list() -> QuerySet[Guide]:
    """Published guides in reading order (`order`, then title)."""
    # The body is not shown on the list; deferring it (in every language) keeps long articles out of
    # the page query.
    return (
        Guide.objects.published()
        .defer("body")
        .prefetch_related(published_topics())
        .order_by("order", "title", "pk")
    )


def guide_detail() -> QuerySet[Guide]:
    """Published guides with the published papers, projects, venues, organisations, channels and
    topics they link, and who created them (for guide_credits). The page adds the leaderboard of
    `benchmark` (training.selectors.benchmark_board)."""
    return (
        Guide.objects.published()
        .select_related("created_by")
        .prefetch_related(
            published_topics(),
            Prefetch("papers", queryset=Paper.objects.published().order_by("year", "title", "pk")),
            Prefetch("projects", queryset=Project.objects.published().order_by("name", "pk")),
            Prefetch("venues", queryset=Venue.objects.published().order_by("name", "pk")),
            Prefetch("organizations", queryset=Organization.objects.published().order_by("name", "pk")),
            Prefetch("channels", queryset=Channel.objects.published().order_by("name", "pk")),
        )
    )


def guide_latest(*, limit: int) -> QuerySet[Guide]:
    return Guide.objects.published().defer("body").order_by("-updated_at", "-pk")[:limit]


# --- who wrote a guide ------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """One approved contribution: the first version ("created") or an applied edit ("edit").
    `name` is empty where the account that sent it has been deleted."""

    kind: str
    at: datetime | None
    name: str


@dataclass
class GuideCredits:
    """Who a guide's page credits, all taken from the moderation record.

    `by_editors`: nobody submitted it through the site: it came with the seed catalogue, written by
    the DeepCommons editors. `names`: the people who submitted it or had an edit approved, each
    once, in the order of their first contribution. `former_members`: contributions remain from
    accounts that have been deleted; those people are not named (community.services.accounts).
    `revisions`: every approved contribution, newest first.
    """

    by_editors: bool = False
    names: list[str] = field(default_factory=list)
    former_members: bool = False
    revisions: list[Revision] = field(default_factory=list)


def guide_credits(guide: Guide) -> GuideCredits:
    """Who wrote `guide`: its creator (`created_by`, selected by guide_detail) and the senders of its
    approved edits. One query, however many contributors."""
    # The content type by name in the same query, not get_for_model(): that is a query of its own
    # the first time a process asks, and the page's count would then depend on what ran before.
    this_guide = {
        "content_type__app_label": Guide._meta.app_label,
        "content_type__model": Guide._meta.model_name,
        "object_id": guide.pk,
    }
    text = models.CharField()
    created = ChangeRecord.objects.filter(**this_guide, action=ChangeRecord.Action.SUBMITTED).values_list(
        Value("created", output_field=text), "user_id", "user__username", "created_at"
    )
    edits = EditSuggestion.objects.filter(**this_guide, status=ReviewStatus.APPROVED).values_list(
        Value("edit", output_field=text), "submitted_by_id", "submitted_by__username", "reviewed_at"
    )
    rows = list(created.order_by().union(edits.order_by(), all=True))

    credits = GuideCredits()
    # (when, created before edits, kind, user id or None for a deleted account, username)
    contributions: list[tuple[datetime | None, int, str, int | None, str]] = []
    creator = guide.created_by
    if creator is not None:
        # From the guide rather than its submission record: staff who write one in the admin leave none.
        contributions.append((guide.created_at, 0, "created", creator.pk, creator.get_username()))
    elif not any(row[0] == "created" for row in rows):
        credits.by_editors = True
    for kind, user_id, username, at in rows:
        if kind == "created" and creator is not None:
            continue  # the creator, counted above
        contributions.append((at, 0 if kind == "created" else 1, kind, user_id, username or ""))
    contributions.sort(key=lambda row: (row[0] is None, row[0] or datetime.min, row[1]))
    seen: set[int] = set()
    for at, _first, kind, user_id, username in contributions:
        credits.revisions.append(Revision(kind=kind, at=at, name=username if user_id else ""))
        if user_id is None:
            credits.former_members = True
        elif user_id not in seen:
            seen.add(user_id)
            credits.names.append(username)
    credits.revisions.reverse()
    return credits
