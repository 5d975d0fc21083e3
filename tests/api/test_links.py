"""The API's links by slug (common.api.fields.LinkBySlug): the URLs DRF would make, one reverse() per
view and request rather than one per link."""

import pytest
from rest_framework import relations
from rest_framework.reverse import reverse
from rest_framework.test import APIRequestFactory

from common.api.fields import SlugIdentityLink
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _papers_with_authors(count: int):
    for n in range(count):
        paper = f.PaperFactory(title=f"Paper {n}")
        for _ in range(3):
            f.AuthorshipFactory(paper=paper)


def test_links_are_the_urls_drf_makes(client):
    _papers_with_authors(2)
    body = client.get("/api/v1/papers/", HTTP_HOST="testserver").json()
    request = APIRequestFactory().get("/api/v1/papers/")
    for paper in body["results"]:
        assert paper["api_url"] == reverse("api:paper-detail", kwargs={"slug": paper["slug"]}, request=request)
        for author in paper["authors"]:
            expected = reverse("api:person-detail", kwargs={"slug": author["slug"]}, request=request)
            assert author["api_url"] == expected


def test_a_page_of_links_reverses_each_view_once(client, monkeypatch):
    _papers_with_authors(4)
    calls = []

    def counting(view_name, *args, **kwargs):
        calls.append(view_name)
        return reverse(view_name, *args, **kwargs)

    # Each field takes `reverse` from this module when the serializer of a request makes it.
    monkeypatch.setattr(relations, "reverse", counting)
    body = client.get("/api/v1/papers/").json()
    assert len(body["results"]) == 4
    # 4 papers and 12 authors, before this one reverse() each (venues and topics too).
    assert calls.count("api:paper-detail") == 1
    assert calls.count("api:person-detail") == 1


class _Item:
    def __init__(self, slug):
        self.pk, self.slug = 1, slug


@pytest.mark.parametrize("slug", ["深度学习", "a b", "x/y"])
def test_a_value_that_is_no_plain_slug_goes_through_drfs_reverse(slug):
    field = SlugIdentityLink(view_name="api:topic-detail", lookup_field="slug")
    request = APIRequestFactory().get("/")
    try:
        expected = reverse("api:topic-detail", kwargs={"slug": slug}, request=request)
    except Exception as exc:  # noqa: BLE001 (DRF's own answer, whatever it is, is the one expected)
        with pytest.raises(type(exc)):
            field.get_url(_Item(slug), "api:topic-detail", request, None)
        return
    assert field.get_url(_Item(slug), "api:topic-detail", request, None) == expected


def test_an_unsaved_item_has_no_link():
    field = SlugIdentityLink(view_name="api:topic-detail", lookup_field="slug")
    item = _Item("attention")
    item.pk = None
    assert field.get_url(item, "api:topic-detail", APIRequestFactory().get("/"), None) is None
