"""The arXiv API, answered from recorded responses (tests/fixtures/arxiv/) instead of the network.

The `arxiv_api` fixture replaces requests.Session.request, under the arxiv package's client, with a
function that answers from the fixture files and fails the test on any other address.
"""

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def _feed(ids: list[str]) -> bytes:
    """The API's answer for `ids`: the recorded feed of each known id, entries merged in one feed."""
    feed = ET.parse(FIXTURES / "arxiv" / "empty.atom").getroot()  # noqa: S314 - our fixtures
    found = 0
    for arxiv_id in ids:
        path = FIXTURES / "arxiv" / f"{arxiv_id}.atom"
        if path.exists():
            feed.append(ET.parse(path).getroot().find(f"{ATOM}entry"))  # noqa: S314 - our fixtures
            found += 1
    feed.find(f"{OPENSEARCH}totalResults").text = str(found)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


class FakeArxiv:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_with: Exception | None = None
        self.status = 200

    def __call__(self, session, method, url, **kwargs) -> requests.Response:
        parts = urlsplit(url)
        assert (parts.hostname, parts.path) == ("export.arxiv.org", "/api/query"), f"unexpected request {url}"
        query = parse_qs(parts.query)
        self.requests.append({"query": query, "timeout": kwargs.get("timeout")})
        if self.fail_with is not None:
            raise self.fail_with
        response = requests.Response()
        response.status_code = self.status
        response._content = _feed(query["id_list"][0].split(",")) if self.status == 200 else b""
        response.url = url
        return response


@pytest.fixture(name="arxiv_api")
def arxiv_api_fixture(monkeypatch) -> FakeArxiv:
    fake = FakeArxiv()

    def request(session, method, url, **kwargs):  # a function, so it binds as a method does
        return fake(session, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", request)
    return fake
