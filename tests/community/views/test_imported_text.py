"""Text imported from outside keeps its language and says where it came from (issue 16): an arXiv
abstract on the Chinese site is labelled "from arXiv · English" and tagged lang="en"; a tracker's note
on a deadline likewise; the catalogue's own text carries no such label."""

import re

import pytest
from django.utils.html import escape

from community.models import Provenance
from community.sources import SOURCES
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _html(client, url: str, language: str = "en") -> str:
    prefix = "/zh-hans" if language == "zh-hans" else ""
    response = client.get(prefix + url)
    assert response.status_code == 200
    return response.content.decode()


def _abstract(html: str) -> str:
    """The abstract's section of a paper page."""
    return re.search(r'<h2 id="abstract-heading">.*?</section>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("language", "label"), [("en", "From arXiv · English"), ("zh-hans", "来自 arXiv · 英文")]
)
def test_an_imported_abstract_is_labelled_with_its_source_and_keeps_its_language(client, language, label):
    paper = f.PaperFactory(abstract="We propose a new network architecture based on attention.")
    Provenance.objects.create(item=paper, source="arxiv", file="export.arxiv.org/api/query")

    section = _abstract(_html(client, paper.get_absolute_url(), language))

    title = escape(SOURCES["arxiv"].attribution)
    assert f'<p class="meta imported-label" title="{title}">{label}</p>' in section
    assert '<div class="prose" lang="en"><p>We propose a new network architecture' in section


def test_a_source_that_does_not_say_its_language_is_named_without_a_language(client):
    paper = f.PaperFactory(abstract="Ein Aufsatz.")
    Provenance.objects.create(item=paper, source="bibtex", file="refs.bib")

    section = _abstract(_html(client, paper.get_absolute_url()))

    assert '<p class="meta imported-label">From a BibTeX file</p>' in section
    assert '<div class="prose"><p>Ein Aufsatz.' in section


def test_the_catalogues_own_abstract_has_no_import_label(client):
    paper = f.PaperFactory(abstract="Written by the editors.")

    section = _abstract(_html(client, paper.get_absolute_url(), "zh-hans"))

    assert "imported-label" not in section
    assert '<div class="prose"><p>Written by the editors.' in section


def test_a_trackers_note_on_a_deadline_keeps_its_language_on_the_chinese_venue_page(client):
    deadline = f.DeadlineFactory(note="Abstract registration closes one week earlier")
    Provenance.objects.create(item=deadline, source="ccf-deadlines", file="conference/AI/icml.yml")

    html = _html(client, deadline.venue.get_absolute_url(), "zh-hans")

    assert '<p class="note" lang="en">Abstract registration closes one week earlier</p>' in html
    source_line = re.search(r'<p class="deadline-source meta">(.*?)</p>', html, re.S).group(1)
    assert "ccf-deadlines" in source_line and source_line.endswith(" · 英文")
