"""arXiv import against recorded API responses (tests/fixtures/arxiv/): no test touches the network
(see tests/community/arxiv_api.py)."""

import datetime as dt

import arxiv
import pytest
import requests

from community.importers.arxiv import fetch_arxiv, record_from_result
from community.models import ChangeRecord, ModerationStatus, Paper, Person
from community.services.imports import Outcome, arxiv_import, bibtex_import
from tests.community.arxiv_api import arxiv_api_fixture  # noqa: F401 - the recorded arXiv API
from tests.community.services.imports.commands import failed_import_output


def _quick_client() -> arxiv.Client:
    # No pauses between retries, so a failing API does not slow the suite down.
    return arxiv.Client(delay_seconds=0, num_retries=0)


def test_records_come_from_the_recorded_responses(arxiv_api):
    attention, adam = fetch_arxiv(["arXiv:1706.03762v5", "https://arxiv.org/abs/1412.6980"])
    assert attention.arxiv_id == "1706.03762"
    assert attention.title == "Attention Is All You Need"
    assert attention.year == 2017
    assert attention.authors[6] == "Lukasz Kaiser"
    assert len(attention.authors) == 8
    # The API wraps the abstract at 80 columns; the record has one paragraph.
    assert attention.abstract.startswith(
        "The dominant sequence transduction models are based on complex recurrent or convolutional"
    )
    assert "\n" not in attention.abstract
    assert attention.pdf_url == "https://arxiv.org/pdf/1706.03762"
    assert adam.abstract.count("\n\n") == 1
    # One request for both ids, with the timeout the package does not set by itself.
    (request,) = arxiv_api.requests
    assert request["query"]["id_list"] == ["1706.03762,1412.6980"]
    assert request["timeout"] == 30


def test_ids_are_checked_before_anything_is_sent(arxiv_api):
    items = fetch_arxiv(["not-an-id", "1706.99999", "1706.03762", "1706.03762v7"])
    assert [type(item).__name__ for item in items] == ["ParseFailure", "ParseFailure", "PaperRecord"]
    assert "not an arXiv identifier" in items[0].reason
    assert "arXiv has no paper" in items[1].reason
    assert arxiv_api.requests[0]["query"]["id_list"] == ["1706.99999,1706.03762"]


def test_no_request_when_no_id_is_valid(arxiv_api):
    assert len(fetch_arxiv(["nope"])) == 1
    assert arxiv_api.requests == []


def test_the_first_valid_doi_of_the_authors_doi_field_is_kept():
    result = arxiv.Result(
        entry_id="http://arxiv.org/abs/2001.00001v2",
        title="T",
        doi="not-a-doi 10.1000/ABC",
        published=dt.datetime(2020, 1, 1),
    )
    assert record_from_result(result).doi == "10.1000/abc"


@pytest.mark.django_db
def test_import_creates_published_papers_and_people(arxiv_api):
    report = arxiv_import(ids=["1706.03762", "1412.6980"])
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    paper = Paper.objects.get(arxiv_id="1412.6980")
    assert (paper.title, paper.year, paper.status) == (
        "Adam: A Method for Stochastic Optimization",
        2014,
        ModerationStatus.PUBLISHED,
    )
    assert [a.person.name for a in paper.authorships.order_by("position")] == [
        "Diederik P. Kingma",
        "Jimmy Ba",
    ]
    assert ChangeRecord.objects.filter(action="imported", user=None).count() == 2 + 10  # papers + people


@pytest.mark.django_db
def test_a_second_import_changes_nothing(arxiv_api):
    arxiv_import(ids=["1706.03762", "1412.6980"])
    people, history = Person.objects.count(), ChangeRecord.objects.count()
    report = arxiv_import(ids=["1706.03762", "1412.6980"])
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert (Person.objects.count(), ChangeRecord.objects.count()) == (people, history)


@pytest.mark.django_db
def test_arxiv_completes_a_paper_imported_from_bibtex(arxiv_api):
    bibtex_import(
        text="@article{v, title={Attention is All you Need}, year={2017}, eprint={1706.03762},"
        " archivePrefix={arXiv}, author={Kaiser, {\\L}ukasz and Vaswani, Ashish}}"
    )
    kaiser = Person.objects.get(name="Łukasz Kaiser")
    (result,) = arxiv_import(ids=["1706.03762"]).results
    assert result.outcome == Outcome.UPDATED
    paper = Paper.objects.get()
    assert paper.title == "Attention Is All You Need"
    assert paper.abstract
    # arXiv spells him "Lukasz Kaiser": the same person, not a second one.
    assert paper.authorships.get(position=6).person == kaiser
    assert Person.objects.filter(name__icontains="Kaiser").count() == 1


@pytest.mark.django_db
def test_an_api_that_does_not_answer_fails_every_id_and_writes_nothing(arxiv_api):
    arxiv_api.fail_with = requests.ConnectionError("connection refused")
    report = arxiv_import(ids=["1706.03762", "1412.6980"], client=_quick_client())
    assert report.counts["failed"] == 2
    assert "did not answer" in report.results[0].reason
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_an_http_error_fails_every_id(arxiv_api):
    arxiv_api.status = 503
    report = arxiv_import(ids=["1706.03762"], client=_quick_client())
    assert "HTTP 503" in report.results[0].reason


@pytest.mark.django_db
def test_pending_leaves_the_papers_for_review(arxiv_api):
    arxiv_import(ids=["1412.6980"], pending=True)
    assert Paper.objects.get().status == ModerationStatus.PENDING


@pytest.mark.django_db
def test_the_command_exits_non_zero_when_an_id_failed(arxiv_api):
    text = failed_import_output("import_arxiv", "1706.03762", "1706.99999")
    assert "created    1706.03762" in text
    assert "failed     1706.99999" in text
    assert Paper.objects.filter(arxiv_id="1706.03762").exists()
