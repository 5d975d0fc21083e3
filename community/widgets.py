"""The filter forms' widgets on every list page: written in Python, a model select's options and
markup kept per catalogue version.

Django renders a widget through its form templates: an input is two includes (its type's template,
then `input.html` and `attrs.html`), a select one template per option and one more for each option's
attributes. The papers list's filter form (search box, year, topic, venue, sort) was a fifth of the
list page's time under the profiler (benchmarks/load_mix.py --profile), 1-2 ms of its 25-30 ms of
CPU without one (benchmarks/RESULTS.md, session 11). `FastInput` and `FastSelect` write the
same markup (`django/forms/widgets/input.html`, `select.html`) from the same widget context;
`ListedChoices` keeps a model choice field's options in the shared cache and reads them, when it must,
without the server-side cursor Django opens for them; a select of such options is kept rendered there
too, per chosen value, so an unfiltered list's selects cost one cache read.
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


class FastInput:
    """`input.html` (and the text, search, number and checkbox templates that only include it)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, _attrs(widget["attrs"])
        )


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        options = self.choices.options_key() if isinstance(self.choices, ListedChoices) else None
        if options is None:
            return self._markup(name, value, attrs)
        # Everything the markup is made of: the options (their query and labels), the field's name,
        # the chosen value and the attributes (the id among them).
        made_of = repr((options, name, value, self.attrs, attrs, self.allow_multiple_selected))
        return page_cache.per_version(
            f"select:{get_language()}:{hashlib.sha256(made_of.encode()).hexdigest()}",
            lambda: self._markup(name, value, attrs),
        )

    def _markup(self, name, value, attrs):
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

    @functools.cached_property
    def _digest(self) -> str:
        # The query names the table, filters and ordering, so two fields share options only when
        # they would read the same rows.
        sql, params = self.queryset.query.sql_with_params()
        return hashlib.sha256(f"{sql}|{params!r}|{self.field.to_field_name}".encode()).hexdigest()

    def options_key(self) -> str:
        """What the options shown depend on besides the language and the catalogue: the rows read
        and the labels added around them (django-filter's iterator adds a "null" option)."""
        labels = (self.field.empty_label, getattr(self.field, "null_label", None))
        return f"{type(self).__name__}:{self._digest}:{labels!r}"

    def _options(self) -> list[tuple[object, str]]:
        # The label of a translated name depends on the language.
        return page_cache.per_version(
            f"choices:{get_language()}:{self._digest}",
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


@functools.cache
def _fast(widget: type[forms.Widget]) -> type[forms.Widget]:
    return FastSelect if widget is forms.Select else type(f"Fast{widget.__name__}", (FastInput, widget), {})


# Widgets whose template is `input.html` alone (their own templates only include it).
_INPUTS = (forms.TextInput, forms.NumberInput, forms.CheckboxInput)


def speed_up_widgets(form_class: type[forms.Form]) -> type[forms.Form]:
    """`form_class` with each plain Select of its fields rendered by FastSelect, each plain text,
    number or checkbox input by FastInput, and each model choice field's options read by
    ListedChoices (in place)."""
    for field in form_class.base_fields.values():
        if type(field.widget) is forms.Select or type(field.widget) in _INPUTS:
            field.widget.__class__ = _fast(type(field.widget))
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = _listed(field.iterator)
    return form_class
