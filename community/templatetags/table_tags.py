"""The column headings every data table repeats, written once.

`{% column_heads _("Run") _("Seed") %}` writes `<th scope="col">Run</th><th scope="col">Seed</th>`:
one cell a heading, each escaped. A table whose headings are all plain text writes its whole head
with it (`<thead><tr>{% column_heads … %}</tr></thead>`); one with a computed or decorated
heading writes that cell itself between two calls.
"""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def column_heads(*labels):
    """One `<th scope="col">` a label, in the order given."""
    return format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))
