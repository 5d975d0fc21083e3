"""Submissions, suggested edits and problem reports: the one write path for each.

Web forms and the REST API call these functions with plain data (a form's `cleaned_data`, a
serializer's `validated_data`): related items as instances or primary keys, dates as objects or ISO
text. Every check happens here, not in the caller, and a problem is a ValidationError whose
`error_dict` names the field, so a form can show it beside the field and the API can return it.
Each kind's fields, duplicate check and rules come from its registry entry (community.kinds).

The package, along its seams: `fields` (plain values onto a kind's fields), `validation` (model
checks, the duplicate answers, saving), `authors` (a paper's author list), `submit` (one path for
every kind) with `editions` (an edition and its deadlines), `edits` (suggested edits), `reports`.

Every public function here is `submission_limited` (community.services.rate_limits): it also takes
`ip=` (the client address; None from a command) and raises RateLimited when the user or the address
has used up the one submission budget, whichever path (form, API, import) the write came through.
"""

from django.core.exceptions import ValidationError  # callers catch it from here

from community.rules import year_range

from .editions import edition_submit
from .edits import edit_suggest, item_changes_apply, item_changes_save
from .reports import report_create
from .submit import (
    SUBMIT_SERVICES,
    channel_submit,
    funding_submit,
    guide_submit,
    item_submit,
    job_submit,
    journal_submit,
    organization_submit,
    paper_submit,
    person_submit,
    project_submit,
    topic_submit,
    venue_submit,
)
from .validation import MAX_AUTHORS, MAX_DEADLINES, MAX_MESSAGE_LENGTH, DuplicateItem, NearDuplicate

__all__ = [
    "MAX_AUTHORS",
    "MAX_DEADLINES",
    "MAX_MESSAGE_LENGTH",
    "SUBMIT_SERVICES",
    "ValidationError",
    "DuplicateItem",
    "NearDuplicate",
    "channel_submit",
    "edit_suggest",
    "edition_submit",
    "funding_submit",
    "guide_submit",
    "item_changes_apply",
    "item_changes_save",
    "item_submit",
    "job_submit",
    "journal_submit",
    "organization_submit",
    "paper_submit",
    "person_submit",
    "project_submit",
    "report_create",
    "topic_submit",
    "venue_submit",
    "year_range",
]
