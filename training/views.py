"""The published results under /results/: leaderboards, benchmark, sweep and run pages, compare,
the leaderboard downloads, trained weights, and the status JSON that live pages poll.

Thin: parse the request, call one selector (training.selectors decides who may see what), render.
Nothing here imports torch: the weights go out as the bytes the worker stored.
"""

from __future__ import annotations

import csv
import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community.csv_cells import csv_cell

from . import charts, selectors
from .forms import CompareForm
from .models import FINAL_STATES, RunState

SECTION = "results"  # the nav entry these pages belong to


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    return render(request, "training/results.html", {"boards": selectors.leaderboards(), "section": SECTION})


@require_GET
def benchmark_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = selectors.benchmark_board(slug)
    if board is None:
        raise Http404(_("There is no benchmark at this address."))
    config_json = json.dumps(board.benchmark.config, indent=2, sort_keys=True, ensure_ascii=False)
    return render(
        request,
        "training/benchmark_detail.html",
        {"board": board, "benchmark": board.benchmark, "config_json": config_json, "section": SECTION},
    )


# --- downloads of a leaderboard -----------------------------------------------------------------------

CSV_COLUMNS = (
    "rank",
    "sweep",
    "benchmark",
    "metric",
    "mean",
    "std",
    "n",
    "best_seed",
    "best",
    "verdict",
    "gap",
    "hardware",
    "device",
    "seeds",
    "finished_at",
    "published_at",
    "url",
)


def _leaderboard_rows(request: HttpRequest, board: selectors.Board) -> list[dict]:
    return [
        {
            **row.as_dict(),
            "benchmark": board.benchmark.slug,
            "url": request.build_absolute_uri(row.sweep.get_absolute_url()),
        }
        for row in board.rows
    ]


def _download_name(board: selectors.Board, ext: str) -> str:
    return f"deepcommons-{board.benchmark.slug}-leaderboard.{ext}"


@require_GET
def leaderboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    board = selectors.benchmark_board(slug)
    if board is None:
        raise Http404(_("There is no benchmark at this address."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _download_name(board, "csv"))
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in _leaderboard_rows(request, board):
        writer.writerow([csv_cell(row[column], separator=" ") for column in CSV_COLUMNS])
    return response


@require_GET
def leaderboard_json(request: HttpRequest, slug: str) -> JsonResponse:
    board = selectors.benchmark_board(slug)
    if board is None:
        raise Http404(_("There is no benchmark at this address."))
    benchmark = board.benchmark
    paper = benchmark.paper if benchmark.paper is not None and benchmark.paper.is_published else None
    data = {
        "benchmark": {
            "slug": benchmark.slug,
            "name": benchmark.name,
            "url": request.build_absolute_uri(benchmark.get_absolute_url()),
            "metric": benchmark.metric,
            "higher_is_better": benchmark.higher_is_better,
            "targets": benchmark.targets,
            "config": benchmark.config,
            "paper": (
                {"title": paper.title, "url": request.build_absolute_uri(paper.get_absolute_url())}
                if paper
                else None
            ),
        },
        "leaderboard": _leaderboard_rows(request, board),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition_header(True, _download_name(board, "json"))
    return response


# --- sweeps and runs ----------------------------------------------------------------------------------


@require_GET
def sweep_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.sweep_page(pk=pk, user=request.user)
    if page is None:
        raise Http404(_("There is no published sweep at this address."))
    benchmark = page.sweep.benchmark
    curves = [(_("seed %(seed)s") % {"seed": run.seed}, page.metrics.get(run.pk, [])) for run in page.runs]
    metrics = [t.get("metric", "") for t in benchmark.targets] + ["test_loss"]
    summary = page.sweep.summary or {}
    checks = [
        {**check, "stats": summary.get("metrics", {}).get(check.get("metric"), {})}
        for check in summary.get("checks", [])
        if isinstance(check, dict)
    ]
    context = {
        "page": page,
        "sweep": page.sweep,
        "checks": checks,
        "benchmark": benchmark,
        "runs": page.runs,
        "charts": charts.overlay_charts(curves, metrics, prefix="sweep"),
        "compare_ids": ",".join(str(r.pk) for r in page.runs if r.state == RunState.SUCCEEDED),
        "progress": selectors.sweep_percent((r.state, r.step, r.total_steps) for r in page.runs),
        "evaluations": sum(len(rows) for rows in page.metrics.values()),
        "section": SECTION,
    }
    return render(request, "training/sweep_detail.html", context)


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.run_page(pk=pk, user=request.user)
    if found is None:
        raise Http404(_("There is no published run at this address."))
    run, rows = found
    staff = selectors.is_staff(request.user)
    environment = sorted(selectors.visible_environment(run.environment, request.user).items())
    context = {
        "run": run,
        "sweep": run.sweep,
        "benchmark": run.sweep.benchmark,
        "charts": charts.run_charts(rows, prefix=f"run-{run.pk}"),
        "final_metrics": sorted((k, v) for k, v in (run.final_metrics or {}).items() if k != "step"),
        "environment": environment,
        "config_json": json.dumps(run.config, indent=2, sort_keys=True, ensure_ascii=False),
        "can_download": bool(run.weights_size) and (run.published or staff),
        "progress": selectors.run_percent(run.state, run.step, run.total_steps),
        "evaluations": len(rows),
        "section": SECTION,
    }
    return render(request, "training/run_detail.html", context)


@require_GET
def run_weights(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.run_weights(pk=pk, user=request.user)
    if found is None:
        raise Http404(_("These weights are not published."))
    run, data = found
    response = HttpResponse(data, content_type="application/octet-stream")
    name = f"deepcommons-run-{run.pk}-{run.sweep.benchmark.slug}-seed{run.seed}.pt"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(len(data))
    return response


# --- status JSON for the live pages -------------------------------------------------------------------


def _state_json(state: str) -> dict:
    """A run's or a sweep's state for the live pages: its value, its label, and whether it is final."""
    return {
        "state": state,
        "state_label": str(RunState(state).label) if state in RunState.values else state,
        "final": state in FINAL_STATES,
    }


def _status_json(row: dict) -> dict:
    state = row["state"]
    return {
        "id": row["pk"],
        **_state_json(state),
        "step": row["step"],
        "total_steps": row["total_steps"],
        "progress": selectors.run_percent(state, row["step"], row["total_steps"]),
        "attempt": row["attempt"],
        "evaluations": row["evaluations"],
        "cancel_requested": row["cancel_requested"],
        "heartbeat_at": row["heartbeat_at"].isoformat() if row["heartbeat_at"] else None,
    }


def _not_found_json(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=404)


@require_GET
@never_cache
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    row = selectors.run_status(pk=pk, user=request.user)
    if row is None:
        return _not_found_json(_("There is no published run with this number."))
    return JsonResponse(_status_json(row))


@require_GET
@never_cache
def sweep_status(request: HttpRequest, pk: int) -> JsonResponse:
    found = selectors.sweep_status(pk=pk, user=request.user)
    if found is None:
        return _not_found_json(_("There is no published sweep with this number."))
    sweep, rows = found
    runs = [{**_status_json(row), "seed": row["seed"]} for row in rows]
    progress = selectors.sweep_percent((r["state"], r["step"], r["total_steps"]) for r in rows)
    return JsonResponse(
        {
            "id": sweep["pk"],
            **_state_json(sweep["state"]),
            "progress": progress,
            "evaluations": sum(r["evaluations"] for r in runs),
            "runs": runs,
        }
    )


# --- compare ------------------------------------------------------------------------------------------


def _form_problems(form) -> list[str]:
    return [f"{form.fields[name].label}: {error}" for name, errors in form.errors.items() for error in errors]


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Overlaid curves of up to 12 runs. A bad list of ids is a 400 that shows the form again with
    what was wrong, never a 500."""
    if "runs" not in request.GET:
        return render(request, "training/compare.html", {"form": CompareForm(), "section": SECTION})
    form = CompareForm({"runs": ",".join(request.GET.getlist("runs"))})
    if not form.is_valid():
        context = {"form": form, "problems": _form_problems(form), "section": SECTION}
        return render(request, "training/compare.html", context, status=400)
    runs, missing = selectors.compare_runs(ids=form.cleaned_data["runs"], user=request.user)
    if missing:
        problem = ngettext(
            "Run %(ids)s does not exist or is not published.",
            "Runs %(ids)s do not exist or are not published.",
            len(missing),
        ) % {"ids": ", ".join(str(i) for i in missing)}
        return render(
            request,
            "training/compare.html",
            {"form": form, "problems": [problem], "section": SECTION},
            status=400,
        )
    metrics = selectors.metrics_by_run(runs)
    curves = [
        (
            _("#%(run)s %(benchmark)s, seed %(seed)s")
            % {"run": run.pk, "benchmark": run.sweep.benchmark.name, "seed": run.seed},
            metrics.get(run.pk, []),
        )
        for run in runs
    ]
    wanted = [t.get("metric", "") for run in runs for t in run.sweep.benchmark.targets] + [
        "test_loss",
        "train_loss",
    ]
    context = {
        "form": form,
        "runs": runs,
        "charts": charts.overlay_charts(curves, wanted, prefix="compare"),
        "section": SECTION,
    }
    return render(request, "training/compare.html", context)
