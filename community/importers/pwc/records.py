"""The plain records the archive's files become (no models): one dataclass per kind of thing.

Text is as the archive writes it (trimmed, no NUL); identifiers are normalised (community.identifiers);
empty strings and None mean "not stated". `ref` names the record in the report ("record 12", or
"record 3 > Machine Translation > WMT2014 English-German" inside the evaluation tables).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from community.importers import Record

# Kinds of file, as the report and the command name them.
PAPERS = "papers"
LINKS = "links"
EVALUATION = "evaluation-tables"
METHODS = "methods"
DATASETS = "datasets"
FILE_KINDS = (PAPERS, LINKS, EVALUATION, METHODS, DATASETS)


@dataclass(frozen=True)
class MethodMention:
    name: str
    full_name: str = ""
    description: str = ""


@dataclass(frozen=True)
class PaperRow(Record):
    """papers-with-abstracts: one paper."""

    title: str
    year: int
    pwc_url: str = ""
    arxiv_id: str = ""
    doi: str = ""
    abstract: str = ""
    url: str = ""
    pdf_url: str = ""
    proceeding: str = ""
    published: date | None = None
    authors: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    methods: tuple[MethodMention, ...] = ()


@dataclass(frozen=True)
class CodeLinkRow(Record):
    """links-between-papers-and-code: a repository of a paper."""

    repo_url: str  # normalised (community.identifiers.normalize_repo_url)
    paper_pwc_url: str = ""
    paper_title: str = ""
    paper_arxiv_id: str = ""
    paper_url: str = ""
    is_official: bool = False
    mentioned_in_paper: bool = False
    mentioned_in_github: bool = False
    framework: str = ""


@dataclass(frozen=True)
class TaskRow(Record):
    """A task of the evaluation tables (its subtasks come after it, naming it as `parent`)."""

    name: str
    description: str = ""
    parent: str = ""
    area: str = ""
    pwc_url: str = ""


@dataclass(frozen=True)
class CataloguedRow(Record):
    """What a dataset and a method share: a name, a description, a PwC page, the paper that
    introduced it (title and page) and how many papers use it."""

    name: str
    full_name: str = ""
    description: str = ""
    pwc_url: str = ""
    paper_title: str = ""
    paper_url: str = ""
    num_papers: int | None = None


@dataclass(frozen=True)
class DatasetRow(CataloguedRow):
    """A dataset: from the datasets file (all fields) or the evaluation tables (name, description,
    the task it is evaluated on, `variant_of` for a subdataset)."""

    homepage: str = ""
    introduced_date: date | None = None
    modalities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    variant_of: str = ""
    variants: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    data_loaders: tuple[dict, ...] = ()


@dataclass(frozen=True)
class MethodRow(CataloguedRow):
    introduced_year: int | None = None
    source_url: str = ""
    source_title: str = ""
    code_snippet_url: str = ""
    collections: tuple[dict, ...] = ()


@dataclass(frozen=True)
class ResultRow(Record):
    """One metric of one row of a leaderboard (task x dataset)."""

    task: str
    dataset: str
    metric: str
    value: Decimal | None
    value_text: str
    model_name: str
    paper_title: str = ""
    paper_url: str = ""
    paper_date: date | None = None
    uses_additional_data: bool = False
    code_links: tuple[dict, ...] = ()
    model_links: tuple[dict, ...] = ()
