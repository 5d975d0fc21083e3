"""Factories for tasks, datasets, methods, claimed results and a paper's code (issue 14), beside
tests/community/factories.py: every item is published unless a test says otherwise.

`leaderboard(width=...)` fills one task × dataset leaderboard with `width` models of `width` papers,
each with two metrics, so a query-budget test can compare a short leaderboard with a long one.
"""

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType

from community import models as catalogue
from tests.community import factories as f

PWC = "pwc-archive"

TaskFactory = f.catalogue_factory(catalogue.Task, "Task", description="A task of the field.", area="Vision")
DatasetFactory = f.catalogue_factory(catalogue.Dataset, "Dataset", description="A dataset of images.")
MethodFactory = f.catalogue_factory(catalogue.Method, "Method", description="A building block of networks.")


def row_key(paper_title: str, model_name: str) -> str:
    return hashlib.sha1(f"{paper_title}\n{model_name}".encode()).hexdigest()  # noqa: S324 - an id, not a secret


class ResultFactory(factory.django.DjangoModelFactory):
    task = factory.SubFactory(TaskFactory)
    dataset = factory.SubFactory(DatasetFactory)
    model_name = factory.Sequence(lambda n: f"Model {n}")
    paper_title = factory.Sequence(lambda n: f"A paper {n}")
    paper_date = dt.date(2020, 1, 1)
    metric = "Top-1 Accuracy"
    value = Decimal("80.0")
    value_text = factory.LazyAttribute(lambda o: "" if o.value is None else f"{o.value}")
    source = PWC
    row_key = factory.LazyAttribute(lambda o: row_key(o.paper_title, o.model_name))

    class Meta:
        model = catalogue.Result


class PaperCodeFactory(factory.django.DjangoModelFactory):
    paper = factory.SubFactory(f.PaperFactory)
    project = factory.SubFactory(f.ProjectFactory)
    framework = "pytorch"

    class Meta:
        model = catalogue.PaperCode


def from_archive(item, *, file: str = "evaluation-tables.json") -> catalogue.Provenance:
    """Marks `item` as imported from the Papers with Code archive (its Provenance row)."""
    return catalogue.Provenance.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        source=PWC,
        file=file,
        defaults={
            "revision": "2025-07-01",
            "licence": "CC BY-SA 4.0",
            "attribution": "Papers with Code archive",
        },
    )[0]


def leaderboard(*, width: int = 2, task=None, dataset=None) -> tuple[catalogue.Task, catalogue.Dataset]:
    """A task and a dataset with `width` models of `width` published papers, each with an accuracy and
    an error rate (and a code link every other row), plus one row whose value is no number."""
    task = task or TaskFactory()
    dataset = dataset or DatasetFactory()
    dataset.tasks.add(task)
    from_archive(task)
    from_archive(dataset)
    for i in range(width):
        paper = f.PaperFactory(title=f"Board paper {task.pk}-{i}")
        common = {
            "task": task,
            "dataset": dataset,
            "paper": paper,
            "paper_title": paper.title,
            "model_name": f"Net-{i}",
            "paper_date": dt.date(2015 + i % 8, 1 + i % 12, 1),
            "code_links": [{"url": f"https://github.com/lab/net-{i}"}] if i % 2 else [],
            "uses_additional_data": i % 3 == 0,
        }
        ResultFactory(**common, metric="Top-1 Accuracy", value=Decimal(70 + i))
        ResultFactory(**common, metric="Error rate", value=Decimal(30 - i) / 10)
    ResultFactory(
        task=task,
        dataset=dataset,
        model_name="Unscored",
        metric="Top-1 Accuracy",
        value=None,
        value_text="--",
    )
    return task, dataset
