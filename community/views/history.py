"""The history of the field as a timeline, each step linked to its paper or project."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community.selectors.history import timeline_events


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "community/history.html", {"events": timeline_events(), "section": "history"})
