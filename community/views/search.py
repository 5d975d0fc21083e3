"""Search across the whole catalogue."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from community import page_cache
from community.filters import SEARCH_MAX_LENGTH
from community.selectors.search import SEARCH_LIMIT, search_catalogue

from .base import bad_request, form_problems


class SearchForm(forms.Form):
    # CharField also rejects NUL characters, which PostgreSQL would refuse with an error.
    q = forms.CharField(label=_("Search for"), max_length=SEARCH_MAX_LENGTH, required=False)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form_problems(form))
    text = form.cleaned_data["q"].strip()
    # Keyed on the validated text only: other parameters share its entry (community.page_cache).
    page_cache.use_query(request, {"q": text}, known=["q"])
    if page_cache.cached_fragment(request, "content"):
        # The title and the header's search box still need the text; the results are in the fragment.
        return render(request, "community/search.html", {"q": text, "section": "search"})
    sections = search_catalogue(text=text) if text else []
    context = {"form": form, "q": text, "sections": sections, "limit": SEARCH_LIMIT, "section": "search"}
    return render(request, "community/search.html", context)
