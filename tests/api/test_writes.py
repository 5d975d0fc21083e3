"""Writing through the API: submissions, suggested edits and reports go through
community.services.submissions (the web forms' functions) and land in the moderation queue."""

import pytest
from django.test import Client

from community.models import (
    ChangeRecord,
    Deadline,
    Edition,
    EditSuggestion,
    ModerationStatus,
    Paper,
    Report,
    Topic,
    Venue,
)
from community.services import submissions
from tests.community import factories as f

pytestmark = pytest.mark.django_db

PENDING = ModerationStatus.PENDING


def _paper(**overrides):
    return {
        "title": "Deep residual learning for image recognition",
        "year": 2016,
        "authors": ["Kaiming He", "Xiangyu Zhang"],
        "arxiv_id": "1512.03385",
        **overrides,
    }


def test_submitting_a_paper_creates_it_pending_through_the_service(user_api, user, mocker):
    topic = f.TopicFactory(slug="cnn")
    venue = f.VenueFactory(slug="cvpr")
    # The API looks the service up where the web side registers it; wrap that entry to see the call.
    spy = mocker.MagicMock(wraps=submissions.paper_submit)
    mocker.patch.dict(submissions.SUBMIT_SERVICES, {Paper: spy})

    response = user_api.post("/api/v1/papers/", _paper(topics=["cnn"], venue="cvpr"), format="json")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["type"] == "paper" and body["status"] == PENDING
    assert body["moderation_id"] == f"paper-{body['id']}"
    spy.assert_called_once()
    assert spy.call_args.kwargs["user"] == user and spy.call_args.kwargs["confirm"] is False
    paper = Paper.objects.get(pk=body["id"])
    assert paper.status == PENDING and paper.created_by == user and paper.slug == body["slug"]
    assert paper.venue == venue and list(paper.topics.all()) == [topic]
    assert [a.person.name for a in paper.authorships.order_by("position")] == ["Kaiming He", "Xiangyu Zhang"]
    assert ChangeRecord.objects.filter(object_id=paper.pk, action=ChangeRecord.Action.SUBMITTED).exists()
    # Pending: nobody reads it before a moderator approves it.
    assert user_api.get(f"/api/v1/papers/{paper.slug}/").status_code == 404


def test_server_owned_fields_cannot_be_set(user_api, user):
    response = user_api.post(
        "/api/v1/papers/",
        _paper(status="published", slug="my-own-slug", created_by=999, created_at="2000-01-01T00:00:00Z"),
        format="json",
    )
    assert response.status_code == 202, response.json()
    paper = Paper.objects.get(pk=response.json()["id"])
    assert paper.status == PENDING and paper.slug != "my-own-slug" and paper.created_by == user

    project = f.ProjectFactory(stars=10)
    user_api.patch(f"/api/v1/projects/{project.slug}/", {"stars": 99999, "description": "New"}, format="json")
    assert EditSuggestion.objects.get().changes == {"description": "New"}


def test_an_unknown_field_is_a_400(user_api):
    response = user_api.post("/api/v1/papers/", _paper(titel="typo"), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"titel": ["Unknown field."]}


def test_service_errors_are_field_errors(user_api):
    response = user_api.post(
        "/api/v1/papers/", _paper(authors=[], arxiv_id="not an id", year=1500), format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"authors", "arxiv_id", "year"} <= set(fields)
    assert not Paper.objects.exists()


def test_a_slug_that_names_nothing_published_is_a_400(user_api):
    f.TopicFactory(slug="hidden", status=PENDING)
    response = user_api.post("/api/v1/papers/", _paper(topics=["hidden"], venue="nope"), format="json")
    assert response.status_code == 400
    assert {"topics", "venue"} <= set(response.json()["error"]["fields"])


def test_near_duplicate_is_a_409_listing_the_items_until_confirmed(user_api):
    existing = f.PaperFactory(title="Deep residual learning for image recognition", arxiv_id="", doi="")

    first = user_api.post(
        "/api/v1/papers/", _paper(title="Deep Residual Learning for Image Recognition."), format="json"
    )

    assert first.status_code == 409
    error = first.json()["error"]
    assert error["code"] == "near_duplicate"
    assert error["existing"] == [
        {
            "type": "paper",
            "slug": existing.slug,
            "name": existing.title,
            "status": "published",
            "web_url": f"http://testserver/papers/{existing.slug}/",
        }
    ]
    assert Paper.objects.count() == 1

    again = user_api.post(
        "/api/v1/papers/",
        _paper(title="Deep Residual Learning for Image Recognition.", confirm=True),
        format="json",
    )
    assert again.status_code == 202
    assert Paper.objects.count() == 2


def test_exact_duplicate_is_a_409_that_confirm_does_not_override(user_api):
    existing = f.PaperFactory(arxiv_id="1512.03385", title="Something else entirely")

    for confirm in (False, True):
        response = user_api.post(
            "/api/v1/papers/", _paper(arxiv_id="arXiv:1512.03385v3", confirm=confirm), format="json"
        )
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "duplicate"
        assert [item["slug"] for item in error["existing"]] == [existing.slug]
    assert Paper.objects.count() == 1


def test_unique_names_are_duplicates_not_validation_errors(user_api):
    f.OrganizationFactory(name="DeepMind")
    response = user_api.post("/api/v1/organizations/", {"name": "deepmind", "kind": "company"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"


@pytest.mark.parametrize(
    ("endpoint", "payload", "model_name"),
    [
        (
            "projects",
            {"name": "tinygrad", "kind": "library", "repository_url": "https://github.com/tinygrad/tinygrad"},
            "project",
        ),
        ("organizations", {"name": "Mila", "kind": "research_lab", "country": "Canada"}, "organization"),
        ("people", {"name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"}, "person"),
        (
            "channels",
            {"name": "r/MachineLearning", "kind": "forum", "url": "https://reddit.com/r/ml"},
            "channel",
        ),
        ("guides", {"title": "Reading papers", "body": "Start with the abstract."}, "guide"),
        ("topics", {"name": "Diffusion models"}, "topic"),
        ("venues", {"name": "TMLR", "full_name": "Transactions on Machine Learning Research"}, "venue"),
    ],
)
def test_every_type_can_be_submitted(user_api, endpoint, payload, model_name):
    response = user_api.post(f"/api/v1/{endpoint}/", payload, format="json")
    assert response.status_code == 202, response.json()
    assert response.json()["type"] == model_name


def test_jobs_and_funding_name_their_organisation_by_slug(user_api):
    f.OrganizationFactory(slug="mila")
    job = user_api.post(
        "/api/v1/jobs/",
        {
            "title": "Research engineer",
            "organization": "mila",
            "kind": "full_time",
            "apply_url": "https://mila.quebec/jobs",
        },
        format="json",
    )
    assert job.status_code == 202, job.json()

    funding = user_api.post(
        "/api/v1/funding/",
        {
            "title": "Compute grant",
            "funder": "mila",
            "kind": "compute",
            "url": "https://mila.quebec/grant",
            "deadline_local": "2027-05-15T23:59",
            "deadline_timezone": "AoE",
        },
        format="json",
    )
    assert funding.status_code == 202, funding.json()
    from community.models import FundingOpportunity

    grant = FundingOpportunity.objects.get(pk=funding.json()["id"])
    assert grant.deadline.isoformat() == "2027-05-16T11:59:00+00:00"  # 23:59 AoE is 11:59 UTC next day


def test_a_conference_and_an_edition_with_deadlines(user_api):
    conference = user_api.post("/api/v1/venues/", {"name": "CoLLAs", "kind": "conference"}, format="json")
    assert conference.status_code == 202
    assert Venue.objects.get(pk=conference.json()["id"]).kind == Venue.Kind.CONFERENCE

    venue = f.VenueFactory(slug="neurips")
    response = user_api.post(
        "/api/v1/venues/neurips/editions/",
        {
            "year": 2027,
            "city": "Vancouver",
            "deadlines": [
                {"kind": "abstract", "due_local": "2027-05-08T23:59", "timezone_label": "AoE"},
                {"kind": "paper", "due_local": "2027-05-15T23:59"},
            ],
        },
        format="json",
    )
    assert response.status_code == 202, response.json()
    edition = Edition.objects.get(pk=response.json()["id"])
    assert edition.venue == venue and edition.status == PENDING
    assert Deadline.objects.filter(edition=edition).count() == 2

    again = user_api.post("/api/v1/venues/neurips/editions/", {"year": 2027}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"


def test_patch_suggests_an_edit_and_changes_nothing(user_api, user):
    paper = f.PaperFactory(title="Old title")

    response = user_api.patch(
        f"/api/v1/papers/{paper.slug}/", {"title": "New title", "comment": "Typo in the title"}, format="json"
    )

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["type"] == "edit" and body["changes"] == {"title": "New title"}
    suggestion = EditSuggestion.objects.get(pk=body["id"])
    assert suggestion.submitted_by == user and suggestion.comment == "Typo in the title"
    paper.refresh_from_db()
    assert paper.title == "Old title"


def test_put_takes_every_required_field(user_api):
    topic = f.TopicFactory(name="Old name")
    incomplete = user_api.put(f"/api/v1/topics/{topic.slug}/", {"description": "x"}, format="json")
    assert incomplete.status_code == 400 and "name" in incomplete.json()["error"]["fields"]

    full = user_api.put(
        f"/api/v1/topics/{topic.slug}/", {"name": "New name", "description": "x"}, format="json"
    )
    assert full.status_code == 202
    assert full.json()["changes"] == {"name": "New name", "description": "x"}


def test_an_edit_that_changes_nothing_and_a_taken_identifier_are_409s(user_api):
    paper = f.PaperFactory()
    other = f.PaperFactory()
    # A valid body the item's state refuses (it already is so): 409, which the schema documents.
    same = user_api.patch(f"/api/v1/papers/{paper.slug}/", {"title": paper.title}, format="json")
    assert same.status_code == 409 and same.json()["error"]["code"] == "no_changes"

    taken = user_api.patch(f"/api/v1/papers/{paper.slug}/", {"doi": other.doi}, format="json")
    assert taken.status_code == 409 and taken.json()["error"]["existing"][0]["slug"] == other.slug


def test_unpublished_items_cannot_be_edited_or_reported(user_api):
    paper = f.PaperFactory(status=PENDING)
    assert user_api.patch(f"/api/v1/papers/{paper.slug}/", {"title": "x"}, format="json").status_code == 404
    assert (
        user_api.post(f"/api/v1/papers/{paper.slug}/report/", {"reason": "spam"}, format="json").status_code
        == 404
    )


def test_report_a_problem(user_api, user):
    guide = f.GuideFactory()

    response = user_api.post(
        f"/api/v1/guides/{guide.slug}/report/", {"reason": "broken_link", "message": "404"}, format="json"
    )

    assert response.status_code == 202
    report = Report.objects.get(pk=response.json()["id"])
    assert report.reported_by == user and report.item == guide and report.reason == "broken_link"
    bad = user_api.post(f"/api/v1/guides/{guide.slug}/report/", {"reason": "meh"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["error"]["fields"]


def test_anonymous_writes_are_401_and_change_nothing(api):
    paper = f.PaperFactory()
    responses = [
        api.post("/api/v1/papers/", _paper(), format="json"),
        api.patch(f"/api/v1/papers/{paper.slug}/", {"title": "x"}, format="json"),
        api.post(f"/api/v1/papers/{paper.slug}/report/", {"reason": "spam"}, format="json"),
        api.post("/api/v1/venues/nope/editions/", {"year": 2027}, format="json"),
    ]
    assert [r.status_code for r in responses] == [401] * 4
    assert Paper.objects.count() == 1 and not EditSuggestion.objects.exists() and not Report.objects.exists()


def test_session_writes_need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    refused = client.post("/api/v1/topics/", {"name": "Graphs"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]

    client.get("/account/tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/topics/", {"name": "Graphs"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 202


def test_the_submission_limit_counts_writes_only(user_api, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for name in ("One", "Two"):
        assert user_api.post("/api/v1/topics/", {"name": name}, format="json").status_code == 202
    for _ in range(5):
        assert user_api.get("/api/v1/topics/").status_code == 200  # reading spends nothing
    throttled = user_api.post("/api/v1/topics/", {"name": "Three"}, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 3600
    assert Topic.objects.filter(name="Three").count() == 0


def test_a_slug_with_a_nul_byte_is_a_400_not_a_database_error(user_api, staff_api):
    # PostgreSQL refuses NUL in a query parameter; found by the schemathesis run on PostgreSQL.
    response = user_api.post("/api/v1/papers/", _paper(venue="neur\x00ips", topics=["a\x00"]), format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"venue", "topics"}
    sweep = staff_api.post("/api/v1/sweeps/", {"benchmark": "x\x00", "seed_count": 1}, format="json")
    assert sweep.status_code == 400 and "benchmark" in sweep.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["user", "moderator", "staff"])
def test_every_account_may_submit_and_it_still_waits_for_review(who, user_api, moderator_api, staff_api):
    client = {"user": user_api, "moderator": moderator_api, "staff": staff_api}[who]
    guide = f.GuideFactory()

    created = client.post("/api/v1/topics/", {"name": f"Topic by {who}"}, format="json")
    edited = client.patch(f"/api/v1/guides/{guide.slug}/", {"summary": "Shorter."}, format="json")
    reported = client.post(f"/api/v1/guides/{guide.slug}/report/", {"reason": "other"}, format="json")

    assert [r.status_code for r in (created, edited, reported)] == [202, 202, 202]
    # Even a moderator's own submission is pending: approving it is a separate, recorded decision.
    assert created.json()["status"] == PENDING
    guide.refresh_from_db()
    assert guide.summary != "Shorter."
