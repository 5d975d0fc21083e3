"""Generated files of the Papers with Code archive's kinds, in each of its forms (JSON, gzip, Parquet):
test data only, never shown on a site. The fields are those of the archive's published descriptions
(issue 14)."""

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FORMS = ("json", "gzip", "parquet")


def papers(n: int, *, start: int = 0) -> list[dict]:
    return [
        {
            "paper_url": f"https://paperswithcode.com/paper/generated-{i}",
            "arxiv_id": f"2101.{i:05d}",
            "title": f"Generated paper number {i}",
            "abstract": f"The abstract of generated paper {i}.",
            "url_abs": f"https://arxiv.org/abs/2101.{i:05d}",
            "url_pdf": f"https://arxiv.org/pdf/2101.{i:05d}.pdf",
            "proceeding": None,
            "authors": [f"Author {i % 7}", f"Author {(i + 3) % 11}"],
            "tasks": ["Image Classification"] if i % 2 else ["Machine Translation"],
            "date": "2021-01-15",
            "methods": [
                {
                    "name": "Dropout",
                    "full_name": "Dropout",
                    "description": "Drops units.",
                    "introduced_year": 2014,
                    "main_collection": {"name": "Regularization"},
                }
            ],
        }  # fmt: skip
        for i in range(start, start + n)
    ]


def links(n: int) -> list[dict]:
    return [
        {
            "paper_url": f"https://paperswithcode.com/paper/generated-{i}",
            "paper_title": f"Generated paper number {i}",
            "paper_arxiv_id": f"2101.{i:05d}",
            "paper_url_abs": f"https://arxiv.org/abs/2101.{i:05d}",
            "paper_url_pdf": f"https://arxiv.org/pdf/2101.{i:05d}.pdf",
            "repo_url": f"https://github.com/generated/repo-{i}",
            "is_official": i % 2 == 0,
            "mentioned_in_paper": True,
            "mentioned_in_github": False,
            "framework": "pytorch",
        }
        for i in range(n)
    ]


def evaluation_tables() -> list[dict]:
    def row(model: str, value, i: int) -> dict:
        return {
            "model_name": model,
            "paper_title": f"Generated paper number {i}",
            "paper_url": f"https://paperswithcode.com/paper/generated-{i}",
            "paper_date": "2021-01-15",
            "code_links": [{"title": "code", "url": f"https://github.com/generated/repo-{i}"}],
            "model_links": [],
            "metrics": {"Top 1 Accuracy": value, "Params": "25M"},
            "uses_additional_data": i == 2,
        }

    return [
        {
            "task": "Computer Vision",
            "description": "Seeing.",
            "categories": ["Computer Vision"],
            "datasets": [],
            "subtasks": [
                {
                    "task": "Image Classification",
                    "description": "Labels for images.",
                    "categories": [],
                    "subtasks": [],
                    "datasets": [
                        {
                            "dataset": "Generated ImageNet",
                            "description": "Generated.",
                            "dataset_citations": [],
                            "dataset_links": [],
                            "subdatasets": [],
                            "sota": {
                                "metrics": ["Top 1 Accuracy", "Params"],
                                "rows": [
                                    row("Net A", "85.3%", 1),
                                    row("Net B", 90.871, 2),
                                    row("Net C", "--", 3),
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ]


def methods() -> list[dict]:
    return [
        {
            "url": "https://paperswithcode.com/method/generated-dropout",
            "name": "Generated Dropout",
            "full_name": "Generated Dropout",
            "description": "Drops units at random.",
            "paper": {
                "title": "Generated paper number 1",
                "url": "https://paperswithcode.com/paper/generated-1",
            },
            "introduced_year": 2014,
            "source_url": "https://arxiv.org/abs/2101.00001",
            "source_title": "Generated paper number 1",
            "code_snippet_url": "https://github.com/generated/repo-1/blob/main/dropout.py",
            "num_papers": 12,
            "collections": [{"collection": "Regularization", "area": "General"}],
        }
    ]


def datasets() -> list[dict]:
    return [
        {
            "url": "https://paperswithcode.com/dataset/generated-cifar",
            "name": "Generated CIFAR",
            "full_name": "Generated CIFAR images",
            "homepage": "https://example.org/cifar",
            "description": "Small images.",
            "paper": {
                "title": "Generated paper number 2",
                "url": "https://paperswithcode.com/paper/generated-2",
            },
            "introduced_date": "2009-04-08",
            "warning": None,
            "modalities": ["Images"],
            "tasks": [
                {
                    "task": "Image Classification",
                    "url": "https://paperswithcode.com/task/image-classification",
                }
            ],
            "languages": [],
            "variants": ["Generated CIFAR", "Generated CIFAR (40 labels)"],
            "num_papers": 100,
            "data_loaders": [
                {
                    "url": "https://github.com/generated/loader",
                    "repo": "generated/loader",
                    "frameworks": ["pytorch"],
                }
            ],
        }  # fmt: skip
    ]


def fail_batch(monkeypatch, kind: str, number: int, error: Exception) -> None:
    """Make the importer's writer of `kind` raise `error` after writing its `number`th batch (a batch
    that fails part-way: its transaction must roll back whole)."""
    from community.services.imports import pwc as pwc_service

    write, calls = pwc_service.WRITERS[kind], []

    def failing(ctx, batch):
        calls.append(len(batch))
        write(ctx, batch)
        if len(calls) == number:
            raise error

    monkeypatch.setitem(pwc_service.WRITERS, kind, failing)


KINDS = {
    "papers": lambda: papers(5),
    "links": lambda: links(5),
    "evaluation-tables": evaluation_tables,
    "methods": methods,
    "datasets": datasets,
}


def write(records, directory: Path, name: str, form: str) -> Path:
    """`records` as a file of `form` in `directory`; the file name never says the kind."""
    if form == "json":
        path = directory / f"{name}.json"
        path.write_text(json.dumps(records), encoding="utf-8")
    elif form == "gzip":
        path = directory / f"{name}.json.gz"
        path.write_bytes(gzip.compress(json.dumps(records).encode("utf-8")))
    else:
        path = directory / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(records), path)
    return path
