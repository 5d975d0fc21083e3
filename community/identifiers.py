"""Normalised forms of the identifiers that make two catalogue items the same thing.

Every write path stores these forms, so a duplicate check is one indexed equality lookup.
"""

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext

_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def normalize_arxiv_id(value: str) -> str:
    """`arXiv:1706.03762v5` or an abs/pdf URL -> `1706.03762`; '' stays ''; anything else raises ValueError."""
    value = (value or "").strip()
    if not value:
        return ""
    value = re.sub(r"^https?://(www\.)?arxiv\.org/(abs|pdf)/", "", value, flags=re.IGNORECASE)
    value = re.sub(r"\.pdf$", "", value, flags=re.IGNORECASE)
    value = re.sub(r"^arxiv:", "", value, flags=re.IGNORECASE)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(value)
        if match:
            return match.group(1)
    raise ValueError(
        gettext("%(value)s is not an arXiv identifier (expected e.g. 1706.03762 or hep-th/9901001).")
        % {"value": repr(value)}
    )


def normalize_doi(value: str) -> str:
    """`https://doi.org/10.1038/NATURE14236` -> `10.1038/nature14236`; DOIs are case-insensitive."""
    value = (value or "").strip()
    if not value:
        return ""
    value = re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", value, flags=re.IGNORECASE)
    value = re.sub(r"^doi:\s*", "", value, flags=re.IGNORECASE).lower()
    if not _DOI.match(value):
        raise ValueError(
            gettext("%(value)s is not a DOI (expected e.g. 10.1038/nature14236).") % {"value": repr(value)}
        )
    return value


def normalize_repo_url(value: str) -> str:
    """`http://www.GitHub.com/PyTorch/PyTorch.git/` -> `https://github.com/pytorch/pytorch`."""
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(gettext("%(value)s is not a web address of a repository.") % {"value": repr(value)})
    host = parts.hostname.lower().removeprefix("www.")
    path = parts.path.rstrip("/").lower()
    path = path.removesuffix(".git").rstrip("/")
    if not path:
        raise ValueError(gettext("%(value)s names a host but no repository path.") % {"value": repr(value)})
    return f"https://{host}{path}"


def normalize_title(value: str) -> str:
    """Lower case, punctuation and repeated spaces removed: the form compared for near-duplicates."""
    value = re.sub(r"[^\w\s]", " ", (value or "").lower())
    return re.sub(r"\s+", " ", value).strip()
