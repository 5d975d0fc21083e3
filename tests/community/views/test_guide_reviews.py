"""Guide versions (issue #7): edits to a guide go through moderation in the language they were
written in, and each guide page shows when it was last reviewed and who wrote it, all taken from the
moderation record (community.selectors.guides.guide_credits)."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from community.models import ChangeRecord, EditSuggestion, Guide, ReviewStatus
from community.seed import SeedDataError
from community.selectors.guides import guide_credits
from community.services import moderation, submissions
from community.services.accounts import account_delete
from community.services.seed import seed_load
from tests.community import factories as f
from tests.community import seed_files
from tests.community.moderation_helpers import form_post_data, make_user

pytestmark = pytest.mark.django_db

SEED_REVIEWED = dt.date(2026, 11, 28)  # the `reviewed` date of the first fourteen seed guides
# The guides written later (issue 16) carry the day they were reviewed.
LATER_REVIEWED = dt.date(2026, 12, 2)


def in_language(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def page(client, guide: Guide, language: str = "en") -> str:
    with translation.override(language):
        url = guide.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def bilingual_guide(**kwargs) -> Guide:
    with translation.override("en"):
        guide = f.GuideFactory(title="Backpropagation", body="English body.", **kwargs)
    Guide.objects.filter(pk=guide.pk).update(title_zh_hans="反向传播", body_zh_hans="中文正文。")
    return Guide.objects.get(pk=guide.pk)


def suggest(client, guide: Guide, language: str, **changes) -> EditSuggestion:
    """Send the suggest-an-edit form from the `language` site with `changes` typed in."""
    url = in_language(language, "community:suggest-edit", "guide", guide.slug)
    data = form_post_data(client.get(url).context["form"])
    data.update(changes)
    assert client.post(url, data).status_code == 302
    return EditSuggestion.objects.latest("pk")


def decide(client, suggestion: EditSuggestion, language: str, decision: str = "approve", **extra):
    url = in_language(language, "community:moderation-edit", suggestion.pk)
    data = {f"e{suggestion.pk}-decision": decision, **{f"e{suggestion.pk}-{k}": v for k, v in extra.items()}}
    assert client.post(url, data).status_code == 302


# --- an edit changes the text of the language it was written in ---------------------------------


def test_a_chinese_edit_changes_the_chinese_body_even_when_approved_from_the_english_site(
    member_client, moderator_client
):
    guide = bilingual_guide()
    suggestion = suggest(member_client, guide, "zh-hans", body_zh_hans="新的中文正文。")
    # The form has a box per language; the suggestion names the Chinese column it changes.
    assert suggestion.changes == {"body_zh_hans": "新的中文正文。"}

    # The moderator, on the English site, sees the Chinese text being replaced, labelled as Chinese.
    queue = moderator_client.get(in_language("en", "community:moderation")).content.decode()
    assert "Body (Markdown) (Simplified Chinese)" in queue
    assert "<del>中文正文。</del>" in queue and "<ins>新的中文正文。</ins>" in queue
    # The English body is shown too (the diff lists both languages), but unchanged.
    assert "<del>English body.</del>" not in queue and "<ins>English body.</ins>" not in queue

    decide(moderator_client, suggestion, "en")
    guide.refresh_from_db()
    assert guide.body_zh_hans == "新的中文正文。" and guide.body_en == "English body."
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.EDIT_APPLIED)
    assert record.changes == {"body_zh_hans": ["中文正文。", "新的中文正文。"]}
    assert "新的中文正文" in page(member_client, guide, "zh-hans")
    assert "English body." in page(member_client, guide, "en")


def test_an_english_edit_changes_the_english_body_even_when_approved_from_the_chinese_site(
    member_client, moderator_client
):
    guide = bilingual_guide()
    suggestion = suggest(member_client, guide, "en", body_en="Better English body.", title_en="Backprop")
    assert suggestion.changes == {"title_en": "Backprop", "body_en": "Better English body."}

    queue = moderator_client.get(in_language("zh-hans", "community:moderation")).content.decode()
    assert "<del>English body.</del>" in queue and "正文（Markdown）（English）" in queue
    assert "<del>中文正文。</del>" not in queue and "<ins>中文正文。</ins>" not in queue

    decide(moderator_client, suggestion, "zh-hans")
    guide.refresh_from_db()
    assert (guide.title_en, guide.body_en) == ("Backprop", "Better English body.")
    assert (guide.title_zh_hans, guide.body_zh_hans) == ("反向传播", "中文正文。")
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.EDIT_APPLIED)
    assert set(record.changes) == {"title_en", "body_en"}


def test_an_untranslated_guide_edited_on_the_chinese_site_gets_its_first_chinese_text(
    member, member_client, moderator
):
    with translation.override("en"):
        guide = f.GuideFactory(title="Only English", body="English body.")
    # The Chinese boxes start empty (the English ones hold the English text); only the title, now
    # written in Chinese, is proposed.
    suggestion = suggest(member_client, guide, "zh-hans", title_zh_hans="只有英文")
    assert suggestion.changes == {"title_zh_hans": "只有英文"}
    # The moderator sees that there is no Chinese title yet (the English one is not what is replaced).
    with translation.override("en"):
        from community.selectors.suggestions import edit_suggestion_with_diff

        # Both languages' titles are listed; only the Chinese one changes.
        (diff,) = [
            row for row in edit_suggestion_with_diff(suggestion.pk).diff if row.current != row.proposed
        ]
    assert (diff.current, diff.proposed) == ("", "只有英文")

    moderation.edit_suggestion_approve(suggestion=suggestion, moderator=moderator)
    guide.refresh_from_db()
    assert (guide.title_en, guide.title_zh_hans) == ("Only English", "只有英文")
    assert guide.body_zh_hans is None  # still falls back to the English body


def test_edits_of_untranslated_fields_record_no_language(member):
    guide = f.GuideFactory()
    topic = f.TopicFactory()
    suggestion = submissions.edit_suggest(item=guide, changes={"topics": [topic.pk]}, user=member)
    assert suggestion.language == ""
    paper = f.PaperFactory(title="Old")
    with translation.override("zh-hans"):
        assert submissions.edit_suggest(item=paper, changes={"title": "New"}, user=member).language == ""


# --- last reviewed ----------------------------------------------------------------------------------


def test_approving_a_guide_or_an_edit_of_it_is_a_review(member, moderator):
    guide = submissions.guide_submit(data={"title": "Reading papers", "body": "Start."}, user=member)
    assert guide.reviewed_on is None
    moderation.submission_approve(item=guide, moderator=moderator)
    guide.refresh_from_db()
    assert guide.reviewed_on == timezone.now().date()

    Guide.objects.filter(pk=guide.pk).update(reviewed_on=dt.date(2020, 1, 1))
    rejected = submissions.edit_suggest(item=guide, changes={"summary": "No."}, user=member)
    moderation.edit_suggestion_reject(suggestion=rejected, moderator=moderator, reason="Wrong.")
    guide.refresh_from_db()
    assert guide.reviewed_on == dt.date(2020, 1, 1)  # a rejection reviews the suggestion, not the guide

    applied = submissions.edit_suggest(item=guide, changes={"summary": "Yes."}, user=member)
    moderation.edit_suggestion_approve(suggestion=applied, moderator=moderator)
    guide.refresh_from_db()
    assert guide.reviewed_on == timezone.now().date() and guide.summary == "Yes."


def test_a_moderator_marks_a_guide_reviewed_without_touching_its_text(moderator):
    guide = f.GuideFactory(reviewed_on=dt.date(2020, 1, 1))
    updated_at = guide.updated_at
    moderation.guide_mark_reviewed(guide=guide, moderator=moderator)
    guide.refresh_from_db()
    assert guide.reviewed_on == timezone.now().date() and guide.updated_at == updated_at
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.REVIEWED)
    assert record.user == moderator and record.object_id == guide.pk
    assert record.changes == {"reviewed_on": ["2020-01-01", guide.reviewed_on.isoformat()]}


def test_the_admin_action_marks_published_guides_reviewed_today(client, staff_user):
    published = f.GuideFactory()
    pending = f.GuideFactory(status="pending")
    client.force_login(staff_user)
    url = reverse("admin:community_guide_changelist")
    response = client.post(
        url, {"action": "mark_reviewed", "_selected_action": [published.pk, pending.pk]}, follow=True
    )
    assert "1 guide marked as reviewed." in response.content.decode()
    published.refresh_from_db()
    pending.refresh_from_db()
    assert published.reviewed_on == timezone.now().date() and pending.reviewed_on is None
    assert ChangeRecord.objects.get(action=ChangeRecord.Action.REVIEWED).user == staff_user
    # The date is not typed in the change form: only a recorded decision sets it.
    html = client.get(reverse("admin:community_guide_change", args=[published.pk])).content.decode()
    assert 'name="reviewed_on"' not in html


# --- contributors -----------------------------------------------------------------------------------


def test_contributors_are_the_creator_and_approved_editors_in_order_each_once(member, moderator):
    ada, bob, eve = make_user("ada"), make_user("bob"), make_user("eve")
    guide = submissions.guide_submit(data={"title": "Reading papers", "body": "Start."}, user=member)
    moderation.submission_approve(item=guide, moderator=moderator)
    for user, summary in ((bob, "One."), (ada, "Two."), (bob, "Three.")):
        suggestion = submissions.edit_suggest(item=guide, changes={"summary": summary}, user=user)
        moderation.edit_suggestion_approve(suggestion=suggestion, moderator=moderator)
    submissions.edit_suggest(item=guide, changes={"summary": "Pending."}, user=eve)
    rejected = submissions.edit_suggest(item=guide, changes={"summary": "Rejected."}, user=eve)
    moderation.edit_suggestion_reject(suggestion=rejected, moderator=moderator, reason="No.")

    credits = guide_credits(Guide.objects.select_related("created_by").get(pk=guide.pk))
    assert credits.names == ["member", "bob", "ada"]  # the moderator only reviewed: not a contributor
    assert not credits.by_editors and not credits.former_members
    assert [(r.kind, r.name) for r in credits.revisions] == [
        ("edit", "bob"),
        ("edit", "ada"),
        ("edit", "bob"),
        ("created", "member"),
    ]


def test_a_deleted_account_is_not_named_again(client, member, moderator):
    guide = submissions.guide_submit(data={"title": "Reading papers", "body": "Start."}, user=member)
    moderation.submission_approve(item=guide, moderator=moderator)
    ada = make_user("adalovelace")
    suggestion = submissions.edit_suggest(item=guide, changes={"summary": "Better."}, user=ada)
    moderation.edit_suggestion_approve(suggestion=suggestion, moderator=moderator)
    assert "adalovelace" in page(client, guide)

    account_delete(user=ada)
    account_delete(user=member)
    credits = guide_credits(Guide.objects.select_related("created_by").get(pk=guide.pk))
    assert credits.names == [] and credits.former_members and not credits.by_editors
    html = page(client, guide)
    assert "adalovelace" not in html and ">member<" not in html
    assert "former members" in html and "DeepCommons editors" not in html
    assert "已注销的成员" in page(client, guide, "zh-hans")


def test_a_guide_written_in_the_admin_credits_its_author(staff_user):
    guide = f.GuideFactory(created_by=staff_user)
    assert guide_credits(Guide.objects.select_related("created_by").get(pk=guide.pk)).names == ["admin"]


# --- the seed ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("seed_for_the_class")
class TestOnTheLoadedSeed:
    """Guides of the shipped seed: read by each test, loaded once for both."""

    def test_seed_guides_are_credited_to_the_editors_with_their_review_date(self, client):
        assert set(Guide.objects.values_list("reviewed_on", flat=True)) <= {SEED_REVIEWED, LATER_REVIEWED}
        assert Guide.objects.get(slug="challenges").reviewed_on == LATER_REVIEWED
        guide = Guide.objects.get(slug="linear-regression")
        english = page(client, guide)
        assert "Last reviewed" in english and '<time datetime="2026-11-28">28 November 2026</time>' in english
        assert "<li>DeepCommons editors</li>" in english
        assert "approved revision" not in english  # no revision through the site yet
        chinese = page(client, guide, "zh-hans")
        assert "最近审阅" in chinese and "2026年11月28日" in chinese and "DeepCommons 编辑团队" in chinese

    def test_an_approved_edit_of_a_seed_guide_adds_its_author_after_the_editors(
        self, client, member, moderator
    ):
        guide = Guide.objects.get(slug="pitfalls")
        suggestion = submissions.edit_suggest(item=guide, changes={"summary": "Shorter."}, user=member)
        moderation.edit_suggestion_approve(suggestion=suggestion, moderator=moderator)
        html = page(client, guide)
        assert html.index("DeepCommons editors") < html.index("<li>member</li>")
        assert "1 approved revision" in html and "approved edit" in html


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    return seed_files.seed_copy(tmp_path, guides=True)


def _edit_front_matter(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_seed_keeps_a_later_review_and_dates_a_changed_guide_from_its_file(seed_copy: Path, moderator):
    seed_load(data_dir=seed_copy)
    pitfalls = Guide.objects.get(slug="pitfalls")
    moderation.guide_mark_reviewed(guide=pitfalls, moderator=moderator)
    today = timezone.now().date()
    assert not seed_load(data_dir=seed_copy).changed
    assert Guide.objects.get(slug="pitfalls").reviewed_on == today  # a rerun does not undo the review

    for language in ("en", "zh-hans"):
        _edit_front_matter(
            seed_copy / "guides" / language / "pitfalls.md", "reviewed: 2026-11-28", "reviewed: 2026-12-01"
        )
    _edit_front_matter(seed_copy / "guides" / "en" / "pitfalls.md", "## ", "## Revised: ")
    seed_load(data_dir=seed_copy)
    assert Guide.objects.get(slug="pitfalls").reviewed_on == dt.date(2026, 12, 1)

    # A guide stored before the field existed gets the file's date, without looking edited.
    careers = Guide.objects.get(slug="careers")
    Guide.objects.filter(pk=careers.pk).update(reviewed_on=None)
    report = seed_load(data_dir=seed_copy)
    assert not report.changed
    refreshed = Guide.objects.get(pk=careers.pk)
    assert refreshed.reviewed_on == SEED_REVIEWED and refreshed.updated_at == careers.updated_at


def test_the_review_date_is_required_and_the_same_in_every_language(seed_copy: Path):
    zh = seed_copy / "guides" / "zh-hans" / "funding.md"
    _edit_front_matter(zh, "reviewed: 2026-11-28", "reviewed: 2026-11-27")
    with pytest.raises(SeedDataError, match="funding.md: reviewed differs from the English file"):
        seed_load(data_dir=seed_copy)
    _edit_front_matter(zh, "reviewed: 2026-11-27", "reviewed: soon")
    with pytest.raises(SeedDataError, match="funding.md: reviewed: expected a date"):
        seed_load(data_dir=seed_copy)
    en = seed_copy / "guides" / "en" / "funding.md"
    _edit_front_matter(en, "reviewed: 2026-11-28\n", "")
    with pytest.raises(SeedDataError, match=r"missing keys \['reviewed'\]"):
        seed_load(data_dir=seed_copy)


# --- the page's cost --------------------------------------------------------------------------------


def _guide_with_contributors(n: int) -> Guide:
    creator = f.UserFactory()
    guide = f.GuideFactory(created_by=creator)
    for _ in range(n - 1):
        f.approved_edit(guide, user=f.UserFactory())
    f.approved_edit(guide, user=None)  # and a deleted account's edit
    return guide


def _queries(client, guide: Guide) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = page(client, guide)
    return len(captured), html


def test_the_guide_page_costs_the_same_with_one_contributor_as_with_five(client):
    one, one_html = _queries(client, _guide_with_contributors(1))
    five, five_html = _queries(client, _guide_with_contributors(5))
    assert one == five
    assert one_html.count("<li>contributor") == 1 and five_html.count("<li>contributor") == 5
    assert "former members" in five_html


def test_the_review_queue_still_costs_the_same_with_translated_edits(moderator_client, member):
    """The diff reads a translated field's column from the item already loaded: no query per edit."""

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            moderator_client.get(in_language("en", "community:moderation"))
        return len(captured)

    with translation.override("zh-hans"):
        submissions.edit_suggest(item=bilingual_guide(), changes={"body": "一"}, user=member)
    count()  # warms the per-process content-type cache
    one = count()
    for n in range(4):
        with translation.override("zh-hans"):
            submissions.edit_suggest(item=bilingual_guide(), changes={"body": f"二{n}"}, user=member)
    assert count() == one
    assert EditSuggestion.objects.filter(language="zh-hans", status=ReviewStatus.PENDING).count() == 5
