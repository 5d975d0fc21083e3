"""Template helpers for accounts and moderation: who is a moderator, and the links every detail page
offers (suggest an edit, report a problem, and the history for moderators)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from community.kinds import kind_of
from community.permissions import is_moderator as _is_moderator

register = template.Library()


@register.filter
def is_moderator(user) -> bool:
    return _is_moderator(user)


@register.simple_tag(takes_context=True)
def item_action_links(context, item) -> dict:
    """{'edit', 'report', 'history'} URLs for a published item; {} for anything else.

    No query for readers: the history link (one cached content-type lookup) is only for moderators.
    """
    kind = kind_of(item)
    if (
        not kind
        or kind == "edition"
        or not getattr(item, "is_published", False)
        or not getattr(item, "slug", "")
    ):
        return {}
    try:
        links = {
            "edit": reverse("community:suggest-edit", kwargs={"kind": kind, "slug": item.slug}),
            "report": reverse("community:report", kwargs={"kind": kind, "slug": item.slug}),
        }
    except NoReverseMatch:
        return {}
    if _is_moderator(context.get("user")):
        content_type = ContentType.objects.get_for_model(item)
        links["history"] = reverse(
            "community:moderation-history", kwargs={"content_type_id": content_type.pk, "pk": item.pk}
        )
    return links


@register.filter
def history_value(value) -> str:
    """A value from a history entry as text: lists one item a line, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "\n".join(history_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
