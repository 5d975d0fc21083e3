"""Tasks, datasets, methods, claimed results and leaderboards (issue 14): the field's open record,
imported from the Papers with Code archive, shown with its attribution and licence.

Views stay thin: each calls the selectors of community.selectors.leaderboards and renders. A
leaderboard's `?metric=` must name one of its columns (else a 400 page saying which exist).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from community import leaderboard_filters
from community.leaderboard_table import leaderboard_rows
from community.selectors import leaderboards as boards
from community.services.leaderboards import leaderboard_direction_set
from community.sota_chart import SotaPoint, sota_chart
from community.sources import source_of

from .base import CatalogueDetailView, CatalogueListView, bad_request, form_problems
from .moderation import moderator_required

PWC_SOURCE = "pwc-archive"


def attributions(keys) -> list:
    """The declared sources (community.sources) of the source keys given, each once, by key."""
    return [source_of(key) for key in sorted(set(keys))]


class _ImportedList(CatalogueListView):
    """A list of items imported from an outside archive (no form submits these kinds): the page
    names the archive and its licence once, without a query. A subclass names its `kind` (task,
    dataset, method) and title; its filter, selector, template and nav section follow from the kind."""

    def __init_subclass__(cls, *, kind: str = "", title=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.filterset_class = getattr(leaderboard_filters, f"{kind.capitalize()}Filter")
        cls.selector = staticmethod(getattr(boards, f"{kind}_list"))
        cls.template_name = f"community/{kind}_list.html"
        cls.section = f"{kind}s"
        cls.title = title

    def get_extra_context(self) -> dict:
        return {"attributions": attributions([PWC_SOURCE])}


class _ImportedDetail(CatalogueDetailView):
    """A page of an imported item: `item_sources` (its Provenance rows), their `attributions`, and
    `boards` (the leaderboards it is part of) where the kind has them (`leaderboards`, a selector)."""

    leaderboards = None

    def __init_subclass__(cls, *, kind: str = "", leaderboards=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.selector = staticmethod(getattr(boards, f"{kind}_detail"))
        cls.template_name = f"community/{kind}_detail.html"
        cls.context_object_name = kind
        cls.section = f"{kind}s"
        cls.leaderboards = staticmethod(leaderboards) if leaderboards else None

    def get_context_data(self, **kwargs):
        rows = boards.sources_of([self.object]).get(self.object.pk, [])
        if self.leaderboards is not None:
            kwargs["boards"] = self.leaderboards(self.object)
        return super().get_context_data(
            item_sources=rows, attributions=attributions(r.source for r in rows), **kwargs
        )


class TaskListView(_ImportedList, kind="task", title=gettext_lazy("Tasks")):
    pass


class TaskDetailView(
    _ImportedDetail, kind="task", leaderboards=lambda task: boards.task_leaderboards(task=task)
):
    """A task: its subtasks and its datasets, each with the leaderboard its results make."""


class DatasetListView(_ImportedList, kind="dataset", title=gettext_lazy("Datasets")):
    pass


class DatasetDetailView(
    _ImportedDetail, kind="dataset", leaderboards=lambda dataset: boards.dataset_leaderboards(dataset=dataset)
):
    """A dataset: its variants, its tasks and the leaderboards it is part of."""


class MethodListView(_ImportedList, kind="method", title=gettext_lazy("Methods")):
    pass


class MethodDetailView(_ImportedDetail, kind="method"):
    """A method: the paper that introduced it and papers that use it."""


class ResultDetailView(DetailView):
    """One claimed result, with the other metrics of its row and a link to its leaderboard."""

    template_name = "community/result_detail.html"
    context_object_name = "result"

    def get_queryset(self):
        return boards.result_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section="tasks",
            siblings=boards.result_siblings(result=self.object),
            attributions=attributions([self.object.source] if self.object.source else []),
            **kwargs,
        )


MAX_METRIC_LENGTH = 200


def leaderboard(request: HttpRequest, task: str, dataset: str) -> HttpResponse:
    """The leaderboard of a task on a dataset, sorted by `?metric=` (one of its columns)."""
    task_obj = get_object_or_404(boards.task_list(), slug=task)
    dataset_obj = get_object_or_404(boards.dataset_list(), slug=dataset)
    metric = request.GET.get("metric", "").strip()
    try:
        if len(metric) > MAX_METRIC_LENGTH:
            raise boards.UnknownMetric(metric)
        board = boards.leaderboard(task=task_obj, dataset=dataset_obj, metric=metric)
    except boards.UnknownMetric:
        names = boards.leaderboard(task=task_obj, dataset=dataset_obj).columns
        return bad_request(
            request,
            [
                _("Metric: “%(metric)s” is not a column of this leaderboard; it has: %(names)s.")
                % {"metric": metric[:50], "names": ", ".join(c.metric for c in names) or "—"}
            ],
        )
    chart = None
    if board.sort is not None:
        points = [SotaPoint(date, float(value), name) for date, value, name in board.sort_values()]
        chart = sota_chart(
            points,
            higher_is_better=board.sort.higher_is_better,
            chart_id="sota",
            title=_("State of the art: %(metric)s") % {"metric": board.sort.metric},
            y_label=board.sort.metric,
        )
    context = {
        "board": board,
        "rows": leaderboard_rows(board),
        "chart": chart,
        "section": "tasks",
        "attributions": attributions(board.sources),
    }
    return render(request, "community/leaderboard.html", context)


class DirectionForm(forms.Form):
    metric = forms.CharField(max_length=MAX_METRIC_LENGTH)
    direction = forms.ChoiceField(
        choices=[
            ("auto", gettext_lazy("By the metric's name")),
            ("higher", gettext_lazy("Higher is better")),
            ("lower", gettext_lazy("Lower is better")),
        ]
    )


DIRECTIONS = {"auto": None, "higher": True, "lower": False}


@require_POST
@moderator_required
def leaderboard_direction(request: HttpRequest, task: str, dataset: str) -> HttpResponse:
    """A moderator sets which way a column of the leaderboard ranks (community.services.leaderboards)."""
    task_obj = get_object_or_404(boards.task_list(), slug=task)
    dataset_obj = get_object_or_404(boards.dataset_list(), slug=dataset)
    form = DirectionForm(request.POST)
    if not form.is_valid():
        return bad_request(request, form_problems(form))
    metric = form.cleaned_data["metric"]
    count = leaderboard_direction_set(
        task=task_obj,
        dataset=dataset_obj,
        metric=metric,
        higher_is_better=DIRECTIONS[form.cleaned_data["direction"]],
        moderator=request.user,
    )
    if not count:
        return bad_request(
            request,
            [_("Metric: “%(metric)s” is not a column of this leaderboard.") % {"metric": metric[:50]}],
        )
    messages.success(request, _("The ranking direction of %(metric)s is saved.") % {"metric": metric})
    url = reverse("community:leaderboard", args=[task_obj.slug, dataset_obj.slug])
    return redirect(f"{url}?{urlencode({'metric': metric})}")
