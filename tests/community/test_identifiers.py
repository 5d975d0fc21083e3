"""The normalised identifiers every write path stores, so a duplicate is one equality lookup."""

import pytest

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url, normalize_title


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1706.03762", "1706.03762"),
        ("  1706.03762\n", "1706.03762"),
        ("1706.03762v5", "1706.03762"),
        ("arXiv:1706.03762v5", "1706.03762"),
        ("ARXIV:1706.03762", "1706.03762"),
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("http://www.arxiv.org/abs/1706.03762v2", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762v2.pdf", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762", "1706.03762"),
        ("0704.0001", "0704.0001"),  # the first new-style id: four digits after the dot until 2015
        ("1501.00001v10", "1501.00001"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalize_arxiv_id(raw, expected):
    assert normalize_arxiv_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "not an id",
        "1706.037",  # too few digits
        "1706.037621",  # too many
        "17060.3762",
        "1706.03762v",  # a version without a number
        "https://example.org/abs/1706.03762",  # another host
        "hep-th/990100",  # old style needs seven digits
        "10.1038/nature14236",  # a DOI, not an arXiv id
    ],
)
def test_normalize_arxiv_id_rejects_what_is_not_an_id(raw):
    with pytest.raises(ValueError, match="is not an arXiv identifier"):
        normalize_arxiv_id(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("10.1038/nature14236", "10.1038/nature14236"),
        ("10.1038/NATURE14236", "10.1038/nature14236"),
        ("https://doi.org/10.1038/NATURE14236", "10.1038/nature14236"),
        ("http://dx.doi.org/10.1000/XYZ", "10.1000/xyz"),
        ("doi.org/10.1145/3065386", "10.1145/3065386"),
        ("doi:10.1145/3065386", "10.1145/3065386"),
        ("DOI: 10.1145/3065386", "10.1145/3065386"),
        ("  10.48550/arXiv.1706.03762 ", "10.48550/arxiv.1706.03762"),
        ("10.1002/(SICI)1097-4636", "10.1002/(sici)1097-4636"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "nature14236",
        "11.1038/nature14236",
        "10.1/x",
        "10.1038/",
        "10.1038/ nature",
        "https://example.org/10.1038/x",
    ],
)
def test_normalize_doi_rejects_what_is_not_a_doi(raw):
    with pytest.raises(ValueError, match="is not a DOI"):
        normalize_doi(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://github.com/pytorch/pytorch", "https://github.com/pytorch/pytorch"),
        ("http://www.GitHub.com/PyTorch/PyTorch.git/", "https://github.com/pytorch/pytorch"),
        ("HTTPS://github.com/a/b.git", "https://github.com/a/b"),
        ("github.com/a/b", "https://github.com/a/b"),
        ("https://gitlab.com/group/sub/project/", "https://gitlab.com/group/sub/project"),
        ("https://github.com/a/b?tab=readme#top", "https://github.com/a/b"),
        ("https://user@github.com/a/b", "https://github.com/a/b"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_repo_url(raw, expected):
    assert normalize_repo_url(raw) == expected


def test_normalize_repo_url_makes_spellings_of_one_repository_equal():
    spellings = [
        "https://github.com/huggingface/transformers",
        "http://github.com/huggingface/transformers/",
        "https://www.github.com/HuggingFace/Transformers.git",
        "github.com/huggingface/transformers",
    ]
    assert len({normalize_repo_url(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    "raw, message",
    [
        ("ftp://github.com/a/b", "is not a web address"),
        ("mailto:someone@example.org", "not a web address|no repository path"),
        ("https://github.com", "no repository path"),
        ("https://github.com/", "no repository path"),
        ("https://github.com/.git", "no repository path"),
        ("javascript:alert(1)", "not a web address|no repository path"),
    ],
)
def test_normalize_repo_url_rejects_what_is_not_a_repository(raw, message):
    with pytest.raises(ValueError, match=message):
        normalize_repo_url(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Attention Is All You Need", "attention is all you need"),
        ("Attention is all you need!", "attention is all you need"),
        (
            "  Deep   Residual Learning\tfor Image\nRecognition ",
            "deep residual learning for image recognition",
        ),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "bert pre training of deep bidirectional transformers",
        ),
        ("Über Netze — eine Übersicht", "über netze eine übersicht"),
        ("", ""),
        (None, ""),
        ("!!!", ""),
    ],
)
def test_normalize_title(raw, expected):
    assert normalize_title(raw) == expected


def test_normalize_title_makes_near_duplicates_equal():
    assert normalize_title("Adam: A Method for Stochastic Optimization") == normalize_title(
        "ADAM - a method for stochastic optimization."
    )


@pytest.mark.parametrize(
    "normalize", [normalize_arxiv_id, normalize_doi, normalize_repo_url, normalize_title]
)
def test_normalizing_twice_changes_nothing(normalize):
    samples = {
        normalize_arxiv_id: "arXiv:1706.03762v5",
        normalize_doi: "https://doi.org/10.1038/NATURE14236",
        normalize_repo_url: "http://www.GitHub.com/PyTorch/PyTorch.git/",
        normalize_title: "Attention Is All You Need!",
    }
    once = normalize(samples[normalize])
    assert normalize(once) == once
