"""Merging two people or two organisations that turn out to be the same.

Everything that points at the one removed moves to the one kept, then the removed one is deleted.
The links are found from the model's relations, not listed by hand, so a relation added later (in
this app or another) moves too instead of being deleted with the row. Empty fields of the kept item
are filled from the removed one; its history, pending edits and reports move over as well.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from community.models import (
    Authorship,
    ChangeRecord,
    EditSuggestion,
    ModerationStatus,
    Organization,
    Person,
    Report,
)
from community.services.history import diff_values, field_values, history_record

# Never copied from the removed item: identity, moderation state and bookkeeping.
_NOT_COPIED = {"id", "slug", "name", "status", "created_by", "created_at", "updated_at"}


def _move_reverse_relations(keep: models.Model, remove: models.Model) -> None:
    for relation in remove._meta.related_objects:
        if relation.many_to_many:
            if not relation.through._meta.auto_created:
                continue  # a custom through model (Paper.authors via Authorship) moves as a one-to-many
            _move_m2m_rows(relation.through, relation.field.m2m_reverse_field_name(), keep, remove)
        elif relation.one_to_many or relation.one_to_one:
            related_model = relation.related_model
            field_name = relation.field.name
            if related_model is Authorship:
                # (paper, person) is unique: where both were authors of one paper, the kept person's
                # place in the author list stays and the removed one's row goes.
                shared = Authorship.objects.filter(person=keep).values("paper_id")
                Authorship.objects.filter(person=remove, paper_id__in=shared).delete()
            related_model._base_manager.filter(**{field_name: remove}).update(**{field_name: keep})


def _move_m2m_rows(through: type[models.Model], target_field: str, keep, remove) -> None:
    """Rows of an auto-created through table pointing at `remove` -> `keep`, without doubling a pair."""
    source_field = next(
        f.name for f in through._meta.concrete_fields if f.is_relation and f.name not in ("id", target_field)
    )
    already = through.objects.filter(**{target_field: keep}).values(source_field)
    through.objects.filter(**{target_field: remove, f"{source_field}__in": already}).delete()
    through.objects.filter(**{target_field: remove}).update(**{target_field: keep})


def _merge_own_m2m(keep: models.Model, remove: models.Model) -> None:
    for field in remove._meta.many_to_many:
        getattr(keep, field.name).add(*getattr(remove, field.name).all())


def _fill_blanks(keep: models.Model, remove: models.Model) -> None:
    for field in keep._meta.concrete_fields:
        if field.name in _NOT_COPIED or field.primary_key:
            continue
        mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(keep, field.attname, theirs)


def _move_moderation(keep: models.Model, remove: models.Model) -> None:
    content_type = ContentType.objects.get_for_model(keep)
    for model in (ChangeRecord, EditSuggestion, Report):
        model.objects.filter(content_type=content_type, object_id=remove.pk).update(object_id=keep.pk)


def _merge(*, keep: models.Model, remove: models.Model, moderator) -> models.Model:
    model = type(keep)
    if type(remove) is not model:
        raise ValidationError(_("Only two items of the same kind can be merged."), code="kind")
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different items."), code="same")
    # Locked in a fixed order, so two merges of the same pair cannot deadlock.
    locked = model.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk]).order_by("pk").in_bulk()
    if len(locked) != 2:
        raise ValidationError(_("One of the two no longer exists."), code="gone")
    keep, remove = locked[keep.pk], locked[remove.pk]
    before = field_values(keep)
    _move_reverse_relations(keep, remove)
    _merge_own_m2m(keep, remove)
    _fill_blanks(keep, remove)
    if remove.status == ModerationStatus.PUBLISHED:
        # The removed item's links were public; they stay public on the kept one.
        keep.status = ModerationStatus.PUBLISHED
    _move_moderation(keep, remove)
    label, removed_pk = str(remove), remove.pk
    remove.delete()
    keep.full_clean()
    keep.save()
    changes = diff_values(before, field_values(keep))
    changes.pop("created_by", None)
    history_record(
        item=keep,
        user=moderator,
        action=ChangeRecord.Action.MERGED,
        changes=changes,
        note=_("Merged “%(label)s” (#%(id)s) into this item.") % {"label": label, "id": removed_pk},
    )
    return keep


@transaction.atomic
def person_merge(*, keep: Person, remove: Person, moderator) -> Person:
    """`remove` is the same person as `keep`: their authorships move to `keep` (one row per paper
    where both were authors), then `remove` is deleted."""
    return _merge(keep=keep, remove=remove, moderator=moderator)


@transaction.atomic
def organization_merge(*, keep: Organization, remove: Organization, moderator) -> Organization:
    """`remove` is the same organisation as `keep`: its people, projects, jobs, funding, guide links
    and topics move to `keep`, then `remove` is deleted."""
    return _merge(keep=keep, remove=remove, moderator=moderator)
