"""Which way a metric is better, by its name: the one table the importer, the leaderboards and the API
read (issue 14). A moderator overrides it for a result (Result.higher_is_better); this module is the
default. Pure Python: no Django, no models.

A name is matched word by word, lower case: "Top-1 Accuracy" is "top 1 accuracy"; the first rule whose
words all occur in the name wins, so the more specific rules come first ("error rate" before "rate").
"""

import re

# (words, higher is better), most specific first. A word is a run of letters/digits of the name.
_RULES: tuple[tuple[str, bool], ...] = (
    # Lower is better.
    ("word error rate", False),
    ("character error rate", False),
    ("error rate", False),
    ("error", False),
    ("err", False),
    ("wer", False),
    ("cer", False),
    ("ter", False),
    ("perplexity", False),
    ("ppl", False),
    ("bits per character", False),
    ("bits per byte", False),
    ("bpc", False),
    ("bpd", False),
    ("bits dim", False),
    ("nll", False),
    ("loss", False),
    ("fid", False),
    ("kid", False),
    ("mae", False),
    ("mse", False),
    ("rmse", False),
    ("mape", False),
    ("eer", False),
    ("fpr95", False),
    ("miss rate", False),
    ("false positive rate", False),
    ("latency", False),
    ("inference time", False),
    ("runtime", False),
    ("params", False),
    ("parameters", False),
    ("flops", False),
    ("gflops", False),
    ("memory", False),
    ("distance", False),
    ("ade", False),
    ("fde", False),
    ("epe", False),
    ("chamfer", False),
    ("abs rel", False),
    ("sq rel", False),
    ("lpips", False),
    ("hamming loss", False),
    ("one error", False),
    ("coverage error", False),
    ("ranking loss", False),
    # Higher is better.
    ("accuracy", True),
    ("acc", True),
    ("f1", True),
    ("f score", True),
    ("f measure", True),
    ("precision", True),
    ("recall", True),
    ("bleu", True),
    ("rouge", True),
    ("meteor", True),
    ("cider", True),
    ("spice", True),
    ("chrf", True),
    ("bertscore", True),
    ("map", True),
    ("mrr", True),
    ("ndcg", True),
    ("auc", True),
    ("auroc", True),
    ("aupr", True),
    ("iou", True),
    ("miou", True),
    ("dice", True),
    ("psnr", True),
    ("ssim", True),
    ("inception score", True),
    ("is", True),
    ("exact match", True),
    ("em", True),
    ("hits", True),
    ("top 1", True),
    ("top 5", True),
    ("pearson", True),
    ("spearman", True),
    ("correlation", True),
    ("kappa", True),
    ("las", True),
    ("uas", True),
    ("pck", True),
    ("ap", True),
    ("ap50", True),
    ("ap75", True),
    ("mota", True),
    ("idf1", True),
    ("success rate", True),
    ("score", True),
    ("reward", True),
    ("return", True),
)
_RULE_WORDS = tuple((tuple(words.split()), higher) for words, higher in _RULES)


def metric_words(name: str) -> tuple[str, ...]:
    """'Top-1 Accuracy (%)' -> ('top', '1', 'accuracy'); 'P@5' -> ('p', '5')."""
    return tuple(re.findall(r"[a-z0-9]+", (name or "").lower()))


def higher_is_better(metric_name: str) -> bool | None:
    """True when a larger value of the metric is better, False when a smaller one is, None when the
    table does not know the metric (a leaderboard then sorts descending and says it does not know)."""
    words = metric_words(metric_name)
    if not words:
        return None
    for rule, higher in _RULE_WORDS:
        if _contains(words, rule):
            return higher
    # Precision at k (P@5), recall at k (R@10), Hits@k.
    if words[0] in ("p", "r", "hits") and len(words) > 1 and words[1].isdigit():
        return True
    return None


def _contains(words: tuple[str, ...], rule: tuple[str, ...]) -> bool:
    n = len(rule)
    return any(words[i : i + n] == rule for i in range(len(words) - n + 1))
