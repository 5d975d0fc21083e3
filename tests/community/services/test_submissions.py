"""Submit forms of every kind, walked from the outside: pending -> approved -> public, or rejected ->
never public, with the submitter mailed either way; duplicates, deadlines, bad input and previews."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.models import (
    Authorship,
    ChangeRecord,
    Deadline,
    Edition,
    FundingOpportunity,
    Guide,
    ModerationStatus,
    Paper,
    Person,
    Venue,
)
from community.services import submissions
from tests.community import factories as f
from tests.community.moderation_helpers import (
    ITEM_MODEL,
    VALID_POSTS,
    decide,
    submit_url,
)

PENDING, PUBLISHED, REJECTED = ModerationStatus.PENDING, ModerationStatus.PUBLISHED, ModerationStatus.REJECTED


def _submitted(kind, member):
    return ITEM_MODEL[kind].objects.filter(created_by=member).latest("pk")


def _records(item, action):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, action=action
    )


def _public_page(item):
    """(url, text that shows the item is there). An edition is shown on its venue's page."""
    if isinstance(item, Edition):
        return item.venue.get_absolute_url(), f'id="edition-{item.year}"'
    text = getattr(item, "title", None) or item.name
    return item.get_absolute_url(), text


def _submit(client, kind: str, changes: dict | None = None, **fields):
    """POST the submit form of `kind`: its valid data (VALID_POSTS) with `changes` and `fields`."""
    return client.post(submit_url(kind), VALID_POSTS[kind]() | (changes or {}) | fields)


def _shown_again(client, kind: str, changes: dict | None = None, **fields) -> str:
    """The submit form of `kind` shown again (200: refused, or a preview) after that POST: its HTML."""
    response = _submit(client, kind, changes, **fields)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(VALID_POSTS))
def test_a_submission_is_pending_until_a_moderator_approves_it(
    kind, member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    response = member_client.post(submit_url(kind), VALID_POSTS[kind]())
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response.url == reverse("accounts:profile")
    item = _submitted(kind, member)
    assert item.status == PENDING
    record = ChangeRecord.objects.get(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, action="submitted"
    )
    assert record.user == member and "created_by" not in record.changes

    url, marker = _public_page(item)
    anonymous = Client()
    before = anonymous.get(url)
    assert before.status_code == 404 or marker not in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator_client, item, "approve")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PUBLISHED
    after = anonymous.get(url)
    assert after.status_code == 200
    assert marker in after.content.decode()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Published" in mail.outbox[0].subject
    assert "approved" in mail.outbox[0].body
    assert _records(item, "approved").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(VALID_POSTS))
def test_a_rejected_submission_never_reaches_the_site(
    kind, member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    member_client.post(submit_url(kind), VALID_POSTS[kind]())
    item = _submitted(kind, member)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator_client, item, "reject", "Not about deep learning.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == REJECTED
    url, marker = _public_page(item)
    page = Client().get(url)
    assert page.status_code == 404 or marker not in page.content.decode()
    assert len(mail.outbox) == 1
    assert "Not about deep learning." in mail.outbox[0].body
    assert _records(item, "rejected").get().note == "Not about deep learning."


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_keeps_the_item_pending(member, member_client, moderator_client):
    member_client.post(submit_url("channel"), VALID_POSTS["channel"]())
    item = _submitted("channel", member)
    response = decide(moderator_client, item, "reject", "   ")
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    item.refresh_from_db()
    assert item.status == PENDING


@pytest.mark.django_db
def test_paper_authors_keep_their_order_match_existing_people_and_are_published_with_the_paper(
    member, member_client, moderator_client
):
    ada = f.PersonFactory(name="Ada Lovelace")
    response = _submit(member_client, "paper", authors="Alan Turing\n  Ada   Lovelace \n\nClaude Shannon")
    assert response.status_code == 302
    paper = Paper.objects.get(created_by=member)
    authorships = list(Authorship.objects.filter(paper=paper).order_by("position").select_related("person"))
    assert [a.person.name for a in authorships] == ["Alan Turing", "Ada Lovelace", "Claude Shannon"]
    assert authorships[1].person == ada  # matched, not duplicated
    alan = authorships[0].person
    assert alan.status == PENDING and alan.created_by == member
    assert paper.arxiv_id == "2501.00001"  # normalised by the service

    decide(moderator_client, paper, "approve")
    alan.refresh_from_db()
    assert alan.status == PUBLISHED
    page = Client().get(paper.get_absolute_url()).content.decode()
    assert page.index("Alan Turing") < page.index("Ada Lovelace") < page.index("Claude Shannon")


@pytest.mark.django_db
def test_rejecting_a_paper_rejects_the_people_only_it_named(member, member_client, moderator_client):
    _submit(member_client, "paper", authors="Only Here")
    paper = Paper.objects.get(created_by=member)
    decide(moderator_client, paper, "reject", "Not a paper.")
    assert Person.objects.get(name="Only Here").status == REJECTED


@pytest.mark.django_db
def test_an_identifier_already_listed_is_refused_with_a_link_to_the_item(member_client):
    existing = f.PaperFactory(arxiv_id="1706.03762", title="Attention Is All You Need")
    html = _shown_again(
        member_client, "paper", title="Something else entirely", arxiv_id="https://arxiv.org/abs/1706.03762v7"
    )
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "already in the catalogue" in html
    assert not Paper.objects.filter(title="Something else entirely").exists()


@pytest.mark.django_db
def test_a_near_identical_title_is_held_back_until_confirmed(member, member_client):
    existing = f.PaperFactory(title="Deep Residual Learning for Image Recognition")
    data = VALID_POSTS["paper"]()
    data["title"] = "Deep residual learning for image recognition."
    response = member_client.post(submit_url("paper"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert existing.get_absolute_url() in html
    assert 'name="confirm"' in html
    assert not Paper.objects.filter(created_by=member).exists()

    data["confirm"] = "on"
    assert member_client.post(submit_url("paper"), data).status_code == 302
    paper = Paper.objects.get(created_by=member)
    note = _records(paper, "submitted").get().note
    assert "Deep Residual Learning" in note


@pytest.mark.django_db
def test_the_confirm_box_is_only_shown_once_similar_items_were_found(member_client):
    html = member_client.get(submit_url("paper")).content.decode()
    assert 'name="confirm"' not in html


@pytest.mark.django_db
def test_conference_deadlines_are_stored_as_utc_with_the_announced_zone(member, member_client):
    assert member_client.post(submit_url("conference"), VALID_POSTS["conference"]()).status_code == 302
    edition = Edition.objects.get(created_by=member)
    deadlines = {d.kind: d for d in Deadline.objects.filter(edition=edition)}
    assert set(deadlines) == {"paper", "abstract"}  # the untouched rows are ignored
    paper = deadlines["paper"]
    assert paper.due_at == dt.datetime(2031, 5, 16, 11, 59, tzinfo=dt.UTC)  # 23:59 AoE = UTC-12
    assert paper.timezone_label == "AoE"
    assert deadlines["abstract"].due_at == dt.datetime(2031, 5, 8, 4, 0, tzinfo=dt.UTC)
    assert paper.venue == edition.venue


@pytest.mark.django_db
def test_a_bad_deadline_row_is_shown_beside_its_fields(member_client):
    html = _shown_again(
        member_client,
        "conference",
        {"deadlines-1-timezone_label": "Mars/Olympus", "deadlines-0-due_local": "next tuesday"},
    )
    assert 'id="id_deadlines-1-timezone_label_error"' in html
    assert 'id="id_deadlines-0-due_local_error"' in html
    assert 'value="Mars/Olympus"' in html  # what was typed stays
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_a_new_conference_comes_with_its_edition_and_is_published_with_it(
    member, member_client, moderator_client
):
    response = _submit(
        member_client,
        "conference",
        venue="",
        new_venue_name="CoLLAs-Example",
        new_venue_full_name="Conference on Lifelong Learning",
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="CoLLAs-Example")
    assert venue.status == PENDING and venue.kind == Venue.Kind.CONFERENCE
    assert Client().get(venue.get_absolute_url()).status_code == 404
    edition = Edition.objects.get(venue=venue)
    decide(moderator_client, edition, "approve")
    venue.refresh_from_db()
    assert venue.status == PUBLISHED
    assert 'id="edition-2031"' in Client().get(venue.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_edition_that_exists_is_refused(member_client):
    data = VALID_POSTS["conference"]()
    f.EditionFactory(venue=Venue.objects.get(pk=data["venue"]), year=2031)
    response = member_client.post(submit_url("conference"), data)
    assert response.status_code == 200
    assert "already in the catalogue" in response.content.decode()


@pytest.mark.django_db
def test_funding_deadline_is_read_in_its_announced_zone(member, member_client):
    assert member_client.post(submit_url("funding"), VALID_POSTS["funding"]()).status_code == 302
    funding = FundingOpportunity.objects.get(created_by=member)
    assert funding.deadline == dt.datetime(2030, 3, 1, 22, 0, tzinfo=dt.UTC)
    assert funding.deadline_timezone == "UTC-5"


@pytest.mark.django_db
def test_bad_input_is_reported_beside_each_field_and_nothing_typed_is_lost(member_client):
    html = _shown_again(
        member_client,
        "paper",
        title="",
        arxiv_id="not-an-id",
        year="17000",
        abstract="Kept <b>as typed</b>",
        url="javascript:alert(1)",
    )
    for field in ("title", "year", "url"):
        assert f'id="id_{field}_error"' in html, field
    assert "Kept &lt;b&gt;as typed&lt;/b&gt;</textarea>" in html
    assert 'value="not-an-id"' in html
    assert "Ada Lovelace\nAlan Turing" in html
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_service_errors_are_shown_beside_their_field(member_client):
    html = _submit(member_client, "paper", arxiv_id="not-an-id").content.decode()
    assert 'id="id_arxiv_id_error"' in html
    assert "is not an arXiv identifier" in html

    html = _submit(member_client, "job", closes_on="2029-01-01").content.decode()
    assert 'id="id_closes_on_error"' in html


@pytest.mark.django_db
def test_guide_preview_renders_sanitised_markdown_and_math_without_submitting(member_client):
    html = _shown_again(
        member_client,
        "guide",
        body_en="Some *text* and $a_1 * b_2$\n\n<script>alert(1)</script>",
        body_zh_hans="一些**文字**",
        preview="1",
    )
    # Each language written is previewed under its own name and lang.
    assert '<div class="prose guide-body" lang="en" data-math><p>Some <em>text</em>' in html
    assert '<div class="prose guide-body" lang="zh-hans" data-math><p>一些<strong>文字</strong>' in html
    assert '<span class="math math-inline">$a_1 * b_2$</span>' in html
    assert "<script>alert(1)" not in html
    assert "data-math" in html and "vendor/katex/katex.min.js" in html
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_submit_pages_need_an_account(client):
    for url in [reverse("community:submit")] + [submit_url(kind) for kind in VALID_POSTS]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert client.get("/submit/nothing/").status_code in (302, 404)


@pytest.mark.django_db
def test_unknown_kind_is_a_404(member_client):
    assert member_client.get("/submit/nothing/").status_code == 404


# --- the services as the API calls them -------------------------------------------------------


@pytest.mark.django_db
def test_services_take_plain_data_with_primary_keys(member):
    topic = f.TopicFactory()
    venue = f.VenueFactory()
    paper = submissions.paper_submit(
        data={
            "title": "A plain paper",
            "year": 2020,
            "authors": ["A. Person"],
            "topics": [topic.pk],
            "venue": venue.pk,
        },
        user=member,
    )
    assert paper.status == PENDING and paper.venue == venue and list(paper.topics.all()) == [topic]
    edition = submissions.edition_submit(
        data={
            "venue": venue.pk,
            "year": 2029,
            "deadlines": [{"kind": "paper", "due_local": "2029-01-31T23:59", "timezone_label": "UTC"}],
        },
        user=member,
    )
    assert edition.deadlines.get().due_at == dt.datetime(2029, 1, 31, 23, 59, tzinfo=dt.UTC)
    assert submissions.item_submit(
        model=Venue, data={"name": "JX", "kind": "conference"}, user=member
    ).kind == ("conference")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "x", "year": 2020, "authors": ["A"], "colour": "red"}, "colour"),
        ({"title": "x\x00", "year": 2020, "authors": ["A"]}, "title"),
        ({"title": "x", "year": 1066, "authors": ["A"]}, "year"),
        ({"title": "x", "year": 2020, "authors": []}, "authors"),
        ({"title": "x", "year": 2020, "authors": ["A", "A"]}, "authors"),
        ({"title": "x", "year": 2020, "authors": ["A"], "topics": [999999]}, "topics"),
        ({"title": "x", "year": 2020, "authors": ["A"], "status": "published"}, "status"),
    ],
)
def test_service_refuses_bad_data_with_field_errors(member, data, field):
    with pytest.raises(submissions.ValidationError) as caught:
        submissions.paper_submit(data=data, user=member)
    assert field in caught.value.error_dict
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_duplicate_errors_carry_the_items(member):
    existing = f.ProjectFactory(repository_url="https://github.com/org/thing")
    with pytest.raises(submissions.DuplicateItem) as caught:
        submissions.project_submit(
            data={"name": "Other", "kind": "tool", "repository_url": "http://www.GitHub.com/Org/Thing.git"},
            user=member,
        )
    error = caught.value.error_dict["repository_url"][0]
    assert error.code == "duplicate" and error.params["item"] == existing and caught.value.item == existing

    similar = f.GuideFactory(title="How to train your transformer")
    with pytest.raises(submissions.NearDuplicate) as caught:
        submissions.guide_submit(data={"title": "How to train your transformer!", "body": "x"}, user=member)
    assert caught.value.items == [similar]
    assert caught.value.error_dict["title"][0].code == "near_duplicate"
    guide = submissions.guide_submit(
        data={"title": "How to train your transformer!", "body": "x"}, user=member, confirm=True
    )
    assert guide.status == PENDING


@pytest.mark.django_db
def test_a_rejected_item_does_not_block_a_new_submission(member):
    f.GuideFactory(title="Batch norm explained", status=REJECTED)
    guide = submissions.guide_submit(data={"title": "Batch norm explained", "body": "x"}, user=member)
    assert guide.status == PENDING


@pytest.mark.django_db
def test_a_pasted_orcid_address_is_stored_as_the_id(member_client, member):
    assert _submit(member_client, "person", orcid="https://orcid.org/0000-0002-1825-009x").status_code == 302
    assert Person.objects.get(created_by=member).orcid == "0000-0002-1825-009X"
    response = _submit(member_client, "person", name="Somebody Else Entirely", orcid="1234")
    assert 'id="id_orcid_error"' in response.content.decode()
