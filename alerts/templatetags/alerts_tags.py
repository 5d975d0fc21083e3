"""{% follow_button item %}: the follow / stop-following button of a venue, funding call or topic
page (one query for a signed-in reader, none otherwise)."""

from django import template

from ..selectors import followed

register = template.Library()

KIND_OF_MODEL = {"venue": "venue", "fundingopportunity": "funding", "topic": "topic"}


@register.inclusion_tag("alerts/follow_button.html", takes_context=True)
def follow_button(context, item) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "item": item,
        "kind": KIND_OF_MODEL.get(item._meta.model_name, ""),
        "signed_in": signed_in,
        "following": signed_in and followed(user, item) is not None,
        "next": request.get_full_path() if request else "",
    }
