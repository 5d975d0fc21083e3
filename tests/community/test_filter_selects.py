"""The filter forms' selects (community.widgets): Django's markup, the chosen option marked, and a
model choice field's options read by one plain query (no server-side cursor on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
