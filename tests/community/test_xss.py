"""Script and HTML typed into any field of any submit form stay inert everywhere they are shown: the
moderation queue, review and history pages, the profile, and the public pages once approved.

Every free-text field of every form gets every payload (rotated, so each round puts a different one
in each field); address fields must refuse `javascript:` outright.
"""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from community.forms.submissions import LocalDateTimeField
from community.models import Person
from community.services.moderation import submission_approve
from community.views.submit import SUBMIT_KINDS
from tests.community.moderation_helpers import (
    ITEM_MODEL,
    VALID_POSTS,
    review_url,
    submit_url,
)

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "'><iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "{{ request }}{% debug %}<b onmouseover=alert(1)>",
]


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: event-handler attributes, javascript: addresses, inline
    scripts, frames and SVG. The templates' own markup has none of these (every <script> loads a file)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag in ("iframe", "svg", "object", "embed"):
            self.found.append(f"<{tag}>")


# Fields whose value is checked against a format (identifiers, zones): a payload is simply refused.
FORMAT_FIELDS = {"arxiv_id", "doi", "orcid", "deadline_timezone", "timezone_label"}


def _text_fields(form_class) -> dict[str, int | None]:
    """name -> max_length of the free-text fields of a submit form."""
    form = form_class()
    fields = {}
    for name, field in form.fields.items():
        if name in FORMAT_FIELDS or isinstance(field, forms.URLField | forms.EmailField | LocalDateTimeField):
            continue
        if type(field) is forms.CharField:
            fields[name] = field.max_length
    return fields


def _fit(payload: str, max_length: int | None, round_number: int) -> str:
    value = f"{payload} {round_number}"
    if max_length and len(value) > max_length:
        value = f"<b>{round_number}"[:max_length]
    return value


def _assert_inert(html: str, where: str) -> None:
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    assert parser.found == [], f"{parser.found} on {where}"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(SUBMIT_KINDS))
def test_payloads_in_every_text_field_are_inert_on_every_page(
    kind, member, member_client, moderator, moderator_client
):
    text_fields = _text_fields(SUBMIT_KINDS[kind].form_class)
    assert text_fields, kind
    items = []
    for round_number in range(len(PAYLOADS)):
        data = VALID_POSTS[kind]()
        for index, (name, max_length) in enumerate(sorted(text_fields.items())):
            payload = PAYLOADS[(index + round_number) % len(PAYLOADS)]
            data[name] = _fit(payload, max_length, round_number)
        if kind == "conference":
            data["deadlines-0-label"] = _fit(PAYLOADS[round_number], 200, round_number)
            data["deadlines-0-note"] = _fit(PAYLOADS[-1 - round_number], 300, round_number)
        if kind == "conference":
            data["venue"] = ""  # the new-conference fields carry payloads too
        # Identifiers must differ from round to round, or the second round is a duplicate.
        unique = {
            "paper": {"arxiv_id": f"2501.{round_number:05d}"},
            "person": {"orcid": f"0000-0002-1825-00{round_number:02d}"},
            "project": {"repository_url": f"https://github.com/example/xss{round_number}"},
        }
        data.update(unique.get(kind, {}))
        data["confirm"] = "on"
        response = member_client.post(submit_url(kind), data)
        assert response.status_code == 302, (
            kind,
            response.context["form"].errors if response.context else "",
        )
        items.append(ITEM_MODEL[kind].objects.filter(created_by=member).latest("pk"))

    # While pending: the queue, each review page, the profile.
    _assert_inert(moderator_client.get(reverse("community:moderation")).content.decode(), "the queue")
    _assert_inert(member_client.get(reverse("accounts:profile")).content.decode(), "the profile")
    for item in items:
        html = moderator_client.get(review_url(item)).content.decode()
        _assert_inert(html, f"the review page of {item.pk}")
        assert "&lt;" in html  # the payloads are there, as text

    # Approved: the public pages, the history, and (for papers) the authors' pages.
    anonymous = Client()
    for item in items:
        submission_approve(item=item, moderator=moderator)
        page = item.venue.get_absolute_url() if kind == "conference" else item.get_absolute_url()
        response = anonymous.get(page)
        assert response.status_code == 200
        _assert_inert(response.content.decode(), page)
        content_type = ContentType.objects.get_for_model(item)
        history = moderator_client.get(
            reverse("community:moderation-history", args=[content_type.pk, item.pk])
        )
        _assert_inert(history.content.decode(), "the history page")
    if kind == "paper":
        for person in Person.objects.filter(authorships__paper__in=items).distinct():
            _assert_inert(anonymous.get(person.get_absolute_url()).content.decode(), "an author's page")
    list_urls = {
        "paper": "community:paper-list",
        "project": "community:project-list",
        "conference": "community:venue-list",
        "journal": "community:venue-list",
        "job": "community:job-list",
        "funding": "community:funding-list",
        "channel": "community:channel-list",
        "organization": "community:organization-list",
        "person": "community:person-list",
        "guide": "community:guide-list",
    }
    _assert_inert(anonymous.get(reverse(list_urls[kind])).content.decode(), "the list page")
    _assert_inert(anonymous.get(reverse("community:search"), {"q": "alert"}).content.decode(), "search")
    _assert_inert(anonymous.get(reverse("community:home")).content.decode(), "home")


def _url_fields(kind: str) -> list[str]:
    fields = SUBMIT_KINDS[kind].form_class.base_fields
    return [name for name, field in fields.items() if isinstance(field, forms.URLField)]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(kind for kind in SUBMIT_KINDS if _url_fields(kind)))
def test_javascript_addresses_are_refused_in_every_address_field(kind, member_client):
    url_fields = _url_fields(kind)
    data = VALID_POSTS[kind]()
    for name in url_fields:
        data[name] = "javascript:alert(1)"
    response = member_client.post(submit_url(kind), data)
    assert response.status_code == 200
    html = response.content.decode()
    for name in url_fields:
        assert f'id="id_{name}_error"' in html, name
    assert not ITEM_MODEL[kind].objects.exists()


@pytest.mark.django_db
def test_a_guide_body_keeps_safe_markdown_and_loses_active_html(member, member_client, moderator):
    data = VALID_POSTS["guide"]()
    data["body_en"] = (
        "# Title\n\n[ok](https://example.org) [bad](javascript:alert(1))\n\n"
        '<img src="x" onerror="alert(1)"> <a href="https://e.org" onclick="alert(1)">x</a>\n\n$x_1 * y_2$'
    )
    member_client.post(submit_url("guide"), data)
    guide = ITEM_MODEL["guide"].objects.get(created_by=member)
    submission_approve(item=guide, moderator=moderator)
    html = Client().get(guide.get_absolute_url()).content.decode()
    body = html[html.index('class="prose guide-body"') :]
    assert 'href="https://example.org"' in body
    assert "javascript:" not in body and "onerror" not in body and "onclick" not in body
    assert '<span class="math math-inline">$x_1 * y_2$</span>' in body


@pytest.mark.django_db
def test_a_guide_cannot_dress_text_as_the_sites_interface(member, member_client, moderator):
    """Only the classes the renderer writes (code highlighting, math) survive: a contributor's
    `message message-error` or `notice` would look like the site's own banner."""
    data = VALID_POSTS["guide"]()
    data["body_en"] = (
        '<div class="message message-error notice">Your account is locked, log in at evil.example</div>\n\n'
        '<span class="messages error math">x</span> <pre class="notice"><code class="notice">z</code></pre>\n\n'
        "```python\ndef f(x):\n    return 'a'\n```\n\n$x_1 * y_2$ and $$\\sum_i w_i$$"
    )
    member_client.post(submit_url("guide"), data)
    guide = ITEM_MODEL["guide"].objects.get(created_by=member)
    submission_approve(item=guide, moderator=moderator)
    response = Client().get(guide.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index('class="prose guide-body"') :]
    body = body[: body.index('<aside class="guide-links"')]
    classes = {c for value in re.findall(r'class="([^"]*)"', body) for c in value.split()}
    assert not classes & {"message", "message-error", "notice", "messages", "error"}
    assert "Your account is locked" in body  # the text stays, undressed
    assert '<span class="math">x</span>' in body  # a renderer class on a span is allowed, no other
    assert '<div class="codehilite">' in body and '<span class="k">def</span>' in body
    assert '<span class="s1">' in body
    assert '<span class="math math-inline">$x_1 * y_2$</span>' in body
    assert '<span class="math math-display">$$\\sum_i w_i$$</span>' in body
