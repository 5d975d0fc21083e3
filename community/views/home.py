"""The home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from community.selectors.home import home_sections

from .base import reader_timezone


def home(request: HttpRequest) -> HttpResponse:
    zone, tz_message = reader_timezone(request)
    context = {
        **home_sections(now=timezone.now()),
        "reader_tz": zone,
        "tz_message": tz_message,
        "section": "home",
    }
    return render(request, "community/home.html", context)
