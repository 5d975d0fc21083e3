"""The forms of /account/follows/: alert settings and a new saved search."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.timezones import valid_timezone

from .models import REMINDER_OFFSETS


class AlertSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the mails"), choices=settings.LANGUAGES)
    timezone = forms.CharField(
        label=_("Time zone of the mails"),
        max_length=64,
        help_text=_("Any IANA zone, e.g. Asia/Shanghai (Beijing time), Europe/Berlin or America/New_York."),
        widget=forms.TextInput(attrs={"list": "alert-zones", "autocomplete": "off", "spellcheck": "false"}),
    )
    offsets = forms.TypedMultipleChoiceField(
        label=_("Remind me before each deadline I follow"),
        choices=[
            (days, ngettext_lazy("%(days)d day before", "%(days)d days before", "days") % {"days": days})
            for days in REMINDER_OFFSETS
        ],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reminders_enabled = forms.BooleanField(label=_("Send deadline reminders"), required=False)
    digest_enabled = forms.BooleanField(
        label=_("Send a weekly digest of the topics I follow"), required=False
    )

    def clean_timezone(self) -> str:
        zone = valid_timezone(self.cleaned_data["timezone"].strip())
        if zone is None:
            raise forms.ValidationError(_("Unknown time zone; choose an IANA name such as Asia/Shanghai."))
        return zone


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(
        label=_("Address of the list"),
        max_length=1000,
        help_text=_("Filter a list page (papers, jobs, deadlines, …), then paste its address here."),
    )
