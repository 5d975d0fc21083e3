"""Problem reports: anyone may say what is wrong with a published item (facts, duplicate, dead link)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from community.models import Report
from community.services.rate_limits import submission_limited

from .fields import PUBLISHED, author_user, merge_errors
from .validation import clean_message


@submission_limited
@transaction.atomic
def report_create(*, item: models.Model, reason: str, message: str = "", user) -> Report:
    """Report a problem with a published item (wrong facts, duplicate, dead link, spam...)."""
    if not getattr(item, "pk", None) or getattr(item, "status", None) != PUBLISHED:
        raise ValidationError(_("Only published items can be reported."), code="not_published")
    errors: dict[str, list] = {}
    message = clean_message(message, field="message", errors=errors)
    report = Report(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        reported_by=author_user(user),
        reason=reason or "",
        message=message,
    )
    try:
        report.full_clean(exclude=list(errors))
    except ValidationError as exc:
        merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)
    report.save()
    return report
