"""Text written by contributors is escaped everywhere it is shown: list, detail and search pages."""

import pytest
from django.urls import reverse

from tests.community import factories as f
from tests.community.pages import DETAIL_OF_LIST, LIST_PAGES, TEXT_FIELDS

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def _assert_escaped(content: bytes, *, must_show: bool = True):
    text = content.decode()
    assert "<script>alert(1)" not in text
    assert "<img src=x" not in text
    assert "onerror=alert(1)>" not in text
    if must_show:
        # The payload really was on the page, as text: a test that finds nothing proves nothing.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def _hostile(url_name):
    fields = {field: PAYLOAD for field in TEXT_FIELDS[url_name]}
    return LIST_PAGES[url_name](**fields)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_payload_is_escaped_on_list_pages(client, url_name):
    _hostile(url_name)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    _assert_escaped(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_OF_LIST))
def test_payload_is_escaped_on_detail_pages(client, url_name):
    item = _hostile(url_name)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    _assert_escaped(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_OF_LIST))
def test_payload_is_escaped_in_search_results(client, url_name):
    _hostile(url_name)
    response = client.get(reverse("community:search"), {"q": "alert(1)"})
    assert response.status_code == 200
    assert response.context["sections"]
    _assert_escaped(response.content)


@pytest.mark.django_db
def test_payload_in_the_query_string_is_escaped(client):
    f.PaperFactory(title="alert")
    for url in (reverse("community:search"), reverse("community:paper-list")):
        response = client.get(url, {"q": PAYLOAD[:60]})
        assert response.status_code == 200
        _assert_escaped(response.content)
    response = client.get(reverse("community:deadline-list"), {"tz": PAYLOAD})
    _assert_escaped(response.content)


@pytest.mark.django_db
def test_payload_in_related_names_is_escaped_on_a_paper_page(client):
    paper = f.fully_linked_paper()
    author = paper.authorships.first().person
    author.name = PAYLOAD
    author.save()
    author.affiliation.name = PAYLOAD
    author.affiliation.save()
    paper.venue.name = PAYLOAD[:100]
    paper.venue.save()
    for number, topic in enumerate(paper.topics.all()):
        topic.name = f"{PAYLOAD} {number}"
        topic.save()
    _assert_escaped(client.get(paper.get_absolute_url()).content)
    _assert_escaped(client.get(reverse("community:paper-list")).content)


@pytest.mark.django_db
def test_a_javascript_url_stored_around_the_forms_is_not_linked(client):
    channel = f.ChannelFactory()
    type(channel).objects.filter(pk=channel.pk).update(url="javascript:alert(1)")
    for url in (channel.get_absolute_url(), reverse("community:channel-list")):
        assert b'href="javascript:' not in client.get(url).content


@pytest.mark.django_db
def test_guide_body_is_sanitised_markdown(client):
    guide = f.GuideFactory(body="## Safe heading\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    content = client.get(guide.get_absolute_url()).content.decode()
    assert "<h3>Safe heading</h3>" in content
    assert "<script>alert(1)" not in content
    assert "javascript:" not in content
