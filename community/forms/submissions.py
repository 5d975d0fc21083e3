"""Forms for submitting items and suggesting edits.

They only turn what the browser sent into Python values (text, dates, published items); every rule
(required fields of the model, duplicates, dates in order, ORCID format) is the service's
(community.services.submissions), so a web form and an API call are checked the same way. That is
why `_post_clean` is switched off: a ModelForm would otherwise build the instance and validate it
(uniqueness included) itself, and answer "already exists" where the service links the existing item.
"""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from common.timezones import zone_for_label
from community.forms.fields import note_field
from community.kinds import KIND, REGISTRY
from community.models import (
    Deadline,
    ModerationStatus,
    Report,
    Venue,
)
from community.models.base import RELATION_LABELS
from community.services import submissions
from community.translation import language_columns, translated_fields

TIMEZONE_HELP = _("AoE (anywhere on Earth), UTC, UTC+8, UTC-5 or an IANA name such as Europe/Berlin.")


def _formfield(field: models.Field, **kwargs):
    # https, not http, for an address typed without a scheme (Django 6's default; set now, quietly).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if field.name in RELATION_LABELS and field.verbose_name == field.name.replace("_", " "):
        # The label Django would derive from the field name, in the reader's language.
        kwargs.setdefault("label", capfirst(RELATION_LABELS[field.name]))
    return field.formfield(**kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as announced, without a zone: the zone is another field, and the service
    turns the pair into the UTC instant. (DateTimeField would read the value in the server's zone.)"""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        try:
            result = dt.datetime.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise forms.ValidationError(
                _("Enter a date and time such as 2027-05-16 23:59."), code="invalid"
            ) from exc
        if result.tzinfo is not None:
            raise forms.ValidationError(
                _("Give the time without an offset and choose the time zone in its own field."), code="offset"
            )
        return result


def _check_zone(label: str) -> str:
    label = (label or "").strip()
    try:
        zone_for_label(label)
    except Exception as exc:
        raise forms.ValidationError(
            _("Unknown time zone: use %(help)s"), params={"help": TIMEZONE_HELP}
        ) from exc
    return label


# The submit and edit form of each kind, by its name (filled by SubmissionForm's subclasses).
FORMS: dict[str, type["SubmissionForm"]] = {}


class SubmissionForm(forms.ModelForm):
    """Base of the submit and edit forms: published related items only, roomy text boxes, and a
    `confirm` box the page shows once the service has found items with a very similar title."""

    confirm = forms.BooleanField(
        required=False,
        label=_("I checked the similar items above: mine is a different one. Submit it anyway."),
    )
    # Fields that are not model fields, and so not for the service under those names.
    form_only: tuple[str, ...] = ("confirm",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                # Published items, plus (when editing) what the item already links to, so an
                # unchanged field is not read as "removed" (the service allows those too).
                model = field.queryset.model
                current = self._current_pks(name)
                queryset = model.objects.filter(Q(status=ModerationStatus.PUBLISHED) | Q(pk__in=current))
                field.queryset = queryset.order_by(*(model._meta.ordering or ["pk"]))
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 6)
            if isinstance(field.widget, forms.SelectMultiple):
                field.widget.attrs.setdefault("size", 8)
        for name in self.per_language:
            self._language_boxes(name)
        if "year" in self.fields:
            # The service's bounds, checked here too so the error shows with the others.
            year, (first, last) = self.fields["year"], submissions.year_range()
            year.validators += [MinValueValidator(first), MaxValueValidator(last)]
            year.widget.attrs.update(min=first, max=last)

    per_language: tuple[str, ...] = ()

    def _language_boxes(self, name: str) -> None:
        """Label the boxes of translated field `name` by language; none is required on its own."""
        model_field = self._meta.model._meta.get_field(name)
        for column, code in language_columns(name):
            box = self.fields.get(column)
            if box is None:
                continue
            box.label = _("%(field)s (%(language)s)") % {
                "field": capfirst(model_field.verbose_name),
                "language": get_language_info(code)["name_local"],
            }
            box.required = False
            box.help_text = model_field.help_text or _("Fill in either language, or both.")
            if isinstance(model_field, models.TextField) and not isinstance(box.widget, forms.Textarea):
                box.widget = forms.Textarea(attrs={"rows": 6})

    def clean(self):
        cleaned = super().clean()
        for name in self.per_language:
            if self._meta.model._meta.get_field(name).blank:
                continue
            columns = [column for column, _code in language_columns(name) if column in self.fields]
            if columns and not any((cleaned.get(column) or "").strip() for column in columns):
                self.add_error(columns[0], _("Write this in at least one language."))
        return cleaned

    def fields_of(self, name: str) -> list[str]:
        """The form fields model field `name` is shown as: its language boxes, or itself."""
        if name in self.per_language:
            return [column for column, _code in language_columns(name)]
        return [name]

    def _current_pks(self, name: str) -> list:
        if not self.instance.pk or name not in {f.name for f in self.instance._meta.get_fields()}:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        if field.many_to_one:
            value = getattr(self.instance, field.attname)
            return [value] if value is not None else []
        return []

    # Set by a subclass: the registry's kind (community.kinds) whose fields it shows, in the registry's
    # order after `shown_before` (model fields the kind's services take apart, an edition's venue) and
    # without `not_shown` (set through another field: a funding deadline through its local time);
    # `meta_options`: widgets, labels and help texts for Meta.
    # A translated field (community.translation: a description, a funding call's eligibility, a
    # biography, a guide's title, summary and body, a topic's name) is shown as one box per language
    # (`description_en`, `description_zh_hans`), each stored in its own language whatever page the
    # form is on.
    catalogue_kind = ""
    shown_before: tuple[str, ...] = ()
    not_shown: tuple[str, ...] = ()
    meta_options: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "catalogue_kind" in cls.__dict__:
            kind = KIND[cls.catalogue_kind]
            cls.per_language = tuple(name for name in translated_fields(kind.model) if name in kind.fields)
            fields = []
            for name in (*cls.shown_before, *(n for n in kind.fields if n not in cls.not_shown)):
                if name in cls.per_language:
                    fields.extend(column for column, _code in language_columns(name))
                else:
                    fields.append(name)
            options = {"model": kind.model, "fields": fields, "formfield_callback": _formfield}
            cls.Meta = type("Meta", (), {**options, **cls.meta_options})
            FORMS[kind.name] = cls

    @classmethod
    def for_edits(cls) -> type["SubmissionForm"]:
        """This form for suggesting an edit: with a comment, without the "submit anyway" box."""
        if "_edit_form" not in cls.__dict__:
            attrs = {"confirm": None, "form_only": ("comment",), "__module__": cls.__module__}
            cls._edit_form = type(f"Edit{cls.__name__}", (EditCommentMixin, cls), attrs)
        return cls._edit_form

    def _post_clean(self):
        # The service validates the instance (see the module docstring); the form builds none.
        pass

    def submission_data(self) -> dict:
        """cleaned_data as the service takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.form_only}


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaperForm(SubmissionForm):
    authors = forms.CharField(
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_("One name per line, in the paper's order. Names are matched to people already listed."),
    )

    catalogue_kind = "paper"

    # Longer than the stored identifiers: a pasted arxiv.org or doi.org address is normalised by the service.
    arxiv_id = forms.CharField(
        label=_("arXiv id"), max_length=200, required=False, help_text=_("e.g. 1706.03762")
    )
    doi = forms.CharField(
        label=_("DOI"), max_length=300, required=False, help_text=_("e.g. 10.1038/nature14236")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = self.fields["edition"].queryset.select_related("venue")
        self.fields["edition"].help_text = _("Leave empty for a journal, or when you are not sure.")
        if self.instance.pk and not self.is_bound:
            self.initial["authors"] = "\n".join(
                self.instance.authorships.order_by("position").values_list("person__name", flat=True)
            )

    def clean_authors(self) -> list[str]:
        return [" ".join(line.split()) for line in self.cleaned_data["authors"].splitlines() if line.strip()]


class VenueForm(SubmissionForm):
    """A journal (the conferences come with their editions, below)."""

    catalogue_kind = "venue"


class EditionForm(SubmissionForm):
    new_venue_name = forms.CharField(
        label=_("…or a conference not listed yet: its short name"),
        max_length=100,
        required=False,
        help_text=_("e.g. CoLLAs. It is reviewed with this edition."),
    )
    new_venue_full_name = forms.CharField(label=_("Its full name"), max_length=300, required=False)
    form_only = ("confirm",)

    catalogue_kind = "edition"
    shown_before = ("venue",)
    meta_options = dict(
        widgets={"start_date": DATE, "end_date": DATE},
        labels={"venue": _("Conference")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        venue = self.fields["venue"]
        venue.queryset = venue.queryset.filter(kind=Venue.Kind.CONFERENCE)
        venue.required = False
        # The new-conference fields follow the list they are an alternative to.
        order = ["venue", "new_venue_name", "new_venue_full_name"]
        self.order_fields(order + [name for name in self.fields if name not in order])


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Deadline"), choices=[("", "—"), *Deadline.Kind.choices])
    label = forms.CharField(
        label=_("Label"), max_length=200, required=False, help_text=_("Only to tell two of a kind apart.")
    )
    due_local = LocalDateTimeField(label=_("Due (as announced)"))
    timezone_label = forms.CharField(
        label=_("Time zone"), max_length=64, initial="AoE", help_text=TIMEZONE_HELP
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_timezone_label(self) -> str:
        return _check_zone(self.cleaned_data["timezone_label"])


class BaseDeadlineFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            key = (form.cleaned_data.get("kind"), form.cleaned_data.get("label", ""))
            if key in seen:
                form.add_error("label", _("Two deadlines of this kind: give them different labels."))
            seen.add(key)

    def rows(self) -> list[dict]:
        """The filled-in deadlines as the service takes them."""
        return [form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data]


DeadlineFormSet = forms.formset_factory(
    DeadlineForm, formset=BaseDeadlineFormSet, extra=4, max_num=12, absolute_max=12, validate_max=True
)


class JobForm(SubmissionForm):
    catalogue_kind = "job"
    meta_options = dict(
        widgets={"posted_on": DATE, "closes_on": DATE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].help_text = _("Not listed? Submit the organisation first.")
        if not self.instance.pk:
            self.initial.setdefault("posted_on", dt.date.today())


class FundingForm(SubmissionForm):
    deadline_local = LocalDateTimeField(label=_("Deadline (as announced)"), required=False)
    form_only = ("confirm",)

    catalogue_kind = "funding"
    not_shown = ("deadline",)
    meta_options = dict(
        help_texts={"deadline_timezone": TIMEZONE_HELP},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["title", "funder", "kind", *self.fields_of("description"), "deadline_local", "deadline_timezone"]
        )
        instance = self.instance
        if instance.pk and instance.deadline and not self.is_bound:
            try:
                zone = zone_for_label(instance.deadline_timezone)
            except Exception:
                zone = dt.UTC
            self.initial["deadline_local"] = instance.deadline.astimezone(zone).replace(tzinfo=None)

    def clean_deadline_timezone(self) -> str:
        return _check_zone(self.cleaned_data.get("deadline_timezone") or "UTC")


class PersonForm(SubmissionForm):
    # Longer than the stored iD: a pasted orcid.org address is normalised by the service.
    orcid = forms.CharField(
        label=_("ORCID"), max_length=60, required=False, help_text=_("e.g. 0000-0002-1825-0097")
    )

    catalogue_kind = "person"


class GuideForm(SubmissionForm):
    catalogue_kind = "guide"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The body in each language: long Markdown, previewed (the preview shows each language written).
        for column, _code in language_columns("body"):
            self.fields[column].widget.attrs["rows"] = 20
            self.fields[column].help_text = _(
                "Markdown, with LaTeX between $…$ (inline) or $$…$$ (display). Preview shows the result."
            )


def submission_form(kind: str) -> type[SubmissionForm]:
    """`<Kind>Form` for a kind that needs nothing beyond its registry entry and its model."""
    name = f"{KIND[kind].class_prefix}Form"
    return type(name, (SubmissionForm,), {"__module__": __name__, "catalogue_kind": kind})


ProjectForm = submission_form("project")
ChannelForm = submission_form("channel")
OrganizationForm = submission_form("organization")
TopicForm = submission_form("topic")
# Every other registered kind gets the plain form too (the edit page reads FORMS).
for _kind in REGISTRY:
    if _kind.name not in FORMS:
        submission_form(_kind.name)


class EditCommentMixin(forms.Form):
    comment = note_field(
        _("Why this change?"),
        rows=3,
        help_text=_("A source helps the moderator: a link to the paper's page, the call, the website."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=[("", "—"), *Report.Reason.choices])
    message = note_field(
        _("Details"), rows=5, help_text=_("What should it say instead, or which item is it a duplicate of?")
    )
