"""The moderation pages from the outside: who may open them, what the queue lists (every kind,
oldest first, edits side by side), the history page, CSRF, the admin actions and query budgets."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.kinds import CATALOGUE_MODELS
from community.models import ChangeRecord, EditSuggestion, ModerationStatus, Paper, Report, Venue
from community.services import submissions
from community.services.moderation import submission_approve
from tests.community import factories as f
from tests.community.moderation_helpers import (
    decide,
    make_user,
    review_url,
)
from tests.support.queries import page_queries, queries_for_one_and_many

QUEUE_MAX_QUERIES = 20


def _moderation_urls():
    paper = f.PaperFactory(status="pending")
    content_type = ContentType.objects.get_for_model(Paper)
    suggestion = EditSuggestion.objects.create(
        content_type=content_type, object_id=f.PaperFactory().pk, changes={"title": "x"}
    )
    report = Report.objects.create(content_type=content_type, object_id=paper.pk, reason="spam")
    return [
        reverse("community:moderation"),
        reverse("community:moderation-item", args=[content_type.pk, paper.pk]),
        reverse("community:moderation-history", args=[content_type.pk, paper.pk]),
        reverse("community:moderation-edit", args=[suggestion.pk]),
        reverse("community:moderation-report", args=[report.pk]),
        reverse("community:moderation-merge", args=["person"]),
        reverse("community:moderation-merge", args=["organization"]),
    ]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in _moderation_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.django_db
def test_members_who_are_not_moderators_get_403(member_client):
    for url in _moderation_urls():
        response = member_client.get(url)
        assert response.status_code == 403, url
        assert "for moderators" in response.content.decode()


@pytest.mark.django_db
def test_a_member_cannot_decide_by_posting_either(member_client):
    paper = f.PaperFactory(status="pending")
    response = decide(member_client, paper, "approve")
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.status == ModerationStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_moderators_and_staff_open_every_page(who):
    user = make_user(who, moderator=who == "moderator", staff=who == "staff")
    client = Client()
    client.force_login(user)
    for url in _moderation_urls():
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("community:home")).content.decode()
    assert f'href="{reverse("community:moderation")}"' in home


@pytest.mark.django_db
def test_the_header_offers_moderation_only_to_moderators(member_client):
    html = member_client.get(reverse("community:home")).content.decode()
    assert f'href="{reverse("community:moderation")}"' not in html
    assert f'href="{reverse("community:submit")}"' in html


@pytest.mark.django_db
def test_decisions_need_the_csrf_token(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    paper = f.PaperFactory(status="pending")
    assert decide(client, paper, "approve").status_code == 403
    paper.refresh_from_db()
    assert paper.status == ModerationStatus.PENDING


def _pending_of_every_kind():
    """One pending item of every catalogue kind, created a minute apart, oldest first."""
    builders = {
        "Paper": lambda: f.PaperFactory(status="pending"),
        "Project": lambda: f.ProjectFactory(status="pending"),
        "Venue": lambda: f.VenueFactory(status="pending"),
        "Edition": lambda: f.EditionFactory(status="pending"),
        "JobPosting": lambda: f.JobPostingFactory(status="pending"),
        "FundingOpportunity": lambda: f.FundingOpportunityFactory(status="pending"),
        "Channel": lambda: f.ChannelFactory(status="pending"),
        "Organization": lambda: f.OrganizationFactory(status="pending"),
        "Person": lambda: f.PersonFactory(status="pending"),
        "Guide": lambda: f.GuideFactory(status="pending"),
        "Topic": lambda: f.TopicFactory(status="pending"),
    }
    assert set(builders) == {model.__name__ for model in CATALOGUE_MODELS}
    items = []
    start = timezone.now() - dt.timedelta(days=1)
    for number, build in enumerate(builders.values()):
        item = build()
        type(item).objects.filter(pk=item.pk).update(created_at=start + dt.timedelta(minutes=number))
        items.append(item)
    return items


@pytest.mark.django_db
def test_the_queue_lists_pending_items_of_every_kind_oldest_first(moderator_client):
    items = _pending_of_every_kind()
    f.PaperFactory(title="Already published paper")
    html = moderator_client.get(reverse("community:moderation")).content.decode()
    positions = [html.index(review_url(item)) for item in items]
    assert positions == sorted(positions)
    assert "Already published paper" not in html


@pytest.mark.django_db
def test_approving_from_the_queue_returns_to_the_queue(moderator_client):
    paper = f.PaperFactory(status="pending")
    content_type = ContentType.objects.get_for_model(Paper)
    prefix = f"i{content_type.pk}-{paper.pk}"
    response = moderator_client.post(
        review_url(paper), {f"{prefix}-decision": "approve", "next": reverse("community:moderation")}
    )
    assert response.status_code == 302 and response.url == reverse("community:moderation")
    # A next that leaves the site is ignored.
    other = f.PaperFactory(status="pending")
    prefix = f"i{content_type.pk}-{other.pk}"
    response = moderator_client.post(
        review_url(other), {f"{prefix}-decision": "approve", "next": "https://evil.example.org/"}
    )
    assert response.url == reverse("community:moderation")


@pytest.mark.django_db
def test_a_decision_is_taken_once(moderator, moderator_client):
    paper = f.PaperFactory(status="pending")
    submission_approve(item=paper, moderator=moderator)
    response = decide(moderator_client, paper, "reject", "late")
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    paper.refresh_from_db()
    assert paper.status == ModerationStatus.PUBLISHED
    assert ChangeRecord.objects.filter(object_id=paper.pk, action="approved").count() == 1


@pytest.mark.django_db
def test_no_mail_when_the_submitter_was_deleted_or_has_no_address(
    moderator, member, django_capture_on_commit_callbacks
):
    silent = make_user("silent", email="")
    one = submissions.channel_submit(
        data={"name": "One", "kind": "chat", "url": "https://one.example.org"}, user=silent
    )
    two = submissions.channel_submit(
        data={"name": "Two", "kind": "chat", "url": "https://two.example.org"}, user=member
    )
    member.delete()
    two.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(item=one, moderator=moderator)
        submission_approve(item=two, moderator=moderator)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_review_page_shows_every_field_escaped_and_the_history(moderator_client, member):
    guide = submissions.guide_submit(
        data={"title": "Guide <b>bold</b>", "summary": "s", "body": "<script>alert(1)</script>"}, user=member
    )
    html = moderator_client.get(review_url(guide)).content.decode()
    assert "Guide &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Submitted" in html and "member" in html


@pytest.mark.django_db
def test_the_history_page_lists_who_changed_what(moderator, moderator_client, member):
    channel = submissions.channel_submit(
        data={"name": "Chan", "kind": "chat", "url": "https://c.example.org"}, user=member
    )
    submission_approve(item=channel, moderator=moderator)
    content_type = ContentType.objects.get_for_model(channel)
    html = moderator_client.get(
        reverse("community:moderation-history", args=[content_type.pk, channel.pk])
    ).content.decode()
    assert html.index("Approved") < html.index("Submitted")  # newest first
    assert "moddy" in html and "member" in html and "https://c.example.org" in html


@pytest.mark.django_db
def test_unknown_items_are_404(moderator_client):
    assert moderator_client.get("/moderation/items/999999/1/").status_code == 404
    content_type = ContentType.objects.get_for_model(Paper)
    assert moderator_client.get(f"/moderation/history/{content_type.pk}/999999/").status_code == 404
    user_type = ContentType.objects.get(app_label="auth", model="user")
    assert moderator_client.get(f"/moderation/items/{user_type.pk}/1/").status_code == 404


# --- admin actions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_approve_and_reject_actions_use_the_services(
    staff_user, member, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(staff_user)
    one = submissions.channel_submit(
        data={"name": "A1", "kind": "chat", "url": "https://a1.example.org"}, user=member
    )
    two = submissions.channel_submit(
        data={"name": "A2", "kind": "chat", "url": "https://a2.example.org"}, user=member
    )
    changelist = reverse("admin:community_channel_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "approve_selected", "_selected_action": [one.pk], "index": 0}
        )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == ModerationStatus.PUBLISHED
    assert ChangeRecord.objects.filter(object_id=one.pk, action="approved", user=staff_user).exists()

    # Reject asks for the reason first.
    response = client.post(
        changelist, {"action": "reject_selected", "_selected_action": [two.pk], "index": 0}
    )
    assert response.status_code == 200 and "Reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {
                "action": "reject_selected",
                "_selected_action": [two.pk],
                "apply": "1",
                "reason": "Duplicate of A1.",
            },
        )
    assert response.status_code == 302
    two.refresh_from_db()
    assert two.status == ModerationStatus.REJECTED
    assert [m.to for m in mail.outbox] == [[member.email], [member.email]]
    assert "Duplicate of A1." in mail.outbox[1].body


# --- query budget -------------------------------------------------------------------------------


def _fill_queue(moderator, member, rounds: int):
    for _ in range(rounds):
        _pending_of_every_kind()
        paper = f.fully_linked_paper()
        project = f.ProjectFactory()
        person = f.PersonFactory()
        topic = f.TopicFactory()
        submissions.edit_suggest(
            item=paper,
            changes={
                "title": paper.title + " v2",
                "topics": [topic.pk],
                "authors": ["X", "Y"],
                "venue": None,
            },
            user=member,
        )
        submissions.edit_suggest(
            item=project, changes={"description": "Line one\nline two", "organization": None}, user=member
        )
        submissions.edit_suggest(item=person, changes={"bio": "New bio"}, user=member)
        for item in (paper, project, person, f.VenueFactory()):
            submissions.report_create(item=item, reason="wrong", message="Check it", user=member)


@pytest.mark.django_db
def test_the_queue_costs_the_same_for_one_round_of_everything_as_for_many(
    moderator, member, moderator_client, many_submissions
):
    one, many = queries_for_one_and_many(
        moderator_client, reverse("community:moderation"), lambda _: _fill_queue(moderator, member, 1), 7
    )
    print(f"moderation queue: {one} queries for one round, {many} for seven")
    assert one == many, (one, many)
    assert many <= QUEUE_MAX_QUERIES, many


@pytest.mark.django_db
def test_review_and_history_pages_cost_the_same_for_short_and_long_histories(
    moderator, moderator_client, member
):
    venue = f.VenueFactory()
    edition = submissions.edition_submit(
        data={
            "venue": venue.pk,
            "year": 2028,
            "deadlines": [{"kind": "paper", "due_local": "2028-01-01T00:00", "timezone_label": "AoE"}],
        },
        user=member,
    )
    urls = [review_url(edition)]
    content_type = ContentType.objects.get_for_model(edition)
    urls.append(reverse("community:moderation-history", args=[content_type.pk, edition.pk]))
    for url in urls:
        moderator_client.get(url)
        before = page_queries(moderator_client, url)
        for number in range(5):
            ChangeRecord.objects.create(
                content_type=content_type,
                object_id=edition.pk,
                action="updated",
                user=member,
                changes={"city": [number, 1]},
            )
        assert page_queries(moderator_client, url) == before, url


@pytest.mark.django_db
def test_the_venue_kind_of_a_new_conference_is_conference(member):
    edition = submissions.edition_submit(data={"new_venue_name": "NewConf", "year": 2029}, user=member)
    assert edition.venue.kind == Venue.Kind.CONFERENCE and edition.venue.status == "pending"
