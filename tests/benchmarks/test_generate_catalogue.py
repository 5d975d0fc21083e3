"""`manage.py generate_catalogue`: published, linked, unique and deterministic synthetic items."""

import pytest
from django.core.management import CommandError, call_command

from benchmarks.catalogue.generate import catalogue_generate
from community.models import Authorship, FundingOpportunity, JobPosting, Paper, Person, Project

pytestmark = pytest.mark.django_db

COUNTS = {"papers": 120, "projects": 15, "people": 40, "jobs": 6, "funding": 4}


def _snapshot():
    return [
        (p.slug, p.title, p.abstract, p.year, p.arxiv_id, p.doi, [a.person.name for a in p.authorships.all()])
        for p in Paper.objects.prefetch_related("authorships__person").order_by("pk")
    ]


def test_generates_published_linked_items_in_batches():
    call_command("generate_catalogue", **COUNTS, batch_size=7, seed=1)

    assert Paper.objects.count() == 120
    assert Project.objects.count() == 15
    assert Person.objects.count() == 40
    assert JobPosting.objects.count() == 6
    assert FundingOpportunity.objects.count() == 4
    for model in (Paper, Project, Person, JobPosting, FundingOpportunity):
        assert not model.objects.exclude(status="published").exists()
    assert not Paper.objects.filter(authorships__isnull=True).exists()
    assert not Paper.objects.filter(topics__isnull=True).exists()
    positions = list(
        Authorship.objects.filter(paper=Paper.objects.first()).values_list("position", flat=True)
    )
    assert positions == list(range(len(positions)))
    paper = Paper.objects.exclude(arxiv_id="").first()
    paper.full_clean()  # identifiers are in the normalised form the validators keep


def test_same_seed_same_catalogue_and_a_second_run_adds_unique_items():
    catalogue_generate(**COUNTS, seed=5)
    first = _snapshot()
    for model in (Paper, Project, Person, JobPosting, FundingOpportunity):
        model.objects.all().delete()
    catalogue_generate(**COUNTS, seed=5)
    assert _snapshot() == first

    catalogue_generate(**COUNTS, seed=5)
    assert Paper.objects.count() == 240
    for field in ("slug", "doi"):
        values = list(Paper.objects.values_list(field, flat=True))
        assert len(values) == len(set(values))
    arxiv = list(Paper.objects.exclude(arxiv_id="").values_list("arxiv_id", flat=True))
    assert len(arxiv) == len(set(arxiv))
    assert Project.objects.values("repository_url").distinct().count() == Project.objects.count()


def test_rejects_negative_counts():
    with pytest.raises(CommandError):
        call_command("generate_catalogue", papers=-1)
