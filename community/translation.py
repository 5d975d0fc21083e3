"""Which catalogue fields are stored once per language (django-modeltranslation).

Guides and topics are the catalogue's own prose, so they are written in every language the portal
speaks: `title` becomes `title_en` and `title_zh_hans`, and reading `guide.title` gives the active
language's text, or the English one while no translation exists (MODELTRANSLATION_FALLBACK_LANGUAGES).
Papers, projects and the rest keep one text: a paper's title is not translated.
"""

from django.db import models
from modeltranslation.translator import NotRegistered, TranslationOptions, register, translator

from community.models import Guide, TimelineEvent, Topic


@register(Guide)
class GuideTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(TimelineEvent)
class TimelineEventTranslationOptions(TranslationOptions):
    fields = ("text",)


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` stored once per language: ("title", "summary", "body") for guides; ()
    for a model whose text is not translated."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()
