"""Which catalogue fields are stored once per language (django-modeltranslation).

Guides and topics are the catalogue's own prose, so they are written in every language the portal
speaks: `title` becomes `title_en` and `title_zh_hans`, and reading `guide.title` gives the active
language's text, or the English one while no translation exists (MODELTRANSLATION_FALLBACK_LANGUAGES).
The descriptions of the other catalogue kinds (an organisation's, a venue's, a project's, a channel's,
a funding call's and its eligibility, a job's, a person's biography) are ours to write as well, so they
are stored per language too. Names and titles stay one text (a name is not translated), and so does a
paper's abstract: it is the authors' own text, in the language they wrote it in.
"""

from django.conf import settings
from django.db import models
from modeltranslation.translator import NotRegistered, TranslationOptions, register, translator
from modeltranslation.utils import build_localized_fieldname

from community.models import (
    Channel,
    FundingOpportunity,
    Guide,
    JobPosting,
    Organization,
    Person,
    Project,
    TimelineEvent,
    Topic,
    Venue,
)


@register(Guide)
class GuideTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(TimelineEvent)
class TimelineEventTranslationOptions(TranslationOptions):
    fields = ("text",)


class _DescriptionOptions(TranslationOptions):
    fields = ("description",)


for _model in (Organization, Venue, Project, Channel, JobPosting):
    translator.register(_model, _DescriptionOptions)


@register(FundingOpportunity)
class FundingTranslationOptions(TranslationOptions):
    fields = ("description", "eligibility")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("bio",)


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` stored once per language: ("title", "summary", "body") for guides; ()
    for a model whose text is not translated."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


# The languages a per-language text can be in: the API's `?lang=` and `description_language` values.
LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def language_columns(name: str) -> tuple[tuple[str, str], ...]:
    """((column, language code), ...) of translated field `name`, in settings.LANGUAGES order:
    (("description_en", "en"), ("description_zh_hans", "zh-hans"))."""
    return tuple((build_localized_fieldname(name, code), code) for code, _name in settings.LANGUAGES)


def per_language_keys(model: type[models.Model]) -> tuple[str, ...]:
    """Every language column of `model`'s translated fields: what a submission or an edit may set
    explicitly besides the field itself (which means the active language's text)."""
    return tuple(column for name in translated_fields(model) for column, _code in language_columns(name))
