"""What the home page shows: the newest items of each kind and the next deadlines."""

from datetime import datetime

from . import careers, funding, guides, papers, projects, topics, venues

HOME_LIMIT = 6


def home_sections(*, now: datetime) -> dict:
    """Querysets (unevaluated) keyed by the name the template uses."""
    return {
        "papers": papers.paper_latest(limit=HOME_LIMIT),
        "projects": projects.project_latest(limit=HOME_LIMIT),
        "jobs": careers.job_open_latest(limit=HOME_LIMIT),
        "funding": funding.funding_open(now=now, limit=HOME_LIMIT),
        "guides": guides.guide_latest(limit=HOME_LIMIT),
        "deadlines": venues.deadline_upcoming(now=now)[:8],
        "topics": topics.topic_all(),
    }
