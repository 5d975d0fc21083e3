"""Likely duplicates among the people an archive import creates (issue 14, item 4).

The import matches authors by their exact name only: it never decides that two names are one person.
What it can cheaply see is two names that are the same once case, accents and punctuation are set
aside ("Yann LeCun", "Yann Lecun", "Yánn LeCun") or once given names are cut to initials where the
other name has only initials ("Yann LeCun", "Y. LeCun"). Those pairs go to the moderators' queue as a
duplicate report on the newer person, naming the older one, where the merge page takes them.

Both forms are slugs (community.services.slugs.base_slug folds case and accents, and a person's slug
starts as its name's), so a batch's new people are compared with everyone by one indexed query on
`slug`, whatever the catalogue's size. A name written with initials is found from the full name, not
the other way round (that would need a scan): the archive writes authors in full.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from community.models import ModerationStatus, Person, Report
from community.services.slugs import base_slug

_WORDS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def initials_slug(name: str) -> str:
    """The slug of `name` with each given name cut to its initial ("Yann André LeCun" -> "y-a-lecun");
    '' for a name of one word."""
    words = _WORDS.findall(name)
    if len(words) < 2:
        return ""
    return base_slug(Person, " ".join([*(word[0] for word in words[:-1]), words[-1]]))


def likely_duplicates_flag(created: list[tuple[int, str]], *, counts=None) -> int:
    """Report each person of `created` ((id, name), just made by the import) whose name is likely
    another person's (see the module); returns the number of reports made, also counted in `counts`
    (the import's Counts) as "duplicate" created. One query to find them, one to write them."""
    keys: dict[str, set[int]] = {}
    for pk, name in created:
        for key in {base_slug(Person, name), initials_slug(name)} - {""}:
            keys.setdefault(key, set()).add(pk)
    if not keys:
        return 0
    found = (
        Person.objects.filter(slug__in=keys)
        .exclude(status=ModerationStatus.REJECTED)
        .values_list("pk", "slug", "name")
    )
    names = dict(created)
    pairs: dict[int, tuple[int, str, str]] = {}  # newer id -> (older id, its slug, its name)
    for other, slug, other_name in found:
        for pk in keys[slug]:
            if pk == other or names[pk] == other_name:
                continue
            newer, older = max(pk, other), min(pk, other)
            if newer in pairs:
                continue  # one report per person is enough to bring the moderators to it
            if older == other:
                pairs[newer] = (other, slug, other_name)
            else:  # the match is the newer one: name the older by what the batch knows of it
                pairs[newer] = (pk, "", names[pk])
    if not pairs:
        return 0
    slugs = dict(Person.objects.filter(pk__in={older for older, slug, _ in pairs.values() if not slug})
                 .values_list("pk", "slug"))  # fmt: skip
    content_type = ContentType.objects.get_for_model(Person)
    Report.objects.bulk_create(
        [
            Report(
                content_type=content_type,
                object_id=newer,
                reason=Report.Reason.DUPLICATE,
                message=_message(other_name, slug or slugs.get(older, "")),
            )
            for newer, (older, slug, other_name) in sorted(pairs.items())
        ],
        batch_size=1000,
    )
    if counts is not None:
        counts.add("duplicate", "created", len(pairs))
    return len(pairs)


def _message(other_name: str, other_slug: str) -> str:
    return gettext(
        "Likely the same person as “%(name)s” (slug %(slug)s): the two names are the same once case, "
        "accents and initials are set aside. The Papers with Code archive names authors only by their "
        "name, so the import kept them apart; merge them if they are one person."
    ) % {"name": other_name, "slug": other_slug}
