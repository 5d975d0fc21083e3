"""The filter forms' widgets (community.widgets): Django's markup, the chosen option marked, a model
choice field's options read by one plain query (no server-side cursor on PostgreSQL), options and
rendered selects kept per catalogue version and language in a shared cache."""

import copy

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from community import page_cache, widgets
from community.filters import PaperFilter
from community.models import Paper
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def test_the_topic_and_venue_selects_list_their_published_items_and_mark_the_chosen_one():
    vision = f.TopicFactory(name="Vision", slug="vision")
    f.TopicFactory(name="Audio", slug="audio")
    f.TopicFactory(name="Hidden", slug="hidden", status="pending")
    f.VenueFactory(name="NeurIPS", slug="neurips")
    form = PaperFilter({"topic": vision.slug}, queryset=Paper.objects.all()).form
    assert form.is_valid()
    topic_html, venue_html = str(form["topic"]), str(form["venue"])
    assert topic_html.startswith('<select name="topic"') and topic_html.endswith("</select>")
    assert '<option value="vision" selected>Vision</option>' in topic_html
    assert '<option value="audio">Audio</option>' in topic_html
    assert "hidden" not in topic_html  # unpublished
    assert '<option value="">Any topic</option>' in topic_html
    assert '<option value="neurips">NeurIPS</option>' in venue_html


def test_a_selects_options_are_one_plain_query():
    f.TopicFactory(name="Vision")
    form = PaperFilter({}, queryset=Paper.objects.all()).form
    with CaptureQueriesContext(connection) as queries:
        str(form["topic"])
    assert len(queries) == 1
    # ModelChoiceIterator's .iterator() declared a cursor (DECLARE, FETCH, CLOSE) on PostgreSQL.
    assert not queries[0]["sql"].lstrip().upper().startswith("DECLARE")


@pytest.fixture
def shared_cache(monkeypatch):
    """The default cache taken as one every process shares (CI's Redis is): options are kept only
    there (page_cache.per_version)."""
    monkeypatch.setattr(page_cache, "shared_cache", lambda: True)


@pytest.mark.usefixtures("shared_cache")
def test_options_are_kept_per_catalogue_version_and_language():
    f.TopicFactory(name="Vision", slug="vision")

    def rendered(data=None):
        with CaptureQueriesContext(connection) as queries:
            html = str(PaperFilter(data or {}, queryset=Paper.objects.all()).form["topic"])
        return html, len(queries)

    first, read = rendered()
    again, read_again = rendered()
    assert (read, read_again) == (1, 0) and again == first
    chosen, read_chosen = rendered({"topic": "vision"})
    assert read_chosen == 1  # checking the submitted slug, not the options
    assert '<option value="vision" selected>Vision</option>' in chosen  # the chosen one still marked

    f.TopicFactory(name="Audio", slug="audio")  # a write moves the version (tests/conftest.py)
    after_write, read_after_write = rendered()
    assert read_after_write == 1 and '<option value="audio">Audio</option>' in after_write

    with translation.override("zh-hans"):
        chinese, read_chinese = rendered()
    assert read_chinese == 1 and "任意主题" in chinese  # each language its own entry


@pytest.mark.usefixtures("shared_cache")
def test_a_submitted_value_is_still_checked_against_the_published_items():
    f.TopicFactory(name="Vision", slug="vision")
    f.TopicFactory(name="Hidden", slug="hidden", status="pending")
    str(PaperFilter({}, queryset=Paper.objects.all()).form["topic"])  # options now kept
    assert not PaperFilter({"topic": "hidden"}, queryset=Paper.objects.all()).form.is_valid()
    assert PaperFilter({"topic": "vision"}, queryset=Paper.objects.all()).form.is_valid()


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"type": "search", "maxlength": 200}), 'graph "neural" <script>'),
        (forms.TextInput(), None),
        (forms.NumberInput(attrs={"min": 1900}), 2017),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
    ],
)
def test_inputs_are_written_as_djangos_templates_write_them(widget, value):
    fast = copy.deepcopy(widget)
    fast.__class__ = widgets._fast(type(widget))
    attrs = {"id": "id_field"}
    assert fast.render("field", value, attrs) == widget.render("field", value, attrs)


@pytest.mark.usefixtures("shared_cache")
def test_a_select_is_kept_rendered_per_chosen_value(monkeypatch):
    f.TopicFactory(name="Vision", slug="vision")
    f.TopicFactory(name="Audio <sound>", slug="audio")
    written = []
    markup = widgets.FastSelect._markup
    monkeypatch.setattr(
        widgets.FastSelect, "_markup", lambda self, *args: written.append(args[:2]) or markup(self, *args)
    )

    def rendered(data):
        return str(PaperFilter(data, queryset=Paper.objects.all()).form["topic"])

    first = rendered({})
    assert rendered({}) == first and written == [("topic", None)]  # the second one read back
    chosen = rendered({"topic": "vision"})
    assert written[-1] == ("topic", "vision")
    assert '<option value="vision" selected>Vision</option>' in chosen
    assert "Audio &lt;sound&gt;" in first and "<sound>" not in first
    with translation.override("zh-hans"):
        assert "任意主题" in rendered({})  # each language its own
