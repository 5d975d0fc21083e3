"""The moderation pages: the queue, one item / edit / report with its decision form, an item's
history, and merging two people or organisations.

Moderators only (staff, or the Moderators group): anyone not logged in is sent to the login page,
anyone else gets a 403. Decisions are POST forms with CSRF; each calls one service.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community.forms.moderation import MERGE_MODELS, DecisionForm, MergeForm, ReportDecisionForm
from community.kinds import kind_label, kind_of
from community.models import EditSuggestion, ModerationStatus, Report, ReviewStatus
from community.permissions import is_moderator
from community.selectors import moderation as selectors
from community.selectors import suggestions as suggestion_selectors
from community.services import merge as merge_services
from community.services import moderation as services
from community.views.submit import apply_errors


def moderator_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can see this page."))
        return view(request, *args, **kwargs)

    return wrapper


def _next_or_queue(request: HttpRequest):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("community:moderation")


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    suggestions = suggestion_selectors.pending_edit_suggestions()
    reports = selectors.pending_reports()
    # The prefixes of their decision forms, as the review views below read them.
    for suggestion in suggestions:
        suggestion.prefix = f"e{suggestion.pk}"
    for report in reports:
        report.prefix = f"r{report.pk}"
    context = {
        "items": selectors.pending_items(),
        "suggestions": suggestions,
        "reports": reports,
        "counts": selectors.pending_counts(),
        "limit": selectors.QUEUE_LIMIT,
        "section": "moderation",
    }
    return render(request, "community/moderation/queue.html", context)


def _decide(request: HttpRequest, form, actions: dict) -> HttpResponse | None:
    """Run the decision a valid form names: `actions[decision](reason)` calls its service and returns
    the success message. Returns the redirect once decided, or None when the form (or the service,
    whose ValidationError lands on the form) refused it, for the page to be shown again with a 400."""
    if not form.is_valid():
        return None
    try:
        message = actions[form.cleaned_data["decision"]](form.cleaned_data["reason"])
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, message)
    return _next_or_queue(request)


def _item_or_404(content_type_id: int, pk: int):
    item = selectors.item_for(content_type_id, pk)
    if item is None:
        raise Http404(_("There is no such item."))
    return item


@moderator_required
@require_http_methods(["GET", "POST"])
def item_review(request: HttpRequest, content_type_id: int, pk: int) -> HttpResponse:
    """One item with every field, its history and (while pending) the approve / reject form."""
    item = _item_or_404(content_type_id, pk)
    prefix = f"i{content_type_id}-{pk}"
    form = DecisionForm(request.POST or None, prefix=prefix)
    status = 200
    if request.method == "POST":

        def approve(reason):
            services.submission_approve(item=item, moderator=request.user, note=reason)
            return _("Approved: “%(item)s” is published.") % {"item": item}

        def reject(reason):
            services.submission_reject(item=item, moderator=request.user, reason=reason)
            return _("Rejected: “%(item)s”.") % {"item": item}

        if decided := _decide(request, form, {"approve": approve, "reject": reject}):
            return decided
        status = 400
        item = _item_or_404(content_type_id, pk)
    kind = kind_of(item)
    context = {
        "item": item,
        "kind": kind,
        "kind_label": kind_label(kind),
        "fields": selectors.item_fields(item),
        "history": selectors.item_history(item),
        "form": form,
        "prefix": prefix,
        "is_pending": item.status == ModerationStatus.PENDING,
        "merge_kind": kind if kind in MERGE_MODELS else "",
        "content_type_id": content_type_id,
        "section": "moderation",
    }
    return render(request, "community/moderation/item.html", context, status=status)


@moderator_required
@require_http_methods(["GET", "POST"])
def edit_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggested edit side by side with the item as it is now, and its decision form."""
    suggestion = get_object_or_404(EditSuggestion, pk=pk)
    prefix = f"e{pk}"
    form = DecisionForm(request.POST or None, prefix=prefix)
    status = 200
    if request.method == "POST":

        def approve(reason):
            services.edit_suggestion_approve(suggestion=suggestion, moderator=request.user, note=reason)
            return _("The edit was applied.")

        def reject(reason):
            services.edit_suggestion_reject(suggestion=suggestion, moderator=request.user, reason=reason)
            return _("The edit was rejected.")

        if decided := _decide(request, form, {"approve": approve, "reject": reject}):
            return decided
        status = 400
    suggestion = suggestion_selectors.edit_suggestion_with_diff(pk)
    context = {
        "suggestion": suggestion,
        "form": form,
        "prefix": prefix,
        "is_pending": suggestion.status == ReviewStatus.PENDING,
        "section": "moderation",
    }
    return render(request, "community/moderation/edit.html", context, status=status)


@moderator_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    prefix = f"r{pk}"
    form = ReportDecisionForm(request.POST or None, prefix=prefix)
    status = 200
    if request.method == "POST":

        def resolve(reason):
            services.report_resolve(report=report, moderator=request.user, note=reason)
            return _("The report is marked resolved.")

        def dismiss(reason):
            services.report_dismiss(report=report, moderator=request.user, reason=reason)
            return _("The report was dismissed.")

        if decided := _decide(request, form, {"resolve": resolve, "dismiss": dismiss}):
            return decided
        status = 400
    report = selectors.report_with_row(pk)
    context = {
        "report": report,
        "form": form,
        "prefix": prefix,
        "is_pending": report.status == ReviewStatus.PENDING,
        "merge_kind": report.row.kind if report.row and report.row.kind in MERGE_MODELS else "",
        "section": "moderation",
    }
    return render(request, "community/moderation/report.html", context, status=status)


@moderator_required
def history(request: HttpRequest, content_type_id: int, pk: int) -> HttpResponse:
    item = _item_or_404(content_type_id, pk)
    kind = kind_of(item)
    context = {
        "item": item,
        "kind_label": kind_label(kind),
        "history": selectors.item_history(item),
        "content_type_id": content_type_id,
        "section": "moderation",
    }
    return render(request, "community/moderation/history.html", context)


@moderator_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, kind: str) -> HttpResponse:
    model = MERGE_MODELS.get(kind)
    if model is None:
        raise Http404(_("Only people and organisations can be merged."))
    service = merge_services.person_merge if kind == "person" else merge_services.organization_merge
    if request.method == "POST":
        form = MergeForm(request.POST, model=model)
        if form.is_valid():
            try:
                kept = service(
                    keep=form.cleaned_data["keep"], remove=form.cleaned_data["remove"], moderator=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Merged into “%(item)s”.") % {"item": kept})
                return redirect("community:moderation")
        status = 400
    else:
        form = MergeForm(
            initial={"keep": request.GET.get("keep", ""), "remove": request.GET.get("remove", "")},
            model=model,
        )
        status = 200
    context = {"form": form, "kind": kind, "kind_label": kind_label(kind), "section": "moderation"}
    return render(request, "community/moderation/merge.html", context, status=status)
