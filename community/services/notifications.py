"""E-mails the site sends about a person's own contributions (moderation decisions).

Sent once the transaction commits: a decision that was rolled back must not be announced, and a
mail server that is down must not undo a decision that was made.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """`path` on the public site (SITE_URL); mails have no request to take a host from."""
    return f"{settings.SITE_URL}{path}" if path else settings.SITE_URL


def mail_user_on_commit(*, user, template: str, context: dict) -> bool:
    """Mail `user` the subject and body rendered from `<template>_subject.txt` / `_body.txt`.

    Skipped (False) when there is nobody to tell: the account was deleted or has no address.
    """
    email = getattr(user, "email", "") if user is not None else ""
    if not email:
        return False
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    # Rendered now, while the objects in `context` are as the decision left them.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)

    def send():
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # the decision stands; the log says who was not told
            logger.exception("could not send %s to user %s", template, user.pk)

    transaction.on_commit(send)
    return True
