import pytest

from community.services.duplicates import named_duplicates, paper_duplicates, project_duplicates
from tests.community.factories import PaperFactory, ProjectFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_same_arxiv_id_with_prefix_or_version_is_an_exact_duplicate():
    paper = PaperFactory(title="Attention Is All You Need", arxiv_id="1706.03762")
    for given in ("arXiv:1706.03762v5", "1706.03762v1", "https://arxiv.org/abs/1706.03762"):
        check = paper_duplicates(title="Something else", arxiv_id=given)
        assert (check.exact, check.exact_field) == (paper, "arxiv_id")


def test_same_doi_in_any_case_or_as_a_link_is_an_exact_duplicate():
    paper = PaperFactory(doi="10.1038/nature14236")
    check = paper_duplicates(title="x", doi="https://doi.org/10.1038/NATURE14236")
    assert (check.exact, check.exact_field) == (paper, "doi")


def test_a_near_identical_title_is_a_warning_not_a_refusal():
    paper = PaperFactory(title="Attention Is All You Need")
    check = paper_duplicates(title="Attention is all you need!")
    assert check.exact is None and check.similar == [paper]
    assert paper_duplicates(title="Attention Is Not All You Need At All, Really").similar == []


def test_rejected_items_and_the_item_itself_do_not_count():
    paper = PaperFactory(title="Deep Residual Learning", arxiv_id="1512.03385", status="rejected")
    assert paper_duplicates(title="Deep Residual Learning", arxiv_id="1512.03385").is_clean
    other = PaperFactory(title="Deep Residual Learning for Image Recognition")
    assert paper_duplicates(title=other.title, exclude_pk=other.pk).is_clean
    assert paper.pk != other.pk


@pytest.mark.parametrize(
    "given",
    [
        "https://github.com/pytorch/pytorch",
        "http://www.GitHub.com/PyTorch/PyTorch.git/",
        "github.com/pytorch/pytorch/",
    ],
)
def test_repository_urls_match_after_normalisation(given):
    project = ProjectFactory(name="PyTorch", repository_url="https://github.com/pytorch/pytorch")
    check = project_duplicates(name="Torch", repository_url=given)
    assert (check.exact, check.exact_field) == (project, "repository_url")


def test_unique_names_match_case_insensitively():
    venue = VenueFactory(name="NeurIPS")
    assert named_duplicates(type(venue), name=" neurips ").exact == venue
