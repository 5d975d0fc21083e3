"""The OpenAPI schema: generated without a warning, valid, and documenting every endpoint's errors
and both ways to authenticate; the docs page works under the site's CSP (no inline script or style,
nothing from another origin)."""

from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # --fail-on-warn turns any warning (an unresolvable field, an enum collision) into an error.
        call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(path))
    return yaml.safe_load(path.read_text())


EXPECTED_PATHS = {
    *[f"/api/v1/{name}/" for name in ("papers", "people", "organizations", "projects", "venues", "jobs")],
    *[f"/api/v1/{name}/" for name in ("funding", "channels", "guides", "topics", "deadlines")],
    *[f"/api/v1/{name}/{{slug}}/" for name in ("papers", "people", "organizations", "projects", "venues")],
    *[f"/api/v1/{name}/{{slug}}/" for name in ("jobs", "funding", "channels", "guides", "topics")],
    "/api/v1/deadlines/{id}/",
    "/api/v1/benchmarks/",
    "/api/v1/benchmarks/{slug}/",
    "/api/v1/sweeps/",
    "/api/v1/sweeps/{id}/",
    "/api/v1/sweeps/{id}/cancel/",
    "/api/v1/sweeps/{id}/publish/",
    "/api/v1/runs/",
    "/api/v1/runs/{id}/",
}


def test_schema_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= EXPECTED_PATHS


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method != "get":
                assert {"400", "403"} <= set(responses), (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Error"), (method, path, status)
                    assert response["description"], (method, path, status)
            assert operation.get("summary"), (method, path)


def test_both_authentication_schemes_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["in"] == "header" and schemes["tokenAuth"]["name"] == "Authorization"
    assert schemes["cookieAuth"]["in"] == "cookie"
    write = schema["paths"]["/api/v1/sweeps/"]["post"]
    assert {"tokenAuth": []} in write["security"] and {"cookieAuth": []} in write["security"]


def test_filters_and_formats_are_parameters(schema):
    papers = schema["paths"]["/api/v1/papers/"]["get"]
    names = {p["name"] for p in papers["parameters"]}
    assert {"q", "search", "topic", "year", "venue", "ordering", "page", "page_size", "format"} <= names
    assert "application/x-bibtex" in papers["responses"]["200"]["content"]


def test_every_operation_documents_its_formats(schema):
    """`?format=` on every operation, with the formats it answers in (anything else is a 400)."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            formats = {p["name"]: p for p in operation.get("parameters", [])}.get("format")
            assert formats and formats["in"] == "query", (method, path)
            expected = ["bibtex", "json"] if path.startswith("/api/v1/papers/") and method == "get" else ["json"]
            assert formats["schema"]["enum"] == expected, (method, path)
            assert "400" in operation["responses"], (method, path)


def test_write_bodies_state_the_rules_the_api_enforces(schema):
    """Schemathesis found 19 write operations refusing most data their schema called valid (`"year": 0`):
    the request bodies now state the API's rules (tests/api/test_fuzz.py checks each is enough)."""
    components = schema["components"]["schemas"]
    paper = components["PaperInputRequest"]
    assert paper["additionalProperties"] is False
    assert set(paper["required"]) >= {"title", "year", "authors"}
    fields = paper["properties"]
    assert fields["year"]["minimum"] == 1800 and fields["year"]["maximum"] >= 2031
    assert fields["authors"]["minItems"] == 1 and fields["authors"]["uniqueItems"] is True
    assert fields["title"]["minLength"] == 1 and "pattern" in fields["title"]  # not only white space
    assert fields["venue"]["pattern"] == "^[-a-zA-Z0-9_]{1,200}$"
    assert fields["url"]["oneOf"][0]["pattern"].startswith("^https?://")
    assert fields["doi"]["oneOf"][0]["pattern"].startswith("^((https?://)?(dx\\.)?doi\\.org/|doi:)?10\\.")
    assert "pattern" in components["PersonInputRequest"]["properties"]["orcid"]["oneOf"][0]
    project = components["ProjectInputRequest"]["properties"]
    assert project["repository_url"]["pattern"] != fields["url"]["oneOf"][0]["pattern"]  # a path is needed
    funding = components["FundingInputRequest"]["properties"]
    assert "pattern" in funding["deadline_local"]
    assert funding["deadline_timezone"]["allOf"] == [{"$ref": "#/components/schemas/TimezoneLabelEnum"}]
    assert "UTC+8" in components["TimezoneLabelEnum"]["enum"]
    assert components["SweepStartRequest"]["oneOf"] == [{"required": ["seeds"]}, {"required": ["seed_count"]}]
    # A filter's bounds, and the statuses a write can answer beyond 400.
    runs = {p["name"]: p for p in schema["paths"]["/api/v1/runs/"]["get"]["parameters"]}
    assert runs["sweep"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert "409" in schema["paths"]["/api/v1/sweeps/{id}/publish/"]["post"]["responses"]


def test_schema_is_served(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert "openapi" in yaml.safe_load(response.content)
    assert api.get("/api/v1/schema/", {"format": "json"}).json()["info"]["title"] == "DeepCommons API"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles = 0
        self.style_attributes = 0
        self.links: list[dict] = []
        self._in_script = False
        self.inline_script_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.style_attributes += 1
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = True
        elif tag == "style":
            self.styles += 1
        elif tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_script_text += data.strip()


def test_docs_page_runs_under_the_csp(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp

    tags = _Tags()
    tags.feed(response.content.decode())
    # No inline script, style block, style attribute or event handler: CSP would block each of them.
    assert tags.scripts and all(script.get("src") for script in tags.scripts)
    assert tags.inline_script_text == ""
    assert tags.styles == 0 and tags.style_attributes == 0
    # Everything comes from this site: the sidecar's Swagger UI files, our CSS, the init script.
    sources = [s["src"] for s in tags.scripts] + [link["href"] for link in tags.links]
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src

    init = api.get([s["src"] for s in tags.scripts if s["src"].startswith("/api/")][0])
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode() and "/api/v1/schema/" in init.content.decode()
