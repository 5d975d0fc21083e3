"""Guides in the database: loaded from community/seed/guides/ in both languages, shown per language
with a fallback to English, with formulas for KaTeX, highlighted code, their linked items and, for the
model guides, the live leaderboard of their reference benchmark."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from community.models import Channel, Guide, Topic
from community.seed import SEED_DIR, SeedDataError
from community.services.seed import seed_load
from tests.community import factories as f
from tests.community import seed_files
from tests.training.factories import BenchmarkFactory, finished_sweep

pytestmark = pytest.mark.django_db

GUIDE_SLUGS = sorted(path.stem for path in (SEED_DIR / "guides" / "en").glob("*.md"))
BENCHMARK_GUIDES = {
    "linear-regression": "linear-regression",
    "convolutional-networks": "mnist1d-cnn",
    "recurrent-networks": "mnist1d-gru",
    "tensorflow-examples-done-right": "digits-cnn",
}


def en(item) -> str:
    # A request leaves its language active in the test's thread; addresses are built in English.
    with translation.override("en"):
        return item.get_absolute_url()


def zh(item) -> str:
    with translation.override("zh-hans"):
        return item.get_absolute_url()


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def guides_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped seed: YAML files and guides."""
    return seed_files.seed_copy(tmp_path, guides=True)


# --- the seed -----------------------------------------------------------------------------------


def test_an_edited_translation_updates_only_that_guide(guides_copy: Path):
    seed_load(data_dir=guides_copy)
    others = dict(Guide.objects.exclude(slug="pitfalls").values_list("pk", "updated_at"))
    path = guides_copy / "guides" / "zh-hans" / "pitfalls.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## ", "## 新", 1), encoding="utf-8")

    report = seed_load(data_dir=guides_copy)

    assert (report.counts["guide"].updated, report.counts["guide"].unchanged) == (1, len(GUIDE_SLUGS) - 1)
    assert "## 新" in Guide.objects.get(slug="pitfalls").body_zh_hans
    assert dict(Guide.objects.exclude(slug="pitfalls").values_list("pk", "updated_at")) == others
    assert not seed_load(data_dir=guides_copy).changed


def test_a_translation_that_links_other_items_is_refused(guides_copy: Path):
    path = guides_copy / "guides" / "zh-hans" / "linear-regression.md"
    path.write_text(path.read_text(encoding="utf-8").replace("projects: [pytorch]", "projects: []"))
    with pytest.raises(SeedDataError, match="linear-regression.md: projects differs"):
        seed_load(data_dir=guides_copy)
    assert not Guide.objects.exists()


def test_a_guide_naming_an_unknown_item_or_without_english_is_refused(guides_copy: Path):
    stray = guides_copy / "guides" / "zh-hans" / "only-chinese.md"
    stray.write_text((guides_copy / "guides" / "zh-hans" / "pitfalls.md").read_text(encoding="utf-8"))
    with pytest.raises(SeedDataError, match="only-chinese translated but with no English file"):
        seed_load(data_dir=guides_copy)
    stray.unlink()
    path = guides_copy / "guides" / "en" / "careers.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^papers: \[.*\]$", "papers: [no-such-paper]", text, count=1, flags=re.M))
    with pytest.raises(SeedDataError, match="no-such-paper"):
        seed_load(data_dir=guides_copy)


# --- the pages ----------------------------------------------------------------------------------


def test_an_untranslated_guide_falls_back_to_english(client):
    with translation.override("en"):
        guide = f.GuideFactory(title="Only English", summary="English summary", body="## English body\n")
    html = client.get(zh(guide)).content.decode()
    assert "<h1><bdi>Only English</bdi></h1>" in html and "English summary" in html and "English body" in html
    assert guide.title_zh_hans is None
    assert "Only English" in client.get(url("community:guide-list", language="zh-hans")).content.decode()


def test_pygments_css_is_committed_for_the_codehilite_classes():
    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "pygments.css").read_text()
    for token in (".codehilite .k ", ".codehilite .nn ", ".codehilite .mi ", ".codehilite .c1 "):
        assert token in css, token


def test_benchmark_guides_embed_the_live_leaderboard(client):
    benchmark = BenchmarkFactory(slug="mnist1d-cnn", name="MNIST-1D · 1-D CNN")
    strong = finished_sweep(benchmark, accs=(0.95, 0.94))
    weak = finished_sweep(benchmark, accs=(0.90, 0.91))
    draft = finished_sweep(benchmark, accs=(0.99,), published=False)
    guide = f.GuideFactory(benchmark="mnist1d-cnn", body="## CNN\n")
    html = client.get(en(guide)).content.decode()
    assert 'class="leaderboard"' in html
    assert en(benchmark) in html
    assert html.index(f"Sweep #{strong.pk}") < html.index(f"Sweep #{weak.pk}")
    assert f"Sweep #{draft.pk}<" not in html
    assert "/static/css/training.css" in html
    # The Chinese page embeds it too.
    chinese = client.get(zh(guide)).content.decode()
    assert 'class="leaderboard"' in chinese and f"/results/sweeps/{strong.pk}/" in chinese


def test_a_guide_without_benchmark_or_with_an_unknown_one_shows_no_leaderboard(client):
    for benchmark in ("", "not-loaded-yet"):
        guide = f.GuideFactory(benchmark=benchmark)
        response = client.get(en(guide))
        assert response.status_code == 200
        assert b'class="leaderboard"' not in response.content
        assert b"guide-benchmark" not in response.content


# --- the shipped seed, loaded once for the class below: its guides, their pages, and the chapters
# the seed document had and the guides lacked (issue 16) ------------------------------------------

NEW_CHAPTER_GUIDES = (
    "tensorflow-examples-done-right",
    "trends-vision-and-reinforcement-learning",
    "trends-generative-models-and-explainability",
    "challenges",
    "project-lifecycle",
)


@pytest.mark.usefixtures("seed_for_the_class")
class TestOnTheLoadedSeed:
    """Guides of the shipped seed: read by each test, loaded once for them all."""

    def test_the_seed_loads_every_guide_in_both_languages_published_with_its_links(self):
        assert sorted(Guide.objects.values_list("slug", flat=True)) == GUIDE_SLUGS
        assert len(GUIDE_SLUGS) >= 14
        assert not Guide.objects.exclude(status="published").exists()
        assert not Guide.objects.filter(created_by__isnull=False).exists()
        for guide in Guide.objects.all():
            assert guide.title_en and guide.summary_en and guide.body_en, guide.slug
            assert guide.title_zh_hans and guide.body_zh_hans, guide.slug
            assert guide.title_zh_hans != guide.title_en, guide.slug

        lr = Guide.objects.get(slug="linear-regression")
        assert lr.title_en.startswith("Linear regression")
        assert lr.title_zh_hans.startswith("线性回归")
        assert lr.benchmark == "linear-regression"
        assert sorted(lr.topics.values_list("slug", flat=True)) == ["neural-networks", "optimization"]
        assert list(lr.projects.values_list("slug", flat=True)) == ["pytorch"]
        assert {g.slug: g.benchmark for g in Guide.objects.exclude(benchmark="")} == BENCHMARK_GUIDES
        # The order of the front matter, unique per guide.
        orders = list(Guide.objects.values_list("order", flat=True))
        assert len(set(orders)) == len(orders)

    def test_guides_link_channels_from_their_front_matter(self):
        linked = Channel.objects.filter(guides__isnull=False).distinct()
        assert linked.exists(), "no seed guide links a channel"

    def test_topics_get_their_chinese_names_and_english_stays_the_default(self):
        cnn = Topic.objects.get(slug="convolutional-neural-networks")
        assert (cnn.name_en, cnn.name_zh_hans) == ("Convolutional neural networks", "卷积神经网络")
        assert cnn.description_zh_hans
        with translation.override("zh-hans"):
            assert Topic.objects.get(slug="computer-vision").name == "计算机视觉"
        with translation.override("en"):
            assert Topic.objects.get(slug="computer-vision").name == "Computer vision"
        assert not Topic.objects.filter(name_zh_hans__isnull=True).exists()

    def test_the_guide_list_follows_the_reading_order(self, client):
        html = client.get(url("community:guide-list")).content.decode()
        ordered = Guide.objects.order_by("order").values_list("slug", flat=True)[:20]
        positions = [html.index(f'/guides/{slug}/"') for slug in ordered]
        assert positions == sorted(positions)

    def test_a_guide_page_shows_its_own_language(self, client):
        guide = Guide.objects.get(slug="linear-regression")
        english = client.get(en(guide)).content.decode()
        chinese = client.get(zh(guide)).content.decode()
        assert f"<h1><bdi>{guide.title_en}</bdi></h1>" in english and guide.title_zh_hans not in english
        assert f"<h1><bdi>{guide.title_zh_hans}</bdi></h1>" in chinese and guide.title_en not in chinese
        assert "问题设定" in chinese  # a Chinese section heading of the body
        assert 'lang="zh-hans"' in chinese
        # Links on the Chinese page stay in Chinese.
        assert '<a href="/zh-hans/topics/optimization/">优化</a>' in chinese

    def test_formulas_reach_the_page_for_katex_and_code_is_highlighted_on_the_server(self, client):
        html = client.get(url("community:guide-detail", "linear-regression")).content.decode()
        body = html.split('class="prose guide-body" data-math>')[1].split("</div>\n")[0]
        # Formulas kept intact ($ delimiters and all) in the spans math.js hands to KaTeX.
        assert r'<span class="math math-inline">$\hat y = w x + b$</span>' in body
        assert '<span class="math math-display">$$' in body
        # Code coloured by Pygments' classes, styled by the committed stylesheet.
        assert '<div class="codehilite"><pre>' in html
        assert '<span class="kn">import</span>' in html and '<span class="nn">torch</span>' in html
        assert "/static/css/pygments.css" in html
        assert 'style="' not in body  # the strict CSP would drop inline styles

    def test_a_guide_lists_the_items_it_links(self, client):
        guide = Guide.objects.get(slug="choosing-a-framework")
        html = client.get(en(guide)).content.decode()
        linked = [*guide.papers.all(), *guide.projects.all(), *guide.venues.all(), *guide.organizations.all()]
        linked += [*guide.channels.all(), *guide.topics.all()]
        assert linked, "the framework guide should link something"
        for item in linked:
            assert en(item) in html, item

    def test_the_benchmark_guides_name_benchmarks_the_training_catalogue_defines(self):
        from training.catalogue import BENCHMARKS

        known = {benchmark["slug"] for benchmark in BENCHMARKS}
        assert set(Guide.objects.exclude(benchmark="").values_list("benchmark", flat=True)) <= known

    def test_the_missing_chapters_are_guides_listed_in_both_languages_and_load_once(self, client):
        import datetime as dt

        assert not seed_load().changed  # loading the seed again changes nothing
        english = client.get(url("community:guide-list")).content.decode()
        chinese = client.get(url("community:guide-list", language="zh-hans")).content.decode()
        for slug in NEW_CHAPTER_GUIDES:
            guide = Guide.objects.get(slug=slug, status="published")
            assert guide.reviewed_on == dt.date(2026, 12, 2), slug
            assert f'href="{en(guide)}"' in english and guide.title_en in english, slug
            assert f'href="{zh(guide)}"' in chinese and guide.title_zh_hans in chinese, slug
            assert guide.title_zh_hans not in english, slug

    def test_the_tensorflow_guide_links_both_benchmarks_and_embeds_the_digits_board(self, client):
        from io import StringIO

        from django.core.management import call_command

        call_command("load_benchmarks", stdout=StringIO())
        guide = Guide.objects.get(slug="tensorflow-examples-done-right")
        for page, prefix in ((client.get(en(guide)), "/"), (client.get(zh(guide)), "/zh-hans/")):
            html = page.content.decode()
            assert page.status_code == 200
            assert f'href="{prefix}results/linear-regression/"' in html
            assert f'href="{prefix}results/digits-cnn/"' in html
            assert 'class="guide-benchmark"' in html and "8×8 digits · 2-D CNN" in html
        # The linear regression guide embeds its own benchmark's board, which links the benchmark page.
        html = client.get(en(Guide.objects.get(slug="linear-regression"))).content.decode()
        assert 'class="guide-benchmark"' in html and 'href="/results/linear-regression/"' in html
