"""The kinds of deadline, as plain values and labels: the Deadline model's choices
(community.models.venues) and the deadline importer, which returns plain records and imports no
model, both read them here."""

from django.utils.translation import pgettext_lazy

# value -> label. A context: "Paper" and "Abstract" name what is due here, not a catalogue paper or a field.
DEADLINE_KINDS = {
    "abstract": pgettext_lazy("deadline kind", "Abstract"),
    "paper": pgettext_lazy("deadline kind", "Paper"),
    "supplementary": pgettext_lazy("deadline kind", "Supplementary material"),
    "rebuttal": pgettext_lazy("deadline kind", "Rebuttal"),
    "notification": pgettext_lazy("deadline kind", "Notification"),
    "camera_ready": pgettext_lazy("deadline kind", "Camera-ready"),
    "other": pgettext_lazy("deadline kind", "Other"),
}
