"""What an import says about each record: created, updated, unchanged or failed, and why."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import pgettext_lazy


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The outcome in the reader's language, for the upload page's report."""
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.CREATED: pgettext_lazy("import outcome", "created"),
    Outcome.UPDATED: pgettext_lazy("import outcome", "updated"),
    Outcome.UNCHANGED: pgettext_lazy("import outcome", "unchanged"),
    Outcome.FAILED: pgettext_lazy("import outcome", "failed"),
}


@dataclass
class RecordResult:
    """What happened to one record. `reason` says why it failed; `notes` what else to know; `kept`
    the fields ("venue.ccf_rank") the import left alone because a moderator set them by hand."""

    ref: str
    outcome: Outcome
    title: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    item: models.Model | None = None
    kept: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """One line per record, in input order."""

    source: str
    results: list[RecordResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def kept(self) -> list[tuple[str, str]]:
        """(record, field) for every field the import left as a moderator edited it."""
        return [(result.ref, name) for result in self.results for name in result.kept]

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items())
        return f"{self.source}: {counts}"

    def lines(self) -> list[str]:
        lines = []
        for result in self.results:
            text = f"{result.outcome.value:<9}  {result.ref}"
            if result.title:
                text += f": {result.title}"
            if result.reason:
                text += f" — {result.reason}"
            lines.extend([text, *(f"{'':<11}note: {note}" for note in result.notes)])
        return lines


class RecordError(Exception):
    """A record that cannot be written as it is; the message says why and what to do."""


def describe_validation_error(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
