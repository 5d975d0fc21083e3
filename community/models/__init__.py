"""The catalogue, one module per family."""

from .base import ModerationStatus
from .careers import JobPosting
from .channels import Channel
from .funding import FundingOpportunity
from .guides import Guide
from .history import TimelineEvent
from .import_jobs import ImportJob
from .leaderboards import Dataset, Method, PaperCode, PwcPaper, Result, Task
from .moderation import ChangeRecord, EditSuggestion, Report, ReviewStatus
from .papers import Authorship, Paper, SimilarPaper
from .people import Organization, Person
from .projects import Project
from .provenance import FieldEdit, Provenance, SourceFetch
from .tokens import ApiTokenInfo
from .topics import Topic
from .venues import AcceptanceRate, Deadline, Edition, Venue

__all__ = [
    "AcceptanceRate",
    "ApiTokenInfo",
    "Authorship",
    "ChangeRecord",
    "EditSuggestion",
    "FieldEdit",
    "Report",
    "ReviewStatus",
    "Channel",
    "Dataset",
    "Deadline",
    "Edition",
    "FundingOpportunity",
    "ImportJob",
    "Guide",
    "JobPosting",
    "Method",
    "ModerationStatus",
    "Organization",
    "Paper",
    "PaperCode",
    "Person",
    "Project",
    "Provenance",
    "PwcPaper",
    "Result",
    "SimilarPaper",
    "SourceFetch",
    "Task",
    "TimelineEvent",
    "Topic",
    "Venue",
]
