"""Suggest an edit and report a problem: links on every detail page, the forms, and the moderator's
decision (an edit changes the item only once approved, and the history records it)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from community.models import ChangeRecord, EditSuggestion, Paper, Report, ReviewStatus
from community.services import submissions
from tests.community import factories as f
from tests.community.moderation_helpers import (
    form_post_data,
)
from tests.community.pages import DETAIL_PAGES

KIND_OF_DETAIL = {
    "community:paper-detail": "paper",
    "community:project-detail": "project",
    "community:venue-detail": "venue",
    "community:job-detail": "job",
    "community:funding-detail": "funding",
    "community:organization-detail": "organization",
    "community:person-detail": "person",
    "community:channel-detail": "channel",
    "community:guide-detail": "guide",
    "community:topic-detail": "topic",
}


def _edit_url(kind, item):
    return reverse("community:suggest-edit", kwargs={"kind": kind, "slug": item.slug})


def _report_url(kind, item):
    return reverse("community:report", kwargs={"kind": kind, "slug": item.slug})


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_PAGES))
def test_every_detail_page_links_to_suggest_an_edit_and_report_a_problem(client, url_name, member_client):
    item = DETAIL_PAGES[url_name](1)
    kind = KIND_OF_DETAIL[url_name]
    html = client.get(item.get_absolute_url()).content.decode()
    assert f'href="{_edit_url(kind, item)}"' in html
    assert f'href="{_report_url(kind, item)}"' in html
    assert "/moderation/history/" not in html  # history is for moderators
    # Both forms open, prefilled with the item as it is.
    edit = member_client.get(_edit_url(kind, item))
    assert edit.status_code == 200
    assert member_client.get(_report_url(kind, item)).status_code == 200


@pytest.mark.django_db
def test_moderators_see_the_history_link(moderator_client):
    paper = f.PaperFactory()
    content_type = ContentType.objects.get_for_model(Paper)
    html = moderator_client.get(paper.get_absolute_url()).content.decode()
    assert reverse("community:moderation-history", args=[content_type.pk, paper.pk]) in html


def _edit_data(client, kind, item, **changes):
    """The edit form as the browser sends it back, with `changes` typed in."""
    form = client.get(_edit_url(kind, item)).context["form"]
    data = form_post_data(form)
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_edit_changes_nothing_until_approved_then_is_applied_and_recorded(
    member, member_client, moderator, moderator_client, django_capture_on_commit_callbacks
):
    paper = f.fully_linked_paper(title="Old title")
    new_topic = f.TopicFactory(name="Attention")
    names = list(paper.authorships.order_by("position").values_list("person__name", flat=True))
    data = _edit_data(
        member_client,
        "paper",
        paper,
        title="New title",
        authors="\n".join([*names, "Brand New Author"]),
        topics=[str(new_topic.pk)],
        comment="See the journal version.",
    )
    response = member_client.post(_edit_url("paper", paper), data)
    assert response.status_code == 302
    suggestion = EditSuggestion.objects.get()
    assert set(suggestion.changes) == {"title", "authors", "topics"}  # only what changed
    assert suggestion.submitted_by == member and suggestion.comment == "See the journal version."
    paper.refresh_from_db()
    assert paper.title == "Old title"

    queue = moderator_client.get(reverse("community:moderation")).content.decode()
    assert "Old title" in queue and "New title" in queue and "Brand New Author" in queue
    assert "See the journal version." in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("community:moderation-edit", args=[suggestion.pk]),
            {f"e{suggestion.pk}-decision": "approve"},
        )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.title == "New title"
    assert list(paper.topics.all()) == [new_topic]
    authors = list(paper.authorships.order_by("position").values_list("person__name", "person__status"))
    assert authors[-1] == ("Brand New Author", "published")
    record = ChangeRecord.objects.get(action="edit_applied")
    assert record.user == moderator and record.changes["title"] == ["Old title", "New title"]
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.APPROVED and suggestion.reviewed_by == moderator
    assert mail.outbox[0].to == [member.email] and "applied" in mail.outbox[0].subject
    history = moderator_client.get(
        reverse("community:moderation-history", args=[ContentType.objects.get_for_model(Paper).pk, paper.pk])
    ).content.decode()
    assert "Suggested edit applied" in history and "New title" in history and "moddy" in history


@pytest.mark.django_db
def test_a_rejected_edit_leaves_the_item_and_tells_the_submitter(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    project = f.ProjectFactory(name="torchthing")
    member_client.post(
        _edit_url("project", project), _edit_data(member_client, "project", project, name="torchthing2")
    )
    suggestion = EditSuggestion.objects.get()
    url = reverse("community:moderation-edit", args=[suggestion.pk])
    # No reason: refused, and what the moderator chose is still there to fix.
    assert moderator_client.post(url, {f"e{suggestion.pk}-decision": "reject"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            url, {f"e{suggestion.pk}-decision": "reject", f"e{suggestion.pk}-reason": "Wrong repo."}
        )
    project.refresh_from_db()
    assert project.name == "torchthing"
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewStatus.REJECTED and suggestion.reason == "Wrong repo."
    assert "Wrong repo." in mail.outbox[0].body


@pytest.mark.django_db
def test_an_edit_with_no_change_is_refused(member_client):
    paper = f.fully_linked_paper()
    response = member_client.post(_edit_url("paper", paper), _edit_data(member_client, "paper", paper))
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert not EditSuggestion.objects.exists()


@pytest.mark.django_db
def test_an_edit_to_an_identifier_another_paper_has_is_refused_with_a_link(member_client):
    other = f.PaperFactory(arxiv_id="1512.03385")
    paper = f.fully_linked_paper()
    response = member_client.post(
        _edit_url("paper", paper), _edit_data(member_client, "paper", paper, arxiv_id="1512.03385")
    )
    assert other.get_absolute_url() in response.content.decode()
    assert not EditSuggestion.objects.exists()


@pytest.mark.django_db
def test_unpublished_items_cannot_be_edited_or_reported(member, member_client):
    paper = f.PaperFactory(status="pending")
    assert member_client.get(_edit_url("paper", paper)).status_code == 404
    assert member_client.get(_report_url("paper", paper)).status_code == 404
    with pytest.raises(submissions.ValidationError):
        submissions.edit_suggest(item=paper, changes={"title": "x"}, user=member)
    with pytest.raises(submissions.ValidationError):
        submissions.report_create(item=paper, reason="wrong", message="", user=member)


@pytest.mark.django_db
def test_edit_suggest_service_keeps_only_changed_fields_as_json(member):
    funding = f.FundingOpportunityFactory(title="Grant A")
    suggestion = submissions.edit_suggest(
        item=funding,
        changes={"title": "Grant B", "amount_min": funding.amount_min, "currency": "USD"},
        user=member,
        comment="typo",
    )
    assert suggestion.changes == {"title": "Grant B"}


@pytest.mark.django_db
def test_a_report_is_queued_and_resolving_it_tells_the_reporter(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    channel = f.ChannelFactory()
    response = member_client.post(
        _report_url("channel", channel), {"reason": "broken_link", "message": "404s now"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.item == channel and report.reported_by == member
    assert "404s now" in moderator_client.get(reverse("community:moderation")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("community:moderation-report", args=[report.pk]),
            {f"r{report.pk}-decision": "resolve", f"r{report.pk}-reason": "Fixed the address."},
        )
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED and report.resolution == "Fixed the address."
    assert "Fixed the address." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_report_needs_a_reason_from_the_list(member_client):
    channel = f.ChannelFactory()
    response = member_client.post(_report_url("channel", channel), {"reason": "boredom", "message": "x" * 10})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_dismissing_a_report_needs_a_reason(moderator_client, member):
    channel = f.ChannelFactory()
    report = submissions.report_create(item=channel, reason="spam", message="", user=member)
    url = reverse("community:moderation-report", args=[report.pk])
    assert moderator_client.post(url, {f"r{report.pk}-decision": "dismiss"}).status_code == 400
    report.refresh_from_db()
    assert report.status == ReviewStatus.PENDING


@pytest.mark.django_db
def test_edit_and_report_pages_need_an_account(client):
    paper = f.PaperFactory()
    for url in (_edit_url("paper", paper), _report_url("paper", paper)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_guide_edit_can_be_previewed(member_client):
    guide = f.GuideFactory()
    response = member_client.post(
        _edit_url("guide", guide), {"title_en": guide.title, "body_en": "New $\\alpha$ *body*", "preview": "1"}
    )
    assert response.status_code == 200
    assert '<span class="math math-inline">$\\alpha$</span>' in response.content.decode()
    assert not EditSuggestion.objects.exists()


@pytest.mark.django_db
def test_an_unchanged_link_to_an_unpublished_item_is_not_read_as_a_change(member, member_client):
    person = f.PersonFactory(affiliation=f.OrganizationFactory(status="pending"), bio="Old bio")
    data = _edit_data(member_client, "person", person, bio_en="New bio")
    assert member_client.post(_edit_url("person", person), data).status_code == 302
    assert EditSuggestion.objects.get().changes == {"bio_en": "New bio"}  # the English column, by name


@pytest.mark.django_db
def test_a_topic_cannot_be_put_under_itself(member):
    parent = f.TopicFactory()
    child = f.TopicFactory(parent=parent)
    with pytest.raises(submissions.ValidationError) as caught:
        submissions.edit_suggest(item=parent, changes={"parent": child.pk}, user=member)
    assert "parent" in caught.value.error_dict
