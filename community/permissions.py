"""Who may review: staff, and members of the Moderators group (created by a migration)."""

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    # Cached on the user object for the request, so a page asking twice runs one query.
    if not hasattr(user, "_is_moderator"):
        user._is_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._is_moderator
