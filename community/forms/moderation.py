"""Moderators' forms: a decision with its reason, and the two items of a merge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.forms.fields import note_field
from community.models import ModerationStatus, Organization, Person

REASON_HELP = _("Required to reject: the person who sent it receives it by e-mail.")


class DecisionForm(forms.Form):
    """Approve or reject (a submission or an edit); a rejection says why."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = note_field(_("Reason"), rows=2, help_text=REASON_HELP)
    # The decision that needs a reason, and what the form says when it comes without one.
    refusal = ("reject", _("Say why it is rejected."))

    def clean(self):
        data = super().clean()
        decision, missing_reason = self.refusal
        if data.get("decision") == decision and not (data.get("reason") or "").strip():
            self.add_error("reason", missing_reason)
        return data


class ReportDecisionForm(DecisionForm):
    """Resolve a report (it was right and has been dealt with) or dismiss it (saying why)."""

    decision = forms.ChoiceField(choices=[("resolve", _("Resolved")), ("dismiss", _("Dismiss"))])
    reason = note_field(
        _("Note"), rows=2, help_text=_("Required to dismiss; sent to the person who reported it.")
    )
    refusal = ("dismiss", _("Say why the report is dismissed."))


MERGE_MODELS = {"person": Person, "organization": Organization}


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        to_field_name="slug",
        widget=forms.TextInput,
        label=_("Keep (slug)"),
        help_text=_("The last part of its address, e.g. geoffrey-hinton."),
    )
    remove = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        to_field_name="slug",
        widget=forms.TextInput,
        label=_("Merge into it and delete (slug)"),
    )
    confirm = forms.BooleanField(
        label=_("These are the same. Move every link to the one kept and delete the other.")
    )

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = model.objects.exclude(status=ModerationStatus.REJECTED)
        for name in ("keep", "remove"):
            self.fields[name].queryset = queryset
            self.fields[name].error_messages["invalid_choice"] = _("Nothing (not rejected) has this slug.")

    def clean(self):
        data = super().clean()
        if data.get("keep") is not None and data.get("keep") == data.get("remove"):
            self.add_error("remove", _("Choose two different items."))
        return data
