"""Similar papers: for every published paper, the five published papers nearest to it by the words of
their titles and abstracts (tf-idf vectors, cosine similarity), stored as SimilarPaper rows.

One service recomputes the whole table; the Celery task `community.similar_papers_refresh` (queue
`default`) calls it after papers are published (moderation, imports), and `load_seed_data` calls it
directly. scikit-learn and numpy are base dependencies (a `default` worker has no torch, and needs
none), imported inside the function, never at module level: web processes only enqueue
(`similar_papers_refresh_later`), and must not pay for importing them.

Idempotent: a paper's rows are only rewritten when its list (neighbours, order or rounded score)
changed, so a second run with the same papers writes nothing and `dumpdata` stays byte-identical.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.dispatch import Signal
from django.utils import translation

from community.models import Paper, SimilarPaper

logger = logging.getLogger(__name__)

TOP_K = 5
# Below this cosine two papers share little more than a common word; listing them would be noise.
MIN_SCORE = 0.05
# Scores are stored rounded, so floating-point noise between two runs never counts as a change.
SCORE_DIGITS = 6
# Rows of the similarity matrix computed at once: bounds memory at CHUNK x papers floats.
CHUNK = 512


@dataclass(frozen=True)
class SimilarRefreshReport:
    papers: int  # published papers compared
    links: int  # SimilarPaper rows after the refresh
    changed: int  # papers whose list was rewritten


def paper_text(paper: Paper) -> str:
    """The words a paper is compared by: its title and abstract.

    Without an abstract (the seed papers, many BibTeX records) a title alone is a handful of words, so
    its topics and venue stand in: their names (in English, the language of titles), and one token per
    topic and venue (`topic_neural_networks`). Words such as "neural" occur in many topic names and
    weigh little; the token only occurs in the papers that really share the topic, so those come
    out similar.
    """
    parts = [paper.title]
    if paper.abstract.strip():
        parts.append(paper.abstract)
    else:
        for topic in paper.topics.all():
            parts += [topic.name_en or topic.name, _token("topic", topic.slug)]
        if paper.venue is not None:
            parts += [paper.venue.name, paper.venue.full_name, _token("venue", paper.venue.slug)]
    return "\n".join(part for part in parts if part)


def _token(kind: str, slug: str) -> str:
    # One word for the tokenizer (letters, digits, underscores), whatever the slug.
    return f"{kind}_" + "".join(c if c.isalnum() else "_" for c in slug)


def nearest(
    texts: list[str], *, top_k: int = TOP_K, min_score: float = MIN_SCORE
) -> list[list[tuple[int, float]]]:
    """For each text, the indexes of the `top_k` most similar other texts and their cosine scores,
    best first (ties by index), leaving out scores below `min_score`."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return [[] for _ in texts]
    try:
        # Rows are L2-normalised, so a dot product is the cosine.
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)  # N x V
    except ValueError:  # every text empty or stop words only: nothing to compare
        return [[] for _ in texts]
    result = []
    for start in range(0, len(texts), CHUNK):
        block = (matrix[start : start + CHUNK] @ matrix.T).toarray()  # C x N
        for offset, row in enumerate(block):
            row[start + offset] = -1.0  # never similar to itself
            # Stable sort on -score keeps ties in index (so primary key) order, run after run.
            order = np.argsort(-row, kind="stable")[:top_k]
            result.append(
                [(int(j), round(float(row[j]), SCORE_DIGITS)) for j in order if row[j] >= min_score]
            )
    return result


@transaction.atomic
def similar_papers_refresh() -> SimilarRefreshReport:
    """Recompute every published paper's similar papers and store what changed."""
    with translation.override("en"):
        papers = list(
            Paper.objects.published().select_related("venue").prefetch_related("topics").order_by("pk")
        )
        texts = [paper_text(paper) for paper in papers]
    wanted: dict[int, list[tuple[int, float]]] = {
        paper.pk: [(papers[j].pk, score) for j, score in neighbours]
        for paper, neighbours in zip(papers, nearest(texts), strict=True)
    }

    stored: dict[int, list[tuple[int, float]]] = {}
    for paper_id, similar_id, score in SimilarPaper.objects.order_by("paper_id", "rank").values_list(
        "paper_id", "similar_id", "score"
    ):
        stored.setdefault(paper_id, []).append((similar_id, score))

    # Papers no longer published (or deleted) keep no list.
    gone = [paper_id for paper_id in stored if paper_id not in wanted]
    changed = [paper_id for paper_id, links in wanted.items() if stored.get(paper_id, []) != links]
    if gone or changed:
        SimilarPaper.objects.filter(paper_id__in=[*gone, *changed]).delete()
        SimilarPaper.objects.bulk_create(
            SimilarPaper(paper_id=paper_id, similar_id=similar_id, score=score, rank=rank)
            for paper_id in changed
            for rank, (similar_id, score) in enumerate(wanted[paper_id], start=1)
        )
    return SimilarRefreshReport(
        papers=len(papers), links=sum(len(links) for links in wanted.values()), changed=len(changed)
    )


# Services do not import the tasks (community.tasks imports the services; the import runs one way):
# they send this signal, and community.tasks, the only module that knows Celery, connects the receiver
# that enqueues the task once the transaction commits (CommunityConfig.ready loads it in every process).
refresh_requested = Signal()


def similar_papers_refresh_later() -> None:
    """Recompute similar papers on a worker once the current transaction has committed.

    `robust` (in the receiver): the decision that triggered it (an approval, an import) is already
    stored; a broker that cannot be reached only delays the refresh until the next one, so it is
    logged, not raised.
    """
    if not refresh_requested.send(sender=SimilarPaper):
        raise ImproperlyConfigured(
            "No receiver for community.services.similar.refresh_requested: is community.tasks loaded?"
        )
