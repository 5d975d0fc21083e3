"""The parts every data table repeats, written once.

`{% column_heads _("Run") _("Seed") %}` writes `<th scope="col">Run</th><th scope="col">Seed</th>`:
one cell a heading, each escaped. A table whose headings are all plain text writes its whole head
with it (`<thead><tr>{% column_heads … %}</tr></thead>`); one with a computed or decorated
heading writes that cell itself between two calls.

`{% scroll_table rows empty=_("Nothing yet.") %}<thead>…</thead><tbody>…</tbody>{% endscroll_table %}`
writes the table (class `data-table`, or the one given as `class=`) in a box that scrolls sideways
on a narrow screen, or, where `rows` is empty, the `empty` sentence (nothing without one).
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def column_heads(*labels):
    """One `<th scope="col">` a label, in the order given."""
    return format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))


class ScrollTableNode(template.Node):
    def __init__(self, rows, options, nodelist):
        self.rows, self.options, self.nodelist = rows, options, nodelist

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        if not self.rows.resolve(context):
            empty = options.get("empty")
            return format_html('<p class="empty">{}</p>', empty) if empty else ""
        return format_html(
            '<div class="table-scroll"><table class="{}">{}</table></div>',
            options.get("class", "data-table"),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 (rendered by the template engine, escaped there)
        )


@register.tag
def scroll_table(parser, token):
    """`{% scroll_table rows [class="…"] [empty=…] %}` … `{% endscroll_table %}`: see the module."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs the rows it shows")
    rows = parser.compile_filter(bits[1])
    options = token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or set(options) - {"class", "empty"}:
        raise template.TemplateSyntaxError(f"{bits[0]} takes rows, then class=… and empty=… only")
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(rows, options, nodelist)
