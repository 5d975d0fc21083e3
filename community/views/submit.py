"""Submit pages for every kind of item, "suggest an edit" and "report a problem".

Thin: each page parses the form, calls the one service for its action and renders. What the person
typed is always shown again with the errors beside their fields. The hourly limit is the services'
(community.services.rate_limits.submission_limited, one budget with the API and imports): a page
passes the client's address and turns RateLimited into a 429 page that says how long to wait.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View

from community.forms import submissions as forms
from community.kinds import KIND, KINDS, kind_label
from community.services import submissions as services
from community.services.rate_limits import RateLimited, client_ip
from community.translation import language_columns


@dataclass(frozen=True)
class SubmitKind:
    label: str | Promise
    intro: str | Promise
    form_class: type[forms.SubmissionForm]
    service: Callable
    formset_class: type | None = None
    preview_field: str = ""


SUBMIT_KINDS: dict[str, SubmitKind] = {
    "paper": SubmitKind(
        gettext_lazy("Paper"),
        gettext_lazy("A published paper or preprint. Give its arXiv id or DOI if it has one."),
        forms.PaperForm,
        services.paper_submit,
    ),
    "project": SubmitKind(
        gettext_lazy("Open-source project"),
        gettext_lazy("A framework, library, dataset or tool with a public repository."),
        forms.ProjectForm,
        services.project_submit,
    ),
    "conference": SubmitKind(
        gettext_lazy("Conference edition and its deadlines"),
        gettext_lazy(
            "One year of a conference, with its deadlines as announced (e.g. 23:59 AoE); they are shown in "
            "each reader's time zone."
        ),
        forms.EditionForm,
        services.edition_submit,
        formset_class=forms.DeadlineFormSet,
    ),
    "journal": SubmitKind(
        gettext_lazy("Journal"),
        gettext_lazy("A journal that publishes deep-learning research."),
        forms.VenueForm,
        services.journal_submit,
    ),
    "job": SubmitKind(
        gettext_lazy("Job"),
        gettext_lazy("A position at an organisation listed here."),
        forms.JobForm,
        services.job_submit,
    ),
    "funding": SubmitKind(
        gettext_lazy("Funding opportunity"),
        gettext_lazy("A grant, fellowship, prize or compute programme."),
        forms.FundingForm,
        services.funding_submit,
    ),
    "channel": SubmitKind(
        gettext_lazy("Community channel"),
        gettext_lazy("A forum, mailing list, chat or job board."),
        forms.ChannelForm,
        services.channel_submit,
    ),
    "organization": SubmitKind(
        gettext_lazy("Organisation"),
        gettext_lazy("A lab, university, company or other body."),
        forms.OrganizationForm,
        services.organization_submit,
    ),
    "person": SubmitKind(
        gettext_lazy("Person"),
        gettext_lazy("A researcher or engineer."),
        forms.PersonForm,
        services.person_submit,
    ),
    "guide": SubmitKind(
        gettext_lazy("Guide"),
        gettext_lazy("An article for the knowledge base, in Markdown with LaTeX math."),
        forms.GuideForm,
        services.guide_submit,
        preview_field="body",
    ),
}

# The form for suggesting an edit to a published item of each kind (URL kind as in community.kinds):
# every kind with a page of its own (an edition is edited on its venue's page by the moderators).
EDIT_FORMS: dict[str, type[forms.SubmissionForm]] = {
    name: form for name, form in forms.FORMS.items() if KIND[name].has_page
}


def apply_service_error(form, exc: ValidationError, context: dict) -> None:
    """A service's refusal on the form, and in `context` what the page shows with it: the existing
    item a duplicate names, or the similar items a near-duplicate is held back for."""
    if isinstance(exc, services.DuplicateItem):
        context["duplicate"] = exc.item
    elif isinstance(exc, services.NearDuplicate):
        context["similar"] = exc.items
    apply_errors(form, exc)


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's errors on the form: beside their field where the form has it, else on top."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, items in errors.items():
        target = field if field in form.fields else None
        for error in items:
            if target is None and field != NON_FIELD_ERRORS:
                label = _("Deadlines") if field == "deadlines" else field.replace("_", " ").capitalize()
                error = ValidationError(f"{label}: {' '.join(ValidationError(error).messages)}")
            form.add_error(target, error)


def rate_limit_message(exc: RateLimited) -> str:
    return ngettext(
        "You have submitted %(count)s items in the last hour; please wait %(minutes)s minute.",
        "You have submitted %(count)s items in the last hour; please wait %(minutes)s minutes.",
        exc.wait_minutes,
    ) % {"count": exc.count, "minutes": exc.wait_minutes}


def _previews(post, field: str) -> list[tuple[str, str, str]]:
    """(language code, language name, text) for each language box of translated `field` the
    contributor wrote in: what the Preview button renders (a guide's body in English and Chinese)."""
    return [
        (code, get_language_info(code)["name_local"], post[column])
        for column, code in language_columns(field)
        if post.get(column, "").strip()
    ]


@login_required
def submit_index(request: HttpRequest) -> HttpResponse:
    kinds = [(key, kind.label, kind.intro) for key, kind in SUBMIT_KINDS.items()]
    return render(request, "community/submit/index.html", {"kinds": kinds, "section": "submit"})


class SubmitView(LoginRequiredMixin, View):
    """GET: the empty form. POST: preview (guides), or submit through the kind's service."""

    template_name = "community/submit/form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = SUBMIT_KINDS.get(kwargs.get("kind", ""))

    def dispatch(self, request, *args, **kwargs):
        if self.kind is None:
            raise Http404(_("There is no such kind of item."))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, formset, status=200, **extra) -> HttpResponse:
        context = {
            "kind": self.kind,
            "kind_key": self.kwargs["kind"],
            "form": form,
            "formset": formset,
            "title": _("Submit: %(kind)s") % {"kind": self.kind.label},
            "section": "submit",
            "show_confirm": bool(extra.get("similar")) or (form.is_bound and form.data.get("confirm")),
            **extra,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        formset = self.kind.formset_class(prefix="deadlines") if self.kind.formset_class else None
        return self.render_form(request, self.kind.form_class(), formset)

    def post(self, request, *args, **kwargs):
        form = self.kind.form_class(request.POST)
        formset = (
            self.kind.formset_class(request.POST, prefix="deadlines") if self.kind.formset_class else None
        )
        if self.kind.preview_field and "preview" in request.POST:
            return self.render_form(
                request, form, formset, previews=_previews(request.POST, self.kind.preview_field)
            )
        extra: dict = {}
        # Both validated (no short circuit) so every error shows at once.
        form_ok = form.is_valid()
        formset_ok = formset.is_valid() if formset is not None else True
        if form_ok and formset_ok:
            data = form.submission_data()
            if formset is not None:
                data["deadlines"] = formset.rows()
            try:
                item = self.kind.service(
                    data=data,
                    user=request.user,
                    confirm=form.cleaned_data.get("confirm", False),
                    ip=client_ip(request),
                )
            except RateLimited as exc:
                extra["rate_limited"] = rate_limit_message(exc)
                return self.render_form(request, form, formset, status=429, **extra)
            except ValidationError as exc:
                apply_service_error(form, exc, extra)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: “%(item)s” was sent for review. It appears on the site once a moderator approves it."
                    )
                    % {"item": item},
                )
                return redirect("accounts:profile")
        return self.render_form(request, form, formset, **extra)


def _published_item(kind: str, slug: str):
    model = KINDS.get(kind)
    if model is None or kind not in EDIT_FORMS:
        raise Http404(_("There is no such kind of item."))
    item = model.objects.published().filter(slug=slug).first()
    if item is None:
        raise Http404(_("There is nothing published at this address."))
    return item


@login_required
def suggest_edit(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _published_item(kind, slug)
    form_class = EDIT_FORMS[kind].for_edits()
    context = {
        "item": item,
        "kind_label": kind_label(kind),
        "section": "submit",
        "preview_field": "body" if kind == "guide" else "",
    }
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=item)
        if context["preview_field"] and "preview" in request.POST:
            context["previews"] = _previews(request.POST, context["preview_field"])
        elif form.is_valid():
            changes = form.submission_data()
            try:
                services.edit_suggest(
                    item=item,
                    changes=changes,
                    user=request.user,
                    comment=form.cleaned_data.get("comment", ""),
                    ip=client_ip(request),
                )
            except RateLimited as exc:
                context["rate_limited"] = rate_limit_message(exc)
                status = 429
            except ValidationError as exc:
                apply_service_error(form, exc, context)
            else:
                messages.success(
                    request,
                    _("Thank you: your edit of “%(item)s” was sent to the moderators.") % {"item": item},
                )
                return redirect("accounts:profile")
    else:
        form = form_class(instance=item)
    context["form"] = form
    return render(request, "community/submit/edit.html", context, status=status)


@login_required
def report_problem(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _published_item(kind, slug)
    context = {"item": item, "kind_label": kind_label(kind), "section": "submit"}
    status = 200
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_create(
                    item=item,
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"],
                    user=request.user,
                    ip=client_ip(request),
                )
            except RateLimited as exc:
                context["rate_limited"] = rate_limit_message(exc)
                status = 429
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Thank you: the moderators will look at “%(item)s”.") % {"item": item}
                )
                return redirect("accounts:profile")
    else:
        form = forms.ReportForm()
    context["form"] = form
    return render(request, "community/submit/report.html", context, status=status)
