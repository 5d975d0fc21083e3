"""A synthetic catalogue at scale, for load tests and query plans (`manage.py generate_catalogue`).

Items read like the field's (titles and abstracts from word lists of deep learning, authors with
common names, real venue names, topics), are all published, and carry unique slugs and identifiers
(DOIs under the 10.5555 test prefix, arXiv ids numbered 9xxxx in their month, repository URLs
under github.com/synthetic-*). Rows are bulk-inserted in batches, the many-to-many through rows too;
nothing goes through the moderation services, so there is no audit trail: this is test data.

The same seed on the same database gives the same catalogue. A second run adds more items: slugs and
identifiers are numbered after the rows that exist.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community import page_cache
from community.models import (
    Authorship,
    FundingOpportunity,
    JobPosting,
    ModerationStatus,
    Organization,
    Paper,
    Person,
    Project,
    Topic,
    Venue,
)

PUBLISHED = ModerationStatus.PUBLISHED

ADJECTIVES = (
    "Efficient", "Scalable", "Robust", "Sparse", "Deep", "Shallow", "Self-Supervised", "Contrastive",
    "Hierarchical", "Adaptive", "Causal", "Generative", "Discriminative", "Federated", "Multimodal",
    "Lightweight", "Equivariant", "Probabilistic", "Bayesian", "Differentiable", "Continual",
    "Few-Shot", "Zero-Shot", "Unsupervised", "Semi-Supervised", "Recurrent", "Residual", "Quantized",
    "Distributed", "Interpretable", "Stable", "Fast", "Memory-Efficient", "Parameter-Efficient",
)  # fmt: skip
METHODS = (
    "Transformers", "Convolutional Networks", "Diffusion Models", "Graph Neural Networks",
    "Variational Autoencoders", "Generative Adversarial Networks", "Recurrent Networks", "LSTMs",
    "Attention Mechanisms", "Mixture of Experts", "Normalizing Flows", "Neural ODEs",
    "Vision Transformers", "Language Models", "State Space Models", "Capsule Networks",
    "Energy-Based Models", "Residual Networks", "Autoencoders", "Policy Gradients", "Q-Learning",
    "Knowledge Distillation", "Low-Rank Adaptation", "Batch Normalization", "Dropout",
    "Contrastive Learning", "Meta-Learning", "Neural Architecture Search", "Spiking Networks",
)  # fmt: skip
TASKS = (
    "Image Classification", "Object Detection", "Semantic Segmentation", "Machine Translation",
    "Speech Recognition", "Question Answering", "Text Summarization", "Protein Folding",
    "Molecule Generation", "Time Series Forecasting", "Recommendation", "Anomaly Detection",
    "Video Understanding", "Reinforcement Learning", "Robotic Manipulation", "Image Synthesis",
    "Code Generation", "Named Entity Recognition", "Sentiment Analysis", "Depth Estimation",
    "Pose Estimation", "Domain Adaptation", "Graph Classification", "Link Prediction",
    "Weather Prediction", "Medical Imaging", "Autonomous Driving", "Music Generation",
)  # fmt: skip
PROPERTIES = (
    "Generalization", "Robustness", "Calibration", "Expressivity", "Sample Complexity",
    "Convergence", "Scaling Laws", "Loss Landscape", "Implicit Bias", "Optimization",
)  # fmt: skip
TITLE_PATTERNS = (
    "{adj} {method} for {task}",
    "Towards {adj} {task} with {method}",
    "On the {prop} of {method}",
    "{method} Are {adj} {task} Learners",
    "Rethinking {method} for {task}",
    "{adj} {method}: A Study of {prop}",
    "Learning {task} with {adj} {method}",
    "A Benchmark for {adj} {task}",
    "Understanding the {prop} of {adj} {method}",
)
ABSTRACT_SENTENCES = (
    "We propose {adj_l} {method_l} for {task_l}.",
    "{method} have become the standard approach to {task_l}, yet their {prop_l} is poorly understood.",
    "Our method improves {prop_l} while reducing training cost by a factor of {n}.",
    "Experiments on {n} benchmarks show state-of-the-art results on {task_l}.",
    "We analyse the {prop_l} of {method_l} theoretically and empirically.",
    "Code and pretrained models are publicly available.",
    "Unlike prior work, our approach requires no labelled data for {task_l}.",
    "We release a dataset of {n} thousand examples for {task_l}.",
)
FIRST_NAMES = (
    "Ada", "Alan", "Yann", "Geoffrey", "Yoshua", "Fei", "Andrew", "Ilya", "Oriol", "Demis", "Li",
    "Wei", "Jun", "Min", "Hao", "Xin", "Yu", "Sara", "Maria", "Ana", "Elena", "Olga", "Ivan",
    "Pierre", "Marie", "Lukas", "Anna", "Kenji", "Yuki", "Priya", "Arjun", "Aisha", "Omar",
    "Fatima", "Chen", "Jia", "Tom", "Emma", "Noah", "Lena", "Mateo", "Sofia", "Kwame", "Amara",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Zhang", "Wang", "Li", "Liu", "Chen", "Kim", "Park", "Nguyen", "Garcia", "Müller",
    "Schmidt", "Rossi", "Dubois", "Ivanova", "Sato", "Tanaka", "Gupta", "Sharma", "Singh", "Khan",
    "Hassan", "Okafor", "Mensah", "Silva", "Santos", "Novak", "Kowalski", "Johansson", "Larsen",
    "Brown", "Wilson", "Taylor", "Martin", "Lee", "Hernández", "López", "Yamamoto", "Kumar", "Ali",
)  # fmt: skip
CITIES = (
    "Montreal", "Toronto", "Berkeley", "Stanford", "Cambridge", "Oxford", "Zurich", "Paris", "Berlin",
    "Munich", "Amsterdam", "Tokyo", "Kyoto", "Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Seoul",
    "Singapore", "Bangalore", "Tel Aviv", "London", "Edinburgh", "Copenhagen", "Stockholm", "Helsinki",
    "Vienna", "Prague", "Warsaw", "Madrid", "Barcelona", "Lisbon", "Milan", "Sydney", "Melbourne",
    "Nairobi", "Lagos", "Cape Town", "São Paulo", "Mexico City", "Vancouver", "Seattle", "Boston",
)  # fmt: skip
ORG_PATTERNS = (
    ("University of {city}", Organization.Kind.RESEARCH_LAB),
    ("{city} Institute of Technology", Organization.Kind.RESEARCH_LAB),
    ("{city} AI Lab", Organization.Kind.COMPANY),
    ("{city} Robotics", Organization.Kind.COMPANY),
    ("{city} Research Council", Organization.Kind.GOVERNMENT),
    ("{city} Open Science Foundation", Organization.Kind.NONPROFIT),
)
VENUES = (
    ("NeurIPS", Venue.Kind.CONFERENCE), ("ICML", Venue.Kind.CONFERENCE), ("ICLR", Venue.Kind.CONFERENCE),
    ("CVPR", Venue.Kind.CONFERENCE), ("ICCV", Venue.Kind.CONFERENCE), ("ECCV", Venue.Kind.CONFERENCE),
    ("ACL", Venue.Kind.CONFERENCE), ("EMNLP", Venue.Kind.CONFERENCE), ("NAACL", Venue.Kind.CONFERENCE),
    ("AAAI", Venue.Kind.CONFERENCE), ("IJCAI", Venue.Kind.CONFERENCE), ("KDD", Venue.Kind.CONFERENCE),
    ("AISTATS", Venue.Kind.CONFERENCE), ("UAI", Venue.Kind.CONFERENCE), ("COLT", Venue.Kind.CONFERENCE),
    ("JMLR", Venue.Kind.JOURNAL), ("TMLR", Venue.Kind.JOURNAL), ("TPAMI", Venue.Kind.JOURNAL),
)  # fmt: skip
TOPICS = (
    "Neural networks", "Computer vision", "Natural language processing", "Reinforcement learning",
    "Generative models", "Graph learning", "Optimization", "Speech", "Robotics",
    "Self-supervised learning", "Transformers", "Convolutional neural networks", "Fairness",
    "Interpretability", "Efficient deep learning", "Theory of deep learning",
)  # fmt: skip
LANGUAGES = ("Python", "C++", "Rust", "Julia", "JavaScript", "Go")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0")


@dataclass
class GenerationReport:
    counts: dict[str, int] = field(default_factory=dict)


def _pick_title(rng: random.Random) -> str:
    return rng.choice(TITLE_PATTERNS).format(
        adj=rng.choice(ADJECTIVES),
        method=rng.choice(METHODS),
        task=rng.choice(TASKS),
        prop=rng.choice(PROPERTIES),
    )


def _pick_text(rng: random.Random, sentences: int) -> str:
    words = {
        "adj_l": rng.choice(ADJECTIVES).lower(),
        "method": rng.choice(METHODS),
        "method_l": rng.choice(METHODS).lower(),
        "task_l": rng.choice(TASKS).lower(),
        "prop_l": rng.choice(PROPERTIES).lower(),
        "n": rng.randint(2, 40),
    }
    return " ".join(s.format(**words) for s in rng.sample(ABSTRACT_SENTENCES, sentences))


def _slug(text: str, number: int) -> str:
    return f"{slugify(text)[:100]}-{number}"


def _reference_rows() -> tuple[list[Topic], list[Venue]]:
    """The topics and venues items link to: those of the word lists, created when missing."""
    existing_topics = {t.name for t in Topic.objects.all()}
    taken = set(Topic.objects.values_list("slug", flat=True))
    Topic.objects.bulk_create(
        [
            Topic(name=name, slug=slugify(name), status=PUBLISHED, description=f"Work on {name.lower()}.")
            for name in TOPICS
            if name not in existing_topics and slugify(name) not in taken
        ]
    )
    existing_venues = {v.name for v in Venue.objects.all()}
    taken = set(Venue.objects.values_list("slug", flat=True))
    Venue.objects.bulk_create(
        [
            Venue(name=name, slug=slugify(name), kind=kind, status=PUBLISHED)
            for name, kind in VENUES
            if name not in existing_venues and slugify(name) not in taken
        ]
    )
    return list(Topic.objects.published().order_by("pk")), list(Venue.objects.published().order_by("pk"))


def _organizations(wanted: int) -> list[Organization]:
    names = set(Organization.objects.values_list("name", flat=True))
    slugs = set(Organization.objects.values_list("slug", flat=True))
    new = []
    for pattern, kind in ORG_PATTERNS:
        for city in CITIES:
            name = pattern.format(city=city)
            if len(new) < wanted and name not in names and slugify(name) not in slugs:
                new.append(
                    Organization(name=name, slug=slugify(name), kind=kind, country="", status=PUBLISHED)
                )
    Organization.objects.bulk_create(new)
    return list(Organization.objects.published().order_by("pk"))


def _insert(model, rows: list, batch_size: int) -> list:
    with transaction.atomic():
        return model.objects.bulk_create(rows, batch_size=batch_size)


def _chunks(total: int, size: int):
    for start in range(0, total, size):
        yield start, min(size, total - start)


def catalogue_generate(
    *,
    papers: int,
    projects: int,
    people: int,
    jobs: int,
    funding: int,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Adds that many published synthetic items of each kind (see the module docstring)."""
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    report = GenerationReport()
    topics, venues = _reference_rows()
    organizations = _organizations(wanted=len(ORG_PATTERNS) * len(CITIES))
    chunk = batch_size * 5
    today = timezone.now().date()

    # People.
    offset = Person.objects.count()
    person_ids: list[int] = list(Person.objects.published().values_list("pk", flat=True))
    for start, size in _chunks(people, chunk):
        rows = []
        for i in range(start, start + size):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            rows.append(
                Person(
                    name=name,
                    slug=_slug(name, offset + i),
                    status=PUBLISHED,
                    affiliation=rng.choice(organizations) if rng.random() < 0.8 else None,
                    bio=f"Works on {rng.choice(TASKS).lower()} and {rng.choice(METHODS).lower()}.",
                )
            )
        person_ids += [p.pk for p in _insert(Person, rows, batch_size)]
        say(f"people: {start + size}/{people}")
    report.counts["people"] = people

    # Projects.
    offset = Project.objects.count()
    project_ids: list[int] = []
    for start, size in _chunks(projects, chunk):
        rows = []
        for i in range(start, start + size):
            method = rng.choice(METHODS)
            name = f"{rng.choice(ADJECTIVES).replace('-', '')}{method.split()[0]}-{offset + i}"
            rows.append(
                Project(
                    name=name,
                    slug=_slug(name, offset + i),
                    status=PUBLISHED,
                    kind=rng.choice(Project.Kind.values),
                    description=f"A {rng.choice(ADJECTIVES).lower()} library of {method.lower()} "
                    f"for {rng.choice(TASKS).lower()}.",
                    repository_url=f"https://github.com/synthetic-{offset + i}/{slugify(name)}",
                    license=rng.choice(LICENSES),
                    language=rng.choice(LANGUAGES),
                    organization=rng.choice(organizations) if rng.random() < 0.5 else None,
                    stars=rng.randint(0, 50000),
                    forks=rng.randint(0, 5000),
                )
            )
        created = _insert(Project, rows, batch_size)
        project_ids += [p.pk for p in created]
        links = [
            Project.topics.through(project_id=p.pk, topic_id=t.pk)
            for p in created
            for t in rng.sample(topics, min(2, len(topics)))
        ]
        _insert(Project.topics.through, links, batch_size)
        say(f"projects: {start + size}/{projects}")
    report.counts["projects"] = projects

    # Papers, their authors (in order), topics and projects.
    offset = Paper.objects.count()
    taken_arxiv = set(Paper.objects.exclude(arxiv_id="").values_list("arxiv_id", flat=True))
    next_in_month: dict[str, int] = {}
    for start, size in _chunks(papers, chunk):
        rows = []
        for i in range(start, start + size):
            number = offset + i
            title = _pick_title(rng)
            year = rng.choices(range(1990, today.year + 1), weights=range(1, today.year - 1990 + 2))[0]
            arxiv_id = ""
            if year >= 2008:
                month = f"{year % 100:02d}{rng.randint(1, 12):02d}"
                k = next_in_month.get(month, 90000)
                while f"{month}.{k:05d}" in taken_arxiv:
                    k += 1
                if k <= 99999:
                    arxiv_id = f"{month}.{k:05d}"
                    taken_arxiv.add(arxiv_id)
                next_in_month[month] = k + 1
            rows.append(
                Paper(
                    title=title,
                    slug=_slug(title, number),
                    status=PUBLISHED,
                    abstract=_pick_text(rng, rng.randint(2, 4)),
                    year=year,
                    venue=rng.choice(venues) if venues and rng.random() < 0.85 else None,
                    arxiv_id=arxiv_id,
                    doi=f"10.5555/synthetic.{number}",
                    url=f"https://example.org/papers/{number}",
                )
            )
        created = _insert(Paper, rows, batch_size)
        authorships, topic_links, project_links = [], [], []
        for paper in created:
            if person_ids:
                for position, person_id in enumerate(
                    rng.sample(person_ids, min(rng.randint(1, 6), len(person_ids)))
                ):
                    authorships.append(Authorship(paper_id=paper.pk, person_id=person_id, position=position))
            for topic in rng.sample(topics, min(rng.randint(1, 3), len(topics))):
                topic_links.append(Paper.topics.through(paper_id=paper.pk, topic_id=topic.pk))
            if project_ids and rng.random() < 0.1:
                project_links.append(
                    Paper.projects.through(paper_id=paper.pk, project_id=rng.choice(project_ids))
                )
        _insert(Authorship, authorships, batch_size)
        _insert(Paper.topics.through, topic_links, batch_size)
        _insert(Paper.projects.through, project_links, batch_size)
        say(f"papers: {start + size}/{papers}")
    report.counts["papers"] = papers

    # Jobs.
    offset = JobPosting.objects.count()
    for start, size in _chunks(jobs, chunk):
        rows = []
        for i in range(start, start + size):
            kind = rng.choice(JobPosting.Kind.values)
            title = f"{JobPosting.Kind(kind).label} in {rng.choice(TASKS).lower()}"
            posted = today - dt.timedelta(days=rng.randint(0, 365))
            rows.append(
                JobPosting(
                    title=title,
                    slug=_slug(title, offset + i),
                    status=PUBLISHED,
                    organization=rng.choice(organizations),
                    kind=kind,
                    description=f"Join us to work on {rng.choice(METHODS).lower()}.",
                    location=rng.choice(CITIES),
                    remote=rng.random() < 0.3,
                    apply_url=f"https://example.org/jobs/{offset + i}",
                    posted_on=posted,
                    closes_on=posted + dt.timedelta(days=rng.randint(14, 120))
                    if rng.random() < 0.7
                    else None,
                )
            )
        created = _insert(JobPosting, rows, batch_size)
        _insert(
            JobPosting.topics.through,
            [JobPosting.topics.through(jobposting_id=j.pk, topic_id=rng.choice(topics).pk) for j in created],
            batch_size,
        )
        say(f"jobs: {start + size}/{jobs}")
    report.counts["jobs"] = jobs

    # Funding.
    offset = FundingOpportunity.objects.count()
    for start, size in _chunks(funding, chunk):
        rows = []
        for i in range(start, start + size):
            kind = rng.choice(FundingOpportunity.Kind.values)
            title = (
                f"{rng.choice(CITIES)} {FundingOpportunity.Kind(kind).label} for {rng.choice(TASKS).lower()}"
            )
            amount = rng.randint(1, 500) * 1000
            rows.append(
                FundingOpportunity(
                    title=title,
                    slug=_slug(title, offset + i),
                    status=PUBLISHED,
                    funder=rng.choice(organizations),
                    kind=kind,
                    description=f"Supports research on {rng.choice(METHODS).lower()}.",
                    amount_min=amount,
                    amount_max=amount * 2,
                    currency=rng.choice(("USD", "EUR", "CNY", "GBP")),
                    deadline=timezone.now() + dt.timedelta(days=rng.randint(-60, 300)),
                    eligibility="Researchers at any career stage.",
                    url=f"https://example.org/funding/{offset + i}",
                )
            )
        created = _insert(FundingOpportunity, rows, batch_size)
        _insert(
            FundingOpportunity.topics.through,
            [
                FundingOpportunity.topics.through(fundingopportunity_id=g.pk, topic_id=rng.choice(topics).pk)
                for g in created
            ],
            batch_size,
        )
        say(f"funding: {start + size}/{funding}")
    report.counts["funding"] = funding
    page_cache.catalogue_changed()  # bulk_create sends no signals
    return report
