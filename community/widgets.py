"""The filter forms' selects on every list page: written in Python, their model options kept per
catalogue version.

Django renders a select through its form templates, one template per option and one more for each
option's attributes: the topic, venue and sort selects of the papers list were a third of the list
page's rendering time (benchmarks/load_mix.py --profile). `FastSelect` writes the same markup
(`django/forms/widgets/select.html`) from the same widget context; `ListedChoices` keeps a model
choice field's options in the shared cache and reads them, when it must, without the server-side
cursor Django opens for them.
"""

import functools
import hashlib

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from community import page_cache


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: False left out, True as a bare name."""
    return format_html_join(
        "",
        "{}",
        ((format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
         for name, value in attrs.items() if value is not False),
    )  # fmt: skip


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option["value"]), _attrs(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )


class ListedChoices(ModelChoiceIterator):
    """A model choice field's options as (value, label) pairs kept per catalogue version and language
    (page_cache.per_version), read with one plain query when they are not. ModelChoiceIterator reads
    them with `.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE, FETCH, CLOSE: three
    round trips, and a cursor held to the commit) for a list of a few dozen topics or venues, on every
    list page; reading the rows and building an instance of each was a tenth of a filtered papers
    list's time. Only the options shown are kept: a submitted value is still checked against the
    queryset by the field."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for value, label in self._options():
            yield ModelChoiceIteratorValue(value, None), label

    def _options(self) -> list[tuple[object, str]]:
        sql, params = self.queryset.query.sql_with_params()
        # The query names the table, filters and ordering, so two fields share options only when
        # they would read the same rows; the label of a translated name depends on the language.
        digest = hashlib.sha256(f"{sql}|{params!r}|{self.field.to_field_name}".encode()).hexdigest()
        return page_cache.per_version(
            f"choices:{get_language()}:{digest}",
            lambda: [self._option(obj) for obj in list(self.queryset)],
        )

    def _option(self, obj) -> tuple[object, str]:
        return self.field.prepare_value(obj), str(self.field.label_from_instance(obj))


@functools.cache
def _listed(iterator: type[ModelChoiceIterator]) -> type[ModelChoiceIterator]:
    """`iterator` reading its options as ListedChoices does: ListedChoices itself for Django's own,
    a subclass for one that extends it (django-filter's adds its "null" option around the options
    Django's yields), with ListedChoices put between the two in its method order."""
    if issubclass(iterator, ListedChoices):
        return iterator
    if iterator is ModelChoiceIterator:
        return ListedChoices
    return type(f"Listed{iterator.__name__}", (iterator, ListedChoices), {})


def speed_up_selects(form_class: type[forms.Form]) -> type[forms.Form]:
    """`form_class` with each plain Select of its fields rendered by FastSelect and each model
    choice field's options read by ListedChoices (in place)."""
    for field in form_class.base_fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = FastSelect
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = _listed(field.iterator)
    return form_class
