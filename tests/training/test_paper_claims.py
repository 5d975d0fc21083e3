"""A paper's page shows what it claims beside what the reference sweeps reproduced."""

import pytest
from django.urls import reverse

from tests.community.factories import PaperFactory
from tests.training.factories import BenchmarkFactory, finished_sweep

pytestmark = pytest.mark.django_db


def test_paper_page_shows_claimed_vs_reproduced_with_the_verdict(client):
    paper = PaperFactory(title="Scaling Down Deep Learning with MNIST-1D", arxiv_id="2011.14439")
    bench = BenchmarkFactory(
        slug="mnist1d-cnn", name="MNIST-1D CNN", paper=paper,
        targets=[{"metric": "test_acc", "value": 0.94, "tolerance": 0.02}],
    )  # fmt: skip
    finished_sweep(bench, accs=(0.944, 0.909, 0.943))
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Claimed and reproduced" in page
    assert "94.0" in page and "93.2" in page  # the claim, and the mean of the three seeds in percent
    assert (
        "reproduced" in page and reverse("training:benchmark-detail", kwargs={"slug": "mnist1d-cnn"}) in page
    )


def test_unpublished_sweeps_are_not_shown_as_reproduced(client):
    paper = PaperFactory()
    bench = BenchmarkFactory(paper=paper, targets=[{"metric": "test_acc", "value": 0.68, "tolerance": 0.03}])
    finished_sweep(bench, accs=(0.5,), published=False)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "not published yet" in page and "50.0" not in page
