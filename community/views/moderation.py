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


def _review_page(request: HttpRequest, form, actions: dict, template: str, context) -> HttpResponse:
    """The shape of the three review pages (item, edit, report): a POST runs the decision its form names
    (``actions`` as ``_decisions`` makes them) and redirects; a GET, or a refused POST (400), shows the
    page with ``context()``'s entries, read after the attempt so that it shows the state as it is now."""
    status = 200
    if request.method == "POST":
        if decided := _decide(request, form, actions):
            return decided
        status = 400
    page = {**context(), "form": form, "prefix": form.prefix, "section": "moderation"}
    return render(request, template, page, status=status)


def _decisions(target: dict, moderator, accept: tuple, refuse: tuple) -> dict:
    """The two decisions of a review form, for ``_decide``: ``accept`` and ``refuse`` are each (the
    decision's name, its service, the success message). Every review service takes the reviewed
    object (``target``) and the moderator; accepting takes an optional ``note``, refusing the
    required ``reason``."""
    (accept_name, accept_service, accepted), (refuse_name, refuse_service, refused) = accept, refuse

    def do_accept(reason):
        accept_service(**target, moderator=moderator, note=reason)
        return accepted

    def do_refuse(reason):
        refuse_service(**target, moderator=moderator, reason=reason)
        return refused

    return {accept_name: do_accept, refuse_name: do_refuse}


@moderator_required
@require_http_methods(["GET", "POST"])
def item_review(request: HttpRequest, content_type_id: int, pk: int) -> HttpResponse:
    """One item with every field, its history and (while pending) the approve / reject form."""
    item = _item_or_404(content_type_id, pk)

    def context():
        # After a refused POST the item is read again: the page shows it as it is now.
        shown = _item_or_404(content_type_id, pk) if request.method == "POST" else item
        kind = kind_of(shown)
        return {
            "item": shown,
            "kind": kind,
            "kind_label": kind_label(kind),
            "fields": selectors.item_fields(shown),
            "history": selectors.item_history(shown),
            "is_pending": shown.status == ModerationStatus.PENDING,
            "merge_kind": kind if kind in MERGE_MODELS else "",
            "content_type_id": content_type_id,
        }

    actions = _decisions(
        {"item": item},
        request.user,
        ("approve", services.submission_approve, _("Approved: “%(item)s” is published.") % {"item": item}),
        ("reject", services.submission_reject, _("Rejected: “%(item)s”.") % {"item": item}),
    )
    form = DecisionForm(request.POST or None, prefix=f"i{content_type_id}-{pk}")
    return _review_page(request, form, actions, "community/moderation/item.html", context)


@moderator_required
@require_http_methods(["GET", "POST"])
def edit_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggested edit side by side with the item as it is now, and its decision form."""
    suggestion = get_object_or_404(EditSuggestion, pk=pk)

    def context():
        shown = suggestion_selectors.edit_suggestion_with_diff(pk)
        return {"suggestion": shown, "is_pending": shown.status == ReviewStatus.PENDING}

    actions = _decisions(
        {"suggestion": suggestion},
        request.user,
        ("approve", services.edit_suggestion_approve, _("The edit was applied.")),
        ("reject", services.edit_suggestion_reject, _("The edit was rejected.")),
    )
    form = DecisionForm(request.POST or None, prefix=f"e{pk}")
    return _review_page(request, form, actions, "community/moderation/edit.html", context)


@moderator_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)

    def context():
        shown = selectors.report_with_row(pk)
        return {
            "report": shown,
            "is_pending": shown.status == ReviewStatus.PENDING,
            "merge_kind": shown.row.kind if shown.row and shown.row.kind in MERGE_MODELS else "",
        }

    actions = _decisions(
        {"report": report},
        request.user,
        ("resolve", services.report_resolve, _("The report is marked resolved.")),
        ("dismiss", services.report_dismiss, _("The report was dismissed.")),
    )
    form = ReportDecisionForm(request.POST or None, prefix=f"r{pk}")
    return _review_page(request, form, actions, "community/moderation/report.html", context)


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
