import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from community import models as catalogue
from community.seed import SEED_DIR, SeedDataError, read_seed
from community.services.seed import seed_load
from tests.community import seed_files
from tests.support.shared_data import written_once

pytestmark = pytest.mark.django_db

# title: (year, venue, edition year or None, arXiv id, DOI, first author, number of authors)
LANDMARKS = {
    "A logical calculus of the ideas immanent in nervous activity": (
        1943,
        "Bulletin of Mathematical Biophysics",
        None,
        "",
        "10.1007/bf02478259",
        "Warren S. McCulloch",
        2,
    ),
    "Learning representations by back-propagating errors": (
        1986,
        "Nature",
        None,
        "",
        "10.1038/323533a0",
        "David E. Rumelhart",
        3,
    ),
    "Long Short-Term Memory": (
        1997,
        "Neural Computation",
        None,
        "",
        "10.1162/neco.1997.9.8.1735",
        "Sepp Hochreiter",
        2,
    ),
    "Gradient-based learning applied to document recognition": (
        1998,
        "Proceedings of the IEEE",
        None,
        "",
        "10.1109/5.726791",
        "Yann LeCun",
        4,
    ),
    "A Fast Learning Algorithm for Deep Belief Nets": (
        2006,
        "Neural Computation",
        None,
        "",
        "10.1162/neco.2006.18.7.1527",
        "Geoffrey Hinton",
        3,
    ),
    "ImageNet Classification with Deep Convolutional Neural Networks": (
        2012,
        "NeurIPS",
        2012,
        "",
        # Its 2017 reprint in Communications of the ACM: the 2012 paper has no DOI of its own.
        "10.1145/3065386",
        "Alex Krizhevsky",
        3,
    ),
    "Efficient Estimation of Word Representations in Vector Space": (
        2013,
        None,
        None,
        "1301.3781",
        "",
        "Tomas Mikolov",
        4,
    ),
    "Generative Adversarial Nets": (2014, "NeurIPS", 2014, "1406.2661", "", "Ian Goodfellow", 8),
    "Dropout: A Simple Way to Prevent Neural Networks from Overfitting": (
        2014,
        "JMLR",
        None,
        "",
        "",
        "Nitish Srivastava",
        5,
    ),
    "Adam: A Method for Stochastic Optimization": (
        2015,
        "ICLR",
        2015,
        "1412.6980",
        "",
        "Diederik P. Kingma",
        2,
    ),
    "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift": (
        2015,
        "ICML",
        2015,
        "1502.03167",
        "",
        "Sergey Ioffe",
        2,
    ),
    "Human-level control through deep reinforcement learning": (
        2015,
        "Nature",
        None,
        "",
        "10.1038/nature14236",
        "Volodymyr Mnih",
        19,
    ),
    "Deep Residual Learning for Image Recognition": (
        2016,
        "CVPR",
        2016,
        "1512.03385",
        "10.1109/cvpr.2016.90",
        "Kaiming He",
        4,
    ),
    '"Why Should I Trust You?": Explaining the Predictions of Any Classifier': (
        2016,
        "KDD",
        2016,
        "1602.04938",
        "",
        "Marco Tulio Ribeiro",
        3,
    ),
    "Attention Is All You Need": (2017, "NeurIPS", 2017, "1706.03762", "", "Ashish Vaswani", 8),
    "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding": (
        2019,
        "NAACL",
        2019,
        "1810.04805",
        "",
        "Jacob Devlin",
        4,
    ),
    "Scaling Down Deep Learning with MNIST-1D": (2024, "ICML", 2024, "2011.14439", "", "Sam Greydanus", 2),
}


def load(data_dir: Path = SEED_DIR) -> str:
    out = StringIO()
    call_command("load_seed_data", "--data-dir", str(data_dir), stdout=out)
    return out.getvalue()


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", "community", "--indent", "1", stdout=out)
    return out.getvalue()


def reported(output: str) -> dict[str, tuple[int, int, int]]:
    """The command's per-type lines: {"Papers": (created, updated, unchanged)}."""
    rows = re.findall(r"^\s+(\S.*?)\s+created\s+(\d+)\s+updated\s+(\d+)\s+unchanged\s+(\d+)$", output, re.M)
    return {name: (int(c), int(u), int(n)) for name, c, u, n in rows}


def authors_of(paper: catalogue.Paper) -> list[str]:
    return [a.person.name for a in paper.authorships.select_related("person").order_by("position")]


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped seed files."""
    return seed_files.seed_copy(tmp_path, guides=False)


def edit_item(data_dir: Path, family: str, slug: str, **changes) -> None:
    path = data_dir / f"{family}.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        if item["slug"] == slug:
            item.update(changes)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_first_run_creates_every_seed_item_published_without_creator():
    data = read_seed(SEED_DIR)
    report = seed_load()

    assert report.counts["topic"].created == catalogue.Topic.objects.count() == len(data["topics"])
    assert report.counts["person"].created == catalogue.Person.objects.count() == len(data["people"])
    assert report.counts["edition"].created == catalogue.Edition.objects.count() == 9
    for model in (
        catalogue.Topic,
        catalogue.Organization,
        catalogue.Venue,
        catalogue.Edition,
        catalogue.Person,
        catalogue.Project,
        catalogue.Channel,
        catalogue.Paper,
    ):
        assert not model.objects.exclude(status=catalogue.ModerationStatus.PUBLISHED).exists(), model
        assert not model.objects.filter(created_by__isnull=False).exists(), model


# `load_seed_data` run twice on an empty catalogue, as `make run` does on every start: the first run
# loads everything (landmark papers, the deadline trackers' snapshot, similar papers), the second
# changes nothing, byte for byte. The two runs take about ten seconds, so they are made once for the
# tests of one class (tests/support/shared_data.py) and each test reads what it checks.
@dataclass
class TwoRuns:
    first: str  # what each run printed
    second: str
    before: str  # `dumpdata community` after each run
    after: str


@pytest.fixture(scope="class")
def two_runs(django_db_setup, django_db_blocker):
    printed = {}

    def write():
        printed["first"] = load()
        printed["before"] = dump()
        printed["second"] = load()
        printed["after"] = dump()

    for _ in written_once(django_db_blocker, write):
        yield TwoRuns(**printed)


class TestTheSeedLoadedTwice:
    def test_the_second_run_changes_nothing(self, two_runs: TwoRuns):
        first, second = reported(two_runs.first), reported(two_runs.second)
        assert two_runs.after == two_runs.before
        assert first["Papers"] == (len(LANDMARKS), 0, 0)
        assert set(second) == set(first)
        for name, (created, updated, unchanged) in second.items():
            assert (created, updated) == (0, 0), name
            assert unchanged == first[name][0], name

    def test_the_deadline_snapshot_is_imported_once(self, two_runs: TwoRuns):
        assert "Deadline trackers' snapshot (community/seed/deadlines/): 43 files:" in two_runs.first
        assert ", 0 failed." in two_runs.first
        assert catalogue.Venue.objects.get(name="ICRA").ccf_rank
        assert "43 files: 0 created, 0 updated" in two_runs.second
        assert "left out" not in two_runs.second  # a rerun that changed nothing repeats no note

    def test_similar_papers_are_computed_and_the_dump_holds_both_languages(self, two_runs: TwoRuns):
        assert "Similar papers:" in two_runs.first
        assert catalogue.SimilarPaper.objects.exists()
        assert "(0 lists rewritten)" in two_runs.second
        # The dump holds both languages, the timeline and the similar papers.
        assert '"title_zh_hans": "线性回归' in two_runs.after
        assert '"model": "community.timelineevent"' in two_runs.after
        assert '"model": "community.similarpaper"' in two_runs.after


@pytest.mark.usefixtures("seed_for_the_class")
class TestTheLoadedSeed:
    """What the shipped seed holds once loaded: read by each test, loaded once for them all."""

    def test_landmark_papers_carry_their_exact_identifiers(self):
        for title, (year, venue, edition, arxiv_id, doi, first_author, n_authors) in LANDMARKS.items():
            paper = catalogue.Paper.objects.get(title=title)
            assert paper.is_published, title
            assert (paper.year, paper.arxiv_id, paper.doi) == (year, arxiv_id, doi), title
            assert (paper.venue.name if paper.venue else None) == venue, title
            assert (paper.edition.year if paper.edition else None) == edition, title
            if paper.edition:
                assert paper.edition.venue_id == paper.venue_id, title
            names = authors_of(paper)
            assert names[0] == first_author, title
            assert len(names) == n_authors, title
            assert paper.topics.exists(), title

    def test_author_lists_keep_their_order(self):
        assert authors_of(catalogue.Paper.objects.get(arxiv_id="1706.03762")) == [
            "Ashish Vaswani",
            "Noam Shazeer",
            "Niki Parmar",
            "Jakob Uszkoreit",
            "Llion Jones",
            "Aidan N. Gomez",
            "Łukasz Kaiser",
            "Illia Polosukhin",
        ]
        dqn = authors_of(catalogue.Paper.objects.get(doi="10.1038/nature14236"))
        assert dqn[:3] == ["Volodymyr Mnih", "Koray Kavukcuoglu", "David Silver"]
        assert dqn[-3:] == ["Daan Wierstra", "Shane Legg", "Demis Hassabis"]
        # One person across papers, not one per authorship.
        hinton = catalogue.Person.objects.get(name="Geoffrey Hinton")
        assert hinton.papers.count() == 4

    def test_bibliographic_details_where_given(self):
        backprop = catalogue.Paper.objects.get(doi="10.1038/323533a0")
        assert (backprop.volume, backprop.issue, backprop.pages) == ("323", "6088", "533-536")
        lstm = catalogue.Paper.objects.get(doi="10.1162/neco.1997.9.8.1735")
        assert (lstm.volume, lstm.issue, lstm.pages) == ("9", "8", "1735-1780")
        assert catalogue.Paper.objects.get(title__startswith="Dropout").volume == "15"
        mnist1d = catalogue.Paper.objects.get(arxiv_id="2011.14439")
        assert list(mnist1d.projects.values_list("repository_url", flat=True)) == [
            "https://github.com/greydanus/mnist1d"
        ]

    def test_required_venues_and_editions(self):
        conferences = {"NeurIPS", "ICML", "CVPR", "ICLR", "KDD", "NAACL"}
        journals = {
            "Journal of Machine Learning Research",
            "Machine Learning",
            "IEEE Transactions on Neural Networks and Learning Systems",
            "Bulletin of Mathematical Biophysics",
            "Nature",
            "Neural Computation",
            "Proceedings of the IEEE",
        }
        assert conferences <= set(
            catalogue.Venue.objects.filter(kind=catalogue.Venue.Kind.CONFERENCE).values_list(
                "name", flat=True
            )
        )
        journal_names = set()
        for venue in catalogue.Venue.objects.filter(kind=catalogue.Venue.Kind.JOURNAL):
            journal_names |= {venue.name, venue.full_name}
        assert journals <= journal_names
        assert catalogue.Venue.objects.get(name="Machine Learning").publisher == "Springer"
        places = {
            (e.venue.name, e.year): (e.city, e.country)
            for e in catalogue.Edition.objects.select_related("venue")
        }
        assert places == {
            ("NeurIPS", 2012): ("Lake Tahoe", "United States"),
            ("NeurIPS", 2014): ("Montréal", "Canada"),
            ("NeurIPS", 2017): ("Long Beach", "United States"),
            ("ICLR", 2015): ("San Diego", "United States"),
            ("ICML", 2015): ("Lille", "France"),
            ("ICML", 2024): ("Vienna", "Austria"),
            ("CVPR", 2016): ("Las Vegas", "United States"),
            ("KDD", 2016): ("San Francisco", "United States"),
            ("NAACL", 2019): ("Minneapolis", "United States"),
        }

    def test_frameworks_and_the_mnist1d_project(self):
        expected = {
            "https://github.com/tensorflow/tensorflow": ("TensorFlow", "framework", "Apache-2.0"),
            "https://github.com/pytorch/pytorch": ("PyTorch", "framework", "BSD-3-Clause"),
            "https://github.com/keras-team/keras": ("Keras", "framework", "Apache-2.0"),
            # Stored normalised (lower case), as every write path stores it.
            "https://github.com/bvlc/caffe": ("Caffe", "framework", "BSD-2-Clause"),
        }
        for url, (name, kind, licence) in expected.items():
            project = catalogue.Project.objects.get(repository_url=url)
            assert (project.name, project.kind, project.license) == (name, kind, licence)
        assert (
            catalogue.Project.objects.get(repository_url="https://github.com/greydanus/mnist1d").kind
            == "dataset"
        )
        assert catalogue.Project.objects.get(name="PyTorch").organization.name == "PyTorch Foundation"

    def test_channels_topics_and_organisations(self):
        kinds = dict(catalogue.Channel.objects.values_list("name", "kind"))
        assert kinds["Twitter / X"] == catalogue.Channel.Kind.SOCIAL
        assert kinds["Reddit r/MachineLearning"] == catalogue.Channel.Kind.SOCIAL
        assert kinds["LinkedIn"] == catalogue.Channel.Kind.JOB_BOARD
        assert kinds["Glassdoor"] == catalogue.Channel.Kind.JOB_BOARD
        # Its job board closed in 2022: it is catalogued as the forum it still is, and says so.
        stack_overflow = catalogue.Channel.objects.get(name="Stack Overflow")
        assert stack_overflow.kind == catalogue.Channel.Kind.FORUM
        assert "2022" in stack_overflow.description

        parents = dict(catalogue.Topic.objects.values_list("slug", "parent__slug"))
        for slug in (
            "neural-networks",
            "natural-language-processing",
            "computer-vision",
            "reinforcement-learning",
            "generative-adversarial-networks",
            "explainability",
            "machine-learning",
            "optimization",
            "representation-learning",
        ):
            assert slug in parents
        assert parents["convolutional-neural-networks"] == "neural-networks"
        assert parents["recurrent-neural-networks"] == "neural-networks"

        assert set(catalogue.Organization.objects.values_list("kind", flat=True)) == set(
            catalogue.Organization.Kind.values
        )


def test_a_changed_field_updates_only_that_row(seed_copy: Path):
    seed_load(data_dir=seed_copy)
    adam = catalogue.Paper.objects.get(arxiv_id="1412.6980")
    others = dict(catalogue.Paper.objects.exclude(pk=adam.pk).values_list("pk", "updated_at"))
    edit_item(seed_copy, "papers", "adam", pages="1-15")

    report = seed_load(data_dir=seed_copy)

    assert (report.counts["paper"].updated, report.counts["paper"].unchanged) == (1, len(LANDMARKS) - 1)
    assert report.counts["topic"].unchanged == catalogue.Topic.objects.count()
    adam_after = catalogue.Paper.objects.get(pk=adam.pk)
    assert adam_after.pages == "1-15"
    assert adam_after.updated_at > adam.updated_at
    assert dict(catalogue.Paper.objects.exclude(pk=adam.pk).values_list("pk", "updated_at")) == others


def test_a_reordered_author_list_or_topic_set_is_an_update(seed_copy: Path):
    seed_load(data_dir=seed_copy)
    edit_item(seed_copy, "papers", "adam", authors=["jimmy-ba", "diederik-p-kingma"], topics=["optimization"])
    edit_item(seed_copy, "papers", "bert", topics=["transformers"])

    report = seed_load(data_dir=seed_copy)

    assert report.counts["paper"].updated == 2
    assert authors_of(catalogue.Paper.objects.get(arxiv_id="1412.6980")) == ["Jimmy Ba", "Diederik P. Kingma"]
    assert list(catalogue.Paper.objects.get(arxiv_id="1810.04805").topics.values_list("slug", flat=True)) == [
        "transformers"
    ]
    assert catalogue.Authorship.objects.filter(paper__arxiv_id="1412.6980").count() == 2
    assert not seed_load(data_dir=seed_copy).changed


def test_rows_entered_by_hand_are_matched_by_identity_not_by_slug(user):
    # Same name: the same venue, so the seed fills it in rather than adding a second NeurIPS, and
    # leaves its slug and moderation status alone.
    catalogue.Venue.objects.create(
        slug="neurips-conference", name="NeurIPS", kind="conference", created_by=user
    )
    # Same slug but someone's own item: never overwritten on a slug alone.
    catalogue.Topic.objects.create(slug="transformers", name="Transformer models", created_by=user)

    seed_load()

    neurips = catalogue.Venue.objects.get(name="NeurIPS")
    assert (neurips.slug, neurips.status, neurips.created_by) == ("neurips-conference", "pending", user)
    assert neurips.full_name == "Conference on Neural Information Processing Systems"
    assert neurips.editions.count() == 3
    assert catalogue.Topic.objects.get(slug="transformers").name == "Transformer models"
    assert catalogue.Topic.objects.get(name="Transformers").slug == "transformers-2"
    assert not seed_load().changed


def test_a_yaml_mistake_names_the_file_and_loads_nothing(seed_copy: Path):
    edit_item(seed_copy, "venues", "cvpr", kind="symposium")

    with pytest.raises(CommandError, match=r"venues\.yaml \(cvpr\).*kind"):
        load(seed_copy)

    # Topics come before venues, and were rolled back with them.
    assert not catalogue.Topic.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- slug: x\n  title: X\n  year: 2020\n  authors: [nobody]\n", r"authors names 'nobody'"),
        (
            "- slug: x\n  title: X\n  year: 2020\n  authors: [yann-lecun]\n  arxiv_id: 1706.03762\n",
            "quote it",
        ),
        ("- slug: x\n  title: X\n  year: 2020\n  authors: [yann-lecun]\n  doi: nonsense\n", "is not a DOI"),
        (
            "- slug: x\n  title: X\n  year: 2020\n  authors: [yann-lecun]\n  venue: icml\n  edition: 1999\n",
            "1999",
        ),
        ("- slug: x\n  title: X\n  year: 2020\n  authors: [yann-lecun]\n  colour: red\n", "unknown field"),
        ("- slug: x\n  title: X\n  authors: [yann-lecun]\n", "year is required"),
    ],
)
def test_malformed_papers_are_rejected_before_any_write(seed_copy: Path, text: str, message: str):
    (seed_copy / "papers.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SeedDataError, match=message) as excinfo:
        seed_load(data_dir=seed_copy)
    assert "papers.yaml" in str(excinfo.value)
    assert not catalogue.Topic.objects.exists()


def test_two_items_with_one_identity_are_rejected(seed_copy: Path):
    edit_item(seed_copy, "papers", "bert", arxiv_id="arXiv:1706.03762v5")
    with pytest.raises(SeedDataError, match="also given to attention-is-all-you-need"):
        read_seed(seed_copy)


def test_a_file_named_after_no_family_is_rejected(seed_copy: Path):
    (seed_copy / "paper.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(SeedDataError, match="paper.yaml: no family"):
        read_seed(seed_copy)
