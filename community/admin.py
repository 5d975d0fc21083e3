"""The admin: every catalogue model with search, filters, autocomplete and the inlines moderators need."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin

from . import models as catalogue
from .services.accounts import account_password_changed
from .services.expiry import items_close
from .services.field_edits import field_edits_record
from .services.moderation import guide_mark_reviewed, submission_approve, submission_reject


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (mailed to each submitter)"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        max_length=5000,
    )


def _changed_values(form, obj) -> list[str]:
    """The fields of `form` whose stored value the save changed. Django's `changed_data` compares
    the posted text, so a JSON list sent back untouched ("[]" for []) reads as changed, and would
    take that field from the importer; a column's value before (the form's initial) and after decides
    instead. Many-to-many fields are saved after this and keep `changed_data`'s word."""
    changed = []
    for name in form.changed_data:
        field = next((f for f in obj._meta.concrete_fields if f.name == name), None)
        if field is None or form.initial.get(name) != getattr(obj, field.attname):
            changed.append(name)
    return changed


class RecordsFieldEdits(admin.ModelAdmin):
    """A moderator's change form (and its inline rows) records each field it changed, so a later
    import leaves those fields as the moderator set them (community.services.field_edits)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            field_edits_record(item=obj, fields=_changed_values(form, obj), user=request.user)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            deleted = formset.can_delete and formset._should_delete_form(inline_form)
            if inline_form.instance.pk and inline_form.has_changed() and not deleted:
                field_edits_record(
                    item=inline_form.instance,
                    fields=_changed_values(inline_form, inline_form.instance),
                    user=request.user,
                )


class CatalogueAdmin(RecordsFieldEdits):
    """Shared columns and filters for models built on CatalogueItem."""

    list_filter = ("status",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_per_page = 50
    # The field a new item's slug is typed from on the add form (None: the slug is typed by hand).
    slug_from: str | None = "name"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.prepopulated_fields = {"slug": (cls.slug_from,)} if cls.slug_from else {}

    def save_model(self, request, obj, form, change):
        # The admin is a write path of its own: record who created the item, never overwrite it.
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Moderation from the change list: the same services as the moderation queue, so history is
    # recorded and submitters are mailed the decision either way.
    actions = ("approve_selected", "reject_selected")

    def _decide(self, request, queryset, decide) -> None:
        done, problems = 0, []
        for item in queryset.filter(status=catalogue.ModerationStatus.PENDING):
            try:
                decide(item)
            except ValidationError as exc:
                problems.append(f"{item}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d item decided.", "%(count)d items decided.", done) % {"count": done},
            )
        if problems:
            self.message_user(request, "; ".join(problems), level=messages.WARNING)
        if not done and not problems:
            self.message_user(request, _("None of the selected items is pending."), level=messages.WARNING)

    @admin.action(description=gettext_lazy("Approve the selected pending items"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, lambda item: submission_approve(item=item, moderator=request.user))

    @admin.action(description=gettext_lazy("Reject the selected pending items…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        """Asks for the reason on a page of its own, then rejects each pending item with it."""
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(
                request,
                queryset,
                lambda item: submission_reject(item=item, moderator=request.user, reason=reason),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject the selected items"),
            "items": queryset.filter(status=catalogue.ModerationStatus.PENDING),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/community/reject_selected.html", context)


class AuthorshipInline(admin.TabularInline):
    model = catalogue.Authorship
    extra = 0
    autocomplete_fields = ("person",)
    ordering = ("position",)


class DeadlineInline(admin.TabularInline):
    model = catalogue.Deadline
    extra = 0
    fields = ("kind", "label", "due_at", "timezone_label", "note", "edition")
    autocomplete_fields = ("edition",)


class EditionDeadlineInline(DeadlineInline):
    fields = ("venue", "kind", "label", "due_at", "timezone_label", "note")
    autocomplete_fields = ("venue",)


class EditionInline(admin.TabularInline):
    model = catalogue.Edition
    extra = 0
    fields = ("year", "slug", "status", "start_date", "end_date", "city", "country", "website")
    show_change_link = True


# TranslationAdmin shows name_en and name_zh_hans (and so on) in place of the bare field: topics, guides,
# the timeline and every kind whose description is stored per language (community/translation.py).
@admin.register(catalogue.Topic)
class TopicAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "parent", "status")
    search_fields = ("name", "description")
    autocomplete_fields = ("parent",)


@admin.register(catalogue.Organization)
class OrganizationAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "kind", "country", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "description", "country")
    autocomplete_fields = ("topics",)


@admin.register(catalogue.Person)
class PersonAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "affiliation", "status")
    list_select_related = ("affiliation",)
    list_filter = ("status", "affiliation__kind")
    search_fields = ("name", "orcid")
    autocomplete_fields = ("affiliation",)


@admin.register(catalogue.Paper)
class PaperAdmin(CatalogueAdmin):
    list_display = ("title", "year", "venue", "arxiv_id", "doi", "status")
    list_select_related = ("venue",)
    list_filter = ("status", "year", "venue__kind", "topics")
    search_fields = ("title", "abstract", "arxiv_id", "doi", "authors__name")
    autocomplete_fields = ("venue", "edition", "topics", "projects")
    inlines = [AuthorshipInline]
    slug_from = "title"
    date_hierarchy = "created_at"


@admin.register(catalogue.Project)
class ProjectAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "kind", "language", "stars", "status")
    list_filter = ("status", "kind", "language")
    search_fields = ("name", "description", "repository_url")
    autocomplete_fields = ("organization", "topics")
    readonly_fields = (*CatalogueAdmin.readonly_fields, "stats_fetched_at")


@admin.register(catalogue.Venue)
class VenueAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "full_name", "kind", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "full_name", "publisher")
    autocomplete_fields = ("topics",)
    inlines = [EditionInline, DeadlineInline]


@admin.register(catalogue.Edition)
class EditionAdmin(CatalogueAdmin):
    list_display = ("__str__", "start_date", "end_date", "city", "country", "call_closed_at", "status")
    list_select_related = ("venue",)
    list_filter = ("status", "venue__kind", "year")
    search_fields = ("venue__name", "city", "country", "external_id")
    autocomplete_fields = ("venue",)
    inlines = [EditionDeadlineInline]
    slug_from = None


@admin.register(catalogue.Deadline)
class DeadlineAdmin(RecordsFieldEdits):
    list_display = ("__str__", "due_at", "timezone_label")
    list_select_related = ("venue", "edition__venue")
    list_filter = ("kind", "venue__kind")
    search_fields = ("venue__name", "label", "note")
    autocomplete_fields = ("venue", "edition")
    date_hierarchy = "due_at"


@admin.register(catalogue.AcceptanceRate)
class AcceptanceRateAdmin(RecordsFieldEdits):
    """A venue's acceptance figures per year; a rate or count corrected here is not overwritten by the
    next import of the tracker's file (RecordsFieldEdits)."""

    list_display = ("venue", "year", "submitted", "accepted", "rate", "source_url")
    list_select_related = ("venue",)
    list_filter = ("year",)
    search_fields = ("venue__name", "venue__full_name")
    autocomplete_fields = ("venue",)
    ordering = ("venue__name", "-year")


class ImportRecordAdmin(admin.ModelAdmin):
    """Rows the imports and the edit forms write (provenance, moderators' field edits): listed and
    searchable, deletable (a source that no longer gives an item, a protection to lift), never typed."""

    list_select_related = ("content_type",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(catalogue.Provenance)
class ProvenanceAdmin(ImportRecordAdmin):
    list_display = ("source", "file", "revision", "content_type", "object_id", "licence", "first_imported_at")
    list_filter = ("source", "content_type")
    search_fields = ("file", "revision", "attribution")
    date_hierarchy = "first_imported_at"


@admin.register(catalogue.FieldEdit)
class FieldEditAdmin(ImportRecordAdmin):
    """Deleting a row lifts the protection: the next import sets that field again."""

    list_display = ("content_type", "object_id", "field", "edited_by", "edited_at")
    list_select_related = ("content_type", "edited_by")
    list_filter = ("content_type", "field")
    search_fields = ("field", "edited_by__username")
    date_hierarchy = "edited_at"


@admin.register(catalogue.SourceFetch)
class SourceFetchAdmin(ImportRecordAdmin):
    """What the deadline sync last heard from each address of DEADLINE_SOURCES; deleting a row makes
    the next sync fetch and import everything from that address again."""

    list_display = ("url", "checked_at", "changed_at", "revision", "last_error")
    list_select_related = ()
    search_fields = ("url", "revision", "last_error")


class ClosableAdmin(CatalogueAdmin):
    """Job postings and funding calls: closing early from the change list (`closed_at`, which the
    hourly job also sets); clearing the field on the change form reopens one. Each kind names the
    action in its own words (`close_description`)."""

    actions = (*CatalogueAdmin.actions, "close_selected")
    close_description = gettext_lazy("Mark as closed")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)

        # A function of the subclass's own, since admin.action writes the description onto it.
        @admin.action(description=cls.close_description, permissions=["change"])
        def close_selected(self, request, queryset):
            self.close_items(request, queryset)

        cls.close_selected = close_selected

    def close_items(self, request, queryset) -> None:
        closed = items_close(items=queryset, moderator=request.user)
        if closed:
            self.message_user(
                request,
                ngettext("%(count)d item marked as closed.", "%(count)d items marked as closed.", closed)
                % {"count": closed},
            )
        else:
            self.message_user(request, _("The selected items were already closed."), level=messages.WARNING)


@admin.register(catalogue.JobPosting)
class JobPostingAdmin(TranslationAdmin, ClosableAdmin):
    list_display = (
        "title",
        "organization",
        "kind",
        "remote",
        "posted_on",
        "closes_on",
        "closed_at",
        "status",
    )
    list_select_related = ("organization",)
    list_filter = (
        "status",
        "kind",
        "remote",
        "organization__kind",
        ("closed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "description", "location", "organization__name")
    autocomplete_fields = ("organization", "topics")
    slug_from = "title"
    close_description = gettext_lazy("Mark as closed (filled)")


@admin.register(catalogue.FundingOpportunity)
class FundingOpportunityAdmin(TranslationAdmin, ClosableAdmin):
    list_display = ("title", "funder", "kind", "deadline", "rolling", "closed_at", "status")
    list_select_related = ("funder",)
    list_filter = ("status", "kind", "rolling", "funder__kind", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "description", "funder__name")
    autocomplete_fields = ("funder", "topics")
    slug_from = "title"


@admin.register(catalogue.Channel)
class ChannelAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("name", "kind", "url", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "description", "url")
    autocomplete_fields = ("topics",)


@admin.register(catalogue.Guide)
class GuideAdmin(TranslationAdmin, CatalogueAdmin):
    list_display = ("title", "order", "benchmark", "status", "reviewed_on", "updated_at")
    search_fields = ("title", "summary", "body")
    autocomplete_fields = ("topics", "papers", "projects", "venues", "organizations", "channels")
    slug_from = "title"
    # Set only by a decision that leaves a history entry (approval, or the action below), so the
    # date on the page always has someone answerable behind it.
    readonly_fields = (*CatalogueAdmin.readonly_fields, "reviewed_on")
    actions = (*CatalogueAdmin.actions, "mark_reviewed")

    @admin.action(description=gettext_lazy("Mark as reviewed today"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        done = 0
        for guide in queryset.filter(status=catalogue.ModerationStatus.PUBLISHED):
            guide_mark_reviewed(guide=guide, moderator=request.user)
            done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d guide marked as reviewed.", "%(count)d guides marked as reviewed.", done)
                % {"count": done},
            )
        else:
            self.message_user(
                request,
                _("Only published guides can be marked as reviewed; approve a pending one instead."),
                level=messages.WARNING,
            )


@admin.register(catalogue.TimelineEvent)
class TimelineEventAdmin(TranslationAdmin):
    """The /history/ timeline. community/seed/history.yaml owns the events it lists: the next
    `load_seed_data` puts back what the file says, so a lasting change belongs in the file."""

    list_display = ("year", "text", "paper", "project")
    list_filter = ("year",)
    search_fields = ("text", "slug")
    autocomplete_fields = ("paper", "project")


class UserAdmin(DjangoUserAdmin):
    """Django's user admin; setting someone's password here also revokes their API tokens, as a
    password reset or change does (their other sessions end by themselves)."""

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account_password_changed(user=self.get_object(request, unquote(id)))
        return response


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)
