"""Template helpers for the portal: Markdown, published-only links, time zones, navigation and the
page cache."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.templatetags.tz import do_timezone
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.urls.base import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, resolution_order

from common.timezones import zone_for_label
from community import page_cache
from community.rendering import render_markdown
from community.sources import LANGUAGE_NAMES, source_of
from community.translation import translated_fields

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        request = context.get("request")
        # The view may have looked the fragment up already (and skipped the queries it needs): the
        # same answer, not a second trip to the cache.
        key, html = page_cache.fragment(request, self.name) if request is not None else (None, None)
        if key is None:
            return self.nodelist.render(context)
        if html is None:
            # The page's querysets are lazy, so a hit above never ran them (the home page's view
            # needs nothing more than this).
            html = self.nodelist.render(context)
            if page_cache.storable(request):
                page_cache.store(key, html)
        return html


@register.tag
def pagecache(parser, token):
    """`{% pagecache "name" %}…{% endpagecache %}`: the enclosed content, cached per page (see
    community.page_cache); rendered as usual when PAGE_CACHE_SECONDS is 0."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("pagecache takes one quoted fragment name")
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist, bits[1][1:-1])


NAV = (
    ("papers", _("Papers"), "community:paper-list"),
    ("projects", _("Projects"), "community:project-list"),
    # The Papers with Code archive's leaderboards (issue 14): tasks lead to them, datasets and methods beside.
    ("tasks", _("Tasks"), "community:task-list"),
    ("datasets", _("Datasets"), "community:dataset-list"),
    ("methods", _("Methods"), "community:method-list"),
    ("venues", _("Venues"), "community:venue-list"),
    ("deadlines", _("Deadlines"), "community:deadline-list"),
    ("jobs", _("Jobs"), "community:job-list"),
    ("funding", _("Funding"), "community:funding-list"),
    ("organizations", _("Organisations"), "community:organization-list"),
    ("people", _("People"), "community:person-list"),
    ("channels", _("Channels"), "community:channel-list"),
    ("guides", _("Guides"), "community:guide-list"),
    ("topics", _("Topics"), "community:topic-list"),
    ("history", _("History"), "community:history"),
    # The training app's published results (section "results"); left out where it is not mounted.
    ("results", _("Results"), "training:results"),
)


@register.filter(name="markdown")
def markdown_filter(text: str, heading_offset=0) -> str:
    """Contributor Markdown -> HTML; safe because render_markdown runs it through the nh3 allowlist.

    `{{ guide.body|markdown:1 }}` demotes the body's headings one level below the page's h1.
    """
    try:
        offset = max(0, min(int(heading_offset), 5))
    except (TypeError, ValueError):
        offset = 0
    return mark_safe(render_markdown(text or "", heading_offset=offset))  # noqa: S308 - nh3-sanitised


@register.filter
def public(item):
    """`item` when it is published, else None: for foreign keys fetched with select_related, which
    may point at an item still under review."""
    if item is not None and getattr(item, "is_published", False):
        return item
    return None


@register.filter
def in_zone(value: datetime, zone) -> datetime | str:
    """`value` converted to `zone` (a ZoneInfo or a name), kept from being converted back to UTC."""
    return do_timezone(value, zone)


@register.filter
def announced(deadline) -> datetime | str:
    """The deadline in the zone it was announced in (23:59 AoE stays 23:59 AoE)."""
    try:
        zone = zone_for_label(deadline.timezone_label)
    except Exception:  # a label the importer should have refused: fall back to UTC, never a 500
        zone = ZoneInfo("UTC")
    return do_timezone(deadline.due_at, zone)


@register.filter
def iso_utc(value: datetime) -> str:
    """`2027-05-16T11:59:59Z`: the instant as the `datetime` and `data-due` attributes carry it."""
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@register.simple_tag
def nav_items() -> tuple[tuple[str, str, str], ...]:
    """(section key, label, url) for the header; a view's `section` marks its entry aria-current."""
    return _nav_items(get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=32)
def _nav_items(language: str | None, prefix: str, urlconf: str) -> tuple[tuple[str, str, str], ...]:
    # The same addresses on every page of a language: sixteen reverse() calls, once per process
    # (they were a tenth of a paper page's rendering, benchmarks/load_mix.py). Labels stay lazy.
    entries = []
    for key, label, url_name in NAV:
        try:
            entries.append((key, label, reverse(url_name, urlconf=urlconf)))
        except NoReverseMatch:
            continue
    return tuple(entries)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every language the site offers (English bare, Chinese under /zh-hans/).

    `url` is the `next` of the footer's set_language form and the page's <link rel="alternate" hreflang>.
    """
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = context.get("LANGUAGE_CODE")
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def external_url(url: str) -> str:
    """`url` when it is an http(s) address, else ''. URLField validates this on every write path, but a
    row written around them must still not put a `javascript:` link in a page."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@dataclass(frozen=True)
class LocalizedText:
    """A per-language text as a page shows it: `text` in `language`, and whether that is a fallback
    (the English text on the Chinese site, which the page marks and tags lang="en")."""

    text: str
    language: str
    fallback: bool
    active: str  # the reader's language, for the label that marks a fallback

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def _localized(item, field: str) -> LocalizedText:
    active = get_language() or settings.LANGUAGE_CODE
    if field not in translated_fields(type(item)):
        return LocalizedText(item.__dict__.get(field) or "", active, False, active)
    for language in resolution_order(active):
        # __dict__, not getattr: a deferred column must not cost a query per row.
        text = item.__dict__.get(build_localized_fieldname(field, language))
        if text:
            return LocalizedText(text, language, language != active, active)
    return LocalizedText("", active, False, active)


@register.filter
def localized(item, field: str) -> LocalizedText:
    """`item`'s `field` in the reader's language, or in English (then `fallback` is true) where it has
    not been translated yet: `{% with text=venue|localized:"description" %}`."""
    return _localized(item, field)


@register.filter
def blurb(item) -> LocalizedText | str:
    """The first descriptive text an item has (description, summary, abstract or bio), for result
    lists, in the reader's language where the field is stored per language."""
    for field in ("description", "summary", "abstract", "bio"):
        text = _localized(item, field)
        if text:
            return text
    return ""


@dataclass(frozen=True)
class ImportedText:
    """Where an imported text came from, as the label beside it shows it: the source's name, the
    language its text is written in (empty where the source does not say) and that language's name."""

    label: str
    language: str
    language_name: str
    attribution: str


@register.filter
def text_source(sources) -> ImportedText | None:
    """The outside source of an item's imported text, from `item.sources` (the Provenance rows its
    selector prefetched), preferring one whose language community.sources declares; None for an item
    nobody imported (its text is the catalogue's own, in the reader's language or marked as a fallback)."""
    declared = [source_of(row.source) for row in sources or ()]
    if not declared:
        return None
    source = next((s for s in declared if s.language), declared[0])
    name = LANGUAGE_NAMES.get(source.language, source.language)
    return ImportedText(str(source.label), source.language, str(name), source.attribution)
