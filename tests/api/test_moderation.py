"""The moderation queue and decisions through the API (community.services.moderation), and who may
use them. The services mail the submitter; that is their business, so it is patched out here."""

import pytest
from django.urls import reverse

from community.models import EditSuggestion, ModerationStatus, Paper, Report, ReviewStatus
from community.services import submissions
from tests.community import factories as f
from tests.support.queries import queries_for_one_and_many

pytestmark = pytest.mark.django_db

PENDING = ModerationStatus.PENDING


@pytest.fixture(autouse=True)
def mails(mocker):
    return mocker.patch("community.services.moderation.mail_user_on_commit")


@pytest.fixture
def submitted(user):
    """A pending paper (with a new pending author), a suggested edit and a report, in that order."""
    paper = submissions.paper_submit(
        data={"title": "Dropout", "year": 2014, "authors": ["Nitish Srivastava"]}, user=user
    )
    target = f.PaperFactory(title="Batch normalisation")
    edit = submissions.edit_suggest(
        item=target, changes={"title": "Batch normalization"}, user=user, comment="US spelling"
    )
    report = submissions.report_create(item=target, reason="wrong", message="Wrong year", user=user)
    return paper, edit, report


def test_the_queue_lists_every_pending_entry_oldest_first(moderator_api, submitted):
    paper, edit, report = submitted
    author = paper.authors.get()

    body = moderator_api.get("/api/v1/moderation/").json()

    ids = [entry["id"] for entry in body["results"]]
    assert ids == [f"paper-{paper.pk}", f"person-{author.pk}", f"edit-{edit.pk}", f"report-{report.pk}"]
    first = body["results"][0]
    assert first["label"] == "Dropout" and first["submitted_by"] == "ada" and first["target"] is None
    assert body["results"][2]["target"] == {"type": "paper", "id": edit.object_id}
    assert body["count"] == 4

    only_edits = moderator_api.get("/api/v1/moderation/", {"type": "edit"}).json()
    assert [e["id"] for e in only_edits["results"]] == [f"edit-{edit.pk}"]
    bad = moderator_api.get("/api/v1/moderation/", {"type": "nonsense"})
    assert bad.status_code == 400 and "type" in bad.json()["error"]["fields"]


def test_an_entry_shows_what_was_sent(moderator_api, submitted):
    paper, edit, report = submitted

    item = moderator_api.get(f"/api/v1/moderation/paper-{paper.pk}/").json()
    assert item["status"] == PENDING and item["item"]["title"] == "Dropout"
    # The moderator sees what was sent, the new (pending) author included.
    assert [a["name"] for a in item["item"]["authors"]] == ["Nitish Srivastava"]

    suggestion = moderator_api.get(f"/api/v1/moderation/edit-{edit.pk}/").json()
    assert (
        suggestion["changes"] == {"title": "Batch normalization"} and suggestion["comment"] == "US spelling"
    )
    assert suggestion["item"]["title"] == "Batch normalisation"

    problem = moderator_api.get(f"/api/v1/moderation/report-{report.pk}/").json()
    assert problem["reason"] == "wrong" and problem["message"] == "Wrong year"

    assert moderator_api.get("/api/v1/moderation/paper-999999/").status_code == 404
    assert moderator_api.get("/api/v1/moderation/nonsense-1/").status_code == 404


def test_approving_a_submission_publishes_it_and_its_new_authors(moderator_api, api, submitted, mails):
    paper, _edit, _report = submitted

    response = moderator_api.post(
        f"/api/v1/moderation/paper-{paper.pk}/approve/", {"note": "Thanks"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    public = api.get(f"/api/v1/papers/{paper.slug}/").json()
    assert [a["name"] for a in public["authors"]] == ["Nitish Srivastava"]
    mails.assert_called()

    again = moderator_api.post(f"/api/v1/moderation/paper-{paper.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"


def test_rejecting_needs_a_reason(moderator_api, submitted):
    paper, _edit, _report = submitted

    missing = moderator_api.post(f"/api/v1/moderation/paper-{paper.pk}/reject/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]

    response = moderator_api.post(
        f"/api/v1/moderation/paper-{paper.pk}/reject/", {"reason": "Already catalogued"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert Paper.objects.get(pk=paper.pk).status == ModerationStatus.REJECTED


def test_approving_an_edit_applies_it(moderator_api, api, submitted):
    _paper, edit, _report = submitted

    response = moderator_api.post(f"/api/v1/moderation/edit-{edit.pk}/approve/", {}, format="json")

    assert response.status_code == 200 and response.json()["status"] == ReviewStatus.APPROVED
    assert Paper.objects.get(pk=edit.object_id).title == "Batch normalization"


def test_rejecting_an_edit_and_deciding_reports(moderator_api, submitted):
    _paper, edit, report = submitted
    other = Report.objects.create(
        content_type=report.content_type, object_id=report.object_id, reason="spam", reported_by=None
    )

    rejected = moderator_api.post(
        f"/api/v1/moderation/edit-{edit.pk}/reject/", {"reason": "UK spelling is fine"}, format="json"
    )
    assert (
        rejected.status_code == 200 and EditSuggestion.objects.get(pk=edit.pk).status == ReviewStatus.REJECTED
    )

    resolved = moderator_api.post(f"/api/v1/moderation/report-{report.pk}/approve/", {}, format="json")
    assert resolved.status_code == 200 and Report.objects.get(pk=report.pk).status == ReviewStatus.APPROVED
    dismissed = moderator_api.post(
        f"/api/v1/moderation/report-{other.pk}/reject/", {"reason": "Not spam"}, format="json"
    )
    assert dismissed.status_code == 200 and Report.objects.get(pk=other.pk).status == ReviewStatus.REJECTED


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("user", 403)])
def test_only_moderators_see_and_decide(who, status, api, user_api, submitted):
    client = api if who == "anonymous" else user_api
    paper, edit, _report = submitted

    responses = [
        client.get("/api/v1/moderation/"),
        client.get(f"/api/v1/moderation/paper-{paper.pk}/"),
        client.post(f"/api/v1/moderation/paper-{paper.pk}/approve/", {}, format="json"),
        client.post(f"/api/v1/moderation/edit-{edit.pk}/reject/", {"reason": "no"}, format="json"),
    ]

    assert [r.status_code for r in responses] == [status] * 4
    assert Paper.objects.get(pk=paper.pk).status == PENDING
    assert EditSuggestion.objects.get(pk=edit.pk).status == ReviewStatus.PENDING


def test_staff_are_moderators(staff_api, submitted):
    paper, _edit, _report = submitted
    assert staff_api.get("/api/v1/moderation/").status_code == 200
    assert (
        staff_api.post(f"/api/v1/moderation/paper-{paper.pk}/approve/", {}, format="json").status_code == 200
    )


def test_the_queue_costs_the_same_for_one_entry_as_for_many(moderator_api, user, many_submissions):
    def submit_round(n):
        submissions.topic_submit(data={"name": f"Topic {n}"}, user=user)
        item = f.GuideFactory()
        submissions.edit_suggest(item=item, changes={"title": f"Guide {n}!"}, user=user)
        submissions.report_create(item=f.ChannelFactory(), reason="spam", user=user)
        submissions.organization_submit(data={"name": f"Org {n}", "kind": "company"}, user=user)

    one, many = queries_for_one_and_many(
        moderator_api, "/api/v1/moderation/?page_size=50", lambda n: submit_round(n - 1), 10
    )  # rounds 0 to 9: "Topic 1" and "Topic 10" would be near duplicates
    assert one == many <= 12


LINKED = {
    "paper": f.fully_linked_paper,
    "project": f.linked_project,
    "venue": f.linked_venue,
    "job": f.linked_job,
    "funding": f.linked_funding,
    "channel": f.linked_channel,
    "organization": f.linked_organization,
    "person": f.linked_person,
    "guide": f.linked_guide,
    "topic": f.linked_topic,
}


PREPARED_LISTS = {
    "venue": {"deadlines", "recent_papers", "guides"},
    "organization": {"people", "projects", "open_jobs", "funding", "guides"},
}


@pytest.mark.parametrize("kind", LINKED)
def test_an_entry_shows_its_item_as_the_items_own_endpoint_does(kind, moderator_api, api):
    # The moderation entry and the public detail read one table of detail serializers
    # (community.api.serializers.DETAIL_SERIALIZERS), not a list of their own.
    item = LINKED[kind]()

    entry = moderator_api.get(f"/api/v1/moderation/{kind}-{item.pk}/").json()["item"]
    public = api.get(entry["api_url"]).json()

    assert entry.pop("type") == kind
    # Lists a selector prepares for the public page (a venue's deadlines, an organisation's people,
    # the trackers that give each deadline of an edition) are left out of an entry, which shows the
    # item as stored; everything it shows is the same.
    for edition in public.get("editions", []):
        for deadline in edition["deadlines"]:
            deadline.pop("sources")
    assert entry == {name: value for name, value in public.items() if name in entry}
    assert set(public) - set(entry) <= PREPARED_LISTS.get(kind, set())


def test_the_api_and_the_moderation_page_list_submissions_in_one_order(moderator_api, moderator, client):
    # Items sent at the same moment: the queue puts them in one order (created, then type, then id)
    # wherever it is read. The topic has the smaller id, the paper the earlier type name.
    topic = f.TopicFactory(status=PENDING, pk=900_001)
    paper = f.PaperFactory(status=PENDING, pk=900_002)
    same_moment = topic.created_at
    Paper.objects.filter(pk=paper.pk).update(created_at=same_moment)

    api_ids = [entry["id"] for entry in moderator_api.get("/api/v1/moderation/").json()["results"]]
    client.force_login(moderator)
    html = client.get(reverse("community:moderation")).content.decode()
    page_order = sorted(
        ["paper", "topic"], key=lambda kind: html.index(f'<p class="kicker">{kind.title()}</p>')
    )

    assert api_ids == [f"paper-{paper.pk}", f"topic-{topic.pk}"]
    assert page_order == ["paper", "topic"]
