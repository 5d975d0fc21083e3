"""Every kind in the registry (community.kinds.REGISTRY) goes the whole way, from the outside: submitted
through its web form and through the API, approved, exported with its fields, an edit suggested
through the API, shown to the moderator as a change and applied. A kind added to the registry is
walked here too, with nothing to add but its sample data (SAMPLES below fails until it has some).
"""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from community.api.urls import routes
from community.kinds import KIND, REGISTRY
from community.models import EditSuggestion, ModerationStatus, Venue
from community.services import submissions
from community.services.exports import catalogue_export
from community.services.rate_limits import RateLimited, submission_rate_hit
from tests.api.tokens import token_client
from tests.community.moderation_helpers import VALID_POSTS, decide, submit_url

PENDING, PUBLISHED = ModerationStatus.PENDING, ModerationStatus.PUBLISHED

# The submit page of each kind (a venue is submitted as a journal, an edition as a conference's year).
SUBMIT_PAGE = {kind.name: kind.name for kind in REGISTRY} | {"venue": "journal", "edition": "conference"}
# Topics are submitted through the API only (moderators shape the taxonomy); they have no submit page.
NO_SUBMIT_PAGE = {"topic"}


def _topic():
    return {"name": "Sparse mixtures", "description": "Routing tokens to experts."}


SAMPLES = {name: VALID_POSTS[page] for name, page in SUBMIT_PAGE.items() if page in VALID_POSTS}
SAMPLES["topic"] = _topic
API_PREFIX = {basename: prefix for prefix, _viewset, basename in routes}


def test_every_kind_has_sample_data_and_a_submit_page_or_a_reason():
    assert set(SAMPLES) == set(KIND)
    assert {name for name in KIND if SUBMIT_PAGE[name] not in VALID_POSTS} == NO_SUBMIT_PAGE


def _api_payload(kind, form_data: dict) -> dict:
    """The form's sample as the API takes it (related items by slug, lists as lists), under another
    title and without the identifiers the form's item now holds, so it is a different item."""
    payload = {}
    # A per-language box of the form (`title_en`) is the field itself in an (English) API request.
    english = {key.removesuffix("_en"): value for key, value in form_data.items() if key.endswith("_en")}
    form_data = {**english, **form_data}
    for name in (*kind.fields, *kind.aliases):
        if name not in form_data or form_data[name] == "":
            continue
        value = form_data[name]
        if name == "authors":
            payload[name] = value.split()[:2]
            continue
        field = kind.model._meta.get_field(name) if name not in kind.aliases else None
        if field is not None and field.many_to_many:
            payload[name] = [field.related_model.objects.get(pk=pk).slug for pk in value]
        elif field is not None and field.many_to_one:
            payload[name] = field.related_model.objects.get(pk=value).slug
        elif isinstance(field, models.IntegerField):
            payload[name] = int(value)
        else:
            payload[name] = value
    for name in kind.duplicates.identifiers:
        if name in payload and name != kind.title_field:
            if name.endswith("url"):
                payload[name] = payload[name].removesuffix(".git") + "-api"
            else:
                del payload[name]
    if kind.title_field in payload and isinstance(payload[kind.title_field], str):
        payload[kind.title_field] += " (by API)"
    return payload


def _edited_field(kind) -> str:
    """A free-text field of the kind, for a suggested edit."""
    return next(
        name
        for name in kind.fields
        if name != "authors" and isinstance(kind.model._meta.get_field(name), models.TextField)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", [kind.name for kind in REGISTRY])
def test_a_kind_round_trips_through_forms_api_moderation_and_export(
    name, member, member_client, moderator, moderator_client, tmp_path
):
    kind = KIND[name]
    model = kind.model
    form_data = SAMPLES[name]()
    member_api, moderator_api = token_client(member), token_client(moderator)

    # Submitted through the web form (topics: through the API), pending until approved.
    if name in NO_SUBMIT_PAGE:
        response = member_api.post(f"/api/v1/{API_PREFIX[name]}/", form_data, format="json")
        assert response.status_code == 202, response.json()
    else:
        response = member_client.post(submit_url(SUBMIT_PAGE[name]), form_data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
    item = model.objects.filter(created_by=member).latest("pk")
    assert item.status == PENDING
    assert decide(moderator_client, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.status == PUBLISHED

    # Submitted through the API as well: the same registry fields, another item.
    if name == "edition":
        venue = item.venue
        url = f"/api/v1/venues/{venue.slug}/editions/"
        payload = {"year": item.year - 1, "city": "Porto"}
    else:
        url = f"/api/v1/{API_PREFIX[name]}/"
        payload = _api_payload(kind, SAMPLES[name]() if name != "topic" else {"name": "Routing"})
    response = member_api.post(url, {**payload, "confirm": True}, format="json")
    assert response.status_code == 202, response.json()
    assert model.objects.get(pk=response.json()["id"]).status == PENDING

    # Exported with every field a contributor sets (links as slugs, lists as lists).
    catalogue_export(fmt="json", output=tmp_path / "catalogue.json")
    document = json.loads((tmp_path / "catalogue.json").read_text())
    export_name = {"person": "people", "funding": "funding", "edition": "editions"}.get(name, f"{name}s")
    rows = [row for row in document[export_name] if row["slug"] == item.slug]
    assert len(rows) == 1
    assert set(kind.fields) <= set(rows[0])

    if not kind.has_page:
        # An edition has no page and no API endpoint of its own: it is shown, and edited by the
        # moderators, on its venue's page.
        assert isinstance(item.venue, Venue)
        return

    # An edit suggested through the API changes nothing until a moderator approves it; the
    # moderator sees the change, and approving applies it.
    field = _edited_field(kind)
    old = getattr(item, field)
    response = member_api.patch(
        f"/api/v1/{API_PREFIX[name]}/{item.slug}/", {field: "Rewritten by a reader."}, format="json"
    )
    assert response.status_code == 202, response.json()
    suggestion = EditSuggestion.objects.get(
        content_type=ContentType.objects.get_for_model(model), object_id=item.pk
    )
    item.refresh_from_db()
    assert getattr(item, field) == old
    entry = moderator_api.get(f"/api/v1/moderation/edit-{suggestion.pk}/").json()
    assert entry["changes"] == {field: "Rewritten by a reader."}
    page = moderator_client.get(reverse("community:moderation-edit", kwargs={"pk": suggestion.pk}))
    assert page.status_code == 200 and "Rewritten by a reader." in page.content.decode()
    approved = moderator_api.post(f"/api/v1/moderation/edit-{suggestion.pk}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    item.refresh_from_db()
    assert getattr(item, field) == "Rewritten by a reader."


@pytest.mark.django_db
@pytest.mark.parametrize("name", [kind.name for kind in REGISTRY])
def test_every_kinds_submission_spends_the_one_budget(name, member, settings):
    # The services are built from the registry; each one is still behind the submission budget,
    # and a spent budget is refused before anything is read or written.
    settings.SUBMISSION_RATE_LIMIT = 1
    submission_rate_hit(user=member, ip="203.0.113.9")
    with pytest.raises(RateLimited):
        submissions.SUBMIT_SERVICES[KIND[name].model](data={}, user=member, ip="203.0.113.9")
    assert not KIND[name].model.objects.filter(created_by=member).exists()
