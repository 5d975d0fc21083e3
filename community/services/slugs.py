"""Slugs for catalogue items: readable, ASCII-only and unique per model."""

import hashlib

from django.db import models
from django.utils.text import slugify

# Latin letters that Unicode does not decompose into a base letter plus an accent, so NFKD (which
# slugify uses) would drop them: without this "Łukasz" would become "ukasz".
_LATIN_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ı": "i",
    }
)


def base_slug(model: type[models.Model], text: str) -> str:
    """The slug `text` gives before any collision suffix.

    ASCII only, because slugs end up in URLs people type and paste. Text with no Latin letters at all
    (a Chinese title, say) gives `<model>-<8 hex digits of a hash of the text>`: stable for the same
    text, unlike a counter, and still ASCII.
    """
    slug = slugify((text or "").translate(_LATIN_FOLD))
    if slug:
        return slug
    prefix = slugify(str(model._meta.verbose_name))
    if not (text or "").strip():
        return prefix
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def unique_slug(model: type[models.Model], text: str, *, max_length: int | None = None) -> str:
    """A slug for `text` that no row of `model` uses yet: `base`, then `base-2`, `base-3`, ...

    `max_length` defaults to the model's slug field; the base is cut short so the suffix always fits.
    The result is only free at the time of the call: callers save inside a transaction and the unique
    constraint on the column stays the last word.
    """
    if max_length is None:
        max_length = model._meta.get_field("slug").max_length
    base = base_slug(model, text)
    candidate = base[:max_length].rstrip("-")
    counter = 1
    manager = model._default_manager
    while manager.filter(slug=candidate).exists():
        counter += 1
        suffix = f"-{counter}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
