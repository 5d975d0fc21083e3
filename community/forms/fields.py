"""Form fields several forms share."""

from django import forms


def note_field(label, *, rows: int, help_text="") -> forms.CharField:
    """An optional free text of up to 5,000 characters in a `rows`-line box: a moderator's reason, an
    editor's comment, a report's details."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
        required=False,
        help_text=help_text,
    )
