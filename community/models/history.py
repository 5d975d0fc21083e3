from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimelineEvent(models.Model):
    """A dated step of the field's history on /history/, pointing at the paper or project it is about.

    Curated in community/seed/history.yaml and written by the seed loader; `text` is stored per
    language (community/translation.py). Not a catalogue item: there is nothing to submit or moderate,
    and the page only shows an event whose paper or project is published.
    """

    slug = models.SlugField(max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    # Orders events of the same year (as the YAML lists them).
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("what happened"), max_length=300)
    paper = models.ForeignKey(
        "community.Paper", null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_events"
    )
    project = models.ForeignKey(
        "community.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_events"
    )

    class Meta:
        ordering = ["year", "position", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        constraints = [
            models.CheckConstraint(
                condition=Q(paper__isnull=False, project__isnull=True)
                | Q(paper__isnull=True, project__isnull=False),
                name="timelineevent_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.text}"

    def clean(self) -> None:
        if (self.paper_id is None) == (self.project_id is None):
            raise ValidationError(_("An event points at a paper or at a project, not both or neither."))

    @property
    def target(self):
        return self.paper or self.project
